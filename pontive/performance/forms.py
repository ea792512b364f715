"""Forms of the member's performance pages: the yearly plan (RHK with indicators), action plans,
the monthly report with its realisations, evidence uploads and the period summary (issue 5; 004).

Numbers are typed as people write them ("12,5"): text inputs with ``inputmode="decimal"``, read by
``rules.parse_value`` — the same reading the services apply."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from pontive.core.uploads import FileContent
from pontive.performance import rules

REQUIRED = _l("Wajib diisi.")
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}
KIND_LABELS = {"main": "Utama", "additional": "Tambahan"}


def optional_int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _number(label):
    """A number as people type it ("12", "12,5", "12.5"); empty passes (Optional or DataRequired decide)."""

    def check(form, field) -> None:  # noqa: ARG001
        if field.data is None or not str(field.data).strip():
            return
        try:
            rules.parse_value(field.data, str(label))
        except rules.PerformanceError as exc:
            raise ValidationError(str(exc)) from exc

    return check


class IndicatorRowForm(Form):
    """One indicator of an RHK: what is measured, the target and its unit, and the aspect."""

    description = StringField(_l("Indikator"), validators=[Optional(), Length(max=300)])
    target_value = StringField(_l("Target"), validators=[_number(_l("Target"))], render_kw=DECIMAL)
    unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=40)])
    aspect = SelectField(
        _l("Aspek"), choices=[SelectChoice(key, label) for key, label in rules.ASPECTS.items()], default="quantity"
    )


class WorkResultForm(FlaskForm):
    """An RHK with up to three indicator rows (empty rows are ignored)."""

    title = TextAreaField(_l("Uraian RHK"), validators=[DataRequired(REQUIRED), Length(max=300)])
    kind = SelectField(
        _l("Jenis RHK"), choices=[SelectChoice(key, label) for key, label in KIND_LABELS.items()], default="main"
    )
    program_id = SelectField(_l("Program kerja OPD (opsional)"), coerce=optional_int)
    parent_id = SelectField(_l("RHK koordinator yang diintervensi (opsional)"), coerce=optional_int)
    indicators = FieldList(FormField(IndicatorRowForm), min_entries=3, max_entries=10)

    def data_for_service(self) -> tuple[dict, list[dict]]:
        data = {
            "title": self.title.data or "",
            "kind": self.kind.data,
            "program_id": self.program_id.data,
            "parent_id": self.parent_id.data,
        }
        rows = [
            {
                "description": row.form.description.data or "",
                "target_value": row.form.target_value.data or "",
                "unit": row.form.unit.data or "",
                "aspect": row.form.aspect.data,
            }
            for row in self.indicators
        ]
        return data, rows


class ActionPlanForm(FlaskForm):
    """Editing an action plan: what, the target value and its unit (the RHK stays)."""

    description = StringField(_l("Uraian rencana aksi"), validators=[DataRequired(REQUIRED), Length(max=300)])
    target_value = StringField(
        _l("Target"), validators=[DataRequired(REQUIRED), _number(_l("Target"))], render_kw=DECIMAL
    )
    unit = StringField(_l("Satuan"), validators=[DataRequired(REQUIRED), Length(max=40)])

    def data_for_service(self, month: int) -> dict:
        return {
            "month": month,
            "description": self.description.data,
            "target_value": self.target_value.data,
            "unit": self.unit.data,
        }


class NewActionPlanForm(ActionPlanForm):
    """A new action plan under one of the member's RHK of that year."""

    work_result_id = SelectField(_l("RHK"), coerce=optional_int, validators=[DataRequired(REQUIRED)])


class RealisationRowForm(Form):
    """One action plan's realisation in the monthly report."""

    action_plan_id = HiddenField()
    value = StringField(_l("Realisasi"), validators=[_number(_l("Realisasi"))], render_kw=DECIMAL)
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})


class ReportForm(FlaskForm):
    """The month's report: realisations, the narrative and the activities; ``version`` catches a
    form that another tab or device has overtaken."""

    version = HiddenField()
    realisations = FieldList(FormField(RealisationRowForm))
    narrative = TextAreaField(_l("Narasi capaian bulan ini"), validators=[Optional(), Length(max=10000)])
    activities = TextAreaField(_l("Kegiatan yang dilakukan"), validators=[Optional(), Length(max=10000)])

    def realisations_for_service(self) -> dict[int, dict]:
        result = {}
        for row in self.realisations:
            entry = row.form
            plan_id = optional_int(entry.action_plan_id.data)
            if plan_id is not None:
                result[plan_id] = {"value": entry.value.data or "", "note": entry.note.data or ""}
        return result

    def expected_version(self) -> int:
        """The version the form was made from; a form made before the report existed expects the first."""
        return optional_int(self.version.data) or 1


class EvidenceForm(FlaskForm):
    file = FileField(
        _l("Bukti dukung (PDF, JPEG atau PNG)"),
        validators=[FileRequired(_l("Pilih berkas bukti dukung.")), FileContent()],
    )


class PeriodReportForm(FlaskForm):
    summary = TextAreaField(
        _l("Ringkasan laporan"), validators=[DataRequired(REQUIRED), Length(max=20000)], render_kw={"rows": 8}
    )


class ButtonForm(FlaskForm):
    """Only the CSRF token, for buttons that post."""
