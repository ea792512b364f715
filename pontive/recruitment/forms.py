"""Applicant forms: registration, the application's data, its documents, withdrawal and the
competency form. Every field of an application is optional here: a draft may be saved half
filled; completeness is checked when it is submitted (services.missing_for_submission)."""

from __future__ import annotations

import decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import TextInput

from pontive.accounts import rules as account_rules
from pontive.core.uploads import FileContent
from pontive.recruitment.rules import npwp_digits

REQUIRED = _l("Wajib diisi.")
YES_NO = [SelectChoice("ya", _l("Ya")), SelectChoice("tidak", _l("Tidak"))]
DEGREES = [
    SelectChoice("", _l("— pilih —")),
    SelectChoice("S1", "S1"),
    SelectChoice("D4", "D4"),
    SelectChoice("S2", "S2"),
    SelectChoice("S3", "S3"),
    SelectChoice("D3", "D3"),
    SelectChoice("SMA", _l("SMA/SMK")),
]
ACCREDITATIONS = [
    SelectChoice("", _l("— pilih —")),
    SelectChoice("Unggul", "Unggul"),
    SelectChoice("Baik Sekali", "Baik Sekali"),
    SelectChoice("Baik", "Baik"),
    SelectChoice("A", "A"),
    SelectChoice("B", "B"),
    SelectChoice("C", "C"),
    SelectChoice("Belum terakreditasi", _l("Belum terakreditasi")),
]


def optional_id(value):
    """A select's value as an id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    return int(value)


def yes_no(value: bool | None) -> str | None:
    return None if value is None else ("ya" if value else "tidak")


def from_yes_no(value: str | None) -> bool | None:
    return {"ya": True, "tidak": False}.get(value or "")


class LocalDecimalField(DecimalField):
    """A decimal typed the Indonesian way ("2,75") or the other ("2.75"), shown with a comma.
    A text input with a decimal keypad: a number input would drop a comma on some phones."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = decimal.Decimal(valuelist[0].strip().replace(",", "."))
        except (decimal.InvalidOperation, ValueError) as exc:
            self.data = None
            raise ValueError(_l("Isi dengan angka, misalnya 3,5.")) from exc
        if not self.data.is_finite():
            self.data = None
            raise ValueError(_l("Isi dengan angka, misalnya 3,5."))

    def _value(self):
        return super()._value().replace(".", ",")


def _nik_rule(form, field) -> None:  # noqa: ARG001
    problem = account_rules.nik_problem((field.data or "").strip())
    if problem:
        raise ValidationError(problem)


def _password_rule(form, field) -> None:
    problem = account_rules.password_problem(field.data or "", username=(form.username.data or "").strip())
    if problem:
        raise ValidationError(problem)


class RegistrationForm(FlaskForm):
    full_name = StringField(_l("Nama lengkap"), validators=[DataRequired(REQUIRED), Length(max=120)])
    nik = StringField(
        _l("NIK (16 digit, sesuai KTP)"),
        validators=[DataRequired(REQUIRED), _nik_rule],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 16},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=120),
            Email(message=_l("Alamat e-mail tidak valid."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )
    phone = TelField(
        _l("Nomor HP"),
        validators=[
            Optional(),
            Length(max=30),
            Regexp(r"^[0-9+() .-]+$", message=_l("Hanya angka, spasi, dan tanda + ( ) - .")),
        ],
        render_kw={"autocomplete": "tel"},
    )
    home_opd_id = SelectField(
        _l("Perangkat Daerah asal (bagi pegawai Non ASN Pemerintah Kota)"),
        coerce=optional_id,
        validators=[Optional()],
        invalid_choice_message=_l("Pilih Perangkat Daerah dari daftar."),
    )
    username = StringField(
        _l("Nama pengguna"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=3, max=60),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Hanya huruf, angka, titik, garis bawah dan tanda hubung.")),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[DataRequired(REQUIRED), _password_rule],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("Kedua kata sandi tidak sama."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Daftar"))

    def data_for_service(self) -> dict:
        return {
            "username": self.username.data.strip(),
            "full_name": " ".join(self.full_name.data.split()),
            "nik": self.nik.data.strip(),
            "email": self.email.data.strip(),
            "phone": (self.phone.data or "").strip(),
            "home_opd_id": self.home_opd_id.data,
        }


class TeamApplicationForm(FlaskForm):
    """A programmer-team application (002 §16(3)a, §18)."""

    category_id = SelectField(
        _l("Kategori yang dilamar"),
        coerce=optional_id,
        validators=[Optional()],
        invalid_choice_message=_l("Kategori ini tidak dibuka pada seleksi ini."),
    )
    home_opd_id = SelectField(
        _l("Perangkat Daerah asal"),
        coerce=optional_id,
        validators=[Optional()],
        invalid_choice_message=_l("Pilih Perangkat Daerah dari daftar."),
    )
    experience_years = LocalDecimalField(
        _l("Lama pengalaman kerja di bidang TIK (tahun)"),
        places=1,
        validators=[Optional(), NumberRange(0, 60, message=_l("Lama pengalaman harus antara 0 dan 60 tahun."))],
        render_kw={"inputmode": "decimal"},
    )
    experience_signer = StringField(
        _l("Penanda tangan surat pernyataan pengalaman (pimpinan unit kerja)"),
        validators=[Optional(), Length(max=160)],
    )
    experience_signed_on = DateField(_l("Tanggal surat pernyataan pengalaman"), validators=[Optional()])
    submit = SubmitField(_l("Simpan draf"))

    def data_for_service(self) -> dict:
        return {
            "category_id": self.category_id.data,
            "home_opd_id": self.home_opd_id.data,
            "experience_years": self.experience_years.data,
            "experience_signer": (self.experience_signer.data or "").strip(),
            "experience_signed_on": self.experience_signed_on.data,
        }


def _npwp_rule(form, field) -> None:  # noqa: ARG001
    if field.data and len(npwp_digits(field.data)) not in (15, 16):
        raise ValidationError(_l("NPWP harus 15 atau 16 digit."))


class ContractApplicationForm(FlaskForm):
    """A contract-worker application (000 §10)."""

    citizenship_wni = RadioField(_l("Warga Negara Indonesia (WNI)?"), choices=YES_NO, validators=[Optional()])
    birth_date = DateField(_l("Tanggal lahir"), validators=[Optional()])
    npwp = StringField(
        _l("NPWP"),
        validators=[Optional(), Length(max=20), _npwp_rule],
        render_kw={"inputmode": "numeric", "placeholder": "00.000.000.0-000.000"},
    )
    degree = SelectField(_l("Pendidikan terakhir"), choices=DEGREES, validators=[Optional()])
    major = StringField(_l("Jurusan / program studi"), validators=[Optional(), Length(max=120)])
    institution = StringField(_l("Perguruan tinggi"), validators=[Optional(), Length(max=160)])
    accreditation = SelectField(_l("Akreditasi perguruan tinggi"), choices=ACCREDITATIONS, validators=[Optional()])
    gpa = LocalDecimalField(
        _l("IPK (skala 4)"),
        places=2,
        validators=[Optional(), NumberRange(0, 4, message=_l("IPK harus antara 0,00 dan 4,00."))],
        render_kw={"inputmode": "decimal"},
    )
    ktp_city = StringField(_l("Kota/kabupaten sesuai KTP"), validators=[Optional(), Length(max=80)])
    not_bound_by_contract = RadioField(
        _l("Saya tidak sedang terikat kontrak atau pekerjaan lain"), choices=YES_NO, validators=[Optional()]
    )
    submit = SubmitField(_l("Simpan draf"))

    def load(self, application) -> None:
        """Show the application's stored answers (the yes/no questions are radios)."""
        self.citizenship_wni.data = yes_no(application.citizenship_wni)
        self.not_bound_by_contract.data = yes_no(application.not_bound_by_contract)

    def data_for_service(self) -> dict:
        return {
            "citizenship_wni": from_yes_no(self.citizenship_wni.data),
            "birth_date": self.birth_date.data,
            "npwp": (self.npwp.data or "").strip() or None,
            "degree": self.degree.data or "",
            "major": " ".join((self.major.data or "").split()),
            "institution": " ".join((self.institution.data or "").split()),
            "accreditation": self.accreditation.data or "",
            "gpa": self.gpa.data,
            "ktp_city": " ".join((self.ktp_city.data or "").split()),
            "not_bound_by_contract": from_yes_no(self.not_bound_by_contract.data),
        }


class DocumentForm(FlaskForm):
    """One uploaded document; ``kinds`` are the kinds this round asks for."""

    kind = HiddenField(validators=[DataRequired(REQUIRED)])
    label = StringField(_l("Nama sertifikat"), validators=[Optional(), Length(max=160)])
    file = FileField(
        _l("Berkas (PDF, JPEG atau PNG)"),
        validators=[FileRequired(_l("Pilih berkas yang akan diunggah.")), FileContent()],
    )
    submit = SubmitField(_l("Unggah"))

    def __init__(self, *args, kinds: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds

    def validate_kind(self, field) -> None:
        if field.data not in self.kinds:
            raise ValidationError(_l("Jenis dokumen ini tidak diminta pada seleksi ini."))

    def validate_label(self, field) -> None:
        if self.kind.data == "certificate" and not (field.data or "").strip():
            raise ValidationError(_l("Tuliskan nama sertifikat (misalnya MTCNA)."))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Alasan (tidak wajib)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Tarik lamaran"))


class CompetencyItemForm(Form):
    """One item of the category's checklist (002 §19): claimed, with a short evidence note."""

    claimed = BooleanField(_l("Saya menguasai"))
    note = StringField(_l("Bukti singkat"), validators=[Length(max=500)])

    def validate_note(self, field) -> None:
        if self.claimed.data and not (field.data or "").strip():
            raise ValidationError(_l("Tuliskan bukti singkat untuk kompetensi yang Anda kuasai."))


class CompetencyForm(FlaskForm):
    items = FieldList(FormField(CompetencyItemForm))
    submit = SubmitField(_l("Kirim formulir kompetensi"))

    def fit(self, count: int) -> None:
        """Exactly one entry per checklist item, whatever the browser sent."""
        while len(self.items) < count:
            self.items.append_entry()
        while len(self.items) > count:
            self.items.pop_entry()

    def answers(self) -> list[dict]:
        return [
            {"index": i, "claimed": bool(entry.claimed.data), "note": (entry.note.data or "").strip()}
            for i, entry in enumerate(self.items)
        ]
