"""Team meetings: the list, scheduling, attendance with written excuses, and closing with minutes
(DESIGN §2; an unexcused absence counts towards the warning of 002 §15(3)).

Meeting times are the city's wall-clock time, as people write them on an invitation."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, or_, select
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.core import formats, nav
from pontive.core.htmx import render
from pontive.core.i18n import current_lang, to_local
from pontive.core.pagination import paginate
from pontive.core.permissions import roles_required
from pontive.core.uploads import register_file_access
from pontive.extensions import db
from pontive.team import services
from pontive.team.meeting_forms import (
    ATTENDANCE_LABELS,
    SCOPE_LABELS,
    AttendanceForm,
    CloseMeetingForm,
    MeetingForm,
)
from pontive.team.models import Attendance, Meeting, MeetingScope, Membership

bp = Blueprint("meetings", __name__, url_prefix="/rapat")

MANAGERS = (Role.KETUA, Role.SEKRETARIS, Role.KOORDINATOR)
VIEWERS = (*MANAGERS, Role.ANGGOTA, Role.PEMBINA, Role.ADMIN)


def _user() -> User:
    return current_user._get_current_object()


def local_now() -> dt.datetime:
    """Now on the city's clock, naive, comparable with Meeting.date."""
    return to_local(dt.datetime.now(dt.UTC).replace(tzinfo=None))


@bp.app_template_filter("waktu_rapat")
def meeting_time(value: dt.datetime | None) -> str:
    """A meeting's date and time as written (already the city's time: no zone conversion)."""
    return formats.format_datetime(value, current_lang())


# --- who sees which meeting --------------------------------------------------------------------------


def visible_meetings_clause(user: User):
    """None when the user sees every meeting; else the SQL condition for the meetings they see:
    team meetings, and those of the OPDs they coordinate or are placed in."""
    if user.has_role(Role.KETUA, Role.SEKRETARIS, Role.PEMBINA, Role.ADMIN):
        return None
    opd_ids = set(user.opd_ids_for(Role.KOORDINATOR))
    if user.has_role(Role.ANGGOTA):
        membership = services.current_membership(db.session, user.id)
        if membership is not None and membership.placement_opd_id is not None:
            opd_ids.add(membership.placement_opd_id)
    clause = Meeting.scope == MeetingScope.TEAM
    if opd_ids:
        clause = or_(clause, Meeting.opd_id.in_(sorted(opd_ids)))
    return clause


def get_meeting_or_404(meeting_id: int, user: User) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    clause = visible_meetings_clause(user)
    if clause is not None:
        query = query.where(clause)
    meeting = db.session.scalar(query)
    if meeting is None:
        abort(404)
    return meeting


# --- list -----------------------------------------------------------------------------------------------


@bp.route("")
@roles_required(*VIEWERS)
def index():
    user = _user()
    now = local_now()
    query = select(Meeting)
    clause = visible_meetings_clause(user)
    if clause is not None:
        query = query.where(clause)
    upcoming = Meeting.date >= now
    query = query.order_by(
        case((upcoming, 0), else_=1),  # upcoming first, the nearest at the top
        case((upcoming, Meeting.date), else_=None),
        Meeting.date.desc(),  # then the past, the latest first
        Meeting.id.desc(),
    )
    page = paginate(query)
    counts: dict[int, dict[str, int]] = {}
    ids = [m.id for m in page.items]
    if ids:
        for meeting_id, status, n in db.session.execute(
            select(Attendance.meeting_id, Attendance.status, func.count())
            .where(Attendance.meeting_id.in_(ids))
            .group_by(Attendance.meeting_id, Attendance.status)
        ):
            counts.setdefault(meeting_id, {})[status.value] = n
    return render(
        "meetings/index.html",
        "results",
        page=page,
        now=now,
        counts=counts,
        scope_labels=SCOPE_LABELS,
        may_create=user.has_role(*MANAGERS),
    )


# --- scheduling ----------------------------------------------------------------------------------------


def _opd_choices(user: User) -> list[SelectChoice]:
    query = select(Opd.id, Opd.name).where(Opd.active).order_by(Opd.name)
    if not user.has_role(Role.KETUA, Role.SEKRETARIS):
        query = query.where(Opd.id.in_(sorted(user.opd_ids_for(Role.KOORDINATOR))))
    return [SelectChoice("", _("— pilih OPD —"))] + [SelectChoice(str(i), n) for i, n in db.session.execute(query)]


@bp.route("/baru", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    user = _user()
    whole_team = user.has_role(Role.KETUA, Role.SEKRETARIS)
    form = MeetingForm()
    if not whole_team:
        form.scope.choices = [SelectChoice(MeetingScope.OPD.value, SCOPE_LABELS[MeetingScope.OPD.value])]
    form.opd_id.choices = _opd_choices(user)
    if not form.is_submitted():
        form.scope.data = MeetingScope.TEAM.value if whole_team else MeetingScope.OPD.value
        own = sorted(user.opd_ids_for(Role.KOORDINATOR))
        if own and not whole_team:
            form.opd_id.data = own[0]
    error = None
    if form.validate_on_submit():
        data = {
            "date": dt.datetime.combine(form.date.data, form.time.data),
            "scope": form.scope.data,
            "opd_id": form.opd_id.data,
            "place": form.place.data,
            "agenda": form.agenda.data,
        }
        try:
            meeting = services.create_meeting(db.session, user, data)
        except services.TeamError as exc:
            db.session.rollback()
            error = str(exc)
            form.opd_id.errors = [*form.opd_id.errors, error]
        else:
            flash(_("Rapat dijadwalkan."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    status = 422 if form.is_submitted() and (form.errors or error) else 200
    return render("meetings/form.html", form=form, error=error), status


# --- detail, attendance, closing ---------------------------------------------------------------------


def _attendees(meeting: Meeting) -> tuple[list[User], dict[int, Attendance]]:
    """The expected attendees, plus anyone already recorded who is no longer expected."""
    expected = services.expected_attendees(db.session, meeting)
    recorded = {a.member_id: a for a in meeting.attendance}
    known = {u.id for u in expected}
    extra = [a.member for a in meeting.attendance if a.member_id not in known]
    return [*expected, *sorted(extra, key=lambda u: u.full_name)], recorded


def _attendance_form(attendees: list[User], recorded: dict[int, Attendance]) -> AttendanceForm:
    rows = []
    for member in attendees:
        row = recorded.get(member.id)
        rows.append(
            {
                "member_id": str(member.id),
                "status": row.status.value if row else "present",
                "note": row.note if row else "",
            }
        )
    return AttendanceForm(data={"rows": rows})


def _render_show(
    meeting: Meeting,
    *,
    attendance_form: AttendanceForm | None = None,
    close_form: CloseMeetingForm | None = None,
    error: str | None = None,
):
    user = _user()
    may_manage = services.can_manage_meeting(user, meeting.scope, meeting.opd_id)
    attendees, recorded = _attendees(meeting)
    by_id = {u.id: u for u in attendees}
    if may_manage and attendance_form is None:
        attendance_form = _attendance_form(attendees, recorded)
    if may_manage and close_form is None and not meeting.closed:
        close_form = CloseMeetingForm(minutes=meeting.minutes)
    rows = []
    if attendance_form is not None and may_manage:
        for row in attendance_form.rows:
            member_id = _int_or_none(row.member_id.data)
            rows.append((row, by_id.get(member_id), recorded.get(member_id)))
    return render(
        "meetings/show.html",
        meeting=meeting,
        may_manage=may_manage,
        attendees=attendees,
        recorded=recorded,
        rows=rows,
        attendance_form=attendance_form if may_manage else None,
        close_form=close_form if may_manage and not meeting.closed else None,
        error=error,
        scope_labels=SCOPE_LABELS,
        attendance_labels=ATTENDANCE_LABELS,
        user=user,
        may_see_letter=lambda member_id: may_manage or member_id == user.id,
    )


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.route("/<int:meeting_id>")
@roles_required(*VIEWERS)
def show(meeting_id: int):
    meeting = get_meeting_or_404(meeting_id, _user())
    return _render_show(meeting)


@bp.route("/<int:meeting_id>/hadir", methods=["POST"])
@roles_required(*MANAGERS)
def attendance(meeting_id: int):
    user = _user()
    meeting = get_meeting_or_404(meeting_id, user)
    form = AttendanceForm()
    error = None
    if form.validate_on_submit():
        entries: dict[int, dict] = {}
        for row in form.rows:
            member_id = _int_or_none(row.member_id.data)
            if member_id is None:
                continue
            entries[member_id] = {"status": row.status.data, "letter": row.letter.data, "note": row.note.data}
        try:
            services.record_attendance(db.session, user, meeting, entries, form.reason.data or "")
        except services.TeamError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("Daftar hadir disimpan."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    else:
        error = _("Periksa kembali isian daftar hadir.")
    return _render_show(meeting, attendance_form=form, error=error), 422


@bp.route("/<int:meeting_id>/tutup", methods=["POST"])
@roles_required(*MANAGERS)
def close(meeting_id: int):
    user = _user()
    meeting = get_meeting_or_404(meeting_id, user)
    form = CloseMeetingForm()
    error = None
    if form.validate_on_submit():
        try:
            services.close_meeting(db.session, user, meeting, form.minutes.data)
        except services.TeamError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            flash(_("Rapat ditutup dan notulensi disimpan."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _render_show(meeting, close_form=form, error=error), 422


# --- who may download an excuse letter ------------------------------------------------------------


def _koordinator_of_member(user: User, member_id: int, extra_opd_id: int | None = None) -> bool:
    opd_ids = user.opd_ids_for(Role.KOORDINATOR)
    if not opd_ids:
        return False
    if extra_opd_id is not None and extra_opd_id in opd_ids:
        return True
    return (
        db.session.scalar(
            select(Membership.id)
            .where(Membership.member_id == member_id, Membership.placement_opd_id.in_(sorted(opd_ids)))
            .limit(1)
        )
        is not None
    )


@register_file_access(services.EXCUSE_PURPOSE)
def _excuse_letter_access(user, stored) -> bool:
    """The member concerned, the koordinator of the meeting's OPD or of the member's placement
    OPD, the ketua and the sekretaris (besides whoever uploaded it)."""
    row = db.session.execute(
        select(Attendance.member_id, Meeting.opd_id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.excuse_file_id == stored.id)
        .limit(1)
    ).first()
    if row is None:
        return False
    member_id, meeting_opd_id = row
    if member_id == user.id or user.has_role(Role.KETUA, Role.SEKRETARIS):
        return True
    return _koordinator_of_member(user, member_id, meeting_opd_id)


nav.register(nav.NavItem("Rapat", "meetings.index", group="Tim", order=40))
