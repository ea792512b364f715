"""A registry of dashboard cards. Each area registers its cards; the dashboard shows a user
the cards of the roles they hold, grouped by role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pontive.accounts.roles import Role


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    template: str
    roles: frozenset[Role] = field(default_factory=frozenset)  # empty: every signed-in user
    context: Callable[[Any], dict[str, Any]] | None = None
    order: int = 100


_CARDS: dict[str, Card] = {}


def register(card: Card) -> None:
    _CARDS[card.key] = card


def cards_for(user: Any) -> tuple[list[Card], dict[Role, list[Card]]]:
    """The cards every user sees, and per role the user holds, that role's cards."""
    everyone = sorted((c for c in _CARDS.values() if not c.roles), key=lambda c: c.order)
    by_role: dict[Role, list[Card]] = {}
    for role in sorted(user.roles, key=lambda r: list(Role).index(r)):
        cards = sorted((c for c in _CARDS.values() if role in c.roles), key=lambda c: c.order)
        by_role[role] = cards
    return everyone, by_role
