"""One pagination helper for every list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from pontive.extensions import db

# A list counts at most this many rows past the start of the page it shows: a filter that matches
# half a million leave requests reads "lebih dari 1.025", and the count stops at that row instead of
# walking the whole table (issue 8 §2: a page costs the same at scale 1 and 10).
COUNT_AHEAD = 1000


@dataclass(frozen=True)
class Count:
    """A number of rows counted up to a limit: ``total_capped`` says there are more (``|jumlah`` prints
    "lebih dari …")."""

    total: int
    total_capped: bool = False


def capped_count(query: Select, limit: int | None = None) -> Count:
    """How many rows ``query`` returns, counting no further than ``limit`` (COUNT_AHEAD by default):
    a dashboard's "17.247 permohonan" costs the same as its "lebih dari 1.000"."""
    limit = COUNT_AHEAD if limit is None else limit
    rows = query.options(lazyload("*")).order_by(None).limit(limit + 1).subquery()
    counted = db.session.execute(select(func.count()).select_from(rows)).scalar() or 0
    return Count(min(counted, limit), counted > limit)


class CappedPagination(SelectPagination):
    """flask_sqlalchemy's pagination whose count stops ``COUNT_AHEAD`` rows past the page.

    ``total_capped`` says the true total is larger than ``total``; the page after the last counted one
    still exists then (``has_next``), and counting resumes from there."""

    total_capped: bool = False

    def _query_count(self) -> int:
        if len(self.items) < self.per_page and (self.items or self.page == 1):
            # A page that is not full is the last one: its rows tell the total without a second scan
            # (a search that matches a few rows of many reads the table once, not twice).
            return self._query_offset + len(self.items)
        query = self._query_args["select"]
        limit = self._query_offset + max(COUNT_AHEAD, self.per_page) + 1
        rows = query.options(lazyload("*")).order_by(None).limit(limit).subquery()
        counted = self._query_args["session"].execute(select(func.count()).select_from(rows)).scalar() or 0
        self.total_capped = counted >= limit
        return min(counted, limit - 1)

    @property
    def has_next(self) -> bool:
        return self.total_capped or super().has_next


def paginate(query: Select, per_page: int | None = None) -> Pagination:
    """Page ``query`` by ?page= (bad numbers fall back to page 1); the count is capped (see COUNT_AHEAD)."""
    per_page = min(per_page or current_app.config["PER_PAGE"], 100)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    return CappedPagination(select=query, session=db.session(), page=page, per_page=per_page, error_out=False)


@dataclass
class Page:
    """A page of rows that are not one SQLAlchemy select (grouped rows, a list built in Python),
    shaped like flask_sqlalchemy's Pagination so that templates/_pagination.html serves both."""

    items: list[Any]
    page: int
    per_page: int
    total: int
    total_capped: bool = False

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
        return self.total_capped or self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def capped_page(count: Callable[[int], int], per_page: int | None = None) -> Page:
    """The page ?page= asks for of a list that is not one select, its total from ``count(limit)``, which
    counts the rows but stops at ``limit`` (COUNT_AHEAD rows past the page, as ``paginate`` does); fill
    ``items`` with the rows at ``offset``."""
    per_page = per_page or current_app.config["PER_PAGE"]
    asked = max(request.args.get("page", 1, type=int) or 1, 1)
    limit = (asked - 1) * per_page + max(COUNT_AHEAD, per_page) + 1
    counted = count(limit)
    page = Page.from_request(min(counted, limit - 1), per_page)
    page.total_capped = counted >= limit
    return page


def page_of(items: list[Any], per_page: int | None = None) -> Page:
    """One page of a list already in memory."""
    page = Page.from_request(len(items), per_page)
    page.items = items[page.offset : page.offset + page.per_page]
    return page
