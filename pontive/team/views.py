"""The team at work (002 §9–15): memberships and the organisation chart, the OPDs' work programs
and targets, and the task boards where a koordinator assigns work to the members placed in the OPD.

Views stay thin: they parse a form, call ``team.services`` and render. Objects a user has no right
to see answer 404 (one helper per kind of object), whatever their id."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import Opd, RoleGrant, User
from pontive.accounts.roles import Role
from pontive.core import nav
from pontive.core.htmx import is_htmx_target, render, wants_fragment
from pontive.core.pagination import CappedPagination, paginate
from pontive.core.permissions import roles_required
from pontive.extensions import db
from pontive.recruitment.models import SelectionCategory
from pontive.team import boards as board_queries
from pontive.team import rules, services
from pontive.team.boards import BoardFilters
from pontive.team.forms import (
    PRIORITY_LABELS,
    TARGET_ROWS,
    CommentForm,
    ExtensionForm,
    MembershipStatusForm,
    ProgramEditForm,
    ProgramForm,
    TaskForm,
    TaskMoveForm,
)
from pontive.team.models import (
    DisciplineLetter,
    LetterType,
    Membership,
    MembershipStatus,
    Task,
    TaskStatus,
    WorkProgram,
    task_assignee,
)

bp = Blueprint("team", __name__, url_prefix="/tim")

# Who reads every membership and the whole team; a koordinator reads their OPD, a member themself.
TEAM_READERS = (Role.KETUA, Role.SEKRETARIS, Role.PEMBINA, Role.ADMIN)
TEAM_ROLES = (Role.PEMBINA, Role.KETUA, Role.SEKRETARIS, Role.KOORDINATOR, Role.ANGGOTA, Role.ADMIN)
BOARD_READERS = (Role.KETUA, Role.SEKRETARIS)  # every OPD's board, read-only

# Cards a board column shows, and "Tampilkan lebih banyak" appends, at a time: the count above the column
# tells how many match. Small enough that the board's fragment stays within 15 KB (issue 8 §2).
COLUMN_LIMIT = 5
COLUMN_PAGE = 20  # cards on a column's own page (the "show more" link without JavaScript)
OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)
# The buttons a card offers, in this order; rules.check_task_move decides who may press which.
MOVE_LABELS = {
    ("assigned", "in_progress"): "Mulai kerjakan",
    ("in_progress", "done"): "Tandai selesai",
    ("in_progress", "assigned"): "Batal mengerjakan",
    ("done", "verified"): "Verifikasi",
    ("done", "in_progress"): "Kembalikan untuk diperbaiki",
}
LETTER_LABELS = {
    LetterType.WARNING: "Surat peringatan",
    LetterType.DISMISSAL_PROPOSAL: "Usulan pemberhentian",
}
LETTER_PDF = "discipline.letter_pdf"  # served by the discipline pages (team/discipline_views.py)
EVENT_LABELS = {"assigned": "Ditugaskan", "moved": "Status diubah", "commented": "Komentar"}


def _user() -> User:
    return current_user._get_current_object()


def _today() -> dt.date:
    return dt.date.today()


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, never an address an attacker could plant."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def _here() -> str:
    return request.full_path.rstrip("?")


def _reads_whole_team(user: User) -> bool:
    return user.has_role(*TEAM_READERS)


# --- objects a user may see, else 404 ---------------------------------------------------------------


def _membership_or_404(membership_id: int, user: User) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    if _reads_whole_team(user) or membership.member_id == user.id:
        return membership
    if membership.placement_opd_id is not None and services.is_koordinator_of(user, membership.placement_opd_id):
        return membership
    abort(404)


def _board_opd_or_404(opd_id: int, user: User) -> Opd:
    opd = db.session.get(Opd, opd_id)
    if opd is None or not (user.has_role(*BOARD_READERS) or services.is_koordinator_of(user, opd_id)):
        abort(404)
    return opd


def _task_or_404(task_id: int, user: User) -> Task:
    task = db.session.get(Task, task_id)
    if task is None or not services.can_see_task(user, task):
        abort(404)
    return task


def _program_or_404(program_id: int) -> WorkProgram:
    program = db.session.get(WorkProgram, program_id)
    if program is None:
        abort(404)
    return program


# --- what every task card needs ---------------------------------------------------------------------


def _moves_for(user: User, task: Task) -> list[tuple[str, str, bool]]:
    """(target status, button label, asks for a note) for each button ``user`` gets on ``task``."""
    as_assignee = any(a.id == user.id for a in task.assignees)
    as_koordinator = services.is_koordinator_of(user, task.opd_id)
    moves = []
    for (current, target), label in MOVE_LABELS.items():
        if current != task.status.value:
            continue
        if ((current, target) in rules.MEMBER_MOVES and as_assignee) or (
            (current, target) in rules.KOORDINATOR_MOVES and as_koordinator
        ):
            moves.append((target, label, (current, target) in rules.KOORDINATOR_MOVES))
    return moves


def _card_context(user: User, today: dt.date, back: str, mode: str | None) -> dict:
    """mode: "board" (a move swaps the board), "card" (it swaps the card) or None (a plain form)."""
    return {
        "moves_for": lambda task: _moves_for(user, task),
        "overdue": lambda task: rules.is_overdue(task.due_date, task.status.value, today),
        "status_labels": rules.TASK_STATUS_LABELS,
        "priority_labels": PRIORITY_LABELS,
        "back": back,
        "card_mode": mode,
        "card_errors": {},
        "today": today,
    }


# --- the OPD board (002 §13(1)a) ----------------------------------------------------------------------


def _program_choices(opd_id: int) -> list[tuple[int, int, str]]:
    return [
        tuple(row)
        for row in db.session.execute(
            select(WorkProgram.id, WorkProgram.year, WorkProgram.title)
            .where(WorkProgram.opd_id == opd_id)
            .order_by(WorkProgram.year.desc(), WorkProgram.title)
        )
    ]


def _task_form(programs: list[tuple[int, int, str]]) -> TaskForm:
    """The assignees are not choices of the form: the picker offers them a search at a time, and the
    service refuses anyone not placed in the OPD."""
    form = TaskForm()
    form.assignee_ids.choices = []
    form.program_id.choices = [SelectChoice("", _("— tanpa program —"))] + [
        SelectChoice(str(pid), f"{title} ({year})") for pid, year, title in programs
    ]
    return form


def _board_block(opd: Opd, user: User, filters: BoardFilters, back: str, *, card_errors=None, notice="") -> dict:
    """What the board's columns need: the first cards of each column and how many match."""
    today = _today()
    where = board_queries.conditions(opd.id, filters, today)
    counts = board_queries.column_counts(db.session, where)
    columns = board_queries.column_tasks(db.session, where, counts, {s.value: (0, COLUMN_LIMIT) for s in TaskStatus})
    context = _card_context(user, today, back, "board")
    context.update(
        opd=opd,
        columns=columns,
        counts=counts,
        filters=filters,
        card_errors=card_errors or {},
        notice=notice,
    )
    return context


def _board_context(
    opd: Opd,
    user: User,
    filters: BoardFilters,
    back: str,
    *,
    form: TaskForm | None = None,
    picker_query: str = "",
    open_form: bool = False,
) -> dict:
    """The whole board page: the columns, the filters and, for its koordinator, the new-task form."""
    context = _board_block(opd, user, filters, back)
    programs = _program_choices(opd.id)
    can_assign = services.is_koordinator_of(user, opd.id)
    member_filter = board_queries.member_choices(
        db.session, opd.id, request.args.get("anggota_cari", ""), [filters.member_id] if filters.member_id else []
    )
    picker = None
    if can_assign:
        form = form if form is not None else _task_form(programs)
        chosen = [i for i in (form.assignee_ids.data or []) if isinstance(i, int)]
        picker = board_queries.member_choices(db.session, opd.id, picker_query, chosen)
    own_opds = []
    if len(user.opd_ids_for(Role.KOORDINATOR)) > 1:
        own_opds = list(
            db.session.execute(
                select(Opd.id, Opd.name).where(Opd.id.in_(user.opd_ids_for(Role.KOORDINATOR))).order_by(Opd.name)
            )
        )
    context.update(
        own_opds=own_opds,
        programs=programs,
        member_filter=member_filter,
        picker=picker,
        can_assign=can_assign,
        form=form if can_assign else None,
        open_form=open_form,
    )
    return context


@bp.route("/papan")
@roles_required(Role.KOORDINATOR, Role.KETUA, Role.SEKRETARIS)
def boards():
    """A koordinator goes straight to their OPD's board; the ketua and sekretaris pick an OPD."""
    user = _user()
    if not user.has_role(*BOARD_READERS):
        first = db.session.scalar(
            select(Opd.id).where(Opd.id.in_(user.opd_ids_for(Role.KOORDINATOR))).order_by(Opd.name).limit(1)
        )
        if first is None:
            abort(404)
        return redirect(url_for(".board", opd_id=first))
    q = request.args.get("q", "").strip()[
        :100
    ]  # a search box, not a document (SQLite refuses LIKE patterns over 50 KB)
    query = select(Opd).where(Opd.active).order_by(Opd.name)
    if q:
        query = query.where(Opd.name.icontains(q, autoescape=True) | Opd.short_name.icontains(q, autoescape=True))
    page = paginate(query, per_page=50)
    opd_ids = [o.id for o in page.items]
    task_counts = board_queries.opd_task_counts(db.session, _today(), opd_ids)
    member_counts = dict(
        db.session.execute(
            select(Membership.placement_opd_id, func.count())
            .where(Membership.placement_opd_id.in_(opd_ids), Membership.status.in_(services.SERVING))
            .group_by(Membership.placement_opd_id)
        ).all()
    )
    return render("team/boards.html", "results", page=page, q=q, task_counts=task_counts, member_counts=member_counts)


@bp.route("/opd/<int:opd_id>/tugas")
@roles_required(Role.KOORDINATOR, Role.KETUA, Role.SEKRETARIS)
def board(opd_id: int):
    user = _user()
    opd = _board_opd_or_404(opd_id, user)
    filters = BoardFilters.read(request.args)
    if wants_fragment():
        return render("team/board.html", "board", **_board_block(opd, user, filters, _here()))
    picker_query = request.args.get("penerima_cari")
    context = _board_context(
        opd, user, filters, _here(), picker_query=picker_query or "", open_form=picker_query is not None
    )
    return render("team/board.html", **context)


@bp.route("/opd/<int:opd_id>/tugas/kolom/<column>")
@roles_required(Role.KOORDINATOR, Role.KETUA, Role.SEKRETARIS)
def board_column(opd_id: int, column: str):
    """The next cards of one column: appended under it by htmx ("Tampilkan lebih banyak"), or, without
    JavaScript, the column's own page from there, a page at a time."""
    user = _user()
    opd = _board_opd_or_404(opd_id, user)
    if column not in {s.value for s in TaskStatus}:
        abort(404)
    today = _today()
    filters = BoardFilters.read(request.args)
    offset = max(request.args.get("dari", 0, type=int) or 0, 0)
    where = board_queries.conditions(opd.id, filters, today)
    counts = board_queries.column_counts(db.session, [*where, Task.status == TaskStatus(column)])
    board_url = url_for(".board", opd_id=opd.id, **filters.args())
    if is_htmx_target(f"kolom-{column}-lebih"):
        tasks = board_queries.column_tasks(db.session, where, counts, {column: (offset, COLUMN_LIMIT)})[column]
        return render_template(
            "team/_board_more_cards.html",
            tasks=tasks,
            opd=opd,
            status=column,
            total=counts[column].total,
            shown_until=offset + len(tasks),
            filters=filters,
            **_card_context(user, today, board_url, "board"),
        )
    tasks = board_queries.column_tasks(db.session, where, counts, {column: (offset, COLUMN_PAGE)})[column]
    return render(
        "team/board_column.html",
        tasks=tasks,
        opd=opd,
        status=column,
        total=counts[column].total,
        offset=offset,
        per_page=COLUMN_PAGE,
        filters=filters,
        board_url=board_url,
        **_card_context(user, today, _here(), "card"),
    )


@bp.route("/opd/<int:opd_id>/anggota-cari")
@roles_required(Role.KOORDINATOR, Role.KETUA, Role.SEKRETARIS)
def board_members(opd_id: int):
    """Search-as-you-type over the members placed in the OPD, for the board's member filter and, for
    its koordinator, the new task's assignees. Without htmx: the board with that search in its picker."""
    user = _user()
    opd = _board_opd_or_404(opd_id, user)
    if is_htmx_target("assignee-options") and services.is_koordinator_of(user, opd.id):
        picker = board_queries.member_choices(
            db.session,
            opd.id,
            request.args.get("penerima_cari", ""),
            request.args.getlist("assignee_ids", type=int),
        )
        return render_template("team/_assignee_options.html", picker=picker)
    if is_htmx_target("board-anggota"):
        chosen = request.args.get("anggota", type=int)
        member_filter = board_queries.member_choices(
            db.session, opd.id, request.args.get("anggota_cari", ""), [chosen] if chosen else []
        )
        return render_template("team/_member_options.html", member_filter=member_filter)
    args = BoardFilters.read(request.args).args()
    for name in ("anggota_cari", "penerima_cari"):
        if name in request.args:
            args[name] = request.args.get(name, "")[:100]
    return redirect(url_for(".board", opd_id=opd.id, **args))


@bp.route("/opd/<int:opd_id>/tugas", methods=["POST"])
@roles_required(Role.KOORDINATOR)
def task_new(opd_id: int):
    """A koordinator assigns a task to members placed in the OPD (002 §13(1)a)."""
    user = _user()
    opd = db.session.get(Opd, opd_id)
    if opd is None or not services.is_koordinator_of(user, opd_id):
        abort(404)
    form = _task_form(_program_choices(opd.id))
    if form.validate_on_submit():
        try:
            task = services.create_task(
                db.session, user, opd.id, form.data_for_service(), form.assignee_ids.data or [], _today()
            )
        except services.TeamError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Tugas “%(title)s” diberikan.", title=task.title), "success")
            return redirect(url_for(".board", opd_id=opd.id))
    back = url_for(".board", opd_id=opd.id)
    context = _board_context(opd, user, BoardFilters(), back, form=form)
    return render("team/board.html", **context), 422


@bp.route("/tugas/<int:task_id>/status", methods=["POST"])
@roles_required(Role.KOORDINATOR, Role.ANGGOTA)
def task_move(task_id: int):
    """A member works the task; the koordinator verifies it or returns it (rules.check_task_move)."""
    user = _user()
    task = _task_or_404(task_id, user)
    back = _safe_next(request.form.get("next")) or url_for(".task", task_id=task.id)
    formdata = request.form.copy()
    if not formdata.get("note"):  # on a board, one form holds every card's note, named after its task
        formdata["note"] = formdata.get(f"note-{task.id}", "")
    form = TaskMoveForm(formdata=formdata)
    error = None
    if form.validate_on_submit():
        try:
            services.move_task(db.session, user, task, form.status.data, form.note.data or "")
        except services.TeamError as exc:
            db.session.rollback()
            error = str(exc)
    else:
        error = " ".join(str(m) for messages in form.errors.values() for m in messages)
    status = 422 if error else 200
    label = _(rules.TASK_STATUS_LABELS[task.status.value])
    if wants_fragment():
        if is_htmx_target("board"):
            notice = "" if error else _("“%(title)s” sekarang %(status)s.", title=task.title, status=label)
            context = _board_block(
                task.opd,
                user,
                BoardFilters.read(request.form),
                back,
                card_errors={task.id: error} if error else {},
                notice=notice,
            )
            if error and not any(t.id == task.id for shown in context["columns"].values() for t in shown):
                context["alert"] = error  # the card is further down its column than the board shows
            return render("team/board.html", "board", **context), status
        context = _card_context(user, _today(), back, "card")
        context["card_errors"] = {task.id: error} if error else {}
        return render_template("team/_task_card.html", task=task, **context), status
    if error:
        flash(error, "error")
    else:
        flash(_("Status tugas “%(title)s” menjadi %(status)s.", title=task.title, status=label), "success")
    return redirect(back)


@bp.route("/tugas/<int:task_id>")
@roles_required(Role.KOORDINATOR, Role.ANGGOTA, Role.KETUA, Role.SEKRETARIS, Role.PEMBINA)
def task(task_id: int):
    user = _user()
    return _task_page(_task_or_404(task_id, user), user, CommentForm())


def _task_page(task: Task, user: User, comment_form: CommentForm):
    can_comment = services.is_koordinator_of(user, task.opd_id) or any(a.id == user.id for a in task.assignees)
    context = _card_context(user, _today(), url_for(".task", task_id=task.id), None)
    return render(
        "team/task.html",
        task=task,
        comment_form=comment_form if can_comment else None,
        event_labels=EVENT_LABELS,
        can_open_board=user.has_role(*BOARD_READERS) or services.is_koordinator_of(user, task.opd_id),
        **context,
    )


@bp.route("/tugas/<int:task_id>/komentar", methods=["POST"])
@roles_required(Role.KOORDINATOR, Role.ANGGOTA)
def task_comment(task_id: int):
    user = _user()
    task = _task_or_404(task_id, user)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.comment_on_task(db.session, user, task, form.body.data)
        except services.TeamError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            flash(_("Komentar ditambahkan."), "success")
            return redirect(url_for(".task", task_id=task.id, _anchor="komentar"))
    return _task_page(task, user, form), 422


@bp.route("/tugas-saya")
@roles_required(Role.ANGGOTA)
def my_tasks():
    """A member's own tasks (002 §14), the overdue ones flagged."""
    user = _user()
    status = request.args.get("status", "")
    q = request.args.get("q", "").strip()[:100]
    # The cards name the assignees; their role grants are never needed (one query less per page).
    query = services.tasks_for_member_query(user.id).options(
        selectinload(Task.assignees).options(lazyload(User.grants))
    )
    # Without a condition on the task, the member's assignments alone tell how many (from their index).
    counted = select(task_assignee.c.task_id).where(task_assignee.c.member_id == user.id)
    if q:
        query = query.where(Task.title.icontains(q, autoescape=True))
    if status in {s.value for s in TaskStatus}:
        query = query.where(Task.status == TaskStatus(status))
    elif status == "terlambat":
        query = query.where(Task.status.in_(OPEN_STATUSES), Task.due_date < _today())
    if q or status:
        counted = query.with_only_columns(Task.id)
    page = _paginate_split(query, counted, per_page=20)
    context = _card_context(user, _today(), _here(), "card")
    return render("team/my_tasks.html", "results", page=page, status=status, q=q, **context)


# --- programs and targets (002 §12(2)a) ---------------------------------------------------------------


def _opd_choices(opd_ids: set[int] | None = None) -> list[tuple[int, str]]:
    query = select(Opd.id, Opd.name).where(Opd.active).order_by(Opd.name)
    if opd_ids is not None:
        query = query.where(Opd.id.in_(opd_ids))
    return [tuple(row) for row in db.session.execute(query)]


@bp.route("/program")
@roles_required(Role.SEKRETARIS, Role.ADMIN, Role.KETUA, Role.PEMBINA, Role.KOORDINATOR)
def programs():
    user = _user()
    today = _today()
    year = request.args.get("tahun", type=int) or today.year
    opd_id = request.args.get("opd", type=int)
    scope = None if _reads_whole_team(user) else user.opd_ids_for(Role.KOORDINATOR)
    query = (
        select(WorkProgram)
        .join(Opd, Opd.id == WorkProgram.opd_id)
        .where(WorkProgram.year == year)
        .order_by(Opd.name, WorkProgram.title, WorkProgram.id)
    )
    if scope is not None:
        query = query.where(WorkProgram.opd_id.in_(scope))
    if opd_id:
        query = query.where(WorkProgram.opd_id == opd_id)
    page = paginate(query, per_page=20)
    years = sorted(set(db.session.scalars(select(WorkProgram.year).distinct())) | {today.year, year}, reverse=True)
    return render(
        "team/programs.html",
        "results",
        page=page,
        year=year,
        years=years,
        opd_id=opd_id,
        opds=_opd_choices(scope),
        can_edit=user.has_role(Role.SEKRETARIS, Role.ADMIN),
    )


def _target_errors(form: ProgramForm, message: str) -> None:
    """Put the service's "Target 2: …" message on that row; any other message on the form."""
    found = re.match(r"Target (\d+):", message)
    if found and 1 <= int(found.group(1)) <= len(form.targets):
        form.targets[int(found.group(1)) - 1].form.unit.errors = [message]
    form.form_errors.append(message)


@bp.route("/program/baru", methods=["GET", "POST"])
@roles_required(Role.SEKRETARIS, Role.ADMIN)
def program_new():
    form = ProgramForm()
    form.opd_id.choices = [SelectChoice("", _("— pilih OPD —"))] + [
        SelectChoice(str(i), name) for i, name in _opd_choices()
    ]
    if request.method == "GET":
        form.year.data = request.args.get("tahun", type=int) or _today().year
        form.opd_id.data = request.args.get("opd", type=int)
    if form.validate_on_submit():
        data = {
            "opd_id": form.opd_id.data,
            "year": form.year.data,
            "title": form.title.data,
            "description": form.description.data,
        }
        try:
            program = services.save_program(db.session, _user(), data, form.target_rows())
        except services.TeamError as exc:
            db.session.rollback()
            _target_errors(form, str(exc))
        else:
            flash(_("Program kerja “%(title)s” disimpan.", title=program.title), "success")
            return redirect(url_for(".programs", tahun=program.year, opd=program.opd_id))
    return render("team/program_form.html", form=form, program=None), 422 if form.errors else 200


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@bp.route("/program/<int:program_id>/ubah", methods=["GET", "POST"])
@roles_required(Role.SEKRETARIS, Role.ADMIN)
def program_edit(program_id: int):
    program = _program_or_404(program_id)
    if request.method == "GET":
        rows = [{"description": t.description, "value": _plain(t.value), "unit": t.unit} for t in program.targets]
        rows += [{}] * max(0, TARGET_ROWS - len(rows))
        form = ProgramEditForm(data={"title": program.title, "description": program.description, "targets": rows})
    else:
        form = ProgramEditForm()
    if form.validate_on_submit():
        data = {"title": form.title.data, "description": form.description.data}
        try:
            services.save_program(db.session, _user(), data, form.target_rows(), program)
        except services.TeamError as exc:
            db.session.rollback()
            _target_errors(form, str(exc))
        else:
            flash(_("Program kerja “%(title)s” disimpan.", title=program.title), "success")
            return redirect(url_for(".programs", tahun=program.year, opd=program.opd_id))
    return render("team/program_form.html", form=form, program=program), 422 if form.errors else 200


# --- memberships (002 §15) and the organisation chart (002 §9) ---------------------------------------------


class _SplitPagination(CappedPagination):
    """A page whose rows come from ``items`` (a select, or a function of how many rows the pages up to
    this one hold) and whose capped count comes from ``select``: a count that needs neither the sort
    nor the joins the rows need."""

    def _query_items(self) -> list:
        items = self._query_args["items"]
        if callable(items):
            items = items(self._query_offset + self.per_page)
        items = items.limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(items).unique().scalars())


def _paginate_split(items, counted, per_page: int | None = None) -> CappedPagination:
    per_page = min(per_page or current_app.config["PER_PAGE"], 100)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    return _SplitPagination(
        select=counted, items=items, session=db.session(), page=page, per_page=per_page, error_out=False
    )


def _paginate_by_member_name(membership_filters: list, user_filters: list) -> CappedPagination:
    """Memberships in member-name order, read through the members first in the name index: the page
    costs the same with 3,000 or 30,000 memberships (issue 8 §2)."""
    counted = select(Membership.id).where(*membership_filters)
    if user_filters:
        counted = counted.join(User, User.id == Membership.member_id).where(*user_filters)
    return _paginate_split(
        lambda members: services.memberships_by_member_name(membership_filters, user_filters, members), counted
    )


@bp.route("/anggota")
@roles_required(*TEAM_READERS, Role.KOORDINATOR)
def memberships():
    user = _user()
    scope = None if _reads_whole_team(user) else user.opd_ids_for(Role.KOORDINATOR)
    q = request.args.get("q", "").strip()[:100]
    opd_id = request.args.get("opd", type=int)
    status = request.args.get("status", "")
    page = _paginate_by_member_name(
        services.membership_filters(
            scope=scope,
            opd_id=opd_id,
            status=MembershipStatus(status) if status in {s.value for s in MembershipStatus} else None,
        ),
        services.member_search_filters(q),
    )
    category_ids = {m.category_id for m in page.items if m.category_id}
    categories = (
        dict(
            db.session.execute(
                select(SelectionCategory.id, SelectionCategory.name).where(SelectionCategory.id.in_(category_ids))
            ).all()
        )
        if category_ids
        else {}
    )
    return render(
        "team/memberships.html",
        "results",
        page=page,
        q=q,
        opd_id=opd_id,
        status=status,
        opds=_opd_choices(scope),
        categories=categories,
        status_labels=rules.MEMBERSHIP_STATUS_LABELS,
    )


def _membership_page(membership: Membership, user: User, status_form=None, extension_form=None):
    category = (
        db.session.scalar(select(SelectionCategory.name).where(SelectionCategory.id == membership.category_id))
        if membership.category_id
        else None
    )
    letters = db.session.scalars(
        select(DisciplineLetter)
        .where(DisciplineLetter.membership_id == membership.id)
        .order_by(DisciplineLetter.letter_date, DisciplineLetter.id)
    ).all()
    renewals = db.session.scalars(
        select(Membership).where(Membership.previous_id == membership.id).order_by(Membership.id)
    ).all()
    can_act = user.has_role(Role.KETUA, Role.ADMIN)
    # The letters' PDFs are served by the discipline pages, to the member, their koordinator and the team's heads.
    reads_letters = (
        user.has_role(Role.KETUA, Role.SEKRETARIS, Role.PEMBINA)
        or membership.member_id == user.id
        or (membership.placement_opd_id is not None and services.is_koordinator_of(user, membership.placement_opd_id))
    )
    letter_pdf = LETTER_PDF if reads_letters and LETTER_PDF in current_app.view_functions else None
    return render(
        "team/membership.html",
        membership=membership,
        category=category,
        letters=letters,
        renewals=renewals,
        can_act=can_act,
        serving=membership.status in services.SERVING,
        status_form=status_form or MembershipStatusForm(formdata=None),
        extension_form=extension_form or ExtensionForm(formdata=None),
        status_labels=rules.MEMBERSHIP_STATUS_LABELS,
        letter_labels=LETTER_LABELS,
        letter_pdf=letter_pdf,
    )


@bp.route("/anggota/<int:membership_id>")
@roles_required(*TEAM_READERS, Role.KOORDINATOR, Role.ANGGOTA)
def membership(membership_id: int):
    user = _user()
    return _membership_page(_membership_or_404(membership_id, user), user)


@bp.route("/anggota/<int:membership_id>/status", methods=["POST"])
@roles_required(Role.KETUA, Role.ADMIN)
def membership_status(membership_id: int):
    user = _user()
    membership = _membership_or_404(membership_id, user)
    form = MembershipStatusForm()
    if form.validate_on_submit():
        try:
            services.set_membership_status(
                db.session, user, membership, MembershipStatus(form.status.data), form.reason.data
            )
        except services.TeamError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Status keanggotaan diubah."), "success")
            return redirect(url_for(".membership", membership_id=membership.id))
    return _membership_page(membership, user, status_form=form), 422


@bp.route("/anggota/<int:membership_id>/perpanjang", methods=["POST"])
@roles_required(Role.KETUA, Role.ADMIN)
def membership_extend(membership_id: int):
    """A new decree after evaluation starts a new one-year term (002 §15(1))."""
    user = _user()
    membership = _membership_or_404(membership_id, user)
    form = ExtensionForm()
    if form.validate_on_submit():
        try:
            renewed = services.extend_membership(
                db.session, user, membership, form.decree_number.data, form.decree_date.data
            )
        except services.TeamError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Keanggotaan diperpanjang dengan keputusan %(number)s.", number=renewed.decree_number), "success")
            return redirect(url_for(".membership", membership_id=renewed.id))
    return _membership_page(membership, user, extension_form=form), 422


@bp.route("/struktur")
@roles_required(*TEAM_ROLES)
def structure():
    """The organisation chart: pembina, ketua, sekretaris, per OPD its koordinator(s) and members (002 §9)."""
    user = _user()
    leaders: dict[str, list[str]] = defaultdict(list)
    for role, name in db.session.execute(
        select(RoleGrant.role, User.full_name)
        .join(User, User.id == RoleGrant.user_id)
        .where(RoleGrant.role.in_([Role.PEMBINA, Role.KETUA, Role.SEKRETARIS]), User.active)
        .order_by(User.full_name)
    ):
        leaders[role.value].append(name)
    koordinators: dict[int, list[str]] = defaultdict(list)
    for opd_id, name in db.session.execute(
        select(RoleGrant.opd_id, User.full_name)
        .join(User, User.id == RoleGrant.user_id)
        .where(RoleGrant.role == Role.KOORDINATOR, RoleGrant.opd_id.is_not(None), User.active)
        .order_by(User.full_name)
    ):
        koordinators[opd_id].append(name)
    members: dict[int, list[Membership]] = defaultdict(list)
    for m in services.serving_memberships(db.session):
        if m.placement_opd_id is not None:
            members[m.placement_opd_id].append(m)
    for placed in members.values():
        placed.sort(key=lambda m: m.member.full_name)
    opd_ids = set(koordinators) | set(members)
    opds = db.session.scalars(select(Opd).where(Opd.id.in_(opd_ids)).order_by(Opd.name)).all() if opd_ids else []
    return render(
        "team/structure.html",
        leaders=leaders,
        koordinators=koordinators,
        members=members,
        opds=opds,
        link_members=_reads_whole_team(user),
        own_opds=user.opd_ids_for(Role.KOORDINATOR),
    )


nav.register(
    nav.NavItem("Tugas saya", "team.my_tasks", group="Tim", order=30),
    nav.NavItem("Papan tugas OPD", "team.boards", group="Tim", order=31),
    nav.NavItem("Program kerja", "team.programs", group="Tim", order=32),
    nav.NavItem("Anggota tim", "team.memberships", group="Tim", order=33),
    nav.NavItem("Struktur tim", "team.structure", group="Tim", order=34),
)
