"""The signed-in user's personal API tokens (issue 7 §5): list, create (the token is shown once),
revoke. Only the hash is stored; the page never shows more than a token's prefix afterwards."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from pontive.accounts import tokens
from pontive.accounts.forms import EmptyForm
from pontive.accounts.models import ApiToken
from pontive.api.forms import TokenForm
from pontive.core.htmx import render
from pontive.core.permissions import login_required
from pontive.extensions import db

tokens_bp = Blueprint("tokens", __name__)


def _own_tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == current_user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def _get_own_token_or_404(token_id: int) -> ApiToken:
    """Someone else's token is not found, exactly like one that does not exist."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    return token


@tokens_bp.route("/akun/token", methods=["GET", "POST"])
@login_required
def index():
    form = TokenForm()
    created = plain = None
    if form.validate_on_submit():
        try:
            created, plain = tokens.create_token(db.session, current_user._get_current_object(), form.name.data)
        except tokens.TokenError as exc:
            form.name.errors.append(str(exc))
        else:
            form = TokenForm(formdata=None)
    status = 422 if form.errors else 200
    response = render(
        "api/tokens.html", form=form, tokens=_own_tokens(), created=created, plain=plain, revoke_form=EmptyForm()
    )
    return response, status, {"Cache-Control": "no-store"}


@tokens_bp.route("/akun/token/<int:token_id>/cabut", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = _get_own_token_or_404(token_id)  # the CSRF token is checked for every POST by CSRFProtect
    tokens.revoke_token(db.session, current_user._get_current_object(), token)
    flash(_("Token “%(name)s” dicabut; aplikasi yang memakainya tidak dapat masuk lagi.", name=token.name), "success")
    return redirect(url_for("tokens.index"))
