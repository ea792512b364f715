"""What every area uses: model base, audit log, uploads, letters, exports, permissions, formats."""
