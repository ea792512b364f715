"""Forms of the selection's reference data (categories, majors) and of round management."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, StopValidation, ValidationError

from pontive.recruitment.models import (
    AcceptedMajor,
    CategoryGroup,
    CategoryLevel,
    PanelUnit,
    RoundKind,
    RoundStatus,
    SelectionCategory,
    SelectionRound,
)

REQUIRED = _l("Wajib diisi.")
WHOLE_NUMBER = _l("Isi bilangan bulat.")
PERCENT = _l("Isi bilangan bulat 0–100.")
QUOTA = _l("Kuota harus bilangan bulat 0 atau lebih.")
WEIGHTS = "Bobot wawancara dan uji praktik harus berjumlah 100."  # the service's own words
DATES = "Tanggal penutupan tidak boleh sebelum tanggal pembukaan."  # the service's own words

# The words users see for the stored enum values.
GROUP_LABELS = {
    CategoryGroup.SOFTWARE: "Sistem informasi dan perangkat lunak",  # 002 §17.1
    CategoryGroup.NETWORK: "Perangkat dan infrastruktur jaringan",  # 002 §17.2
    CategoryGroup.DATA_CENTER: "Data center",  # 002 §17.3
}
LEVEL_LABELS = {
    CategoryLevel.JUNIOR: "Junior",
    CategoryLevel.SENIOR: "Senior",
    CategoryLevel.FULLSTACK: "Fullstack",
    CategoryLevel.PROFESSIONAL: "Profesional",
}
KIND_LABELS = {RoundKind.TEAM: "Tim Programmer", RoundKind.CONTRACT: "Tenaga Kontrak"}
ROUND_STATUS_LABELS = {
    RoundStatus.DRAFT: "Draf",
    RoundStatus.OPEN: "Pendaftaran dibuka",
    RoundStatus.CLOSED: "Pendaftaran ditutup",
    RoundStatus.ANNOUNCED: "Diumumkan",
}
UNIT_LABELS = {  # 002 §16(1)
    PanelUnit.DISKOMINFO: "Diskominfo",
    PanelUnit.BKPPD: "BKPPD",
    PanelUnit.TEAM: "Tim Programmer",
}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _column_length(column) -> int:
    return column.type.length


class _StopOnParseError:
    """A value that could not be read has its message already: no validator adds a second one."""

    def pre_validate(self, form):  # noqa: ARG002
        if self.process_errors:
            raise StopValidation()


class WholeNumberField(_StopOnParseError, IntegerField):
    """An integer field that says what is wrong in Indonesian; blank gives None."""

    def __init__(self, label=None, validators=None, message=WHOLE_NUMBER, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parse_message = message

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        if not text:
            self.data = None
        elif re.fullmatch(r"-?\d{1,9}", text):
            self.data = int(text)
        else:
            self.data = None
            raise ValueError(str(self.parse_message))


class DayField(_StopOnParseError, DateField):
    """A date (the browser's date input sends yyyy-mm-dd) with an Indonesian message."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = dt.date.fromisoformat(text)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(_l("Isi tanggal yang benar."))) from exc


class LinesField(TextAreaField):
    """A list of strings edited as one per line; blank lines and surrounding spaces dropped."""

    def _value(self) -> str:
        if isinstance(self.data, list | tuple):
            return "\n".join(self.data)
        return self.data or ""

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = [" ".join(line.split()) for line in valuelist[0].splitlines() if line.strip()]

    def process_data(self, value):
        self.data = list(value) if isinstance(value, list | tuple) else []


def _require(form: FlaskForm, *names: str) -> bool:
    """Blank required numbers and dates (DataRequired would refuse a 0)."""
    ok = True
    for name in names:
        field = form[name]
        if field.data is None and not field.errors:
            field.errors.append(REQUIRED)
            ok = False
    return ok


# --- reference data ----------------------------------------------------------------------------


class CategoryForm(FlaskForm):
    code = StringField(
        _l("Kode"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=_column_length(SelectionCategory.code)),
            Regexp(r"^[a-z0-9_]+$", message=_l("Hanya huruf kecil, angka dan garis bawah.")),
        ],
    )
    name = StringField(
        _l("Nama"), validators=[DataRequired(REQUIRED), Length(max=_column_length(SelectionCategory.name))]
    )
    group = SelectField(_l("Kelompok"), choices=_choices(GROUP_LABELS))
    level = SelectField(_l("Jenjang"), choices=_choices(LEVEL_LABELS))
    min_years = WholeNumberField(
        _l("Pengalaman kerja TIK minimal (tahun)"),
        validators=[Optional(), NumberRange(min=0, max=40, message=_l("Isi bilangan bulat 0–40."))],
    )
    certificate_required = BooleanField(_l("Sertifikat keahlian wajib (002 §19)"))
    accepted_certificates = LinesField(_l("Sertifikat yang diterima (satu per baris)"))
    competencies = LinesField(_l("Kompetensi (satu per baris)"))
    outputs = LinesField(_l("Keluaran yang diharapkan (satu per baris)"))
    active = BooleanField(_l("Aktif"), default=True)
    position = WholeNumberField(
        _l("Urutan"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=999, message=_l("Isi bilangan bulat 0–999."))],
    )

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) & _require(self, "min_years")

    def data_for_service(self) -> dict:
        return {
            "code": self.code.data.strip(),
            "name": " ".join(self.name.data.split()),
            "group": CategoryGroup(self.group.data),
            "level": CategoryLevel(self.level.data),
            "min_years": self.min_years.data,
            "certificate_required": bool(self.certificate_required.data),
            "accepted_certificates": list(self.accepted_certificates.data or []),
            "competencies": list(self.competencies.data or []),
            "outputs": list(self.outputs.data or []),
            "active": bool(self.active.data),
            "position": self.position.data or 0,
        }


class MajorForm(FlaskForm):
    name = StringField(
        _l("Nama jurusan"), validators=[DataRequired(REQUIRED), Length(max=_column_length(AcceptedMajor.name))]
    )


# --- rounds ----------------------------------------------------------------------------------


class RoundForm(FlaskForm):
    kind = SelectField(_l("Jenis seleksi"), choices=_choices(KIND_LABELS), default=RoundKind.TEAM.value)
    year = WholeNumberField(
        _l("Tahun"), validators=[Optional(), NumberRange(min=2000, max=2100, message=_l("Tahun 2000–2100."))]
    )
    title = StringField(
        _l("Judul"), validators=[DataRequired(REQUIRED), Length(max=_column_length(SelectionRound.title))]
    )
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=5000)])
    open_date = DayField(_l("Tanggal pembukaan"))
    close_date = DayField(_l("Tanggal penutupan"))
    pass_mark_interview = WholeNumberField(
        _l("Batas lulus wawancara"),
        default=70,
        message=PERCENT,
        validators=[Optional(), NumberRange(0, 100, message=PERCENT)],
    )
    pass_mark_practical = WholeNumberField(
        _l("Batas lulus uji praktik"),
        default=70,
        message=PERCENT,
        validators=[Optional(), NumberRange(0, 100, message=PERCENT)],
    )
    weight_interview = WholeNumberField(
        _l("Bobot wawancara (%)"),
        default=40,
        message=PERCENT,
        validators=[Optional(), NumberRange(0, 100, message=PERCENT)],
    )
    weight_practical = WholeNumberField(
        _l("Bobot uji praktik (%)"),
        default=60,
        message=PERCENT,
        validators=[Optional(), NumberRange(0, 100, message=PERCENT)],
    )
    min_panel_scores = WholeNumberField(
        _l("Jumlah penilai minimal per tahap"),
        default=2,
        validators=[Optional(), NumberRange(1, 20, message=_l("Isi bilangan bulat 1–20."))],
    )
    # contract rounds (000 §10)
    position = StringField(_l("Posisi"), validators=[Optional(), Length(max=_column_length(SelectionRound.position))])
    contract_quota = WholeNumberField(
        _l("Kuota tenaga kontrak"), default=1, message=QUOTA, validators=[Optional(), NumberRange(min=0, message=QUOTA)]
    )
    local_city = StringField(
        _l("Kota setempat (KTP diutamakan)"),
        validators=[Optional(), Length(max=_column_length(SelectionRound.local_city))],
    )

    quota_prefix = "quota_"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid &= _require(
            self,
            "year",
            "open_date",
            "close_date",
            "pass_mark_interview",
            "pass_mark_practical",
            "weight_interview",
            "weight_practical",
            "min_panel_scores",
        )
        if self.weight_interview.data is not None and self.weight_practical.data is not None:
            if self.weight_interview.data + self.weight_practical.data != 100:
                self.weight_practical.errors.append(WEIGHTS)
                valid = False
        if self.open_date.data and self.close_date.data and self.close_date.data < self.open_date.data:
            self.close_date.errors.append(DATES)
            valid = False
        if self.is_contract:
            for name in ("position", "local_city"):
                if not (self[name].data or "").strip():
                    self[name].errors.append(_l("Wajib diisi untuk seleksi tenaga kontrak."))
                    valid = False
            valid &= _require(self, "contract_quota")
            if self.contract_quota.data == 0 and not self.contract_quota.errors:
                self.contract_quota.errors.append(_l("Kuota tenaga kontrak minimal 1."))
                valid = False
        return valid

    @property
    def is_contract(self) -> bool:
        return self.kind.data == RoundKind.CONTRACT.value

    def quota_fields(self) -> list:
        return [f for f in self if f.name.startswith(self.quota_prefix)]

    def quotas(self) -> dict[int, int]:
        return {int(f.name.removeprefix(self.quota_prefix)): f.data or 0 for f in self.quota_fields()}

    def data_for_service(self) -> dict:
        contract = self.is_contract
        return {
            "kind": RoundKind(self.kind.data),
            "year": self.year.data,
            "title": " ".join(self.title.data.split()),
            "description": (self.description.data or "").strip(),
            "open_date": self.open_date.data,
            "close_date": self.close_date.data,
            "pass_mark_interview": self.pass_mark_interview.data,
            "pass_mark_practical": self.pass_mark_practical.data,
            "weight_interview": self.weight_interview.data,
            "weight_practical": self.weight_practical.data,
            "min_panel_scores": self.min_panel_scores.data,
            "position": self.position.data.strip() if contract else "",
            "contract_quota": (self.contract_quota.data or 0) if contract else 0,
            "local_city": " ".join((self.local_city.data or "").split()) if contract else "",
        }


def round_form_class(categories: Iterable[SelectionCategory]) -> type[RoundForm]:
    """RoundForm with one quota field per category (team rounds): ``quota_<category id>``."""

    class RoundFormWithQuotas(RoundForm):
        pass

    for category in categories:
        setattr(
            RoundFormWithQuotas,
            f"{RoundForm.quota_prefix}{category.id}",
            WholeNumberField(
                category.name, default=0, message=QUOTA, validators=[Optional(), NumberRange(min=0, message=QUOTA)]
            ),
        )
    return RoundFormWithQuotas


class PanelMemberForm(FlaskForm):
    # Any id may be posted; the view offers only panel-role users and the service refuses the others.
    user_id = SelectField(
        _l("Anggota tim seleksi"), coerce=lambda v: int(v) if str(v).isdigit() else None, validate_choice=False
    )
    unit = SelectField(_l("Unsur"), choices=_choices(UNIT_LABELS))

    def validate_user_id(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Pilih anggota tim seleksi."))
