"""The form of the token page: a name, so the owner recognises each token later."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from pontive.accounts.models import ApiToken


class TokenForm(FlaskForm):
    name = StringField(
        _l("Nama token"),
        validators=[
            DataRequired(_l("Beri nama token, misalnya “Integrasi e-Kinerja”.")),
            Length(max=ApiToken.name.type.length),
            Regexp(r"^[^\x00-\x1f\x7f]*\Z", message=_l("Nama token tidak boleh berisi karakter kendali.")),
        ],
    )
    submit = SubmitField(_l("Buat token"))
