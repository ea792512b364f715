"""The dashboard: a frame per role holding the cards the areas register.

A card with a context loads itself: the page shows its frame with a link, and htmx replaces the link
with the card's body from /dasbor/kartu/<key> as soon as the page is shown. Each card is then its own
request with its own few queries, and a slow card does not hold the page back. Without JavaScript,
the link opens the card on a page of its own. ``DASHBOARD_LAZY_CARDS = False`` renders every card
in the page instead (the default under TESTING, where the areas' tests read their cards in /dasbor)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app
from flask_login import current_user

from pontive.accounts.roles import ROLE_LABELS
from pontive.core.htmx import render, wants_fragment
from pontive.core.permissions import login_required
from pontive.dashboard import cards

bp = Blueprint("dashboard", __name__)

cards.register(cards.Card(key="account", title="Akun saya", template="dashboard/_card_account.html", order=0))


def lazy_cards() -> bool:
    return bool(current_app.config.get("DASHBOARD_LAZY_CARDS", not current_app.testing))


@bp.route("/dasbor")
@login_required
def index():
    user = current_user._get_current_object()
    everyone, by_role = cards.cards_for(user)
    lazy = lazy_cards()
    contexts: dict[str, dict[str, Any]] = {}
    for card in everyone + [c for role_cards in by_role.values() for c in role_cards]:
        if card.context and card.key not in contexts and not (lazy and card.loads_itself):
            contexts[card.key] = card.context(user)
    return render(
        "dashboard/index.html",
        user=user,
        common_cards=everyone,
        role_cards=by_role,
        contexts=contexts,
        role_labels=ROLE_LABELS,
    )


@bp.route("/dasbor/kartu/<key>")
@login_required
def card(key: str):
    """One card's body for htmx, or the card on a page of its own (the link without JavaScript).
    A card of a role the user does not hold does not exist for them."""
    user = current_user._get_current_object()
    found = cards.get(key)
    if found is None or not found.visible_to(user):
        abort(404)
    context = {
        "user": user,
        "card": found,
        "ctx": found.context(user) if found.context else {},
        "role_labels": ROLE_LABELS,
    }
    if wants_fragment():
        return render("dashboard/_card_body.html", **context)
    return render("dashboard/card.html", **context)
