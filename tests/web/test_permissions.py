"""Every endpoint declares who may use it, and the declaration holds for every role (DESIGN
"Users and roles": everything not granted is refused)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from werkzeug.routing import Rule

from pontive.accounts.roles import Role
from pontive.core.models import Holiday, StoredFile
from pontive.core.permissions import PUBLIC, ROLES, TOKEN, access_of
from tests import factories

ALL_ROLES = [r.value for r in Role]
# A GET without arguments must answer 200 to the right role. With arguments, the object is also
# checked per user (a panel member of another round, a koordinator of another OPD): the right role
# may get 404 or 403 for a sample that is not theirs, but never 401 or 5xx; each area's own tests
# check its object rules with the right user.


def routes(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_endpoint_declares_its_access(app):
    undeclared = sorted(r.endpoint for r in routes(app) if access_of(app, r.endpoint) is None)
    assert not undeclared, f"endpoints without an access declaration: {undeclared}"


def test_an_undeclared_endpoint_is_refused(make_app, db):
    app = make_app()

    @app.route("/lupa-dideklarasikan")
    def forgotten():
        return "rahasia"

    response = app.test_client().get("/lupa-dideklarasikan")
    assert response.status_code == 403
    assert b"rahasia" not in response.data


def test_admin_pages_are_for_admins_only(app):
    for rule in routes(app):
        if rule.rule.startswith("/admin"):
            access = access_of(app, rule.endpoint)
            assert access.kind == ROLES and access.roles == {"admin"}, rule.endpoint


class Samples:
    """One object for every URL argument the app's routes take, built on first use.

    An argument name means one kind of object everywhere, except where an endpoint says otherwise
    in ENDPOINT_ARGUMENTS. A route argument nobody knows fails the test: add a builder here."""

    def __init__(self, db):
        self.db = db
        self.cache: dict[str, object] = {}

    def get(self, name: str):
        if name not in self.cache:
            builder = getattr(self, f"build_{name}", None)
            assert builder is not None, f"add a builder for the route argument {name!r} to Samples in {__file__}"
            self.cache[name] = builder()
        return self.cache[name]

    # --- foundation
    def build_owner(self):
        return factories.make_user("pemilik", roles=["anggota"])

    def build_opd(self):
        return factories.make_opd()

    def build_target(self):
        return factories.make_user("sasaran", roles=["koordinator"], opd=self.get("opd"))

    def build_koordinator(self):
        """Acts in the samples; kept apart from ``target``, whose grants the admin's pages change."""
        return factories.make_user("koordinator-sampel", roles=["koordinator"], opd=self.get("opd"))

    def build_user_id(self):
        return self.get("target").id

    def build_opd_id(self):
        return self.get("opd").id

    def build_grant_id(self):
        return self.get("target").grants[0].id

    def build_holiday_id(self):
        holiday = Holiday(date=dt.date(2026, 12, 25), kind="libur_nasional", name="Natal")
        self.db.add(holiday)
        self.db.commit()
        return holiday.id

    def build_audit_id(self):
        from pontive.core.audit import audit

        entry = audit(self.db, None, "uji", entity_type="Uji", entity_id=1, after={"a": 1})
        self.db.commit()
        return entry.id

    def build_file_id(self):
        stored = StoredFile(
            key="0" * 32,
            original_name="cv.pdf",
            content_type="application/pdf",
            size=5,
            sha256="0" * 64,
            purpose="uji",
            uploaded_by_id=self.get("owner").id,
        )
        self.db.add(stored)
        self.db.commit()
        return stored.id

    def build_lang(self):
        return "id"

    def build_year(self):
        return 2026

    def build_month(self):
        return 10

    def build_key(self):
        return "account"  # the dashboard card every signed-in user has

    def build_quarter(self):
        return 4

    # --- selection
    def build_round(self):
        from tests.recruitment_factories import make_round

        return make_round()

    def build_application(self):
        from tests.recruitment_factories import make_application

        return make_application(self.get("round"), "interview")

    def build_round_id(self):
        return self.get("round").id

    def build_application_id(self):
        return self.get("application").id

    def build_stage(self):
        return "wawancara"

    def build_category_id(self):
        return self.get("application").category_id

    def build_major_id(self):
        from pontive.recruitment.models import AcceptedMajor

        self.get("round")  # loads the reference data
        return self.db.scalar(select(AcceptedMajor.id))

    def build_member_id(self):
        return self.get("round").panel[0].id

    def build_document_id(self):
        return self.get("application").documents[0].id

    def build_letter_id(self):
        from pontive.recruitment.models import CallLetter

        return self.db.scalar(select(CallLetter.id).where(CallLetter.application_id == self.get("application_id")))

    # --- team
    def build_membership(self):
        from tests.team_factories import make_member

        return make_member(self.get("opd"))

    def build_membership_id(self):
        return self.get("membership").id

    def build_meeting_id(self):
        from pontive.team import services as team

        meeting = team.create_meeting(
            self.db,
            self.get("koordinator"),
            {"date": dt.datetime(2026, 11, 30, 9), "scope": "opd", "opd_id": self.get("opd_id"), "agenda": "Rapat uji"},
        )
        return meeting.id

    def build_task_id(self):
        from pontive.team import services as team

        task = team.create_task(
            self.db,
            self.get("koordinator"),
            self.get("opd_id"),
            {"title": "Tugas uji"},
            [self.get("membership").member_id],
            dt.date(2026, 11, 23),
        )
        return task.id

    def build_column(self):
        return "assigned"  # a column of a task board

    def build_program_id(self):
        from pontive.team import services as team

        program = team.save_program(
            self.db,
            factories.make_user(roles=["sekretaris"]),
            {"opd_id": self.get("opd_id"), "year": 2026, "title": "Program uji"},
            [{"description": "Target", "value": "1", "unit": "dokumen"}],
        )
        return program.id

    def build_discipline_letter_id(self):
        from pontive.team.models import DisciplineLetter

        letter = DisciplineLetter(
            membership_id=self.get("membership_id"),
            kind="warning",
            breach_key="absence:1",
            breach="Uji",
            number="800/1",
            letter_date=dt.date(2026, 11, 23),
        )
        self.db.add(letter)
        self.db.commit()
        return letter.id

    # --- performance
    def build_performance(self):
        from pontive.performance import services as performance

        membership = self.get("membership")
        member = membership.member
        plan = performance.get_or_create_plan(self.db, member, 2026)
        rhk = performance.save_work_result(
            self.db,
            member,
            plan,
            {"title": "RHK uji"},
            [{"description": "Indikator", "target_value": "1", "unit": "dokumen"}],
        )
        action = performance.save_action_plan(
            self.db,
            member,
            rhk,
            {"month": 10, "description": "Rencana aksi uji", "target_value": "1", "unit": "dokumen"},
        )
        report = performance.get_or_create_report(self.db, member, 2026, 10)
        evidence = performance.add_evidence(self.db, member, report, action.id, _pdf())
        return {"plan": plan, "rhk": rhk, "action": action, "report": report, "evidence": evidence}

    def build_report_id(self):
        return self.get("performance")["report"].id

    def build_plan_id(self):
        return self.get("performance")["plan"].id

    def build_work_result_id(self):
        return self.get("performance")["rhk"].id

    def build_action_plan_id(self):
        return self.get("performance")["action"].id

    def build_evidence_id(self):
        return self.get("performance")["evidence"].id

    def build_member_user_id(self):
        return self.get("membership").member_id

    # --- contracts
    def build_contract(self):
        from tests.contract_factories import make_contract

        return make_contract()

    def build_contract_id(self):
        return self.get("contract").id

    def build_leave_id(self):
        from pontive.contracts import services as contracts

        contract = self.get("contract")
        leave = contracts.request_leave(
            self.db,
            contract.worker,
            contract,
            "annual",
            dt.date(2026, 12, 1),
            dt.date(2026, 12, 1),
            "",
            dt.date(2026, 11, 23),
        )
        return leave.id

    def build_activity_report_id(self):
        from pontive.contracts import services as contracts

        contract = self.get("contract")
        report = contracts.get_or_create_activity_report(self.db, contract.worker, contract, 2026, 10)
        return report.id

    # --- catalogue and API
    def build_city_app(self):
        from pontive.catalogue import services as catalogue

        return catalogue.save_app(
            self.db,
            factories.make_user(roles=["admin"]),
            {"name": "Aplikasi uji", "owner_opd_id": self.get("opd_id"), "status": "production", "kind": "web"},
        )

    def build_app_id(self):
        return self.get("city_app").id

    def build_link_id(self):
        from pontive.catalogue import services as catalogue

        admin = factories.make_user(roles=["admin"])
        other = catalogue.save_app(
            self.db, admin, {"name": "Aplikasi lain", "owner_opd_id": self.get("opd_id"), "status": "production"}
        )
        return catalogue.add_integration(self.db, admin, self.get("city_app"), other, "data uji").id

    def build_project(self):
        from pontive.catalogue import services as catalogue
        from pontive.catalogue.demo import load_sop_steps

        load_sop_steps(self.db)
        self.db.commit()
        return catalogue.start_project(
            self.db, factories.make_user(roles=["admin"]), self.get("city_app"), "build", "Proyek uji", "", 2026
        )

    def build_project_id(self):
        return self.get("project").id

    def build_step_id(self):
        return self.get("project").steps[0].id

    def build_token_id(self):
        from pontive.accounts import tokens

        token, _plain = tokens.create_token(self.db, self.get("owner"), "uji")
        return token.id


def _pdf():
    import io

    from pontive.recruitment.demo import DEMO_PDF

    upload = io.BytesIO(DEMO_PDF)
    upload.filename = "bukti.pdf"
    return upload


# Endpoints whose argument names mean a different object than elsewhere.
ENDPOINT_ARGUMENTS: dict[str, dict[str, str]] = {
    "discipline.letter_pdf": {"letter_id": "discipline_letter_id"},
    "reviews.evaluation": {"member_id": "member_user_id"},
    "contracts.report": {"report_id": "activity_report_id"},
    "contracts.review_report": {"report_id": "activity_report_id"},
}


@pytest.fixture()
def samples(db):
    return Samples(db)


def build_url(app, rule: Rule, samples: Samples) -> str:
    names = ENDPOINT_ARGUMENTS.get(rule.endpoint, {})
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{a: samples.get(names.get(a, a)) for a in rule.arguments})


@pytest.mark.parametrize("role", [None, *ALL_ROLES], ids=lambda r: r or "anonymous")
def test_role_matrix(app, client, login_as, samples, role):
    headers = {}
    if role:
        user = login_as(role)
        from pontive.accounts import tokens

        _token, plain = tokens.create_token(samples.db, user, "matriks")
        headers = {"Authorization": f"Bearer {plain}"}  # the JSON API takes a token, never the session
    problems = []
    for rule in routes(app):
        access = access_of(app, rule.endpoint)
        url = build_url(app, rule, samples)
        if rule.endpoint == "accounts.logout":
            continue  # would end this test's session; covered in test_accounts
        method = "GET" if "GET" in rule.methods else "POST"
        token_api = access.kind == TOKEN
        response = client.open(url, method=method, headers=headers if token_api else {})
        status = response.status_code
        allowed = access.kind == PUBLIC or (
            role is not None and (access.kind not in (ROLES, TOKEN) or not access.roles or role in access.roles)
        )
        if token_api and role is None:
            ok = status == 401 and response.mimetype == "application/problem+json"
            expected = "401 problem+json"
        elif not allowed and role is None:
            ok = status == 302 and "/masuk" in response.headers.get("Location", "")
            expected = "302 → /masuk"
        elif not allowed:
            ok = status == 403
            expected = "403"
        elif method == "GET" and not set(rule.arguments) - {"lang"}:
            ok = status in (200, 302)
            expected = "200 (or a redirect to the user's own page)"
        else:
            # Object-level checks may still refuse a role for a sample that is not theirs: 404 when
            # the object is hidden from them, 403 when they may see it but not change it (an
            # operator of another OPD on a catalogue entry everyone can read).
            ok = status < 500 and status != 401
            expected = "< 500, not 401"
        if not ok:
            problems.append(f"{method} {url} ({rule.endpoint}): {status}, expected {expected}")
    assert not problems, "\n".join(problems)
