"""Forms of the contract worker's own pages: a leave request, a monthly activity entry with its
evidence, and the report's submission (seed 000 §6A m, §7d). Labels are Indonesian source strings
for Babel; the leave rules themselves live in ``contracts.rules`` and are applied by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp
from wtforms.widgets import HiddenInput

from pontive.contracts import rules
from pontive.core.uploads import FileContent

REQUIRED = _l("Wajib diisi.")
DATE_REQUIRED = _l("Isi tanggal yang benar.")


class LeaveRequestForm(FlaskForm):
    """A leave request. The wire names (jenis, mulai, selesai) are those of the preview's query, so
    the same fields feed both the htmx preview and the request itself."""

    kind = SelectField(
        _l("Jenis cuti"),
        name="jenis",
        choices=[SelectChoice(key, _l(label)) for key, label in rules.LEAVE_KINDS.items()],
        validators=[InputRequired(_l("Pilih jenis cuti."))],
    )
    start = DateField(_l("Tanggal mulai"), name="mulai", validators=[DataRequired(DATE_REQUIRED)])
    end = DateField(_l("Tanggal selesai"), name="selesai", validators=[DataRequired(DATE_REQUIRED)])
    reason = TextAreaField(
        _l("Alasan atau keterangan"), name="alasan", validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )
    # A fresh token per form shown: the same form posted twice makes one request (issue 6 §3).
    client_token = HiddenField(validators=[Optional(), Regexp(r"^[0-9a-f]{16,64}$")])


def _optional_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ActivityForm(FlaskForm):
    """One activity of the month against one of the contract's duties, with its evidence (000 §6A m)."""

    # The service checks that the duty is one of this contract's (a stale choice gets its message).
    duty_id = SelectField(
        _l("Uraian tugas"),
        coerce=_optional_int,
        validate_choice=False,
        validators=[InputRequired(_l("Pilih uraian tugas."))],
    )
    activity = TextAreaField(
        _l("Kegiatan yang dilakukan"),
        validators=[DataRequired(REQUIRED), Length(max=5000)],
        render_kw={"rows": 3},
    )
    evidence = FileField(_l("Bukti dukung (PDF, JPEG atau PNG; foto dari kamera boleh)"), validators=[FileContent()])


class RemoveActivityForm(FlaskForm):
    """Takes one entry off a month still editable; the entry travels in the body, not the URL."""

    entry_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class SubmitReportForm(FlaskForm):
    summary = TextAreaField(
        _l("Ringkasan kegiatan bulan ini"),
        validators=[DataRequired(REQUIRED), Length(max=10000)],
        render_kw={"rows": 4},
    )
