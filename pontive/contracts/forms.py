"""Forms of the PPK's, the PPTK's and the admin's contract pages (seed 000). Labels are Indonesian
source strings for Babel; the contract rules themselves live in ``contracts.rules`` and the services."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from pontive.contracts import rules

REQUIRED = _l("Wajib diisi.")
DATE_REQUIRED = _l("Isi tanggal yang benar.")

# "15.250.000", "Rp 15.250.000", "Rp. 15.250.000,-", "15250000" — whole rupiah (000 §5C).
_RUPIAH = re.compile(r"^(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,-|,00)?$", re.IGNORECASE)


def parse_rupiah(text: str | Decimal | None) -> Decimal | None:
    """The amount written in ``text``, or None when it is not an amount in whole rupiah. (An edit form
    holds the saved Decimal for an amount the request left out.)"""
    match = _RUPIAH.match(str(text if text is not None else "").strip())
    if not match:
        return None
    return Decimal(match.group(1).replace(".", ""))


def _rupiah(form, field) -> None:  # noqa: ARG001
    if parse_rupiah(field.data) is None:
        raise ValidationError(_l("Tulis jumlah dalam rupiah, misalnya 15.250.000 atau Rp 15.250.000."))


def _optional_id(value) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _one_of_the_choices(form, field) -> None:  # noqa: ARG001
    if field.data is None:
        return
    if str(field.data) not in {str(c.value) for c in field.choices or []}:
        raise ValidationError(_l("Pilih salah satu dari daftar."))


class ContractForm(FlaskForm):
    """A contract (SPK) with its value and pay components (000 §4, §5, §6B, §9)."""

    worker_id = SelectField(
        _l("Tenaga kontrak"),
        coerce=_optional_id,
        validate_choice=False,
        validators=[InputRequired(_l("Pilih tenaga kontrak.")), _one_of_the_choices],
    )
    position = StringField(_l("Jabatan/pekerjaan"), validators=[DataRequired(REQUIRED), Length(max=200)])
    spk_number = StringField(_l("Nomor SPK"), validators=[DataRequired(REQUIRED), Length(max=80)])
    start_date = DateField(_l("Tanggal mulai"), validators=[DataRequired(DATE_REQUIRED)])
    end_date = DateField(_l("Tanggal berakhir"), validators=[DataRequired(DATE_REQUIRED)])
    budget_year = IntegerField(
        _l("Tahun anggaran"),
        validators=[InputRequired(REQUIRED), NumberRange(2000, 2100, _l("Tahun anggaran tidak wajar."))],
    )
    budget_source = StringField(
        _l("Sumber dana"), validators=[DataRequired(REQUIRED), Length(max=120)], default="APBD Kota"
    )
    total_value = StringField(_l("Nilai kontrak"), validators=[DataRequired(REQUIRED), _rupiah])
    wage = StringField(_l("Upah kerja"), validators=[DataRequired(REQUIRED), _rupiah])
    bpjs_health = StringField(_l("BPJS Kesehatan"), validators=[DataRequired(REQUIRED), _rupiah], default="0")
    bpjs_employment = StringField(_l("BPJS Ketenagakerjaan"), validators=[DataRequired(REQUIRED), _rupiah], default="0")
    pa_kpa = StringField(_l("PA/KPA"), validators=[Optional(), Length(max=160)])
    ppk_id = SelectField(_l("PPK"), coerce=_optional_id, validate_choice=False, validators=[_one_of_the_choices])
    pptk_id = SelectField(_l("PPTK"), coerce=_optional_id, validate_choice=False, validators=[_one_of_the_choices])
    work_location = StringField(_l("Lokasi pekerjaan"), validators=[Optional(), Length(max=200)])
    leave_quota = IntegerField(
        _l("Kuota cuti (hari kerja per tahun)"),
        default=rules.ANNUAL_QUOTA,
        validators=[InputRequired(REQUIRED), NumberRange(0, 366, _l("Kuota cuti tidak wajar."))],
    )

    MONEY = ("total_value", "wage", "bpjs_health", "bpjs_employment")

    def fill_from(self, contract) -> None:
        """Show a saved contract's amounts the way people write them: 15.250.000."""
        for name in self.MONEY:
            getattr(self, name).data = f"{int(getattr(contract, name)):,}".replace(",", ".")

    def data_for_service(self) -> dict:
        data = {
            "worker_id": self.worker_id.data,
            "position": self.position.data.strip(),
            "spk_number": self.spk_number.data.strip(),
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "budget_year": self.budget_year.data,
            "budget_source": self.budget_source.data.strip(),
            "pa_kpa": (self.pa_kpa.data or "").strip(),
            "ppk_id": self.ppk_id.data,
            "pptk_id": self.pptk_id.data,
            "work_location": (self.work_location.data or "").strip(),
            "leave_quota": self.leave_quota.data,
        }
        for name in self.MONEY:
            data[name] = parse_rupiah(getattr(self, name).data)
        return data


_DUTY_LINE = re.compile(r"^\s*([A-Za-z0-9]{1,5})\s*[.)]\s*(.+?)\s*$")


def parse_duty_lines(text: str) -> list[tuple[str, str]]:
    """One duty per line, "a. Mengelola …" (000 §6A); a line without a code takes the next letter."""
    duties: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _DUTY_LINE.match(line)
        if match:
            code, body = match.group(1).lower(), match.group(2)
        else:
            code, body = _next_code(duties), line.strip()
        duties.append((code, body))
    return duties


def _next_code(duties: list[tuple[str, str]]) -> str:
    if not duties:
        return "a"
    last = duties[-1][0]
    if len(last) == 1 and "a" <= last < "z":
        return chr(ord(last) + 1)
    return str(len(duties) + 1)


def duty_lines(duties) -> str:
    return "\n".join(f"{d.code}. {d.text}" for d in duties)


class DutiesForm(FlaskForm):
    lines = TextAreaField(
        _l("Uraian tugas, satu per baris (misalnya “a. Mengelola repository Pemerintah Kota”)"),
        validators=[DataRequired(_l("Kontrak memerlukan minimal satu uraian tugas.")), Length(max=20_000)],
        render_kw={"rows": 18},
    )


APPROVE, REJECT = "approve", "reject"


class LeaveDecisionForm(FlaskForm):
    """The PPK approves, or rejects with a reason (000 §7d; issue 6 §3)."""

    decision = RadioField(
        _l("Keputusan"),
        choices=[SelectChoice(APPROVE, _l("Setujui")), SelectChoice(REJECT, _l("Tolak"))],
        validators=[InputRequired(_l("Pilih setujui atau tolak."))],
    )
    reason = TextAreaField(_l("Alasan (wajib bila ditolak)"), validators=[Optional(), Length(max=2000)])

    def validate_reason(self, field) -> None:
        if self.decision.data == REJECT and not (field.data or "").strip():
            raise ValidationError(_l("Tuliskan alasan penolakan."))


GOOD, BAD = "baik", "buruk"


class AssessmentForm(FlaskForm):
    """The three elements of 000 §11, each good or bad with a note."""

    discipline = RadioField(
        _l(rules.ASSESSMENT_ELEMENTS[0][1]),
        choices=[SelectChoice(GOOD, _l("Baik")), SelectChoice(BAD, _l("Buruk"))],
        validators=[InputRequired(_l("Pilih baik atau buruk."))],
    )
    discipline_note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])
    responsibility = RadioField(
        _l(rules.ASSESSMENT_ELEMENTS[1][1]),
        choices=[SelectChoice(GOOD, _l("Baik")), SelectChoice(BAD, _l("Buruk"))],
        validators=[InputRequired(_l("Pilih baik atau buruk."))],
    )
    responsibility_note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])
    compliance = RadioField(
        _l(rules.ASSESSMENT_ELEMENTS[2][1]),
        choices=[SelectChoice(GOOD, _l("Baik")), SelectChoice(BAD, _l("Buruk"))],
        validators=[InputRequired(_l("Pilih baik atau buruk."))],
    )
    compliance_note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])

    def elements(self):
        """(radio field, note field) per element, in the order of 000 §11."""
        return [(getattr(self, key), getattr(self, f"{key}_note")) for key, _label in rules.ASSESSMENT_ELEMENTS]

    def values(self) -> dict[str, bool]:
        return {key: getattr(self, key).data == GOOD for key, _label in rules.ASSESSMENT_ELEMENTS}

    def notes(self) -> dict[str, str]:
        return {key: getattr(self, f"{key}_note").data or "" for key, _label in rules.ASSESSMENT_ELEMENTS}


class EvaluationForm(FlaskForm):
    """The end-of-contract evaluation by the PPTK with the PPK (000 §11)."""

    recommendation = SelectField(
        _l("Rekomendasi untuk tahun berikutnya"),
        choices=[SelectChoice(key, _l(label)) for key, label in rules.RECOMMENDATIONS.items()],
    )
    summary = TextAreaField(
        _l("Ringkasan evaluasi"),
        validators=[DataRequired(_l("Tuliskan ringkasan evaluasi.")), Length(max=5000)],
        render_kw={"rows": 5},
    )


ACCEPT, RETURN = "accept", "return"


class ReportReviewForm(FlaskForm):
    """The PPK accepts a monthly activity report or returns it, always with feedback (000 §6A m)."""

    decision = RadioField(
        _l("Keputusan"),
        choices=[
            SelectChoice(ACCEPT, _l("Terima (validasi)")),
            SelectChoice(RETURN, _l("Kembalikan untuk diperbaiki")),
        ],
        validators=[InputRequired(_l("Pilih terima atau kembalikan."))],
    )
    feedback = TextAreaField(
        _l("Umpan balik"), validators=[DataRequired(_l("Tuliskan umpan balik.")), Length(max=5000)]
    )
