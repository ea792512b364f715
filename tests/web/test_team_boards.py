"""A board stays small however many tasks and members an OPD gathers (issue 8 §2, 002 §13(1)a): each
column shows its first cards, its count and "Tampilkan lebih banyak" (htmx appends the next cards, a
plain link opens the column's own page), and the member pickers search the members placed in the OPD
instead of listing them all."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from pontive.accounts.models import Opd
from pontive.extensions import db as _db
from pontive.team import boards, services
from pontive.team.models import Task, TaskStatus
from pontive.team.views import COLUMN_LIMIT
from tests import factories
from tests.team_factories import make_koordinator, make_member
from tests.web.test_team_tasks import HX, counting_queries, signed_in, text, today


def an_opd_with(members: int = 2):
    opd = factories.make_opd()
    koordinator = make_koordinator(opd)
    placed = [make_member(opd, full_name=f"Anggota Uji {i:02d}") for i in range(members)]
    return opd, koordinator, placed


def tasks(db, opd, koordinator, member, n: int, *, prefix: str = "Tugas", start: int = 0, **data) -> list[Task]:
    made = []
    for i in range(start, start + n):
        due = today() + dt.timedelta(days=i + 1)
        made.append(
            services.create_task(
                db,
                koordinator,
                opd.id,
                {"title": f"{prefix} {i:02d}", "due_date": due, **data},
                [member.member_id],
                today(),
            )
        )
    return made


def column(page: str, status: str) -> str:
    return page.split(f'id="kolom-{status}"')[1].split("</section>")[0]


def card_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="task-card[^"]*" id="task-(\d+)"', html)]


def test_a_column_shows_its_first_cards_its_count_and_appends_the_next_with_htmx(app, db):
    opd, koordinator, (member, _other) = an_opd_with()
    made = tasks(db, opd, koordinator, member, 2 * COLUMN_LIMIT + 2)
    client = signed_in(app, koordinator)
    page = text(client.get(f"/tim/opd/{opd.id}/tugas"))
    assigned = column(page, "assigned")
    assert card_ids(assigned) == [t.id for t in made[:COLUMN_LIMIT]]  # the nearest due dates first
    assert f'<span class="badge">{len(made)}</span>' in assigned
    assert "Tampilkan lebih banyak" in assigned and f"({len(made) - COLUMN_LIMIT} lagi)" in assigned
    more = re.search(r'id="kolom-assigned-lebih"><a href="([^"]+)"', assigned).group(1).replace("&amp;", "&")

    fragment = client.get(more, headers={**HX, "HX-Target": "kolom-assigned-lebih"})
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert card_ids(text(fragment)) == [t.id for t in made[COLUMN_LIMIT : 2 * COLUMN_LIMIT]]
    assert 'formaction="/tim/tugas/' not in text(fragment)  # a koordinator only verifies done tasks
    last = re.search(r'id="kolom-assigned-lebih"><a href="([^"]+)"', text(fragment)).group(1).replace("&amp;", "&")
    rest = text(client.get(last, headers={**HX, "HX-Target": "kolom-assigned-lebih"}))
    assert card_ids(rest) == [t.id for t in made[2 * COLUMN_LIMIT :]] and "Tampilkan lebih banyak" not in rest

    # Without JavaScript the link opens the column's own page from there, with a way back.
    whole = client.get(more)
    assert whole.status_code == 200 and "<html" in text(whole)
    assert card_ids(text(whole)) == [t.id for t in made[COLUMN_LIMIT:]]
    assert f'href="/tim/opd/{opd.id}/tugas"' in text(whole)


def test_show_more_keeps_the_filters_and_undated_tasks_come_last(app, db):
    opd, koordinator, (member, _other) = an_opd_with()
    dated = tasks(db, opd, koordinator, member, COLUMN_LIMIT - 1, prefix="Migrasi")
    undated = [
        services.create_task(
            db, koordinator, opd.id, {"title": f"Migrasi tanpa tenggat {i}"}, [member.member_id], today()
        )
        for i in range(3)
    ]
    tasks(db, opd, koordinator, member, 3, prefix="Backup", start=50)
    client = signed_in(app, koordinator)
    page = text(client.get(f"/tim/opd/{opd.id}/tugas", query_string={"q": "migrasi"}))
    assigned = column(page, "assigned")
    assert card_ids(assigned) == [t.id for t in dated] + [undated[0].id]
    more = re.search(r'id="kolom-assigned-lebih"><a href="([^"]+)"', assigned).group(1).replace("&amp;", "&")
    assert "q=migrasi" in more and f"dari={COLUMN_LIMIT}" in more
    rest = text(client.get(more, headers={**HX, "HX-Target": "kolom-assigned-lebih"}))
    assert card_ids(rest) == [undated[1].id, undated[2].id] and "Backup" not in rest


def test_done_and_verified_columns_show_the_latest_first(app, db):
    opd, koordinator, (member, _other) = an_opd_with()
    made = tasks(db, opd, koordinator, member, COLUMN_LIMIT + 1)
    for i, task in enumerate(made):
        services.move_task(db, member.member, task, TaskStatus.IN_PROGRESS)
        services.move_task(db, member.member, task, TaskStatus.DONE)
        task.updated_at = dt.datetime(2026, 1, 1) + dt.timedelta(hours=i)
    db.commit()
    page = text(signed_in(app, koordinator).get(f"/tim/opd/{opd.id}/tugas"))
    assert card_ids(column(page, "done")) == [t.id for t in reversed(made)][:COLUMN_LIMIT]


def test_the_board_is_one_form_whose_buttons_move_their_own_task(app, db):
    """Without JavaScript a card's button posts to its task with the board's CSRF token, and a
    returned task takes the note written on its own card."""
    opd, koordinator, (member, _other) = an_opd_with()
    first, second = tasks(db, opd, koordinator, member, 2)
    for task in (first, second):
        services.move_task(db, member.member, task, TaskStatus.IN_PROGRESS)
        services.move_task(db, member.member, task, TaskStatus.DONE)
    client = signed_in(app, koordinator)
    page = text(client.get(f"/tim/opd/{opd.id}/tugas"))
    assert page.count('name="csrf_token"') == 2  # the new-task form and the board, not one per card
    assert f'formaction="/tim/tugas/{second.id}/status"' in page and f'name="note-{second.id}"' in page
    back = f"/tim/opd/{opd.id}/tugas?q=tugas"
    data = {"status": "in_progress", "next": back, f"note-{first.id}": "", f"note-{second.id}": "Lengkapi log."}
    assert client.post(f"/tim/tugas/{second.id}/status", data=data).headers["Location"] == back
    refused = client.post(f"/tim/tugas/{first.id}/status", data=data, follow_redirects=True)
    assert "Tuliskan catatan mengapa tugas dikembalikan." in text(refused)
    db.refresh(first), db.refresh(second)
    assert (first.status, second.status) == (TaskStatus.DONE, TaskStatus.IN_PROGRESS)
    assert "Lengkapi log." in text(client.get(f"/tim/tugas/{second.id}"))


def test_the_assignee_picker_searches_the_members_placed_in_the_opd(app, db):
    opd, koordinator, placed = an_opd_with(boards.MEMBER_CHOICES + 5)
    budi = make_member(opd, full_name="Budi Santoso")
    other_opd, _k, (stranger, *_rest) = an_opd_with(1)
    client = signed_in(app, koordinator)
    page = text(client.get(f"/tim/opd/{opd.id}/tugas"))
    offered = re.findall(r'name="assignee_ids" value="(\d+)"', page)
    assert len(offered) == boards.MEMBER_CHOICES  # not every member of the OPD
    assert "6 anggota lain tidak ditampilkan" in page

    search = f"/tim/opd/{opd.id}/anggota-cari"
    ticked = [placed[0].member_id, stranger.member_id]
    found = client.get(
        search,
        query_string={"penerima_cari": "budi", "assignee_ids": ticked},
        headers={**HX, "HX-Target": "assignee-options"},
    )
    assert found.status_code == 200 and "<html" not in text(found)
    assert re.findall(r'value="(\d+)"( checked)?', text(found)) == [
        (str(placed[0].member_id), " checked"),  # ticked stays ticked, on top
        (str(budi.member_id), ""),
    ]
    options = text(
        client.get(search, query_string={"anggota_cari": "budi"}, headers={**HX, "HX-Target": "board-anggota"})
    )
    assert "<option" in options and "Budi Santoso" in options and "Anggota Uji" not in options

    # Without JavaScript the search reloads the board with the picker narrowed and the form open.
    fallback = client.get(search, query_string={"penerima_cari": "budi"})
    assert fallback.status_code == 302 and "penerima_cari=budi" in fallback.headers["Location"]
    narrowed = text(client.get(fallback.headers["Location"]))
    assert re.findall(r'name="assignee_ids" value="(\d+)"', narrowed) == [str(budi.member_id)]
    assert 'id="tugas-baru" open' in narrowed

    # Another OPD's koordinator finds nobody here; the ketua reads the filter but gets no picker.
    assert signed_in(app, make_koordinator(other_opd)).get(search, headers=HX).status_code == 404
    ketua = signed_in(app, factories.make_user("ketua", roles=["ketua"]))
    assert "Budi Santoso" in text(
        ketua.get(search, query_string={"anggota_cari": "budi"}, headers={**HX, "HX-Target": "board-anggota"})
    )
    refused = ketua.get(search, query_string={"penerima_cari": "budi"}, headers={**HX, "HX-Target": "assignee-options"})
    assert refused.status_code == 302


def test_the_member_filter_offers_a_search_and_keeps_the_chosen_member(app, db):
    opd, koordinator, placed = an_opd_with(boards.MEMBER_CHOICES + 3)
    last = placed[-1]
    tasks(db, opd, koordinator, last, 1, prefix="Punya terakhir")
    tasks(db, opd, koordinator, placed[0], 1, prefix="Punya pertama")
    page = text(signed_in(app, koordinator).get(f"/tim/opd/{opd.id}/tugas", query_string={"anggota": last.member_id}))
    select_html = page.split('id="board-anggota"')[1].split("</select>")[0]
    assert f'<option value="{last.member_id}" selected>' in select_html
    assert "anggota lain: cari nama" in select_html
    assert "Punya terakhir" in page and "Punya pertama" not in page


def test_a_bigger_opd_takes_the_same_queries_and_the_filter_fragment_stays_small(app, db):
    opd, koordinator, (member, _other) = an_opd_with()
    client = signed_in(app, koordinator)
    url = f"/tim/opd/{opd.id}/tugas"
    long = "Migrasi basis data dan aplikasi ke server baru dengan PostgreSQL 16"

    def grow(n):
        for task in tasks(db, opd, koordinator, member, n, prefix=long, priority="high"):
            if task.id % 4 == 0:
                continue
            services.move_task(db, member.member, task, TaskStatus.IN_PROGRESS)
            if task.id % 4 > 1:
                services.move_task(db, member.member, task, TaskStatus.DONE)
        for _ in range(n):
            make_member(opd)

    def measure():
        with counting_queries() as count:
            page = client.get(url)
        fragment = client.get(
            url, query_string={"q": "migrasi", "prioritas": "high"}, headers={**HX, "HX-Target": "board"}
        )
        return count[0], len(page.data), len(fragment.data)

    grow(4)
    queries, _page, _fragment = measure()
    grow(4 * COLUMN_LIMIT)
    more_queries, page_bytes, fragment_bytes = measure()
    assert more_queries == queries
    assert fragment_bytes <= 15_000, fragment_bytes


def test_the_boards_overview_counts_match_the_service(app, db):
    opd, koordinator, (member, _other) = an_opd_with()
    made = tasks(db, opd, koordinator, member, 5)
    made[0].due_date = today() - dt.timedelta(days=3)
    services.move_task(db, member.member, made[1], TaskStatus.IN_PROGRESS)
    services.move_task(db, member.member, made[1], TaskStatus.DONE)
    services.move_task(db, member.member, made[2], TaskStatus.IN_PROGRESS)
    db.commit()
    ids = list(_db.session.scalars(select(Opd.id)))
    counted = {
        opd_id: {kind: n.total for kind, n in counts.items()}
        for opd_id, counts in boards.opd_task_counts(db, today(), ids).items()
    }
    zero = {"open": 0, "overdue": 0, "to_verify": 0}
    assert counted == {i: zero for i in ids} | services.task_counts_by_opd(db, today(), ids)
    assert counted[opd.id] == {"open": 4, "overdue": 1, "to_verify": 1}
    ketua = signed_in(app, factories.make_user("ketua", roles=["ketua"]))
    page = text(ketua.get("/tim/papan"))
    row = page.split(f"/tim/opd/{opd.id}/tugas")[1].split("</tr>")[0]
    assert re.findall(r"<td>(?:<span[^>]*>)?(\d+)", row) == ["2", "4", "1", "1"]


def test_the_boards_overview_counts_each_opd_up_to_a_limit(app, db, monkeypatch):
    """Past the limit an OPD's count reads "lebih dari …" (the same few index entries whatever it holds)."""
    opd, koordinator, (member, _other) = an_opd_with()
    tasks(db, opd, koordinator, member, 5)
    capped = boards.opd_task_counts(db, today(), [opd.id], limit=3)[opd.id]
    assert capped["open"].total == 3 and capped["open"].total_capped
    assert capped["to_verify"].total == 0 and not capped["to_verify"].total_capped
    monkeypatch.setattr(boards, "OPD_COUNT_LIMIT", 4)
    page = text(signed_in(app, factories.make_user("ketua", roles=["ketua"])).get("/tim/papan"))
    row = page.split(f"/tim/opd/{opd.id}/tugas")[1].split("</tr>")[0]
    assert "lebih dari 4" in row
