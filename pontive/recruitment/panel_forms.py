"""Forms of the selection panel and the ketua: the administrative decision, scores, call letters,
the announcement and the appointment. Labels are Indonesian source strings for Babel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

REQUIRED = _l("Wajib diisi.")
DATE_REQUIRED = _l("Isi tanggal yang benar.")

PASS, FAIL = "lulus", "gagal"


class AdminDecisionForm(FlaskForm):
    """Confirm the system's administrative check, or override it with a written reason (002 §16(3)b)."""

    decision = RadioField(
        _l("Keputusan"),
        choices=[
            SelectChoice(PASS, _l("Memenuhi persyaratan administratif")),
            SelectChoice(FAIL, _l("Tidak memenuhi persyaratan administratif")),
        ],
        validators=[InputRequired(_l("Pilih keputusan."))],
    )
    reason = TextAreaField(
        _l("Alasan (wajib bila berbeda dari hasil pemeriksaan sistem)"), validators=[Optional(), Length(max=2000)]
    )

    @property
    def passed(self) -> bool:
        return self.decision.data == PASS


class ScoreForm(FlaskForm):
    """One panel member's score for one stage; the range is checked by the selection rules."""

    score = StringField(
        _l("Nilai (0–100)"),
        widget=NumberInput(min=0, max=100, step=1),
        validators=[DataRequired(REQUIRED)],
    )
    notes = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


WHOM_ALL, WHOM_CHECKED = "semua", "dicentang"


class CallLetterForm(FlaskForm):
    """Call letters to the applications waiting for one (002 §16(3)b–c). Rendered with the letter
    kind as prefix, so the interview and practical-test forms can share a page."""

    number_prefix = StringField(
        _l("Awalan nomor surat"), validators=[DataRequired(REQUIRED), Length(max=60)], default="800/PANSEL"
    )
    letter_date = DateField(_l("Tanggal surat"), validators=[DataRequired(DATE_REQUIRED)])
    event_date = DateField(_l("Tanggal pelaksanaan"), validators=[DataRequired(DATE_REQUIRED)])
    event_time = TimeField(_l("Pukul"), validators=[DataRequired(_l("Isi jam yang benar."))])
    place = StringField(_l("Tempat"), validators=[DataRequired(REQUIRED), Length(max=200)])
    whom = RadioField(
        _l("Kirim kepada"),
        choices=[
            SelectChoice(WHOM_ALL, _l("Semua yang menunggu")),
            SelectChoice(WHOM_CHECKED, _l("Hanya pelamar yang dicentang")),
        ],
        default=WHOM_ALL,
    )
    application_ids = SelectMultipleField(
        _l("Pelamar"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


class AnnouncementForm(FlaskForm):
    """The ketua's announcement letter (002 §16(4))."""

    number = StringField(_l("Nomor surat pengumuman"), validators=[DataRequired(REQUIRED), Length(max=80)])
    letter_date = DateField(_l("Tanggal surat"), validators=[DataRequired(DATE_REQUIRED)])


class AppointmentForm(FlaskForm):
    """The Wali Kota's decree for one selected applicant (002 §4(1), §15(1)); prefixed per application."""

    decree_number = StringField(_l("Nomor keputusan Wali Kota"), validators=[DataRequired(REQUIRED), Length(max=80)])
    decree_date = DateField(_l("Tanggal keputusan"), validators=[DataRequired(DATE_REQUIRED)])
    placement_opd_id = SelectField(
        _l("Penempatan (Perangkat Daerah)"), coerce=lambda v: int(v) if v else None, validate_choice=False
    )
