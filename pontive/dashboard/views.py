"""The dashboard: a frame per role holding the cards the areas register."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from pontive.accounts.roles import ROLE_LABELS
from pontive.core.htmx import render
from pontive.core.permissions import login_required
from pontive.dashboard import cards

bp = Blueprint("dashboard", __name__)

cards.register(cards.Card(key="account", title="Akun saya", template="dashboard/_card_account.html", order=0))


@bp.route("/dasbor")
@login_required
def index():
    user = current_user._get_current_object()
    everyone, by_role = cards.cards_for(user)
    contexts = {}
    for card in everyone + [c for role_cards in by_role.values() for c in role_cards]:
        if card.context and card.key not in contexts:
            contexts[card.key] = card.context(user)
    return render(
        "dashboard/index.html",
        user=user,
        common_cards=everyone,
        role_cards=by_role,
        contexts=contexts,
        role_labels=ROLE_LABELS,
    )
