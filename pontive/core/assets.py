"""Static files carry a content hash in their URL (?v=…), so they can be cached for a year."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask

_cache: dict[tuple[str, float], str] = {}


def file_hash(static_folder: str, filename: str) -> str | None:
    path = Path(static_folder) / filename
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    key = (str(path), mtime)
    if key not in _cache:
        _cache[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _cache[key]


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = file_hash(app.static_folder or "", values["filename"])
            if digest:
                values["v"] = digest
