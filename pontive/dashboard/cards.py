"""A registry of dashboard cards. Each area registers its cards; the dashboard shows a user
the cards of the roles they hold, grouped by role.

An area registers a card by decorating the function that computes the card's context::

    @cards.card(key="team_flags", title="Peringatan disiplin", template="team/_card_flags.html",
                roles={Role.KOORDINATOR}, order=21)
    def flags_context(user): ...

A card is rendered in the page, unless it is registered with ``lazy=True`` — a card that reads
much, so that the page is shown at once and stays within its query budget: the dashboard then
shows the card's frame and the browser fetches its body from /dasbor/kartu/<key> (its own request,
with its own queries), or the user opens that address without JavaScript."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pontive.accounts.roles import Role

Context = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    template: str
    roles: frozenset[Role] = field(default_factory=frozenset)  # empty: every signed-in user
    context: Context | None = None
    order: int = 100
    lazy: bool = False  # True: the card loads its body in its own request

    @property
    def loads_itself(self) -> bool:
        return self.lazy and self.context is not None

    def visible_to(self, user: Any) -> bool:
        return not self.roles or any(role in self.roles for role in user.roles)


_CARDS: dict[str, Card] = {}


def register(card: Card) -> None:
    _CARDS[card.key] = card


def card(
    *,
    key: str,
    title: str,
    template: str,
    roles: Iterable[Role] = (),
    order: int = 100,
    lazy: bool = False,
) -> Callable[[Context], Context]:
    """Register the decorated function as the context of a dashboard card."""

    def decorate(context: Context) -> Context:
        register(
            Card(
                key=key,
                title=title,
                template=template,
                roles=frozenset(roles),
                context=context,
                order=order,
                lazy=lazy,
            )
        )
        return context

    return decorate


def get(key: str) -> Card | None:
    return _CARDS.get(key)


def cards_for(user: Any) -> tuple[list[Card], dict[Role, list[Card]]]:
    """The cards every user sees, and per role the user holds, that role's cards."""
    everyone = sorted((c for c in _CARDS.values() if not c.roles), key=lambda c: c.order)
    by_role: dict[Role, list[Card]] = {}
    for role in sorted(user.roles, key=lambda r: list(Role).index(r)):
        cards = sorted((c for c in _CARDS.values() if role in c.roles), key=lambda c: c.order)
        by_role[role] = cards
    return everyone, by_role
