"""The applicant's side of selection (002 §16–19; 000 §10): the open rounds and their
requirements, registering an applicant account, filing an application with its documents,
following it through every stage, and the competency form."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from pontive.accounts.forms import EmptyForm
from pontive.accounts.models import Opd, User
from pontive.accounts.roles import Role
from pontive.core import nav
from pontive.core.htmx import render, wants_fragment
from pontive.core.permissions import public, roles_required
from pontive.core.uploads import register_file_access
from pontive.dashboard import cards
from pontive.extensions import db, limiter
from pontive.recruitment import rules, services
from pontive.recruitment.forms import (
    CompetencyForm,
    ContractApplicationForm,
    DocumentForm,
    RegistrationForm,
    TeamApplicationForm,
    WithdrawForm,
)
from pontive.recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    CallLetter,
    DocumentKind,
    LetterKind,
    PanelMember,
    RoundKind,
    RoundStatus,
    SelectionRound,
)

bp = Blueprint("recruitment", __name__)

CALL_LETTER_PDF = "selection.call_letter_pdf"  # built by the panel's blueprint

DOCUMENT_LABELS = {
    DocumentKind.CV: "Daftar riwayat hidup",
    DocumentKind.ADMIN_DOCS: "Persyaratan administrasi",
    DocumentKind.EXPERIENCE_STATEMENT: "Surat pernyataan pengalaman kerja TIK dari pimpinan unit kerja",
    DocumentKind.CAPABILITY_STATEMENT: "Surat pernyataan mampu menjalankan tugas",
    DocumentKind.CERTIFICATE: "Sertifikat keahlian",
    DocumentKind.KTP: "KTP",
    DocumentKind.DIPLOMA: "Ijazah dan transkrip nilai",
    DocumentKind.NPWP: "Kartu NPWP",
}
# The documents each kind of round asks for, and which of them are required (002 §16(3)a, §18, §19; 000 §10).
DOCUMENTS = {
    RoundKind.TEAM: [
        (DocumentKind.CV, True),
        (DocumentKind.ADMIN_DOCS, True),
        (DocumentKind.EXPERIENCE_STATEMENT, True),
        (DocumentKind.CAPABILITY_STATEMENT, True),
        (DocumentKind.CERTIFICATE, False),
    ],
    RoundKind.CONTRACT: [
        (DocumentKind.CV, True),
        (DocumentKind.KTP, True),
        (DocumentKind.DIPLOMA, True),
        (DocumentKind.NPWP, False),
    ],
}
EVENT_LABELS = {
    "created": "Lamaran dibuat",
    "submitted": "Lamaran diajukan",
    "withdrawn": "Lamaran ditarik",
    "admin_check": "Pemeriksaan administratif",
    "called_interview": "Surat pemanggilan wawancara",
    "called_practical": "Surat pemanggilan uji kompetensi teknis",
    "interview_result": "Hasil wawancara",
    "practical_result": "Hasil uji kompetensi teknis",
    "announced": "Pengumuman hasil seleksi",
    "appointed": "Pengangkatan",
}
LETTER_LABELS = {
    LetterKind.CALL_INTERVIEW: "Surat pemanggilan wawancara",
    LetterKind.CALL_PRACTICAL: "Surat pemanggilan uji kompetensi teknis",
}
# Statuses the panel has decided the administrative check for (002 §16(3)b).
UNDECIDED = {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED}
RESULT_STATUSES = {ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED, ApplicationStatus.APPOINTED}
GROUP_LABELS = {
    "software": "Sistem informasi dan perangkat lunak",  # 002 §17.1
    "network": "Perangkat dan infrastruktur jaringan",  # 002 §17.2
    "data_center": "Data center",  # 002 §17.3
}
# What every programmer-team applicant brings (002 §16(3)a, §18).
TEAM_REQUIREMENTS = [
    ("Pegawai Non ASN di lingkungan Pemerintah Kota.", "002 §18a"),
    ("Daftar riwayat hidup dan persyaratan administrasi.", "002 §16(3)a"),
    ("Surat pernyataan pengalaman kerja di bidang TIK dari pimpinan unit kerja.", "002 §18b"),
    ("Surat pernyataan mampu menjalankan tugas sebagai anggota Tim Programmer.", "002 §18c"),
]
CONTRACT_REQUIREMENTS = [
    ("Warga Negara Indonesia.", "000 §10A"),
    ("Berusia 21 sampai 35 tahun pada tanggal penutupan pendaftaran.", "000 §10A"),
    ("Memiliki NPWP.", "000 §10A"),
    ("Sarjana (S1) dari perguruan tinggi terakreditasi pada jurusan yang diterima.", "000 §10B"),
    ("IPK minimal 2,75.", "000 §10B"),
    ("Diutamakan memiliki KTP setempat (penentu bila nilai sama).", "000 §10A"),
    ("Tidak sedang terikat kontrak atau pekerjaan lain.", "000 §10A"),
]


def _today() -> dt.date:
    return dt.date.today()


def _user() -> User:
    return current_user._get_current_object()


def _letter_pdf_available() -> bool:
    return CALL_LETTER_PDF in current_app.view_functions


# --- public: the open rounds --------------------------------------------------------------------------


def _open_rounds_query(today: dt.date):
    return (
        select(SelectionRound)
        .where(
            SelectionRound.status == RoundStatus.OPEN,
            SelectionRound.open_date <= today,
            SelectionRound.close_date >= today,
        )
        .order_by(SelectionRound.close_date, SelectionRound.id)
    )


def _majors(rounds: list[SelectionRound]) -> list[str]:
    if not any(r.kind == RoundKind.CONTRACT for r in rounds):
        return []
    return services.accepted_majors(db.session)


def _my_round_applications(round_ids: list[int]) -> dict[int, int]:
    """round id → the signed-in applicant's application id, for the rounds shown."""
    if not round_ids or not current_user.is_authenticated or not current_user.has_role(Role.PELAMAR):
        return {}
    rows = db.session.execute(
        select(Application.round_id, Application.id).where(
            Application.applicant_id == current_user.id, Application.round_id.in_(round_ids)
        )
    )
    return dict(rows.all())


def _round_context(rounds: list[SelectionRound]) -> dict:
    today = _today()
    return {
        "majors": _majors(rounds),
        "mine": _my_round_applications([r.id for r in rounds]),
        "is_open": {r.id: rules.round_is_open(r.status.value, r.open_date, r.close_date, today) for r in rounds},
        "contract_requirements": CONTRACT_REQUIREMENTS,
        "team_requirements": TEAM_REQUIREMENTS,
        "group_labels": GROUP_LABELS,
        "is_pelamar": current_user.is_authenticated and current_user.has_role(Role.PELAMAR),
        "button_form": EmptyForm(),
    }


@bp.route("/seleksi")
@public
def rounds():
    found = list(db.session.scalars(_open_rounds_query(_today())).unique())
    return render("recruitment/rounds.html", rounds=found, **_round_context(found))


@bp.route("/seleksi/<int:round_id>")
@public
def round_show(round_id: int):
    selection_round = db.session.get(SelectionRound, round_id)
    if selection_round is None or selection_round.status == RoundStatus.DRAFT:
        abort(404)
    return render("recruitment/round.html", r=selection_round, **_round_context([selection_round]))


# --- public: registering an applicant account -------------------------------------------------------

# Which form field a refusal of accounts.create_user belongs beside, by its first word.
_REFUSAL_FIELDS = {"E-mail": "email", "NIK": "nik", "Nama": "username", "Kata": "password"}


def _opd_choices(empty_label: str) -> list[SelectChoice]:
    opds = db.session.execute(select(Opd.id, Opd.name).where(Opd.active).order_by(Opd.name)).all()
    return [SelectChoice("", empty_label)] + [SelectChoice(i, n) for i, n in opds]


@bp.route("/daftar", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(
            url_for("recruitment.my_applications" if current_user.has_role(Role.PELAMAR) else "dashboard.index")
        )
    form = RegistrationForm()
    form.home_opd_id.choices = _opd_choices(_("— bukan pegawai Pemerintah Kota —"))
    if form.validate_on_submit():
        try:
            user = services.register_applicant(db.session, form.data_for_service(), form.password.data)
        except services.SelectionError as exc:
            message = str(exc)
            getattr(form, _REFUSAL_FIELDS.get(message.split(" ", 1)[0], "username")).errors.append(message)
        else:
            session.clear()  # a new session: nothing of the anonymous one carries over
            login_user(user)
            session.permanent = True
            flash(_("Akun pelamar Anda telah dibuat. Pilih seleksi yang ingin Anda lamar."), "success")
            return redirect(url_for("recruitment.my_applications"))
    return render("recruitment/register.html", form=form), 422 if form.errors else 200


# --- the applicant's applications -----------------------------------------------------------------------


def _last_reason(application: Application) -> str:
    for event in reversed(application.events):
        if event.reason and event.action != "created":
            return event.reason
    return ""


def my_applications_of(user: User) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.applicant_id == user.id)
            .options(selectinload(Application.events))
            .order_by(Application.created_at.desc(), Application.id.desc())
        ).unique()
    )


@bp.route("/lamaran")
@roles_required(Role.PELAMAR)
def my_applications():
    applications = my_applications_of(_user())
    return render(
        "recruitment/my_applications.html",
        applications=applications,
        reasons={a.id: _last_reason(a) for a in applications},
        labels=rules.STATUS_LABELS,
    )


@bp.route("/seleksi/<int:round_id>/lamar", methods=["POST"])
@roles_required(Role.PELAMAR)
def apply(round_id: int):
    selection_round = db.session.get(SelectionRound, round_id)
    if selection_round is None or selection_round.status == RoundStatus.DRAFT:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        application = services.start_application(db.session, _user(), selection_round, today=_today())
    except services.SelectionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("recruitment.round_show", round_id=round_id))
    flash(_("Lamaran dibuat sebagai draf. Lengkapi data dan dokumen, lalu ajukan."), "success")
    return redirect(url_for("recruitment.application_show", application_id=application.id))


def get_application_for_applicant_or_404(application_id: int, user: User) -> Application:
    """The application, if it is ``user``'s own; 404 otherwise, so nobody learns that it exists."""
    application = db.session.scalar(
        select(Application)
        .where(Application.id == application_id)
        .options(selectinload(Application.documents), selectinload(Application.events))
    )
    if application is None or application.applicant_id != user.id:
        abort(404)
    return application


def _data_form(application: Application, *, formdata=True):
    """The form for the application's own data; its choices come from the round."""
    kwargs = {} if formdata else {"formdata": None}
    if application.round.kind == RoundKind.TEAM:
        form = TeamApplicationForm(obj=application, **kwargs)
        form.category_id.choices = [SelectChoice("", _("— pilih kategori —"))] + [
            SelectChoice(q.category_id, q.category.name)
            for q in sorted(application.round.quotas, key=lambda q: (q.category.position, q.category.name))
            if q.quota > 0
        ]
        form.home_opd_id.choices = _opd_choices(_("— pilih Perangkat Daerah —"))
    else:
        form = ContractApplicationForm(obj=application, **kwargs)
        if not form.is_submitted() or not formdata:
            form.load(application)
    return form


def _document_rows(application: Application) -> list[dict]:
    by_kind: dict[DocumentKind, list[ApplicationDocument]] = {}
    for document in application.documents:
        by_kind.setdefault(document.kind, []).append(document)
    return [
        {
            "kind": kind,
            "label": DOCUMENT_LABELS[kind],
            "required": required,
            "documents": by_kind.get(kind, []),
            "many": kind == DocumentKind.CERTIFICATE,
        }
        for kind, required in DOCUMENTS[application.round.kind]
    ]


def _kinds(application: Application) -> tuple[str, ...]:
    return tuple(kind.value for kind, _required in DOCUMENTS[application.round.kind])


def _call_letters(application: Application) -> list[CallLetter]:
    if application.status in UNDECIDED:
        return []
    return list(
        db.session.scalars(
            select(CallLetter).where(CallLetter.application_id == application.id).order_by(CallLetter.id)
        )
    )


def _application_page(
    application: Application,
    *,
    form=None,
    upload_form: DocumentForm | None = None,
    upload_kind: str | None = None,
    message: str | None = None,
    block: str | None = None,
    status: int = 200,
):
    draft = application.status == ApplicationStatus.DRAFT
    if form is None and draft:
        form = _data_form(application, formdata=False)
    return (
        render(
            "recruitment/application.html",
            block,
            a=application,
            draft=draft,
            form=form,
            upload_form=upload_form or DocumentForm(formdata=None),
            upload_kind=upload_kind,
            message=message,
            rows=_document_rows(application),
            missing=services.missing_for_submission(application) if draft else [],
            button_form=EmptyForm(formdata=None),
            withdraw_form=WithdrawForm(formdata=None),
            can_withdraw=application.status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED),
            decided=application.status not in UNDECIDED and application.admin_decided_at is not None,
            letters=_call_letters(application),
            letter_labels=LETTER_LABELS,
            letter_pdf=_letter_pdf_available(),
            event_labels=EVENT_LABELS,
            labels=rules.STATUS_LABELS,
            has_result=application.status in RESULT_STATUSES,
            today=_today(),
        ),
        status,
    )


@bp.route("/lamaran/<int:application_id>", methods=["GET", "POST"])
@roles_required(Role.PELAMAR)
def application_show(application_id: int):
    application = get_application_for_applicant_or_404(application_id, _user())
    if application.status != ApplicationStatus.DRAFT:
        if request.method == "POST":
            flash(_("Lamaran yang sudah diajukan tidak dapat diubah."), "error")
            return redirect(url_for("recruitment.application_show", application_id=application.id))
        return _application_page(application)
    form = _data_form(application)
    if form.validate_on_submit():
        try:
            services.update_application(db.session, _user(), application, form.data_for_service())
        except services.SelectionError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(_("Draf lamaran disimpan."), "success")
            return redirect(url_for("recruitment.application_show", application_id=application.id))
    return _application_page(application, form=form, status=422 if form.errors or form.form_errors else 200)


def _documents_response(application: Application, message: str):
    """After a document change: the document block to htmx, a redirect to a browser without it."""
    if wants_fragment():
        application = get_application_for_applicant_or_404(application.id, _user())
        return _application_page(application, message=message, block="documents")
    flash(message, "success")
    return redirect(url_for("recruitment.application_show", application_id=application.id, _anchor="dokumen"))


@bp.route("/lamaran/<int:application_id>/dokumen", methods=["POST"])
@roles_required(Role.PELAMAR)
def document_add(application_id: int):
    application = get_application_for_applicant_or_404(application_id, _user())
    form = DocumentForm(kinds=_kinds(application))
    error = None
    if application.status != ApplicationStatus.DRAFT:
        error = _("Lamaran yang sudah diajukan tidak dapat diubah.")
    elif form.validate_on_submit():
        try:
            services.add_document(
                db.session, _user(), application, form.kind.data, form.file.data, form.label.data or ""
            )
        except services.SelectionError as exc:
            error = str(exc)
        else:
            label = DOCUMENT_LABELS[DocumentKind(form.kind.data)]
            return _documents_response(application, _("%(label)s diunggah.", label=_(label)))
    if error:
        form.file.errors = [*form.file.errors, error]
    kind = form.kind.data if form.kind.data in _kinds(application) else None
    db.session.expire(application)
    application = get_application_for_applicant_or_404(application_id, _user())
    return _application_page(application, upload_form=form, upload_kind=kind, block="documents", status=422)


@bp.route("/lamaran/<int:application_id>/dokumen/<int:document_id>/hapus", methods=["POST"])
@roles_required(Role.PELAMAR)
def document_remove(application_id: int, document_id: int):
    application = get_application_for_applicant_or_404(application_id, _user())
    document = next((d for d in application.documents if d.id == document_id), None)
    if document is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.remove_document(db.session, _user(), document)
    except services.SelectionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("recruitment.application_show", application_id=application.id))
    return _documents_response(application, _("Dokumen dihapus."))


@bp.route("/lamaran/<int:application_id>/ajukan", methods=["POST"])
@roles_required(Role.PELAMAR)
def submit(application_id: int):
    application = get_application_for_applicant_or_404(application_id, _user())
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        services.submit_application(db.session, _user(), application, today=_today())
    except services.SelectionError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Lamaran Anda telah diajukan. Tim seleksi akan memeriksanya."), "success")
    return redirect(url_for("recruitment.application_show", application_id=application_id))


@bp.route("/lamaran/<int:application_id>/tarik", methods=["POST"])
@roles_required(Role.PELAMAR)
def withdraw(application_id: int):
    application = get_application_for_applicant_or_404(application_id, _user())
    form = WithdrawForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("recruitment.application_show", application_id=application_id))
    try:
        services.withdraw_application(db.session, _user(), application, (form.reason.data or "").strip())
    except (services.SelectionError, rules.TransitionError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Lamaran ditarik."), "success")
    return redirect(url_for("recruitment.application_show", application_id=application_id))


# --- the competency form (002 §16(3)b.1, §19) ----------------------------------------------------------


@bp.route("/lamaran/<int:application_id>/kompetensi", methods=["GET", "POST"])
@roles_required(Role.PELAMAR)
def competency(application_id: int):
    application = get_application_for_applicant_or_404(application_id, _user())
    category = application.category
    items = list(category.competencies or []) if category else []
    open_form = application.status == ApplicationStatus.INTERVIEW and application.competency_submitted_at is None
    form = CompetencyForm() if open_form else None
    if form is not None:
        form.fit(len(items))
        if form.validate_on_submit():
            try:
                services.save_competency_form(db.session, _user(), application, form.answers())
            except services.SelectionError as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                flash(_("Formulir kompetensi terkirim."), "success")
                return redirect(url_for("recruitment.competency", application_id=application.id))
    elif request.method == "POST":
        flash(
            _("Formulir kompetensi sudah dikirim.")
            if application.competency_submitted_at
            else _("Formulir kompetensi diisi setelah menerima surat pemanggilan wawancara."),
            "error",
        )
        return redirect(url_for("recruitment.competency", application_id=application.id))
    failed = form is not None and bool(form.errors or form.form_errors)
    return render(
        "recruitment/competency.html",
        a=application,
        items=items,
        outputs=list(category.outputs or []) if category else [],
        form=form,
    ), 422 if failed else 200


# --- who may download an application's documents ----------------------------------------------------


@register_file_access(services.FILE_PURPOSE)
def _application_file_access(user, stored) -> bool:
    """Besides the uploader: the applicant, the panel of the application's round (002 §16(1))
    while they hold the panel role, and the ketua. Nobody else — not even an admin."""
    row = db.session.execute(
        select(Application.applicant_id, Application.round_id)
        .join(ApplicationDocument, ApplicationDocument.application_id == Application.id)
        .where(ApplicationDocument.file_id == stored.id)
    ).first()
    if row is None:
        return False
    applicant_id, round_id = row
    if applicant_id == user.id or user.has_role(Role.KETUA):
        return True
    if not user.has_role(Role.PANEL):
        return False
    return (
        db.session.scalar(
            select(PanelMember.id).where(PanelMember.round_id == round_id, PanelMember.user_id == user.id)
        )
        is not None
    )


# --- dashboard and navigation ------------------------------------------------------------------------


@cards.card(
    key="my_applications",
    title="Lamaran saya",
    template="recruitment/_card_my_applications.html",
    roles={Role.PELAMAR},
    order=10,
)
def _card_context(user: User) -> dict:
    applications = my_applications_of(user)
    return {"applications": applications, "labels": rules.STATUS_LABELS}


nav.register(
    nav.NavItem("Seleksi", "recruitment.rounds", order=20),
    nav.NavItem("Lamaran saya", "recruitment.my_applications", order=21),
)
