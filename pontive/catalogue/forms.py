"""Catalogue forms. The rules themselves (required OPD and status, well-formed URLs, one repository per
application, a real IP address) live in the services; these forms only collect and bound the input."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pontive.catalogue import rules
from pontive.catalogue.models import AppDocument, CityApplication, Project
from pontive.core.uploads import FileContent

REQUIRED = _l("Wajib diisi.")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def _max(column) -> int:
    return column.type.length


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _blank(label) -> SelectChoice:
    return SelectChoice("", label)


class AppForm(FlaskForm):
    name = StringField(_l("Nama aplikasi"), validators=[Length(max=_max(CityApplication.name))])
    description = TextAreaField(_l("Deskripsi"), validators=[Length(max=4000)])
    owner_opd_id = SelectField(_l("OPD pemilik"), coerce=_optional_int, validate_choice=False)
    kind = SelectField(_l("Jenis"), choices=[SelectChoice(k, _l(v)) for k, v in rules.KINDS.items()])
    integrated = BooleanField(_l("Terintegrasi dengan aplikasi lain"))
    status = SelectField(
        _l("Status"),
        choices=[_blank(_l("— pilih status —"))] + [SelectChoice(k, _l(v)) for k, v in rules.STATUSES.items()],
        validate_choice=False,
    )
    url = StringField(_l("URL aplikasi"), validators=[Length(max=_max(CityApplication.url))])
    repo_url = StringField(_l("URL repositori"), validators=[Length(max=_max(CityApplication.repo_url))])
    repo_host = StringField(
        _l("Host repositori (GitLab kota, GitHub, …)"), validators=[Length(max=_max(CityApplication.repo_host))]
    )
    repo_branch = StringField(_l("Branch utama"), validators=[Length(max=_max(CityApplication.repo_branch))])
    repo_visibility = SelectField(
        _l("Visibilitas repositori"), choices=[SelectChoice(k, _l(v)) for k, v in rules.VISIBILITY.items()]
    )
    hosting_location = SelectField(
        _l("Lokasi hosting"),
        choices=[_blank(_l("— belum diketahui —"))] + [SelectChoice(k, _l(v)) for k, v in rules.HOSTING.items()],
        validate_choice=False,
    )
    server_name = StringField(_l("Nama server"), validators=[Length(max=_max(CityApplication.server_name))])
    ip_address = StringField(_l("Alamat IP"), validators=[Length(max=_max(CityApplication.ip_address))])
    operating_system = StringField(
        _l("Sistem operasi"), validators=[Length(max=_max(CityApplication.operating_system))]
    )
    web_server = StringField(_l("Web server"), validators=[Length(max=_max(CityApplication.web_server))])
    runtime = StringField(_l("Runtime / bahasa"), validators=[Length(max=_max(CityApplication.runtime))])
    database = StringField(_l("Basis data dan versinya"), validators=[Length(max=_max(CityApplication.database))])
    asset_number = StringField(_l("Nomor aset"), validators=[Length(max=_max(CityApplication.asset_number))])
    warranty_until = DateField(_l("Garansi berakhir"), validators=[Optional()], render_kw={"autocomplete": "off"})

    def data_for_service(self) -> dict:
        return {
            "name": self.name.data or "",
            "description": self.description.data or "",
            "owner_opd_id": self.owner_opd_id.data,
            "kind": self.kind.data,
            "integrated": bool(self.integrated.data),
            "status": self.status.data or "",
            "url": self.url.data or "",
            "repo_url": self.repo_url.data or "",
            "repo_host": self.repo_host.data or "",
            "repo_branch": self.repo_branch.data or "",
            "repo_visibility": self.repo_visibility.data,
            "hosting_location": self.hosting_location.data or "",
            "server_name": self.server_name.data or "",
            "ip_address": self.ip_address.data or "",
            "operating_system": self.operating_system.data or "",
            "web_server": self.web_server.data or "",
            "runtime": self.runtime.data or "",
            "database": self.database.data or "",
            "asset_number": self.asset_number.data or "",
            "warranty_until": self.warranty_until.data,
        }

    def show_service_error(self, message: str) -> None:
        """Put a service's refusal beside the field it is about (or above the form)."""
        lowered = message.lower()
        for needle, field in (
            ("alamat ip", self.ip_address),
            ("repositori", self.repo_url),
            ("url aplikasi", self.url),
            ("nama aplikasi", self.name),
            ("hosting", self.hosting_location),
            ("jenis", self.kind),
            ("status", self.status),
            ("opd", self.owner_opd_id),
        ):
            if needle in lowered:
                field.errors = [*field.errors, message]
                return
        self.form_errors.append(message)


class MaintainersForm(FlaskForm):
    user_ids = SelectMultipleField(
        _l("Pemelihara (anggota Tim Programmer)"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,
    )


INTEGRATION_DIRECTIONS = {
    "provides": "Aplikasi ini memberi data kepada",
    "consumes": "Aplikasi ini mengambil data dari",
}


class IntegrationForm(FlaskForm):
    direction = SelectField(
        _l("Arah integrasi"), choices=[SelectChoice(k, _l(v)) for k, v in INTEGRATION_DIRECTIONS.items()]
    )
    other = StringField(
        _l("Aplikasi lain"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "off", "list": "app-options"},
    )
    description = StringField(_l("Data yang dipertukarkan"), validators=[Length(max=300)])


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Jenis dokumen"), choices=[SelectChoice(k, _l(v)) for k, v in rules.DOCUMENT_KINDS.items()])
    label = StringField(_l("Keterangan"), validators=[Length(max=_max(AppDocument.label))])
    file = FileField(
        _l("Berkas (PDF, JPEG atau PNG)"),
        validators=[FileRequired(_l("Pilih berkas yang akan diunggah.")), FileContent()],
    )


PROJECT_KINDS = {"build": "Pembuatan", "upgrade": "Peningkatan"}


class ProjectForm(FlaskForm):
    kind = SelectField(_l("Jenis proyek"), choices=[SelectChoice(k, _l(v)) for k, v in PROJECT_KINDS.items()])
    title = StringField(_l("Judul proyek"), validators=[DataRequired(REQUIRED), Length(max=_max(Project.title))])
    vendor = StringField(_l("Penyedia"), validators=[Length(max=_max(Project.vendor))])
    year = IntegerField(
        _l("Tahun anggaran"),
        validators=[DataRequired(_l("Isi tahun anggaran.")), NumberRange(2000, 2100, _l("Tahun tidak masuk akal."))],
    )


class StepForm(FlaskForm):
    started_at = DateTimeLocalField(
        _l("Mulai"), format=DATETIME_FORMATS, validators=[Optional()], render_kw={"step": 60}
    )
    finished_at = DateTimeLocalField(
        _l("Selesai"), format=DATETIME_FORMATS, validators=[Optional()], render_kw={"step": 60}
    )
    note = TextAreaField(_l("Catatan"), validators=[Length(max=2000)], render_kw={"rows": 2})


class StepDocumentForm(DocumentForm):
    pass


class HandoverForm(FlaskForm):
    handover_date = DateField(_l("Tanggal serah terima"), validators=[DataRequired(_l("Isi tanggal yang benar."))])
    asset_number = StringField(
        _l("Nomor aset"), validators=[DataRequired(REQUIRED), Length(max=_max(CityApplication.asset_number))]
    )
