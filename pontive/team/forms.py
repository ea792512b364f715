"""Forms of the team's task, program and membership pages. Labels are Indonesian source strings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from pontive.team import rules
from pontive.team.models import MembershipStatus, TaskPriority, TaskStatus

REQUIRED = _l("Wajib diisi.")
TARGET_ROWS = 5  # "up to 5 target rows" per program on the form

PRIORITY_LABELS = {
    TaskPriority.LOW.value: "Rendah",
    TaskPriority.NORMAL.value: "Sedang",
    TaskPriority.HIGH.value: "Tinggi",
}


def _int_or_none(value) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- tasks (002 §13(1)a) ---------------------------------------------------------------------


class TaskForm(FlaskForm):
    """A new task on an OPD's board. The choices of program and assignees are set by the view;
    they are not checked against those choices here, so that a forged value reaches the service
    and is refused there with the service's own message."""

    title = StringField(_l("Judul tugas"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Uraian"), validators=[Optional(), Length(max=4000)])
    program_id = SelectField(_l("Program kerja"), coerce=_int_or_none, validate_choice=False)
    due_date = DateField(_l("Tenggat"), validators=[Optional()])
    priority = SelectField(
        _l("Prioritas"),
        choices=[SelectChoice(value, _l(label)) for value, label in PRIORITY_LABELS.items()],
        default=TaskPriority.NORMAL.value,
    )
    assignee_ids = SelectMultipleField(
        _l("Ditugaskan kepada"),
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def data_for_service(self) -> dict:
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "program_id": self.program_id.data,
            "due_date": self.due_date.data,
            "priority": self.priority.data,
        }


class TaskMoveForm(FlaskForm):
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, _l(rules.TASK_STATUS_LABELS[s.value])) for s in TaskStatus],
        validators=[DataRequired(REQUIRED)],
    )
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Komentar"), validators=[DataRequired(_l("Komentar tidak boleh kosong.")), Length(max=4000)]
    )


# --- programs and targets (002 §12(2)a) -----------------------------------------------------------


class TargetRowForm(Form):
    """One measurable target; a row without a description is left out. The service checks the
    value and the unit, so its numbered messages ("Target 2: …") are the ones shown."""

    description = StringField(_l("Uraian target"), validators=[Optional(), Length(max=300)])
    value = StringField(_l("Nilai"), validators=[Optional(), Length(max=20)])
    unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=40)])


class ProgramForm(FlaskForm):
    opd_id = SelectField(_l("OPD"), coerce=_int_or_none, validators=[DataRequired(REQUIRED)])
    year = IntegerField(
        _l("Tahun"),
        validators=[DataRequired(REQUIRED), NumberRange(min=2000, max=2100, message=_l("Tahun tidak valid."))],
    )
    title = StringField(_l("Judul program"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Uraian"), validators=[Optional(), Length(max=4000)])
    targets = FieldList(FormField(TargetRowForm), min_entries=TARGET_ROWS, max_entries=20)

    def target_rows(self) -> list[dict]:
        return [
            {"description": row.form.description.data, "value": row.form.value.data, "unit": row.form.unit.data}
            for row in self.targets
        ]


class ProgramEditForm(ProgramForm):
    """On an existing program the OPD and the year stay as they are; only its content changes."""

    opd_id = None
    year = None


# --- memberships (002 §15) --------------------------------------------------------------------------

STATUS_CHOICES = [s for s in MembershipStatus if s != MembershipStatus.EXTENDED]  # extension has its own form


class MembershipStatusForm(FlaskForm):
    status = SelectField(
        _l("Status baru"),
        choices=[SelectChoice(s.value, _l(rules.MEMBERSHIP_STATUS_LABELS[s.value])) for s in STATUS_CHOICES],
    )
    reason = TextAreaField(
        _l("Alasan"),
        validators=[DataRequired(_l("Tuliskan alasan perubahan status keanggotaan.")), Length(max=2000)],
    )


class ExtensionForm(FlaskForm):
    decree_number = StringField(
        _l("Nomor keputusan perpanjangan"),
        validators=[DataRequired(_l("Nomor keputusan wajib diisi.")), Length(max=80)],
    )
    decree_date = DateField(_l("Tanggal keputusan"), validators=[DataRequired(_l("Isi tanggal yang benar."))])
