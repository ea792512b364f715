"""Forms of the shared settings: the letterhead and the holiday calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pontive.core.models import Letterhead
from pontive.core.services import HOLIDAY_KINDS, LETTERHEAD_FIELDS, LOGO_KINDS
from pontive.core.uploads import FileContent

REQUIRED = _l("Wajib diisi.")


def _max(column) -> int:
    return column.type.length


class LetterheadForm(FlaskForm):
    government = StringField(
        _l("Pemerintah daerah"), validators=[DataRequired(REQUIRED), Length(max=_max(Letterhead.government))]
    )
    agency = StringField(
        _l("Perangkat daerah"), validators=[DataRequired(REQUIRED), Length(max=_max(Letterhead.agency))]
    )
    address = TextAreaField(_l("Alamat"), validators=[DataRequired(REQUIRED), Length(max=500)])
    city = StringField(_l("Kota"), validators=[DataRequired(REQUIRED), Length(max=_max(Letterhead.city))])
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=_max(Letterhead.phone))])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=_max(Letterhead.email))])
    website = StringField(_l("Situs web"), validators=[Optional(), Length(max=_max(Letterhead.website))])
    logo = FileField(_l("Logo (PNG atau JPEG)"), validators=[Optional(), FileContent(LOGO_KINDS)])
    remove_logo = BooleanField(_l("Hapus logo"))

    def data_for_service(self) -> dict:
        data = {name: getattr(self, name).data for name in LETTERHEAD_FIELDS}
        data["remove_logo"] = bool(self.remove_logo.data)
        return data


class HolidayForm(FlaskForm):
    date = DateField(_l("Tanggal"), validators=[DataRequired(_l("Isi tanggal yang benar."))])
    kind = SelectField(_l("Jenis"), choices=[SelectChoice(k, _l(label)) for k, label in HOLIDAY_KINDS.items()])
    name = StringField(_l("Keterangan"), validators=[DataRequired(REQUIRED), Length(max=160)])


class ButtonForm(FlaskForm):
    """Only the CSRF token, for buttons that post."""
