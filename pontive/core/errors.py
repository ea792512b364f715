"""Error pages: Indonesian HTML to browsers, JSON to API clients."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException

from pontive.core.permissions import wants_json
from pontive.extensions import db

MESSAGES = {
    400: "Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi.",
    403: "Anda tidak memiliki akses ke halaman ini.",
    404: "Halaman yang Anda cari tidak ditemukan.",
    405: "Metode permintaan ini tidak diizinkan.",
    409: "Data telah diubah oleh orang lain. Muat ulang halaman lalu coba lagi.",
    413: "Berkas terlalu besar.",
    429: "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
    500: "Terjadi kesalahan pada server. Tim kami telah dicatat; silakan coba lagi.",
}
TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Konflik data",
    413: "Berkas terlalu besar",
    429: "Terlalu banyak permintaan",
    500: "Kesalahan server",
}


def _respond(code: int, detail: str | None = None):
    message = detail or _(MESSAGES.get(code, MESSAGES[500]))
    if wants_json():
        return jsonify(error=code, message=message), code
    return render_template(
        "errors/error.html", code=code, title=_(TITLES.get(code, TITLES[500])), message=message
    ), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = error.code or 500
        if code == 500:
            db.session.rollback()
        detail = None
        if code == 400 and getattr(error, "description", "").startswith("The CSRF"):
            detail = _("Sesi formulir telah kedaluwarsa. Muat ulang halaman lalu kirim lagi.")
        return _respond(code, detail)

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def _bad_data(error: Exception):
        # A value no column or date can hold (?opd=99999999999999999999, a NUL character for PostgreSQL):
        # the request is bad, not the server.
        db.session.rollback()
        current_app.logger.warning("bad data refused: %s", str(getattr(error, "orig", None) or error).strip())
        return current_app.handle_http_exception(BadRequest())  # an HTML page, or the API's problem+json
