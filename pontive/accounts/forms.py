"""Account forms. Labels and messages are Indonesian source strings, translated to English by Babel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from pontive.accounts import rules
from pontive.accounts.models import EmploymentStatus
from pontive.accounts.roles import ROLE_LABELS, Role

REQUIRED = _l("Wajib diisi.")


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(REQUIRED), Length(max=60)])
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(REQUIRED), Length(max=rules.PASSWORD_MAX_LENGTH)]
    )
    submit = SubmitField(_l("Masuk"))


def _password_rule(form, field) -> None:  # noqa: ARG001
    problem = rules.password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired(REQUIRED)])
    new = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(REQUIRED), _password_rule])
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[DataRequired(REQUIRED), EqualTo("new", _l("Kedua kata sandi baru tidak sama."))],
    )
    submit = SubmitField(_l("Simpan kata sandi"))


def _nip_rule(form, field) -> None:  # noqa: ARG001
    if field.data:
        problem = rules.nip_problem(field.data.strip())
        if problem:
            raise ValidationError(problem)


def _nik_rule(form, field) -> None:  # noqa: ARG001
    if field.data:
        problem = rules.nik_problem(field.data.strip())
        if problem:
            raise ValidationError(problem)


class UserForm(FlaskForm):
    username = StringField(
        _l("Nama pengguna"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=3, max=60),
            Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Hanya huruf, angka, titik, garis bawah dan tanda hubung.")),
        ],
    )
    full_name = StringField(_l("Nama lengkap"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=120)])
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=30)])
    nip = StringField(_l("NIP (18 digit, untuk ASN)"), validators=[Optional(), _nip_rule])
    nik = StringField(_l("NIK (16 digit)"), validators=[Optional(), _nik_rule])
    employment_status = SelectField(
        _l("Status kepegawaian"),
        choices=[
            SelectChoice(EmploymentStatus.ASN.value, "ASN"),
            SelectChoice(EmploymentStatus.NON_ASN.value, "Non-ASN"),
        ],
    )
    home_opd_id = SelectField(_l("OPD asal"), coerce=lambda v: int(v) if v else None, validate_choice=False)
    active = BooleanField(_l("Aktif"), default=True)
    password = PasswordField(_l("Kata sandi awal"))
    submit = SubmitField(_l("Simpan"))

    def data_for_service(self) -> dict:
        return {
            "username": self.username.data,
            "full_name": self.full_name.data.strip(),
            "email": self.email.data,
            "phone": (self.phone.data or "").strip(),
            "nip": self.nip.data,
            "nik": self.nik.data,
            "employment_status": EmploymentStatus(self.employment_status.data),
            "home_opd_id": self.home_opd_id.data,
            "active": bool(self.active.data),
        }


class ResetPasswordForm(FlaskForm):
    new = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(REQUIRED), _password_rule])
    submit = SubmitField(_l("Setel ulang"))


class GrantForm(FlaskForm):
    role = SelectField(_l("Peran"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()])
    opd_id = SelectField(
        _l("OPD (untuk koordinator dan operator)"), coerce=lambda v: int(v) if v else None, validate_choice=False
    )
    submit = SubmitField(_l("Tambah peran"))

    def validate_role(self, field) -> None:
        try:
            Role(field.data)
        except ValueError as exc:
            raise ValidationError(_l("Peran tidak dikenal.")) from exc


class OpdForm(FlaskForm):
    code = StringField(_l("Kode"), validators=[DataRequired(REQUIRED), Length(max=20)])
    name = StringField(_l("Nama"), validators=[DataRequired(REQUIRED), Length(max=200)])
    short_name = StringField(_l("Singkatan"), validators=[Optional(), Length(max=60)])
    active = BooleanField(_l("Aktif"), default=True)
    submit = SubmitField(_l("Simpan"))


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that post."""
