"""The dashboard's cards that read much load themselves (issue 8 §2): the page shows a frame per such
card with a link to /dasbor/kartu/<key>, which htmx replaces with the card's body right away. Each
is its own request (its own few queries), shows the same as when rendered in the page, opens on a
page of its own without JavaScript, and exists only for the roles it is registered for. The cheap
cards stay in the page."""

from __future__ import annotations

import re

import pytest

from pontive.accounts.roles import Role
from pontive.core import querycount
from pontive.dashboard import cards
from tests import factories
from tests.team_factories import make_koordinator, make_member

HX = {"HX-Request": "true"}
FRAME = re.compile(r'<div class="card-body" hx-get="(/dasbor/kartu/(\w+))" hx-trigger="load"')


@pytest.fixture()
def lazy_app(make_app, db):  # noqa: ARG001 - db: an app context and emptied tables
    return make_app(DASHBOARD_LAZY_CARDS=True)


@pytest.fixture()
def inline_app(make_app, db):  # noqa: ARG001
    return make_app(DASHBOARD_LAZY_CARDS=False)


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def body_of(html: str, key: str) -> str:
    """The body of one card: in the page, or the fragment that replaces its frame."""
    match = re.search(rf'<article id="card-{key}">.*?(<div class="card-body">.*?)</article>', html, re.S)
    return match.group(1).strip() if match else html.strip()


@pytest.fixture()
def ketua_koordinator(db):
    opd = factories.make_opd(short_name="Diskominfo")
    koordinator = make_koordinator(opd)
    make_member(opd, full_name="Bayu Firmansyah")
    user = factories.make_user("ketua-koordinator", roles=["ketua", "koordinator"], opd=opd)
    del koordinator
    return user


def test_the_page_shows_a_frame_per_card_that_loads_itself(lazy_app, ketua_koordinator):
    client = sign_in(lazy_app, ketua_koordinator)
    page = client.get("/dasbor").get_data(as_text=True)
    frames = dict((key, url) for url, key in FRAME.findall(page))
    assert {"team_overview", "team_flags", "reviews_waiting", "reviews_per_opd", "catalogue_overview"} <= set(frames)
    for inline in ("account", "team_opd_board", "reviews_predikat"):  # cheap: in the page
        assert inline not in frames and f'<article id="card-{inline}">' in page
    for key, url in frames.items():
        assert f'<a href="{url}">Buka kartu ini</a>' in page  # without JavaScript: a link
        fragment = client.get(url, headers=HX)
        assert fragment.status_code == 200, key
        text = fragment.get_data(as_text=True)
        assert text.startswith('<div class="card-body">') and "<html" not in text, key
        assert len(fragment.data) <= 15 * 1024, key


def test_without_javascript_a_card_opens_on_a_page_of_its_own(lazy_app, ketua_koordinator):
    client = sign_in(lazy_app, ketua_koordinator)
    page = client.get("/dasbor/kartu/team_flags").get_data(as_text=True)
    assert "<html" in page and "Peringatan disiplin" in page and 'id="flags-warning">0<' in page
    assert 'href="/dasbor"' in page


def test_the_lazy_cards_show_what_the_page_shows_with_the_cards_inside(lazy_app, inline_app, ketua_koordinator):
    lazy, inline = sign_in(lazy_app, ketua_koordinator), sign_in(inline_app, ketua_koordinator)
    whole = inline.get("/dasbor").get_data(as_text=True)
    assert not FRAME.search(whole)
    page = lazy.get("/dasbor").get_data(as_text=True)
    for url, key in FRAME.findall(page):
        assert body_of(lazy.get(url, headers=HX).get_data(as_text=True), key) == body_of(whole, key), key


def test_a_card_exists_only_for_its_roles(lazy_app, db):  # noqa: ARG001
    member = sign_in(lazy_app, factories.make_user("anggota", roles=["anggota"]))
    assert member.get("/dasbor/kartu/team_overview", headers=HX).status_code == 404
    assert member.get("/dasbor/kartu/tidak-ada", headers=HX).status_code == 404
    assert member.get("/dasbor/kartu/performance_month", headers=HX).status_code == 200
    assert member.get("/dasbor/kartu/team_my_tasks", headers=HX).status_code == 200  # in the page, also alone
    assert member.get("/dasbor/kartu/account", headers=HX).status_code == 200  # everyone's card
    anonymous = lazy_app.test_client().get("/dasbor/kartu/performance_month")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]


def test_the_decorator_registers_the_context_of_a_card(db):  # noqa: ARG001
    @cards.card(key="uji_kartu", title="Kartu uji", template="dashboard/_card_account.html", roles={Role.PEMBINA})
    def context(user):
        return {"user": user}

    @cards.card(key="uji_lambat", title="Kartu lambat", template="dashboard/_card_account.html", lazy=True)
    def slow(user):
        return {"user": user}

    try:
        card = cards.get("uji_kartu")
        assert card.context is context and card.roles == frozenset({Role.PEMBINA}) and not card.loads_itself
        assert cards.get("uji_lambat").loads_itself and not cards.get("uji_lambat").roles
        assert card.visible_to(factories.make_user(roles=["pembina"]))
        assert not card.visible_to(factories.make_user("lain", roles=["anggota"]))
    finally:
        cards._CARDS.pop("uji_kartu")
        cards._CARDS.pop("uji_lambat")


@pytest.mark.parametrize("role", ["ketua", "sekretaris", "koordinator", "anggota", "ppk"])
def test_every_request_of_a_dashboard_stays_within_12_queries(make_app, db, monkeypatch, role):  # noqa: ARG001
    monkeypatch.setenv(querycount.ENV_VAR, "1")
    app = make_app(DASHBOARD_LAZY_CARDS=True)
    opd = factories.make_opd()
    for _ in range(3):
        make_member(opd)
    user = factories.make_user(role, roles=[role], opd=opd if role == "koordinator" else None)
    client = sign_in(app, user)
    page = client.get("/dasbor")
    counts = {"/dasbor": int(page.headers[querycount.HEADER])}
    for url, _key in FRAME.findall(page.get_data(as_text=True)):
        client.get(url, headers=HX)  # the first view of the month may store the discipline counts
        counts[url] = int(client.get(url, headers=HX).headers[querycount.HEADER])
    assert max(counts.values()) <= 12, counts


def test_the_late_members_on_the_koordinator_s_card_are_those_the_rule_finds(app, db):
    """The card counts last month's late reports in SQL; it must agree with rules.is_late on every
    kind of report: none, a draft, filed on time, filed late (on the city's clock), validated late."""
    import datetime as dt

    from pontive.core.i18n import to_local
    from pontive.performance import cards as review_cards
    from pontive.performance import rules as performance_rules
    from pontive.performance.models import MonthlyReport, ReportStatus

    opd = factories.make_opd()
    koordinator = factories.make_user("koord-telat", roles=["koordinator", "anggota"], opd=opd)
    today = review_cards._today()
    year, month = review_cards._last_month(today)
    due = performance_rules.due_date(year, month)
    local_midnight_after_due = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 30))
    cases = {
        "Tanpa Laporan": None,
        "Masih Draf": (ReportStatus.DRAFT, None),
        "Tepat Waktu": (ReportStatus.SUBMITTED, dt.datetime(year, month, 28, 3)),
        "Lewat Tenggat": (ReportStatus.SUBMITTED, local_midnight_after_due - dt.timedelta(hours=7)),  # UTC
        "Divalidasi Telat": (ReportStatus.VALIDATED, local_midnight_after_due + dt.timedelta(days=2)),
    }
    for name, report in cases.items():
        membership = make_member(opd, start=dt.date(year, month, 1) - dt.timedelta(days=40), full_name=name)
        if report:
            db.add(
                MonthlyReport(
                    member_id=membership.member_id,
                    opd_id=opd.id,
                    year=year,
                    month=month,
                    status=report[0],
                    submitted_at=report[1],
                    narrative="",
                    activities="",
                )
            )
    db.commit()
    expected = set()
    for name, report in cases.items():
        status, submitted = report or ("draft", None)
        on = to_local(submitted).date() if submitted else None
        if performance_rules.is_late(year, month, str(getattr(status, "value", status)), on, today):
            expected.add(name)
    assert expected == set(cases) - {"Tepat Waktu"}  # the cases mean what their names say
    with app.test_request_context("/dasbor"):
        context = review_cards.waiting_context(db.get(type(koordinator), koordinator.id))
    assert context["late_count"] == len(expected)
    assert {row.full_name for row in context["late"]} == expected
