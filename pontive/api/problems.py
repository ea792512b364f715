"""Errors of the JSON API as RFC 9457 problem details (``application/problem+json``).

Each problem type has a stable slug; its ``type`` URI points at the section of the reference page
(``/api/v1/docs#masalah-<slug>``) that explains it. Details are Indonesian, like the rest of Pontive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, json, request, url_for
from werkzeug.exceptions import HTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str
    explanation: str  # shown on the reference page


PROBLEM_TYPES: dict[str, ProblemType] = {
    p.slug: p
    for p in [
        ProblemType(
            "permintaan-tidak-valid",
            400,
            "Permintaan tidak valid",
            "Parameter atau isi permintaan tidak dapat dibaca; daftar `errors` menyebut bagian yang salah.",
        ),
        ProblemType(
            "tidak-terautentikasi",
            401,
            "Token tidak ada atau tidak valid",
            "Kirim token pribadi di header `Authorization: Bearer pnt_…`. Token yang dicabut, salah ketik, "
            "atau milik akun nonaktif ditolak. Cookie sesi peramban tidak pernah berlaku di API.",
        ),
        ProblemType(
            "akses-ditolak",
            403,
            "Akses ditolak",
            "Token valid, tetapi peran pemiliknya tidak mencakup data ini.",
        ),
        ProblemType("tidak-ditemukan", 404, "Tidak ditemukan", "Alamat atau data yang diminta tidak ada."),
        ProblemType(
            "metode-tidak-diizinkan", 405, "Metode tidak diizinkan", "Header `Allow` menyebut metode yang diterima."
        ),
        ProblemType(
            "bulan-terkunci",
            409,
            "Bulan sudah terkunci",
            "Laporan bulan ini sudah diajukan atau divalidasi; realisasinya tidak dapat diubah lagi.",
        ),
        ProblemType("terlalu-besar", 413, "Berkas terlalu besar", "Ukuran berkas atau permintaan melebihi batas."),
        ProblemType(
            "jenis-konten-tidak-didukung",
            415,
            "Jenis konten tidak didukung",
            "Kirim `application/json` atau `multipart/form-data`.",
        ),
        ProblemType(
            "validasi-gagal",
            422,
            "Data tidak valid",
            "Isi permintaan terbaca tetapi ditolak aturan Pontive, misalnya realisasi yang bukan angka; "
            "daftar `errors` menyebut kolom dan alasannya. Tidak ada yang diubah.",
        ),
        ProblemType(
            "terlalu-banyak-permintaan",
            429,
            "Terlalu banyak permintaan",
            "Batas permintaan per token (atau per alamat IP tanpa token) terlampaui; tunggu sesuai header "
            "`Retry-After`.",
        ),
        ProblemType(
            "kesalahan-server",
            500,
            "Kesalahan server",
            "Terjadi kesalahan di Pontive; kesalahan dicatat. Coba lagi nanti.",
        ),
    ]
}
_BY_STATUS = {p.status: p for p in PROBLEM_TYPES.values()}

DEFAULT_DETAILS = {
    400: "Permintaan tidak dapat diproses.",
    401: "Sertakan token API yang valid di header Authorization.",
    403: "Token ini tidak memiliki akses ke data tersebut.",
    404: "Data atau alamat yang diminta tidak ditemukan.",
    405: "Metode permintaan ini tidak diizinkan untuk alamat ini.",
    409: "Permintaan bertentangan dengan keadaan data saat ini.",
    413: "Permintaan atau berkas terlalu besar.",
    415: "Jenis konten permintaan tidak didukung.",
    422: "Data yang dikirim tidak valid.",
    429: "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
    500: "Terjadi kesalahan pada server. Kesalahan telah dicatat; silakan coba lagi.",
}


class Problem(HTTPException):
    """Raised by API views; answered as problem details by the blueprint's error handler."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        slug: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.slug = slug
        self.errors = errors
        self.extra_headers = headers or {}


def field_error(field: str, message: str) -> dict[str, str]:
    """One entry of a problem's ``errors`` list: where (a parameter or body field) and why."""
    return {"field": field, "detail": message}


def problem_type_uri(slug: str) -> str:
    return url_for("api.docs", _external=True, _anchor=f"masalah-{slug}")


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    slug: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    kind = PROBLEM_TYPES.get(slug or "") or _BY_STATUS.get(status)
    body: dict[str, Any] = {
        "type": problem_type_uri(kind.slug) if kind else "about:blank",
        "title": kind.title if kind else f"HTTP {status}",
        "status": status,
        "detail": detail or DEFAULT_DETAILS.get(status, DEFAULT_DETAILS[500 if status >= 500 else 400]),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def from_http_exception(error: HTTPException) -> Response:
    """Any HTTP error raised while serving an API request, as problem details."""
    status = error.code or 500
    if isinstance(error, Problem):
        headers = dict(error.extra_headers)
        return problem_response(status, error.description, slug=error.slug, errors=error.errors, headers=headers)
    if status >= 500:
        from pontive.extensions import db

        db.session.rollback()
        return problem_response(status)
    # Keep what the exception says about itself (Allow on 405, Retry-After on 429), never its HTML body.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    detail = None
    if status == 429:
        detail = f"Terlalu banyak permintaan (batas {error.description}). Tunggu sebentar lalu coba lagi."
    return problem_response(status, detail, headers=headers)
