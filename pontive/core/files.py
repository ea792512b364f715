"""The one route that hands out uploaded files, after checking the file's access rule."""

from __future__ import annotations

import os

from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user

from pontive.core.models import StoredFile
from pontive.core.permissions import login_required
from pontive.core.storage import get_storage
from pontive.core.uploads import download_name, may_download
from pontive.extensions import db

bp = Blueprint("files", __name__)


def get_file_for_user_or_404(file_id: int, user) -> StoredFile:
    """The file, if it exists and ``user`` may see it; 404 otherwise, so a stranger cannot
    tell a file that exists from one that does not."""
    stored = db.session.get(StoredFile, file_id)
    if stored is None or not may_download(user, stored):
        abort(404)
    return stored


@bp.route("/berkas/<int:file_id>")
@login_required
def download(file_id: int):
    stored = get_file_for_user_or_404(file_id, current_user)
    try:
        fh = get_storage().open(stored.key)
    except FileNotFoundError:
        current_app.logger.error("stored file %s (key %s) is missing from storage", stored.id, stored.key)
        abort(404)
    response = send_file(
        fh,
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=download_name(stored),
        etag=stored.sha256,
        max_age=0,
    )
    try:
        response.content_length = os.fstat(fh.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        response.content_length = stored.size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
