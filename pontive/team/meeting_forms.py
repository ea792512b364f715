"""Forms of the meetings and discipline pages (DESIGN §2; 002 §15(3)–(5))."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from pontive.core.formats import month_name
from pontive.core.uploads import FileContent
from pontive.team.models import AttendanceStatus, MeetingScope

REQUIRED = _l("Wajib diisi.")

SCOPE_LABELS = {MeetingScope.TEAM.value: "Seluruh tim", MeetingScope.OPD.value: "Satu OPD"}
ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT.value: "Hadir",
    AttendanceStatus.EXCUSED.value: "Izin tertulis",
    AttendanceStatus.ABSENT.value: "Tidak hadir",
}


def _optional_int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MeetingForm(FlaskForm):
    date = DateField(_l("Tanggal"), validators=[DataRequired(REQUIRED)])
    time = TimeField(_l("Pukul"), validators=[DataRequired(REQUIRED)])
    scope = SelectField(
        _l("Lingkup"),
        choices=[SelectChoice(value, label) for value, label in SCOPE_LABELS.items()],
        validate_choice=False,  # the service says who may schedule which scope
    )
    opd_id = SelectField(_l("OPD"), coerce=_optional_int, validate_choice=False)
    place = StringField(_l("Tempat"), validators=[Optional(), Length(max=200)])
    agenda = TextAreaField(_l("Agenda"), validators=[DataRequired(REQUIRED), Length(max=4000)])
    submit = SubmitField(_l("Jadwalkan rapat"))

    def validate_scope(self, field) -> None:
        if field.data not in SCOPE_LABELS:
            raise ValidationError(_l("Lingkup rapat tidak dikenal."))


class AttendanceRowForm(Form):
    """One expected attendee: present, excused with the written letter, or absent."""

    member_id = HiddenField()
    status = RadioField(
        _l("Kehadiran"),
        choices=[SelectChoice(value, label) for value, label in ATTENDANCE_LABELS.items()],
        default=AttendanceStatus.PRESENT.value,
    )
    letter = FileField(_l("Surat izin tertulis"), validators=[FileContent()])
    note = StringField(_l("Catatan"), validators=[Optional(), Length(max=500)])


class AttendanceForm(FlaskForm):
    rows = FieldList(FormField(AttendanceRowForm))
    reason = TextAreaField(_l("Alasan perubahan"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Simpan daftar hadir"))


class CloseMeetingForm(FlaskForm):
    minutes = TextAreaField(_l("Notulensi"), validators=[DataRequired(REQUIRED), Length(max=20000)])
    submit = SubmitField(_l("Tutup rapat"))


# --- discipline (002 §15(3)–(5)) -------------------------------------------------------------------


class WarningForm(FlaskForm):
    breach_key = HiddenField(validators=[DataRequired(REQUIRED), Length(max=40)])
    number = StringField(_l("Nomor surat"), validators=[DataRequired(REQUIRED), Length(max=80)])
    letter_date = DateField(_l("Tanggal surat"), validators=[DataRequired(REQUIRED)])
    submit = SubmitField(_l("Terbitkan surat peringatan"))


class DismissalProposalForm(FlaskForm):
    breach_key = HiddenField(validators=[DataRequired(REQUIRED), Length(max=40)])
    number = StringField(_l("Nomor surat"), validators=[DataRequired(REQUIRED), Length(max=80)])
    letter_date = DateField(_l("Tanggal surat"), validators=[DataRequired(REQUIRED)])
    reason = TextAreaField(_l("Alasan usulan"), validators=[DataRequired(REQUIRED), Length(max=4000)])
    submit = SubmitField(_l("Ajukan usulan pemberhentian"))


class InactivityReasonForm(FlaskForm):
    year = IntegerField(_l("Tahun"), validators=[DataRequired(REQUIRED), NumberRange(min=2000, max=2100)])
    month = SelectField(
        _l("Bulan"),
        coerce=_optional_int,
        choices=[SelectChoice(str(m), month_name(m)) for m in range(1, 13)],
    )
    reason = TextAreaField(_l("Alasan tertulis"), validators=[DataRequired(REQUIRED), Length(max=4000)])
    file = FileField(_l("Lampiran (opsional: surat keterangan, PDF/JPEG/PNG)"), validators=[FileContent()])
    submit = SubmitField(_l("Simpan alasan"))
