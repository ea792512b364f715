"""One pagination helper for every list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from pontive.extensions import db


def paginate(query: Select, per_page: int | None = None) -> Pagination:
    """Page ``query`` by ?page= (bad numbers fall back to page 1), counting once."""
    per_page = per_page or current_app.config["PER_PAGE"]
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(query, page=max(page, 1), per_page=per_page, max_per_page=100, error_out=False)


@dataclass
class Page:
    """A page of rows that are not one SQLAlchemy select (grouped rows, a list built in Python),
    shaped like flask_sqlalchemy's Pagination so that templates/_pagination.html serves both."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @classmethod
    def from_request(cls, total: int, per_page: int | None = None) -> Page:
        """The page ?page= asks for, kept within 1 … pages; fill ``items`` with rows at ``offset``."""
        per_page = per_page or current_app.config["PER_PAGE"]
        pages = max(1, -(-total // per_page))
        page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
        return cls([], page, per_page, total)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(items: list[Any], per_page: int | None = None) -> Page:
    """One page of a list already in memory."""
    page = Page.from_request(len(items), per_page)
    page.items = items[page.offset : page.offset + page.per_page]
    return page
