"""What `make bench` drives: the main pages and htmx fragments of every role, with the ids in their
URLs found in the seeded database (the busiest round, OPD, member, contract …), never hard-coded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import text

# kind: page | fragment | pdf | xlsx | floor
KINDS = ("floor", "page", "fragment", "pdf", "xlsx")


@dataclass(frozen=True)
class Page:
    name: str  # unique within a run: the key that joins scale 1 to scale 10
    role: str  # a username; "" for anonymous
    path: str
    kind: str = "page"
    target: str = ""  # HX-Target of a fragment
    headers: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def request_headers(self, base_url: str) -> dict[str, str]:
        if self.kind != "fragment":
            return dict(self.headers)
        headers = {"HX-Request": "true", "HX-Current-URL": base_url + self.path.split("?")[0], **self.headers}
        if self.target:
            headers["HX-Target"] = self.target
        return headers


def _one(session, sql: str, **params):
    row = session.execute(text(sql), params).first()
    return None if row is None else (row[0] if len(row) == 1 else tuple(row))


def discover(session, today: dt.date) -> dict:
    """The ids the pages need, each the busiest (or first) of its kind in the seeded data."""
    user_id = {
        name: uid
        for name, uid in session.execute(
            text(
                "SELECT username, id FROM \"user\" WHERE username IN ('admin', 'koordinator', 'anggota', "
                "'panel', 'ppk', 'kontrak', 'operator_opd')"
            )
        )
    }
    found: dict = {"today": today}
    found["koordinator_opd"] = _one(
        session,
        "SELECT opd_id FROM role_grant WHERE user_id = :u AND role = 'koordinator' AND opd_id IS NOT NULL "
        "ORDER BY opd_id",
        u=user_id["koordinator"],
    )
    found["operator_opd"] = _one(
        session,
        "SELECT opd_id FROM role_grant WHERE user_id = :u AND role = 'operator_opd' ORDER BY opd_id",
        u=user_id["operator_opd"],
    )
    found["busiest_opd"] = _one(session, "SELECT opd_id FROM task GROUP BY opd_id ORDER BY COUNT(*) DESC, opd_id")
    # The member with the most tasks: "my tasks" and "months" of someone whose lists grow with the scale.
    found["busy_member"] = _one(
        session,
        'SELECT u.username FROM task_assignee a JOIN "user" u ON u.id = a.member_id '
        "GROUP BY u.username ORDER BY COUNT(*) DESC, u.username",
    )
    found["anggota_task"] = _one(
        session,
        "SELECT t.id FROM task t JOIN task_assignee a ON a.task_id = t.id WHERE a.member_id = :u "
        "ORDER BY t.status, t.id DESC",
        u=user_id["anggota"],
    )
    found["koordinator_report"] = _one(
        session,
        "SELECT id FROM monthly_report WHERE opd_id = :o AND status = 'submitted' ORDER BY id",
        o=found["koordinator_opd"],
    ) or _one(session, "SELECT id FROM monthly_report WHERE opd_id = :o ORDER BY id DESC", o=found["koordinator_opd"])
    found["big_round"] = _one(
        session, "SELECT round_id FROM application GROUP BY round_id ORDER BY COUNT(*) DESC, round_id"
    )
    found["big_round_application"] = _one(
        session,
        "SELECT id FROM application WHERE round_id = :r AND status <> 'draft' ORDER BY id",
        r=found["big_round"],
    )
    found["panel_round"] = _one(
        session, "SELECT round_id FROM panel_member WHERE user_id = :u ORDER BY round_id", u=user_id["panel"]
    )
    found["panel_application"] = _one(
        session,
        "SELECT id FROM application WHERE round_id = :r AND status <> 'draft' ORDER BY id DESC",
        r=found["panel_round"],
    )
    found["call_letter"] = _one(
        session,
        "SELECT c.id FROM call_letter c JOIN application a ON a.id = c.application_id "
        "WHERE a.round_id = :r ORDER BY c.id",
        r=found["panel_round"],
    )
    found["ppk_contract"] = _one(
        session,
        "SELECT c.id FROM contract c WHERE c.ppk_id = :u ORDER BY "
        "(SELECT COUNT(*) FROM leave_request l WHERE l.contract_id = c.id) DESC, c.id",
        u=user_id["ppk"],
    )
    found["catalogue_app"] = _one(
        session,
        "SELECT a.id FROM city_application a WHERE a.owner_opd_id = :o ORDER BY "
        "(SELECT COUNT(*) FROM app_integration i WHERE i.provider_id = a.id OR i.consumer_id = a.id) DESC, a.id",
        o=found["operator_opd"],
    )
    found["report_month"] = _one(
        session,
        "SELECT year, month FROM monthly_report WHERE member_id = :u ORDER BY year DESC, month DESC",
        u=user_id["anggota"],
    ) or (today.year, today.month)
    found["leave_start"] = _next_weekday(today + dt.timedelta(days=14))
    found["search_user"] = _one(session, 'SELECT full_name FROM "user" ORDER BY id DESC')
    return found


def _next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def pages(found: dict) -> list[Page]:
    today: dt.date = found["today"]
    year = today.year
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    ry, rm = found["report_month"]
    koord_opd, busy_opd = found["koordinator_opd"], found["busiest_opd"]
    big_round, panel_round = found["big_round"], found["panel_round"]
    leave_from = found["leave_start"].isoformat()
    leave_to = _next_weekday(found["leave_start"] + dt.timedelta(days=1)).isoformat()
    search = (found["search_user"] or "Tenaga").split()[0].lower()
    busy = found["busy_member"]
    dashboards = [
        Page(f"{role}: dashboard", role, "/dasbor")
        for role in (
            "admin",
            "pembina",
            "ketua",
            "sekretaris",
            "koordinator",
            "anggota",
            "panel",
            "pelamar",
            "ppk",
            "pptk",
            "kontrak",
            "operator_opd",
        )
    ]
    listed = [
        # admin
        Page("admin: users", "admin", "/admin/pengguna"),
        Page("admin: users, role filter", "admin", "/admin/pengguna?peran=kontrak&page=3"),
        Page("admin: users search (fragment)", "admin", f"/admin/pengguna?q={search}", "fragment", "results"),
        Page("admin: audit log", "admin", "/admin/audit"),
        Page("admin: audit log filter (fragment)", "admin", "/admin/audit?aksi=app_create", "fragment", "results"),
        Page("admin: OPDs", "admin", "/admin/opd"),
        Page("admin: catalogue", "admin", "/katalog"),
        Page("admin: catalogue search (fragment)", "admin", "/katalog?q=sapa&status=production", "fragment", "results"),
        Page("admin: catalogue export", "admin", "/katalog/ekspor.xlsx", "xlsx"),
        # pembina
        Page("pembina: dismissal proposals", "pembina", "/disiplin/usulan"),
        # ketua
        Page("ketua: members", "ketua", "/tim/anggota"),
        Page(
            "ketua: members search (fragment)", "ketua", "/tim/anggota?q=anggota&status=active", "fragment", "results"
        ),
        Page("ketua: selection rounds", "ketua", "/panitia"),
        Page("ketua: selection board", "ketua", f"/panitia/seleksi/{big_round}"),
        Page(
            "ketua: selection queue filter (fragment)",
            "ketua",
            f"/panitia/seleksi/{big_round}?status=passed&q=calon",
            "fragment",
            "results",
        ),
        Page("ketua: an application", "ketua", f"/panitia/lamaran/{found['big_round_application']}"),
        Page("ketua: selection result export", "ketua", f"/panitia/seleksi/{big_round}/hasil.xlsx", "xlsx"),
        # sekretaris
        Page("sekretaris: OPD boards", "sekretaris", "/tim/papan"),
        Page("sekretaris: team board (busiest OPD)", "sekretaris", f"/tim/opd/{busy_opd}/tugas"),
        Page("sekretaris: programs", "sekretaris", "/tim/program"),
        Page("sekretaris: review months", "sekretaris", "/penilaian"),
        Page(
            "sekretaris: monthly recap",
            "sekretaris",
            f"/penilaian/rekap?tahun={last_month.year}&bulan={last_month.month}",
        ),
        Page(
            "sekretaris: yearly recap (fragment)", "sekretaris", f"/penilaian/rekap?tahun={year}", "fragment", "results"
        ),
        Page("sekretaris: recap export", "sekretaris", f"/penilaian/rekap.xlsx?tahun={year}", "xlsx"),
        # koordinator
        Page("koordinator: team board", "koordinator", f"/tim/opd/{koord_opd}/tugas"),
        Page(
            "koordinator: team board filter (fragment)",
            "koordinator",
            f"/tim/opd/{koord_opd}/tugas?q=migrasi&prioritas=high",
            "fragment",
            "board",
        ),
        Page("koordinator: meetings", "koordinator", "/rapat"),
        Page("koordinator: review queue", "koordinator", "/penilaian"),
        Page(
            "koordinator: review queue filter (fragment)",
            "koordinator",
            "/penilaian?status=validated",
            "fragment",
            "results",
        ),
        Page("koordinator: a report", "koordinator", f"/penilaian/laporan/{found['koordinator_report']}"),
        Page("koordinator: discipline", "koordinator", "/disiplin"),
        # anggota
        Page("anggota: my tasks", "anggota", "/tim/tugas-saya"),
        Page(
            "anggota: my tasks filter (fragment)", "anggota", "/tim/tugas-saya?status=assigned", "fragment", "results"
        ),
        Page("anggota: a task", "anggota", f"/tim/tugas/{found['anggota_task']}"),
        Page("anggota: months", "anggota", "/kinerja/laporan"),
        Page("anggota: a month", "anggota", f"/kinerja/bulan/{ry}/{rm}"),
        Page("anggota: monthly report PDF", "anggota", f"/kinerja/bulan/{ry}/{rm}/cetak.pdf", "pdf"),
        Page("busiest member: my tasks", busy, "/tim/tugas-saya"),
        Page("busiest member: my tasks filter (fragment)", busy, "/tim/tugas-saya?status=done", "fragment", "results"),
        Page("busiest member: months", busy, "/kinerja/laporan"),
        # panel
        Page("panel: selection rounds", "panel", "/panitia"),
        Page("panel: selection board", "panel", f"/panitia/seleksi/{panel_round}"),
        Page("panel: an application", "panel", f"/panitia/lamaran/{found['panel_application']}"),
        Page("panel: call letter PDF", "panel", f"/panitia/surat-panggilan/{found['call_letter']}.pdf", "pdf"),
        # pelamar
        Page("pelamar: my applications", "pelamar", "/lamaran"),
        Page("pelamar: rounds", "pelamar", "/seleksi"),
        # ppk
        Page("ppk: contracts", "ppk", "/kontrak"),
        Page("ppk: contracts search (fragment)", "ppk", "/kontrak?q=tenaga%20kontrak%2000012", "fragment", "results"),
        Page("ppk: a contract", "ppk", f"/kontrak/{found['ppk_contract']}"),
        Page("ppk: contract summary PDF", "ppk", f"/kontrak/{found['ppk_contract']}/ringkasan.pdf", "pdf"),
        Page("ppk: leave requests", "ppk", "/kontrak/cuti"),
        Page("ppk: leave requests filter (fragment)", "ppk", "/kontrak/cuti?status=approved", "fragment", "results"),
        Page("ppk: leave calendar", "ppk", f"/kontrak/cuti/kalender?bulan={today:%Y-%m}"),
        Page("ppk: assessments due", "ppk", "/kontrak/penilaian"),
        Page("ppk: activity reports", "ppk", "/kontrak/laporan"),
        # pptk
        Page("pptk: contracts", "pptk", "/kontrak"),
        # kontrak
        Page("kontrak: my contract", "kontrak", "/kontrak-saya"),
        Page("kontrak: leave", "kontrak", "/kontrak-saya/cuti"),
        Page(
            "kontrak: leave preview (fragment)",
            "kontrak",
            f"/kontrak-saya/cuti/pratinjau?jenis=annual&mulai={leave_from}&selesai={leave_to}",
            "fragment",
            "leave-preview",
        ),
        Page("kontrak: activity reports", "kontrak", "/kontrak-saya/laporan"),
        # operator_opd
        Page("operator_opd: catalogue", "operator_opd", "/katalog"),
        Page("operator_opd: a catalogue app", "operator_opd", f"/katalog/{found['catalogue_app']}"),
        Page("operator_opd: catalogue report", "operator_opd", f"/katalog/laporan?tahun={year}"),
    ]
    return [Page("/healthz (floor)", "", "/healthz", "floor"), *dashboards, *listed]
