"""The selection panel's and the ketua's side of selection (002 §16; 000 §10): the rounds, each
round's board and queue, an application with its administrative check, scores and history, the
call letters, the result and ranking, the announcement and the appointment.

Who sees what: a panel member sees only the rounds they sit on (anything else is 404); the ketua
and admins see every round, read-only. Only the round's panel members decide, score, close
stages and issue call letters; the ketua announces; the ketua or an admin records the decree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload, lazyload, load_only, selectinload
from wtforms.fields.choices import SelectChoice

from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.contracts import rules as contract_rules
from pontive.contracts import services as contract_services
from pontive.core import nav
from pontive.core.excel import Column, xlsx_response
from pontive.core.forms import ButtonForm
from pontive.core.htmx import render
from pontive.core.i18n import to_local
from pontive.core.letters import pdf_response
from pontive.core.models import utcnow
from pontive.core.pagination import CappedPagination, paginate
from pontive.core.permissions import login_required, roles_required
from pontive.dashboard import cards
from pontive.extensions import db
from pontive.recruitment import rules, services
from pontive.recruitment.counts import stored_counts
from pontive.recruitment.letters import render_announcement, render_call_letter
from pontive.recruitment.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CallLetter,
    DocumentKind,
    LetterKind,
    PanelMember,
    RoundKind,
    RoundStatus,
    SelectionCategory,
    SelectionRound,
    Stage,
)
from pontive.recruitment.panel_forms import (
    FAIL,
    PASS,
    WHOM_CHECKED,
    AdminDecisionForm,
    AnnouncementForm,
    AppointmentForm,
    CallLetterForm,
    ScoreForm,
)

bp = Blueprint("selection", __name__, url_prefix="/panitia")

PANEL_ROLES = (Role.PANEL, Role.KETUA, Role.ADMIN)
READ_ALL_ROLES = (Role.KETUA, Role.ADMIN)  # see every round, read-only

nav.register(nav.NavItem("Tim seleksi", "selection.index", order=40))

# --- labels --------------------------------------------------------------------------------------

STAGE_SLUGS = {"wawancara": Stage.INTERVIEW, "praktik": Stage.PRACTICAL}
SLUG_OF_STAGE = {stage: slug for slug, stage in STAGE_SLUGS.items()}
STAGE_LABELS = {Stage.INTERVIEW: "Wawancara", Stage.PRACTICAL: "Uji kompetensi teknis metode praktek"}
LETTER_OF_SLUG = {"wawancara": LetterKind.CALL_INTERVIEW, "praktik": LetterKind.CALL_PRACTICAL}
LETTER_LABELS = {
    LetterKind.CALL_INTERVIEW: "Surat panggilan wawancara",
    LetterKind.CALL_PRACTICAL: "Surat panggilan uji kompetensi teknis",
}
DOCUMENT_LABELS = {
    DocumentKind.CV: "Daftar riwayat hidup",
    DocumentKind.ADMIN_DOCS: "Persyaratan administrasi",
    DocumentKind.EXPERIENCE_STATEMENT: "Surat pernyataan pengalaman kerja",
    DocumentKind.CAPABILITY_STATEMENT: "Surat pernyataan mampu menjalankan tugas",
    DocumentKind.CERTIFICATE: "Sertifikat keahlian",
    DocumentKind.KTP: "KTP",
    DocumentKind.NPWP: "NPWP",
    DocumentKind.DIPLOMA: "Ijazah dan transkrip",
}
# What an application in each status waits for, on the board (002 §16(3)).
WAITING_FOR = {
    ApplicationStatus.SUBMITTED: "Menunggu pemeriksaan administratif",
    ApplicationStatus.ADMIN_PASSED: "Menunggu surat panggilan wawancara",
    ApplicationStatus.INTERVIEW: "Tahap formulir kompetensi dan wawancara",
    ApplicationStatus.PRACTICAL: "Tahap uji kompetensi teknis",
    ApplicationStatus.PASSED: "Menunggu pengumuman",
    ApplicationStatus.SELECTED: "Menunggu keputusan Wali Kota",
}
BOARD_STATUSES = [s for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
WAITING_STAGES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ADMIN_PASSED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.PRACTICAL,
]
FAILED_STATUSES = [
    ApplicationStatus.ADMIN_FAILED,
    ApplicationStatus.INTERVIEW_FAILED,
    ApplicationStatus.PRACTICAL_FAILED,
]
RANKED_STATUSES = [
    ApplicationStatus.PASSED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.APPOINTED,
]
# The statuses from which a stage's scores are part of the application's story.
STAGE_REACHED = {
    Stage.INTERVIEW: {
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.INTERVIEW_FAILED,
        ApplicationStatus.PRACTICAL,
        ApplicationStatus.PRACTICAL_FAILED,
        *RANKED_STATUSES,
    },
    Stage.PRACTICAL: {ApplicationStatus.PRACTICAL, ApplicationStatus.PRACTICAL_FAILED, *RANKED_STATUSES},
}
ROUND_STATUS_LABELS = {
    RoundStatus.DRAFT: "Draf",
    RoundStatus.OPEN: "Pendaftaran dibuka",
    RoundStatus.CLOSED: "Pendaftaran ditutup",
    RoundStatus.ANNOUNCED: "Sudah diumumkan",
}


def _user() -> User:
    return current_user._get_current_object()


def _today() -> dt.date:
    return to_local(utcnow()).date()


def _decimal(value) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def _years(value) -> str:
    """3 → "3", 2.5 → "2,5": years of experience as the applicant wrote them."""
    return "—" if value is None else f"{value.normalize():f}".replace(".", ",")


# --- who may see what ----------------------------------------------------------------------------


def may_see_round(selection_round: SelectionRound, user: User) -> bool:
    return user.has_role(*READ_ALL_ROLES) or selection_round.is_panelist(user)


# The panel's members as rows (who sits on it): their names and role grants load only where shown.
_PANEL_IDS_ONLY = selectinload(SelectionRound.panel).lazyload(PanelMember.user)


def get_round_for_user_or_404(round_id: int, user: User) -> SelectionRound:
    """The round, if ``user`` sits on its panel or is the ketua or an admin; 404 otherwise."""
    selection_round = db.session.get(SelectionRound, round_id, options=[_PANEL_IDS_ONLY])
    if selection_round is None or not may_see_round(selection_round, user):
        abort(404)
    return selection_round


def get_application_for_panel_or_404(application_id: int, user: User) -> Application:
    """A submitted application of a round ``user`` may see; drafts stay the applicant's own."""
    application = db.session.get(
        Application,
        application_id,
        options=[
            joinedload(Application.round).options(_PANEL_IDS_ONLY, lazyload(SelectionRound.quotas)),
            joinedload(Application.applicant).lazyload(User.grants),
        ],
    )
    if (
        application is None
        or application.status == ApplicationStatus.DRAFT
        or not may_see_round(application.round, user)
    ):
        abort(404)
    return application


def _refuse_unless_panelist(selection_round: SelectionRound, user: User, back: str):
    """The services refuse anyone outside the round's panel; say so and go back."""
    try:
        services.require_panelist(selection_round, user)
    except services.SelectionError as exc:
        flash(str(exc), "error")
        return redirect(back)
    return None


def _round_for_panelist(round_id: int) -> tuple[SelectionRound, Any]:
    """For a POST of the round's panel: the round (404 unless the user may see it) and, unless the user
    sits on its panel, the redirect back to its board with the refusal flashed (else None)."""
    selection_round = get_round_for_user_or_404(round_id, _user())
    back = url_for("selection.board", round_id=round_id)
    return selection_round, _refuse_unless_panelist(selection_round, _user(), back)


def _application_for_panelist(application_id: int) -> tuple[Application, Any]:
    """For a POST of the round's panel: the application (404 unless the user may see its round) and,
    unless the user sits on the round's panel, the redirect back to it with the refusal flashed (else None)."""
    application = get_application_for_panel_or_404(application_id, _user())
    back = url_for("selection.application", application_id=application_id)
    return application, _refuse_unless_panelist(application.round, _user(), back)


# --- queries ---------------------------------------------------------------------------------------


def status_counts(round_ids: list[int]) -> dict[int, dict[str, int]]:
    """Applications per status for each round (drafts are the applicant's own), read from the stored
    counts: a few rows per round however many applications it holds."""
    return stored_counts(db.session, round_ids)


def _awaits(kind: LetterKind):
    """Admin-passed applications await the interview letter; those at the practical stage without a
    practical letter await that one (002 §16(3)b–c)."""
    if kind == LetterKind.CALL_INTERVIEW:
        return Application.status == ApplicationStatus.ADMIN_PASSED
    called = select(CallLetter.id).where(
        CallLetter.application_id == Application.id, CallLetter.kind == LetterKind.CALL_PRACTICAL
    )
    return and_(Application.status == ApplicationStatus.PRACTICAL, ~called.exists())


def waiting_for_letter(selection_round: SelectionRound, kind: LetterKind) -> list[Application]:
    """The applications awaiting ``kind`` (see _awaits), in filing order, to issue their letters."""
    query = (
        select(Application)
        .options(lazyload(Application.round), joinedload(Application.applicant).lazyload(User.grants))
        .where(Application.round_id == selection_round.id, _awaits(kind))
        .order_by(Application.submitted_at, Application.id)
    )
    return list(db.session.scalars(query))


def waiting_names(selection_round: SelectionRound) -> dict[LetterKind, list[Any]]:
    """Per letter, who awaits it as rows of (id, status, full_name) in filing order: one query for the board."""
    kinds = {
        ApplicationStatus.ADMIN_PASSED: LetterKind.CALL_INTERVIEW,
        ApplicationStatus.PRACTICAL: LetterKind.CALL_PRACTICAL,
    }
    waiting: dict[LetterKind, list[Any]] = {kind: [] for kind in LetterKind}
    rows = db.session.execute(
        select(Application.id, Application.status, User.full_name)
        .join(User, User.id == Application.applicant_id)
        .where(
            Application.round_id == selection_round.id,
            or_(_awaits(LetterKind.CALL_INTERVIEW), _awaits(LetterKind.CALL_PRACTICAL)),
        )
        .order_by(Application.submitted_at, Application.id)
    )
    for row in rows:
        waiting[kinds[row.status]].append(row)
    return waiting


# --- the rounds ------------------------------------------------------------------------------------


@bp.route("")
@roles_required(*PANEL_ROLES)
def index():
    user = _user()
    query = select(SelectionRound).order_by(SelectionRound.year.desc(), SelectionRound.id.desc())
    if not user.has_role(*READ_ALL_ROLES):
        query = query.where(SelectionRound.id.in_(select(PanelMember.round_id).where(PanelMember.user_id == user.id)))
    page = paginate(query)
    return render(
        "selection/index.html",
        "results",
        page=page,
        counts=status_counts([r.id for r in page.items]),
        round_status_labels=ROUND_STATUS_LABELS,
        waiting_stages=WAITING_STAGES,
        status_labels=rules.STATUS_LABELS,
    )


def _queue_filters(selection_round: SelectionRound) -> dict[str, Any]:
    status = request.args.get("status", "")
    if status not in {s.value for s in BOARD_STATUSES}:
        status = ""
    category = request.args.get("kategori", type=int)
    if selection_round.kind != RoundKind.TEAM or category not in {q.category_id for q in selection_round.quotas}:
        category = None
    return {"status": status, "kategori": category, "q": request.args.get("q", "").strip()[:80]}


class _CountedPagination(CappedPagination):
    """A page of the queue whose total is already known from the stored counts (no count query)."""

    def __init__(self, total: int, **kwargs: Any) -> None:
        self._known_total = total
        super().__init__(**kwargs)

    def _query_count(self) -> int:
        return self._known_total


def _queue(selection_round: SelectionRound, filters: dict[str, Any], counts: dict[str, int]):
    query = (
        select(Application)
        .options(
            load_only(Application.id, Application.status, Application.submitted_at, Application.category_id),
            lazyload(Application.round),
            joinedload(Application.applicant).load_only(User.full_name).lazyload("*"),
            joinedload(Application.category),
        )
        .where(Application.round_id == selection_round.id, Application.status != ApplicationStatus.DRAFT)
        .order_by(Application.submitted_at, Application.id)
    )
    if filters["status"]:
        query = query.where(Application.status == ApplicationStatus(filters["status"]))
    if filters["kategori"]:
        query = query.where(Application.category_id == filters["kategori"])
    if filters["q"]:
        # Walk the round's queue and look each applicant up by key, instead of reading every user first.
        like = f"%{filters['q'].lower()}%"
        applicant = aliased(User)
        query = query.join(applicant, applicant.id == Application.applicant_id).where(
            or_(func.lower(applicant.full_name).like(like), applicant.nik.like(like))
        )
    if filters["q"] or filters["kategori"]:
        return paginate(query)
    # Unfiltered or by status only: the total is the round's stored count (drafts are not counted), exact
    # and read already for the stages table, instead of counting a thousand rows past the page.
    total = counts.get(filters["status"], 0) if filters["status"] else sum(counts.values())
    return _CountedPagination(
        total,
        select=query,
        session=db.session(),
        page=max(request.args.get("page", 1, type=int) or 1, 1),
        per_page=min(current_app.config["PER_PAGE"], 100),
        error_out=False,
    )


def _letter_form(slug: str) -> CallLetterForm:
    today = _today()
    return CallLetterForm(
        formdata=None,
        prefix=slug,
        letter_date=today,
        event_date=today + dt.timedelta(days=7),
        event_time=dt.time(9, 0),
    )


def _board_page(selection_round: SelectionRound, letter_forms: dict[str, CallLetterForm] | None = None, status=200):
    user = _user()
    filters = _queue_filters(selection_round)
    counts = status_counts([selection_round.id]).get(selection_round.id, {})
    page = _queue(selection_round, filters, counts)
    panelist = selection_round.is_panelist(user)
    letters = []
    if panelist:
        waiting_by_kind = waiting_names(selection_round)
        for slug, kind in LETTER_OF_SLUG.items():
            waiting = waiting_by_kind[kind]
            form = (letter_forms or {}).get(slug) or _letter_form(slug)
            form.application_ids.choices = [SelectChoice(a.id, a.full_name) for a in waiting]
            if waiting or slug in (letter_forms or {}):
                letters.append({"slug": slug, "label": LETTER_LABELS[kind], "waiting": waiting, "form": form})
    categories = sorted((q.category for q in selection_round.quotas if q.quota), key=lambda c: (c.position, c.name))
    return render(
        "selection/board.html",
        "results",
        round=selection_round,
        counts=counts,
        board_statuses=BOARD_STATUSES,
        waiting_for=WAITING_FOR,
        status_labels=rules.STATUS_LABELS,
        round_status_labels=ROUND_STATUS_LABELS,
        categories=categories,
        filters=filters,
        page=page,
        panelist=panelist,
        letters=letters,
        whom_checked=WHOM_CHECKED,
    ), status


@bp.route("/seleksi/<int:round_id>")
@roles_required(*PANEL_ROLES)
def board(round_id: int):
    return _board_page(get_round_for_user_or_404(round_id, _user()))


@bp.route("/seleksi/<int:round_id>/surat-panggilan", methods=["POST"])
@roles_required(*PANEL_ROLES)
def call_letters(round_id: int):
    user = _user()
    selection_round, refused = _round_for_panelist(round_id)
    if refused:
        return refused
    back = url_for("selection.board", round_id=round_id)
    slug = request.form.get("jenis", "")
    if slug not in LETTER_OF_SLUG:
        abort(400)
    kind = LETTER_OF_SLUG[slug]
    form = CallLetterForm(prefix=slug)
    waiting = waiting_for_letter(selection_round, kind)
    form.application_ids.choices = [SelectChoice(a.id, a.applicant.full_name) for a in waiting]
    if form.validate_on_submit():
        if form.whom.data == WHOM_CHECKED:
            wanted = set(form.application_ids.data or [])
            chosen = [a for a in waiting if a.id in wanted]
            if not wanted:
                form.application_ids.errors.append(_("Centang minimal satu pelamar."))
            elif len(chosen) != len(wanted):
                form.application_ids.errors.append(_("Sebagian pelamar yang dicentang tidak menunggu surat ini."))
        else:
            chosen = waiting
            if not chosen:
                form.form_errors.append(_("Tidak ada pelamar yang menunggu surat ini."))
        if not form.errors:
            try:
                issued = services.issue_call_letters(
                    db.session,
                    user,
                    selection_round,
                    chosen,
                    kind=kind,
                    number_prefix=form.number_prefix.data,
                    letter_date=form.letter_date.data,
                    event_at=dt.datetime.combine(form.event_date.data, form.event_time.data),
                    place=form.place.data,
                )
            except (services.SelectionError, rules.TransitionError) as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                flash(_("%(n)s surat panggilan dibuat.", n=len(issued)), "success")
                return redirect(back)
    return _board_page(selection_round, {slug: form}, 422)


@bp.route("/surat-panggilan/<int:letter_id>.pdf")
@login_required
def call_letter_pdf(letter_id: int):
    """The applicant themself, a panel member of the round, the ketua or an admin; others 404."""
    user = _user()
    letter = db.session.get(CallLetter, letter_id)
    if letter is None:
        abort(404)
    application = letter.application
    if not (application.applicant_id == user.id or may_see_round(application.round, user)):
        abort(404)
    return pdf_response(render_call_letter(db.session, letter), f"surat-panggilan-{letter.id}.pdf")


# --- one application ---------------------------------------------------------------------------------


def _admin_results(application: Application) -> list[dict[str, Any]]:
    if application.admin_results:
        return application.admin_results
    if application.status == ApplicationStatus.SUBMITTED:
        return [r.as_dict() for r in services.run_admin_check(db.session, application)]
    return []


def _application_page(
    application: Application,
    *,
    decision_form: AdminDecisionForm | None = None,
    score_forms: dict[Stage, ScoreForm] | None = None,
    status: int = 200,
):
    user = _user()
    selection_round = application.round
    panelist = selection_round.is_panelist(user)
    results = _admin_results(application)
    system_passed = rules.all_gates_passed(results) if results else None
    if decision_form is None:
        decision_form = AdminDecisionForm(formdata=None, decision=PASS if system_passed else FAIL)
    all_scores = services.scores_by_stage(db.session, application)
    stages = []
    for stage, slug in SLUG_OF_STAGE.items():
        if application.status not in STAGE_REACHED[stage]:
            continue
        scores = services.visible_scores(db.session, application, stage, user, all_scores[stage])
        active = application.status == services.STAGE_STATUS[stage]
        mine = next((s for s in scores if s.panelist_id == user.id), None)
        form = (score_forms or {}).get(stage) or ScoreForm(formdata=None, prefix=slug)
        stages.append(
            {
                "stage": stage,
                "slug": slug,
                "label": STAGE_LABELS[stage],
                "active": active,
                "scores": scores,
                "mine": mine,
                "count": len(all_scores[stage]),
                "mean": application.interview_score if stage == Stage.INTERVIEW else application.practical_score,
                "pass_mark": (
                    selection_round.pass_mark_interview
                    if stage == Stage.INTERVIEW
                    else selection_round.pass_mark_practical
                ),
                "form": form,
                "may_score": panelist and active and mine is None,
            }
        )
    letters = list(
        db.session.scalars(
            select(CallLetter).where(CallLetter.application_id == application.id).order_by(CallLetter.id)
        )
    )
    returning_contract_worker = selection_round.kind == RoundKind.CONTRACT and application.applicant.has_role(
        Role.KONTRAK
    )
    # 000 §11: the last end-of-contract evaluation is "bahan pertimbangan" of next year's selection.
    contract_evaluation = (
        contract_services.latest_evaluation_for(db.session, application.applicant_id)
        if selection_round.kind == RoundKind.CONTRACT
        else None
    )
    return render(
        "selection/application.html",
        application=application,
        round=selection_round,
        applicant=application.applicant,
        panelist=panelist,
        results=results,
        system_passed=system_passed,
        decision_form=decision_form,
        may_decide=panelist and application.status == ApplicationStatus.SUBMITTED,
        stages=stages,
        button_form=ButtonForm(formdata=None),
        letters=letters,
        letter_labels=LETTER_LABELS,
        document_labels=DOCUMENT_LABELS,
        status_labels=rules.STATUS_LABELS,
        returning_contract_worker=returning_contract_worker,
        contract_evaluation=contract_evaluation,
        recommendation_labels=contract_rules.RECOMMENDATIONS,
        decimal=_decimal,
        years=_years,
    ), status


@bp.route("/lamaran/<int:application_id>")
@roles_required(*PANEL_ROLES)
def application(application_id: int):
    return _application_page(get_application_for_panel_or_404(application_id, _user()))


@bp.route("/lamaran/<int:application_id>/administrasi", methods=["POST"])
@roles_required(*PANEL_ROLES)
def admin_check(application_id: int):
    user = _user()
    application, refused = _application_for_panelist(application_id)
    if refused:
        return refused
    back = url_for("selection.application", application_id=application_id)
    form = AdminDecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_admin_check(db.session, user, application, form.passed, form.reason.data or "")
        except (services.SelectionError, rules.TransitionError) as exc:
            db.session.rollback()
            form.reason.errors.append(str(exc))
        else:
            flash(
                _("Lamaran dinyatakan memenuhi persyaratan administratif.")
                if form.passed
                else _("Lamaran dinyatakan tidak memenuhi persyaratan administratif."),
                "success",
            )
            return redirect(back)
    return _application_page(application, decision_form=form, status=422)


@bp.route("/lamaran/<int:application_id>/nilai/<any(wawancara, praktik):stage>", methods=["POST"])
@roles_required(*PANEL_ROLES)
def score(application_id: int, stage: str):
    user = _user()
    application, refused = _application_for_panelist(application_id)
    if refused:
        return refused
    back = url_for("selection.application", application_id=application_id)
    form = ScoreForm(prefix=stage)
    if form.validate_on_submit():
        try:
            services.record_score(
                db.session, user, application, STAGE_SLUGS[stage], form.score.data, form.notes.data or ""
            )
        except services.SelectionError as exc:
            db.session.rollback()
            form.score.errors.append(str(exc))
        else:
            flash(_("Nilai Anda disimpan."), "success")
            return redirect(back)
    return _application_page(application, score_forms={STAGE_SLUGS[stage]: form}, status=422)


@bp.route("/lamaran/<int:application_id>/tutup/<any(wawancara, praktik):stage>", methods=["POST"])
@roles_required(*PANEL_ROLES)
def close_stage(application_id: int, stage: str):
    user = _user()
    application, refused = _application_for_panelist(application_id)
    if refused:
        return refused
    back = url_for("selection.application", application_id=application_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        result = services.close_stage(db.session, user, application, STAGE_SLUGS[stage])
    except (services.SelectionError, rules.TransitionError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(
            _(
                "Tahap %(stage)s ditutup: nilai rata-rata %(mean)s, %(verdict)s.",
                stage=_(STAGE_LABELS[STAGE_SLUGS[stage]]).lower(),
                mean=_decimal(result.mean),
                verdict=_("lolos") if result.passed else _("tidak lolos"),
            ),
            "success",
        )
    return redirect(back)


# --- result, ranking, announcement, appointment --------------------------------------------------------


def _result_query(selection_round: SelectionRound, statuses):
    """The round's applications in ``statuses`` as rows of what the result shows: the ranking's
    columns, the scores and status, the applicant's name, the home OPD and the category (one query)."""
    return (
        select(
            *services.RANKING_COLUMNS,
            Application.home_opd_id,
            Application.interview_score,
            Application.practical_score,
            Application.status,
            User.full_name,
            Opd.name.label("opd_name"),
            SelectionCategory.name.label("category_name"),
        )
        .join(User, User.id == Application.applicant_id)
        .outerjoin(Opd, Opd.id == Application.home_opd_id)
        .outerjoin(SelectionCategory, SelectionCategory.id == Application.category_id)
        .where(Application.round_id == selection_round.id, Application.status.in_(statuses))
    )


def ranked_groups(selection_round: SelectionRound) -> list[dict[str, Any]]:
    """Those who passed every stage, per category (team) or for the position (contract), ranked by
    final score within the quota (services.rank; ties: 000 §10A, then the earlier submission).
    Each group's rows are (row, placement), the row from _result_query: one query for the round."""
    rows = db.session.execute(_result_query(selection_round, services.RANKED)).all()
    placements = services.rank(selection_round, rows)
    rows_by_group: dict[Any, list] = defaultdict(list)
    for row in rows:
        key = None if selection_round.kind == RoundKind.CONTRACT else row.category_id
        rows_by_group[key].append((row, placements[row.id]))
    if selection_round.kind == RoundKind.CONTRACT:
        label = selection_round.position or selection_round.title
        keys = [(None, label, selection_round.contract_quota)]
    else:
        quota_categories = sorted(
            (q.category for q in selection_round.quotas if q.quota), key=lambda c: (c.position, c.name)
        )
        keys = [(c.id, c.name, selection_round.quota_for(c.id)) for c in quota_categories]
        known = {k for k, _label, _quota in keys}
        for key, group_rows in rows_by_group.items():
            if key not in known:
                keys.append((key, group_rows[0][0].category_name or "—", selection_round.quota_for(key)))
    groups = []
    for key, label, quota in keys:
        group_rows = sorted(rows_by_group.get(key, []), key=lambda row: row[1].rank)
        groups.append({"label": label, "quota": quota, "rows": group_rows})
    return groups


def failed_applications(selection_round: SelectionRound, *, stream: bool = False):
    """Who failed a stage, with the reason recorded when they did (the last such event's), as rows of
    _result_query plus ``reason``: one query; ``stream`` reads it a slice at a time (the export)."""
    reason = (
        select(ApplicationEvent.reason)
        .where(
            ApplicationEvent.application_id == Application.id,
            ApplicationEvent.to_status.in_([s.value for s in FAILED_STATUSES]),
        )
        .order_by(ApplicationEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        _result_query(selection_round, FAILED_STATUSES)
        .add_columns(func.coalesce(reason, "").label("reason"))
        .order_by(Application.status, Application.id)
    )
    if stream:
        return db.session.execute(query.execution_options(yield_per=1000))
    return db.session.execute(query).all()


def _tie_break_note(selection_round: SelectionRound) -> str:
    if selection_round.kind == RoundKind.CONTRACT:
        return _(
            "Pada nilai akhir yang sama, pelamar ber-KTP %(city)s diutamakan (000 §10A), "
            "kemudian yang lebih dahulu mengajukan lamaran.",
            city=selection_round.local_city or "setempat",
        )
    return _("Pada nilai akhir yang sama, yang lebih dahulu mengajukan lamaran ditempatkan lebih dahulu.")


def _opd_choices() -> list[SelectChoice]:
    opds = db.session.execute(select(Opd.id, Opd.name).where(Opd.active).order_by(Opd.name)).all()
    return [SelectChoice("", _("— pilih —"))] + [SelectChoice(str(i), n) for i, n in opds]


def _appointment_form(application: Any, choices, formdata=None) -> AppointmentForm:
    """``application``: an Application or a result row (its id and home OPD)."""
    form = AppointmentForm(
        formdata=formdata,
        prefix=f"sk{application.id}",
        placement_opd_id=application.home_opd_id,
        decree_date=_today(),
    )
    form.placement_opd_id.choices = choices
    return form


def _result_page(
    selection_round: SelectionRound,
    *,
    announce_form: AnnouncementForm | None = None,
    appoint_forms: dict[int, AppointmentForm] | None = None,
    status: int = 200,
):
    user = _user()
    groups = ranked_groups(selection_round)
    counts = status_counts([selection_round.id]).get(selection_round.id, {})
    pending = sum(counts.get(s.value, 0) for s in services.IN_PROGRESS)
    may_announce = user.has_role(Role.KETUA) and selection_round.status == RoundStatus.CLOSED
    if may_announce and announce_form is None:
        announce_form = AnnouncementForm(formdata=None, letter_date=_today())
    may_appoint = (
        user.has_role(Role.KETUA, Role.ADMIN)
        and selection_round.kind == RoundKind.TEAM
        and selection_round.status == RoundStatus.ANNOUNCED
    )
    forms: dict[int, AppointmentForm] = {}
    if may_appoint:
        choices = _opd_choices()
        for group in groups:
            for row, _placement in group["rows"]:
                if row.status == ApplicationStatus.SELECTED:
                    forms[row.id] = (appoint_forms or {}).get(row.id) or _appointment_form(row, choices)
    return render(
        "selection/result.html",
        round=selection_round,
        groups=groups,
        failed=failed_applications(selection_round),
        pending=pending,
        tie_break_note=_tie_break_note(selection_round),
        may_announce=may_announce,
        announce_form=announce_form,
        appoint_forms=forms,
        status_labels=rules.STATUS_LABELS,
        round_status_labels=ROUND_STATUS_LABELS,
        contract=selection_round.kind == RoundKind.CONTRACT,
        decimal=_decimal,
    ), status


@bp.route("/seleksi/<int:round_id>/hasil")
@roles_required(*PANEL_ROLES)
def result(round_id: int):
    return _result_page(get_round_for_user_or_404(round_id, _user()))


@bp.route("/seleksi/<int:round_id>/hasil.xlsx")
@roles_required(*PANEL_ROLES)
def result_xlsx(round_id: int):
    selection_round = get_round_for_user_or_404(round_id, _user())
    contract = selection_round.kind == RoundKind.CONTRACT
    headers = [
        Column(_("Posisi") if contract else _("Kategori"), "text", 30),
        Column(_("Peringkat"), "number"),
        Column(_("Nama"), "text", 30),
        Column(_("Perangkat Daerah asal"), "text", 30),
        Column(_("Nilai wawancara"), "number"),
        Column(_("Nilai uji praktik"), "number"),
        Column(_("Nilai akhir"), "number"),
        Column(_("KTP setempat"), "text"),
        Column(_("Dalam kuota"), "text"),
        Column(_("Status"), "text", 26),
        Column(_("Keterangan"), "text", 50),
    ]

    def rows():
        yes, no = _("Ya"), _("Tidak")
        for group in ranked_groups(selection_round):
            for row, placement in group["rows"]:
                local = contract and rules.same_city(row.ktp_city or "", selection_round.local_city)
                yield [
                    group["label"],
                    placement.rank,
                    row.full_name,
                    row.opd_name or "",
                    row.interview_score,
                    row.practical_score,
                    row.final_score,
                    (yes if local else no) if contract else "",
                    yes if placement.selected else no,
                    _(rules.STATUS_LABELS[row.status.value]),
                    "",
                ]
        for row in failed_applications(selection_round, stream=True):
            yield [
                selection_round.position if contract else (row.category_name or ""),
                None,
                row.full_name,
                row.opd_name or "",
                row.interview_score,
                row.practical_score,
                None,
                "",
                "",
                _(rules.STATUS_LABELS[row.status.value]),
                row.reason,
            ]

    return xlsx_response(f"hasil-seleksi-{selection_round.id}.xlsx", _("Hasil seleksi"), headers, rows())


@bp.route("/seleksi/<int:round_id>/umumkan", methods=["POST"])
@roles_required(Role.KETUA)
def announce(round_id: int):
    user = _user()
    selection_round = get_round_for_user_or_404(round_id, user)
    form = AnnouncementForm()
    if form.validate_on_submit():
        try:
            services.announce(db.session, user, selection_round, form.number.data, form.letter_date.data)
        except (services.SelectionError, rules.TransitionError) as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Hasil seleksi diumumkan. Surat pengumuman siap dicetak."), "success")
            return redirect(url_for("selection.result", round_id=round_id))
    return _result_page(selection_round, announce_form=form, status=422)


@bp.route("/seleksi/<int:round_id>/pengumuman.pdf")
@roles_required(*PANEL_ROLES)
def announcement_pdf(round_id: int):
    selection_round = get_round_for_user_or_404(round_id, _user())
    if selection_round.status != RoundStatus.ANNOUNCED:
        abort(404)
    return pdf_response(render_announcement(db.session, selection_round), f"pengumuman-seleksi-{round_id}.pdf")


@bp.route("/lamaran/<int:application_id>/angkat", methods=["POST"])
@roles_required(Role.KETUA, Role.ADMIN)
def appoint(application_id: int):
    user = _user()
    application = get_application_for_panel_or_404(application_id, user)
    form = _appointment_form(application, _opd_choices(), formdata=request.form)
    if form.validate_on_submit():
        opd = db.session.get(Opd, form.placement_opd_id.data) if form.placement_opd_id.data else None
        try:
            services.appoint(db.session, user, application, form.decree_number.data, form.decree_date.data, opd)
        except (services.SelectionError, rules.TransitionError) as exc:
            db.session.rollback()
            form.decree_number.errors.append(str(exc))
        else:
            flash(
                _("%(name)s diangkat sebagai anggota Tim Programmer.", name=application.applicant.full_name), "success"
            )
            return redirect(url_for("selection.result", round_id=application.round_id))
    return _result_page(application.round, appoint_forms={application.id: form}, status=422)


# --- dashboard cards ---------------------------------------------------------------------------------


@cards.card(
    key="selection_panel",
    title="Menunggu tim seleksi",
    template="selection/_card_panel.html",
    roles={Role.PANEL},
    order=20,
)
def panel_card(user: User) -> dict[str, Any]:
    """Per round of the user's panel still at work, the applications waiting at each stage (two queries)."""
    rounds = list(
        db.session.scalars(
            select(SelectionRound)
            .join(PanelMember, PanelMember.round_id == SelectionRound.id)
            .where(
                PanelMember.user_id == user.id,
                SelectionRound.status.in_([RoundStatus.OPEN, RoundStatus.CLOSED]),
            )
            .order_by(SelectionRound.year.desc(), SelectionRound.id.desc())
        )
    )
    return {
        "rounds": rounds,
        "counts": status_counts([r.id for r in rounds]),
        "stages": WAITING_STAGES,
        "waiting_for": WAITING_FOR,
    }


@cards.card(
    key="selection_ketua",
    title="Seleksi menunggu pengumuman",
    template="selection/_card_ketua.html",
    roles={Role.KETUA},
    order=20,
    lazy=True,
)
def ketua_card(user: User) -> dict[str, Any]:  # noqa: ARG001 - every ketua sees every round
    """Closed rounds awaiting the announcement, with how many applications are still at work (two queries)."""
    rounds = list(
        db.session.scalars(
            select(SelectionRound)
            .where(SelectionRound.status == RoundStatus.CLOSED)
            .order_by(SelectionRound.year.desc(), SelectionRound.id.desc())
        )
    )
    counts = status_counts([r.id for r in rounds])
    pending = {r.id: sum(counts[r.id].get(s.value, 0) for s in services.IN_PROGRESS) for r in rounds}
    return {"rounds": rounds, "pending": pending}
