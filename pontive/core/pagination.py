"""One pagination helper for every list."""

from __future__ import annotations

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from pontive.extensions import db


def paginate(query: Select, per_page: int | None = None) -> Pagination:
    """Page ``query`` by ?page= (bad numbers fall back to page 1), counting once."""
    per_page = per_page or current_app.config["PER_PAGE"]
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(query, page=max(page, 1), per_page=per_page, max_per_page=100, error_out=False)
