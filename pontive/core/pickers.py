"""Search-as-you-type pickers of people: a few names a request, however many could be chosen.

A team board's assignees and an application's maintainers are picked from hundreds or thousands of
members (issue 8 §2: no page lists every row). The picker shows the ones already chosen, then up to
``limit`` whose name or username contains what was typed, in name order, and how many more match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from pontive.accounts.models import User

MAX_CHOSEN = 50  # ids a request may carry back as already chosen


@dataclass
class UserChoices:
    """What a picker offers: the chosen users first, then those matching the search."""

    options: list[tuple[int, str, bool]] = field(default_factory=list)  # (user id, name, chosen)
    more: int = 0  # users that match but are not shown: a narrower search finds them
    query: str = ""

    @property
    def chosen(self) -> list[tuple[int, str]]:
        return [(i, name) for i, name, chosen in self.options if chosen]


def clean_query(query: str | None) -> str:
    return (query or "").strip()[:100]


def user_choices(
    session: Session,
    candidates: Iterable[ColumnElement[bool]],
    query: str,
    chosen: Iterable[int],
    limit: int,
    *,
    list_without_query: bool = True,
) -> UserChoices:
    """Users meeting every ``candidates`` condition: the ``chosen`` ones (a chosen id that is not a
    candidate is dropped), then up to ``limit`` whose name or username contains ``query``, by name.
    Without a query: the first ``limit`` candidates, or only the chosen when ``list_without_query`` is
    False. One query, with the number of matches counted by a window."""
    query = clean_query(query)
    chosen = sorted({int(i) for i in chosen if i})[:MAX_CHOSEN]
    if not query and not chosen and not list_without_query:
        return UserChoices()
    is_chosen = User.id.in_(chosen) if chosen else None
    matches = (
        or_(User.full_name.icontains(query, autoescape=True), User.username.icontains(query, autoescape=True))
        if query
        else None
    )
    where = list(candidates)
    if query or not list_without_query:
        where.append(or_(*[c for c in (is_chosen, matches) if c is not None]))
    order = [case((is_chosen, 0), else_=1)] if chosen else []
    rows = session.execute(
        select(User.id, User.full_name, func.count().over())
        .where(*where)
        .order_by(*order, User.full_name, User.id)
        .limit(limit + len(chosen))
    ).all()
    options = [(uid, name, uid in chosen) for uid, name, _total in rows]
    shown = options[: sum(1 for o in options if o[2]) + limit]
    total = rows[0][2] if rows else 0
    return UserChoices(shown, max(0, total - len(shown)), query)
