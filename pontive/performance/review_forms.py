"""Forms of the review side: the koordinator's return/validate with feedback, the sekretaris's
unlock, plan approval, the yearly evaluation, the ketua's final report and the settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pontive.performance import rules

REQUIRED = _l("Wajib diisi.")
RATING_CHOICES = [SelectChoice(key, label) for key, label in rules.RATINGS.items()]


class FeedbackForm(FlaskForm):
    """Return or validate a monthly report: the feedback is required either way (004 "umpan balik");
    the service says so, the form only limits the length."""

    feedback = TextAreaField(_l("Umpan balik"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Kirim"))


class UnlockForm(FlaskForm):
    reason = TextAreaField(_l("Alasan membuka kunci"), validators=[Length(max=2000)])
    submit = SubmitField(_l("Buka kunci bulan ini"))


class PlanDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Keputusan"),
        choices=[SelectChoice("approve", _l("Setujui")), SelectChoice("return", _l("Kembalikan untuk diperbaiki"))],
        default="approve",
        validators=[InputRequired(REQUIRED)],
    )
    feedback = TextAreaField(_l("Umpan balik"), validators=[Length(max=4000)])
    submit = SubmitField(_l("Simpan keputusan"))


class EvaluationForm(FlaskForm):
    """Results and behaviour rated above / as / below expectation; one field per BerAKHLAK value
    (added below), and the predikat follows the matrix (DESIGN §3)."""

    results_rating = RadioField(_l("Hasil kerja"), choices=RATING_CHOICES, validators=[InputRequired(REQUIRED)])
    behaviour_rating = RadioField(
        _l("Perilaku kerja (keseluruhan)"), choices=RATING_CHOICES, validators=[InputRequired(REQUIRED)]
    )
    notes = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Simpan penilaian"))

    def behaviour_fields(self) -> list:
        return [self[key] for key, _label in rules.BERAKHLAK]

    def behaviour_data(self) -> dict[str, str]:
        return {key: self[key].data for key, _label in rules.BERAKHLAK}


for _key, _label in rules.BERAKHLAK:
    setattr(
        EvaluationForm,
        _key,
        RadioField(_label, choices=RATING_CHOICES, validators=[InputRequired(REQUIRED)]),
    )


class FinalReportForm(FlaskForm):
    number = StringField(_l("Nomor surat"), validators=[DataRequired(REQUIRED), Length(max=80)])
    letter_date = DateField(_l("Tanggal surat"), validators=[DataRequired(REQUIRED)])
    summary = TextAreaField(_l("Ringkasan laporan akhir"), validators=[Optional(), Length(max=8000)])
    submit = SubmitField(_l("Kirim laporan akhir ke Pembina"))


class SettingsForm(FlaskForm):
    """The cap, the due day and a maximum share per predikat (blank: no quota)."""

    achievement_cap = DecimalField(
        _l("Batas capaian (%)"),
        places=2,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=100, max=200, message=_l("Batas capaian harus antara 100 %% dan 200 %%.")),
        ],
    )
    due_day = IntegerField(
        _l("Batas laporan: tanggal pada bulan berikutnya"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=1, max=28, message=_l("Tanggal batas laporan harus 1–28.")),
        ],
    )
    submit = SubmitField(_l("Simpan pengaturan"))

    def quota_fields(self) -> list[tuple[str, object]]:
        return [(name, self[quota_field_name(name)]) for name in rules.PREDIKATS]


def quota_field_name(predikat: str) -> str:
    return "quota_" + "".join(c if c.isalnum() else "_" for c in predikat.lower())


for _name in rules.PREDIKATS:
    setattr(
        SettingsForm,
        quota_field_name(_name),
        DecimalField(
            _l("Kuota %(name)s (maks. %%)", name=_name),
            places=2,
            validators=[Optional(), NumberRange(min=0, max=100, message=_l("Kuota predikat harus 0–100 %%."))],
        ),
    )
