"""Letters as PDF: every letter extends ``letters/base_letter.html`` and so carries the one
letterhead an admin sets (DESIGN §6 "Letters").

xhtml2pdf reads only what its resource policy allows: no network, local files only under
``static/`` and the upload directory. The letterhead logo is named by a placeholder URI in the
template, which :func:`_link_callback` turns into its file in storage.
"""

from __future__ import annotations

import base64
import io
import logging
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template, send_file
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from pontive.core import formats
from pontive.core.models import Letterhead, StoredFile
from pontive.core.services import current_letterhead
from pontive.core.storage import get_storage
from pontive.extensions import db

log = logging.getLogger(__name__)

LOGO_URI = "pontive:letterhead-logo"


class LetterError(RuntimeError):
    """The PDF could not be made."""


def indonesian_date(value) -> str:
    """Letters are dated in Indonesian whatever the reader's language: "23 November 2026"."""
    return formats.format_date(value, "id")


def resource_policy() -> ResourceAccessPolicy:
    return ResourceAccessPolicy(
        allow_remote=False,
        base_dir=Path(current_app.static_folder or "static"),
        extra_roots=(Path(current_app.config["UPLOAD_DIR"]),),
    )


def _logo_source(letterhead: Letterhead) -> str | None:
    """Where xhtml2pdf reads the logo from: its file in local storage, else its bytes inline."""
    if not letterhead.logo_id:
        return None
    stored = db.session.get(StoredFile, letterhead.logo_id)
    if stored is None:
        return None
    storage = get_storage()
    local_path = getattr(storage, "path", None)
    if local_path is not None:
        path = local_path(stored.key)
        return str(path) if path.exists() else None
    try:
        with storage.open(stored.key) as fh:
            data = fh.read()
    except FileNotFoundError:
        return None
    return f"data:{stored.content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _make_link_callback(logo: str | None):
    static_dir = Path(current_app.static_folder or "static")
    static_prefix = (current_app.static_url_path or "/static").rstrip("/") + "/"

    def link_callback(uri: str, rel: str | None) -> str | None:  # noqa: ARG001
        if uri == LOGO_URI:
            return logo
        if isinstance(uri, str) and uri.startswith(static_prefix):
            return str(static_dir / uri[len(static_prefix) :])
        return None  # left as written: the resource policy refuses it

    return link_callback


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a letter template to PDF bytes. The template gets ``letterhead`` (the saved one,
    unless the caller passes its own), ``logo_uri`` when it has a logo, and ``indonesian_date``."""
    letterhead = context.pop("letterhead", None) or current_letterhead(db.session)
    logo = _logo_source(letterhead)
    html = render_template(
        template_name,
        letterhead=letterhead,
        logo_uri=LOGO_URI if logo else None,
        indonesian_date=indonesian_date,
        **context,
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(
        html,
        dest=out,
        encoding="utf-8",
        resource_policy=resource_policy(),
        link_callback=_make_link_callback(logo),
    )
    if result.err:
        log.error("xhtml2pdf failed on %s: %s error(s)", template_name, result.err)
        raise LetterError(f"PDF {template_name} gagal dibuat ({result.err} kesalahan).")
    return out.getvalue()


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = True) -> Response:
    """Send a PDF: shown in the browser (``inline``) or downloaded, never sniffed or cached."""
    response = send_file(
        io.BytesIO(pdf_bytes),
        mimetype="application/pdf",
        as_attachment=not inline,
        download_name=filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
