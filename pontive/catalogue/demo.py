"""Catalogue reference data (the SOP steps of seed 001) and demo applications: fifty of a real-looking
city (Bekasi) over its OPDs, with repositories, hosting, maintainers, integrations, two projects mid-SOP
(one late), one handed over; ``--scale N`` adds 1,500 × N applications in one bulk insert."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.accounts.models import Opd
from pontive.accounts.roles import Role
from pontive.catalogue import rules, services
from pontive.catalogue.models import AppIntegration, CityApplication, Project, ProjectStep, SopStep
from pontive.core.audit import audit, snapshot
from pontive.core.seeding import DemoContext, bulk_insert, demo_step, reference_step


@reference_step(40, "langkah SOP")
def load_sop_steps(session: Session) -> int:
    return services.load_sop_steps(session)


# --- demo applications (issue 7 §6) --------------------------------------------------------------------------

GIT = "https://gitlab.bekasikota.go.id"
STACKS = {
    "laravel": ("Ubuntu Server 22.04 LTS", "Nginx 1.24", "PHP 8.2 (Laravel 10)", "MySQL 8.0"),
    "ci": ("CentOS 7", "Apache 2.4", "PHP 7.4 (CodeIgniter 3)", "MySQL 5.7"),
    "django": ("Ubuntu Server 22.04 LTS", "Nginx 1.24 + Gunicorn", "Python 3.11 (Django 4.2)", "PostgreSQL 15"),
    "node": ("Ubuntu Server 22.04 LTS", "Nginx 1.24", "Node.js 20 (Express)", "PostgreSQL 15"),
    "go": ("Debian 12", "Caddy 2", "Go 1.22", "PostgreSQL 16"),
    "java": ("Rocky Linux 9", "Apache Tomcat 9", "Java 17 (Spring Boot 3)", "PostgreSQL 14"),
    "wordpress": ("Ubuntu Server 22.04 LTS", "Apache 2.4", "PHP 8.1 (WordPress 6)", "MariaDB 10.11"),
    "android": ("Ubuntu Server 22.04 LTS", "Nginx 1.24 (API)", "Kotlin (Android 8+), API Laravel 10", "MySQL 8.0"),
    "ios": ("Ubuntu Server 22.04 LTS", "Nginx 1.24 (API)", "Swift (iOS 15+), API Node.js 20", "PostgreSQL 15"),
    "dotnet": ("Windows Server 2019", "IIS 10", ".NET Framework 4.8", "SQL Server 2019"),
    "ckan": ("Ubuntu Server 22.04 LTS", "Nginx 1.24 + uWSGI", "Python 3.10 (CKAN 2.10)", "PostgreSQL 14"),
}

# name, owner OPD, kind, status, hosting, stack, description (empty: the operator still has to write it)
DEMO_APPS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "Sapa Warga",
        "DISKOMINFOSTANDI",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Aplikasi pengaduan dan aspirasi masyarakat, terhubung dengan kanal WhatsApp dan media sosial.",
    ),
    (
        "Satu Data Kota Bekasi",
        "DISKOMINFOSTANDI",
        "web",
        "production",
        "city_dc",
        "ckan",
        "Portal data terbuka: dataset sektoral seluruh perangkat daerah sesuai Satu Data Indonesia.",
    ),
    (
        "PPID Kota Bekasi",
        "DISKOMINFOSTANDI",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Layanan permohonan informasi publik dan daftar informasi publik (PPID Utama).",
    ),
    (
        "Portal Resmi Pemerintah Kota Bekasi",
        "DISKOMINFOSTANDI",
        "web",
        "production",
        "cloud",
        "wordpress",
        "Website resmi pemerintah kota: berita, agenda, profil daerah.",
    ),
    ("Dasbor Command Center", "DISKOMINFOSTANDI", "web", "proposed", "", "", ""),
    (
        "e-Office Naskah Dinas",
        "DISKOMINFOSTANDI",
        "web",
        "maintenance",
        "city_dc",
        "ci",
        "Surat-menyurat dan disposisi elektronik antar perangkat daerah.",
    ),
    (
        "SIMPEG Kota Bekasi",
        "BKPSDM",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Sistem Informasi Manajemen Kepegawaian: data ASN, riwayat jabatan, pangkat dan pendidikan.",
    ),
    (
        "e-Kinerja ASN",
        "BKPSDM",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Penilaian kinerja pegawai: SKP, rencana aksi bulanan dan realisasinya.",
    ),
    (
        "Sistem Informasi Kepegawaian Mobile",
        "BKPSDM",
        "android",
        "development",
        "city_dc",
        "android",
        "Layanan kepegawaian mandiri untuk ASN di ponsel.",
    ),
    (
        "e-Presensi ASN",
        "BKPSDM",
        "android",
        "production",
        "cloud",
        "android",
        "Presensi berbasis lokasi dan swafoto untuk ASN.",
    ),
    (
        "SIPD Sync Perencanaan",
        "BAPPELITBANGDA",
        "api",
        "production",
        "city_dc",
        "go",
        "Sinkronisasi data perencanaan dan penganggaran dengan SIPD Kemendagri.",
    ),
    (
        "e-Musrenbang",
        "BAPPELITBANGDA",
        "web",
        "production",
        "city_dc",
        "ci",
        "Usulan musyawarah perencanaan pembangunan dari kelurahan dan kecamatan.",
    ),
    (
        "SAKIP Online",
        "BAPPELITBANGDA",
        "web",
        "maintenance",
        "city_dc",
        "laravel",
        "Sistem akuntabilitas kinerja instansi pemerintah: indikator kinerja utama dan capaiannya.",
    ),
    (
        "Bridging SIMDA Keuangan",
        "BPKAD",
        "api",
        "production",
        "vendor",
        "dotnet",
        "Jembatan data penerimaan dan belanja ke SIMDA Keuangan.",
    ),
    (
        "SIMASET Barang Milik Daerah",
        "BPKAD",
        "web",
        "production",
        "city_dc",
        "java",
        "Inventarisasi dan penatausahaan barang milik daerah.",
    ),
    (
        "e-BPHTB",
        "BAPENDA",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Pelaporan dan pembayaran Bea Perolehan Hak atas Tanah dan Bangunan.",
    ),
    ("e-SPPT PBB", "BAPENDA", "web", "production", "cloud", "node", "Cetak dan cek tagihan SPPT PBB-P2 secara daring."),
    (
        "e-Pajak Daerah",
        "BAPENDA",
        "web",
        "production",
        "cloud",
        "laravel",
        "Pelaporan pajak hotel, restoran, hiburan dan parkir oleh wajib pajak.",
    ),
    (
        "Perizinan Online Kota Bekasi",
        "DPMPTSP",
        "web",
        "production",
        "city_dc",
        "java",
        "Permohonan izin dan nonperizinan secara daring, terhubung dengan OSS.",
    ),
    (
        "Antrean Mal Pelayanan Publik",
        "DPMPTSP",
        "web",
        "production",
        "city_dc",
        "node",
        "Antrean daring dan layar antrean Mal Pelayanan Publik.",
    ),
    (
        "e-Retribusi Pasar",
        "DISDAGPERIN",
        "web",
        "development",
        "city_dc",
        "laravel",
        "Penagihan dan pembayaran nontunai retribusi kios dan los pasar.",
    ),
    (
        "SI Harga Pangan",
        "DISDAGPERIN",
        "web",
        "production",
        "cloud",
        "django",
        "Pemantauan harga bahan pokok di pasar tradisional.",
    ),
    (
        "SIMRS RSUD dr. Chasbullah Abdulmadjid",
        "RSUD",
        "web",
        "production",
        "vendor",
        "java",
        "Sistem Informasi Manajemen Rumah Sakit: pendaftaran, rekam medis, farmasi, billing, bridging BPJS.",
    ),
    (
        "Antrean Online RSUD",
        "RSUD",
        "android",
        "production",
        "vendor",
        "android",
        "Pendaftaran dan antrean poliklinik dari ponsel.",
    ),
    (
        "SIMPUS Puskesmas",
        "DINKES",
        "web",
        "production",
        "city_dc",
        "ci",
        "Sistem informasi puskesmas: pendaftaran, pemeriksaan, laporan bulanan.",
    ),
    (
        "e-Surveilans Kesehatan",
        "DINKES",
        "web",
        "maintenance",
        "city_dc",
        "django",
        "Pelaporan kasus penyakit menular dari puskesmas dan rumah sakit.",
    ),
    (
        "Bekasi Sehat",
        "DINKES",
        "android",
        "production",
        "cloud",
        "android",
        "Informasi layanan kesehatan dan jadwal posyandu untuk warga.",
    ),
    (
        "Dapodik-sync Kota Bekasi",
        "DISDIK",
        "api",
        "production",
        "city_dc",
        "go",
        "Sinkronisasi data pokok pendidikan sekolah negeri dan swasta.",
    ),
    (
        "PPDB Online Kota Bekasi",
        "DISDIK",
        "web",
        "production",
        "cloud",
        "laravel",
        "Penerimaan peserta didik baru SD dan SMP negeri.",
    ),
    (
        "e-Rapor SD/SMP",
        "DISDIK",
        "web",
        "maintenance",
        "city_dc",
        "ci",
        "Pengisian dan pencetakan rapor peserta didik.",
    ),
    (
        "Layanan Adminduk Online",
        "DISDUKCAPIL",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Permohonan dokumen kependudukan secara daring.",
    ),
    (
        "Web Service NIK (SIAK Bridge)",
        "DISDUKCAPIL",
        "api",
        "production",
        "city_dc",
        "java",
        "Verifikasi NIK untuk aplikasi perangkat daerah melalui hak akses data kependudukan.",
    ),
    (
        "JDIH Kota Bekasi",
        "SETDA",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Jaringan Dokumentasi dan Informasi Hukum: perda, perwal, keputusan wali kota.",
    ),
    (
        "Agenda Pimpinan",
        "SETDA",
        "web",
        "production",
        "city_dc",
        "node",
        "Agenda kegiatan wali kota dan wakil wali kota.",
    ),
    (
        "e-Audit Inspektorat",
        "INSP",
        "web",
        "development",
        "city_dc",
        "django",
        "Perencanaan, pelaksanaan dan tindak lanjut hasil pemeriksaan.",
    ),
    (
        "e-Aspirasi DPRD",
        "SETWAN",
        "web",
        "production",
        "cloud",
        "wordpress",
        "Penyampaian aspirasi masyarakat kepada anggota DPRD.",
    ),
    (
        "e-Parkir",
        "DISHUB",
        "android",
        "production",
        "vendor",
        "android",
        "Pembayaran parkir tepi jalan umum secara nontunai.",
    ),
    (
        "ATCS Monitoring",
        "DISHUB",
        "desktop",
        "maintenance",
        "city_dc",
        "dotnet",
        "Pemantauan simpang bersinyal dan kamera lalu lintas.",
    ),
    (
        "e-Retribusi Sampah",
        "DLH",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Penagihan retribusi pelayanan persampahan.",
    ),
    (
        "SIBANSOS",
        "DINSOS",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Data penerima bantuan sosial dan penyalurannya.",
    ),
    (
        "Bekasi Kerja",
        "DISNAKER",
        "web",
        "production",
        "cloud",
        "node",
        "Bursa kerja daring dan pencari kerja (kartu kuning).",
    ),
    (
        "Peringatan Dini Banjir",
        "BPBD",
        "api",
        "production",
        "city_dc",
        "go",
        "Tinggi muka air dari sensor pintu air, notifikasi siaga banjir.",
    ),
    ("e-Trantibum", "SATPOLPP", "android", "development", "city_dc", "android", "Pelaporan patroli ketertiban umum."),
    (
        "iBekasi Perpustakaan Digital",
        "DISPUSIP",
        "ios",
        "production",
        "vendor",
        "ios",
        "Peminjaman buku elektronik perpustakaan daerah.",
    ),
    (
        "Website Pariwisata Bekasi",
        "DISBUDPAR",
        "web",
        "production",
        "cloud",
        "wordpress",
        "Destinasi wisata, kuliner dan agenda budaya.",
    ),
    (
        "Layanan Pengaduan Perempuan dan Anak",
        "DP3A",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Pengaduan kekerasan terhadap perempuan dan anak, terhubung dengan UPTD PPA.",
    ),
    (
        "Website Kesbangpol",
        "KESBANGPOL",
        "web",
        "production",
        "cloud",
        "wordpress",
        "Website OPD Badan Kesatuan Bangsa dan Politik.",
    ),
    (
        "Website Kecamatan Bekasi Barat",
        "KEC-BEKASIBARAT",
        "web",
        "production",
        "cloud",
        "wordpress",
        "Website kecamatan: layanan, berita kelurahan.",
    ),
    (
        "SI Keluarga Berencana",
        "DPPKB",
        "desktop",
        "retired",
        "city_dc",
        "dotnet",
        "Pencatatan peserta KB; digantikan aplikasi nasional.",
    ),
    (
        "e-UMKM Kota Bekasi",
        "DISKOPUKM",
        "web",
        "production",
        "city_dc",
        "laravel",
        "Pendataan dan etalase produk usaha mikro, kecil dan menengah.",
    ),
]

# provider, consumer, what flows
DEMO_INTEGRATIONS = [
    ("Web Service NIK (SIAK Bridge)", "Perizinan Online Kota Bekasi", "Verifikasi NIK pemohon"),
    ("Web Service NIK (SIAK Bridge)", "PPDB Online Kota Bekasi", "Verifikasi NIK calon peserta didik"),
    ("Web Service NIK (SIAK Bridge)", "SIBANSOS", "Verifikasi NIK penerima bantuan"),
    ("SIMPEG Kota Bekasi", "e-Kinerja ASN", "Data pegawai, jabatan dan atasan langsung"),
    ("SIMPEG Kota Bekasi", "e-Presensi ASN", "Data pegawai dan unit kerja"),
    ("e-Kinerja ASN", "SAKIP Online", "Capaian kinerja pegawai"),
    ("e-Musrenbang", "SIPD Sync Perencanaan", "Usulan musrenbang terverifikasi"),
    ("Dapodik-sync Kota Bekasi", "Satu Data Kota Bekasi", "Dataset pendidikan"),
    ("SIMRS RSUD dr. Chasbullah Abdulmadjid", "Satu Data Kota Bekasi", "Rekap layanan rumah sakit"),
    ("SIMPUS Puskesmas", "Satu Data Kota Bekasi", "Rekap kunjungan puskesmas"),
    ("Sapa Warga", "Satu Data Kota Bekasi", "Rekap pengaduan per kategori"),
    ("e-Retribusi Pasar", "Bridging SIMDA Keuangan", "Setoran retribusi pasar"),
    ("e-BPHTB", "Bridging SIMDA Keuangan", "Penerimaan BPHTB"),
    ("SIMRS RSUD dr. Chasbullah Abdulmadjid", "Antrean Online RSUD", "Jadwal dokter dan kuota poliklinik"),
]

URLS = {
    "Portal Resmi Pemerintah Kota Bekasi": "https://www.bekasikota.go.id",
    "Satu Data Kota Bekasi": "https://data.bekasikota.go.id",
    "PPID Kota Bekasi": "https://ppid.bekasikota.go.id",
    "JDIH Kota Bekasi": "https://jdih.bekasikota.go.id",
    "SIMPEG Kota Bekasi": "https://simpeg.bekasikota.go.id",
    "e-Kinerja ASN": "https://ekinerja.bekasikota.go.id",
    "Sapa Warga": "https://sapawarga.bekasikota.go.id",
}
VENDORS = ["PT Solusi Digital Nusantara", "CV Mitra Data Informatika", "PT Sinergi Teknologi Bekasi"]


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())[:60]


def _demo_app(n: int, spec: tuple, opd: Opd, rng: random.Random) -> CityApplication:
    name, _code, kind, status, hosting, stack, description = spec
    slug = _slug(name)
    group = (opd.short_name or opd.code).lower().replace(" ", "").replace(".", "")
    app = CityApplication(
        name=name,
        description=description,
        owner_opd_id=opd.id,
        kind=kind,
        integrated=False,
        status=status,
        hosting_location=hosting,
    )
    if not stack:  # a proposal with little more than its name: the operator's card asks for the rest
        return app
    host = "".join(slug.split("-")[:2])
    app.url = URLS.get(name) or (
        f"https://{host}.bekasikota.go.id"
        if kind in ("web", "api", "desktop")
        else f"https://{group}.bekasikota.go.id/{slug}"
    )
    public = n % 9 == 0
    app.repo_url = f"https://github.com/pemkot-bekasi/{slug}" if public else f"{GIT}/{group}/{slug}"
    app.repo_host = "GitHub" if public else "GitLab Diskominfostandi"
    app.repo_branch = "main" if n % 3 else "master"
    app.repo_visibility = "public" if public else ("internal" if n % 4 == 0 else "private")
    app.operating_system, app.web_server, app.runtime, app.database = STACKS[stack]
    if hosting == "city_dc":
        app.server_name = f"srv-app-{n:02d}.dc.bekasikota.go.id"
        app.ip_address = f"10.10.{10 + n // 20}.{20 + n}"
    elif hosting == "cloud":
        app.server_name = f"vm-{slug[:20]}"
        app.ip_address = f"103.147.{rng.randint(8, 15)}.{rng.randint(2, 250)}"
    else:
        app.server_name = "dikelola penyedia"
        app.ip_address = f"202.152.{rng.randint(1, 60)}.{rng.randint(2, 250)}"
    return app


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0))


def _project(app: CityApplication, steps: list[SopStep], kind: str, title: str, vendor: str, year: int, by) -> Project:
    return Project(
        app=app,
        kind=kind,
        title=title,
        vendor=vendor,
        year=year,
        created_by_id=by.id,
        steps=[ProjectStep(sop_step=s, position=n) for n, s in enumerate(steps)],
    )


def _record(step: ProjectStep, start: dt.datetime, finish: dt.datetime | None, by, note: str = "") -> None:
    step.started_at, step.started_by_id = start, by.id
    if finish is not None:
        step.finished_at, step.finished_by_id = finish, by.id
    step.note = note


def _demo_projects(session: Session, ctx: DemoContext, apps: dict[str, CityApplication], admin, operator) -> None:
    """Two projects mid-SOP (one with a late step) and one handed over whose warranty ends soon."""
    steps = list(session.scalars(select(SopStep).order_by(SopStep.number)))
    if not steps:
        return
    now = _at(ctx.today, 10)
    day = dt.timedelta(days=1)

    # Sapa Warga 2.0 (the demo operator's OPD): steps 1–3 on time, step 5 under way.
    upgrade = _project(
        apps["Sapa Warga"], steps, "upgrade", "Peningkatan Sapa Warga 2.0", VENDORS[0], ctx.today.year, operator
    )
    s = upgrade.steps
    _record(s[0], now - 23 * day, now - 19 * day, operator, "HPS dan KAK diserahkan ke Pejabat Pengadaan.")
    _record(s[1], now - 19 * day, now - 7 * day, operator, "Pemenang: " + VENDORS[0] + ".")
    _record(s[2], now - 7 * day, now - 5 * day, operator)
    _record(s[3], now - 5 * day, None, operator, "Kontrak sedang ditandatangani.")

    # e-Retribusi Pasar: step 1 took 8 days against 5 (late), step 2 under way.
    build = _project(
        apps["e-Retribusi Pasar"], steps, "build", "Pembuatan e-Retribusi Pasar", VENDORS[1], ctx.today.year, admin
    )
    _record(build.steps[0], now - 18 * day, now - 10 * day, admin, "KAK direvisi dua kali.")
    _record(build.steps[1], now - 10 * day, None, admin)

    # SIMRS: every step done; handed over 330 days ago, so the one-year warranty ends within 60 days.
    simrs = apps["SIMRS RSUD dr. Chasbullah Abdulmadjid"]
    handover = ctx.today - 330 * day
    done = _project(simrs, steps, "build", "Pembuatan SIMRS terintegrasi BPJS", VENDORS[2], handover.year, admin)
    durations = [5 * day, 14 * day, 2 * day, 7 * day, 75 * day, 60 * day]
    start = _at(handover) - sum(durations, dt.timedelta()) - dt.timedelta(hours=6)
    for step, duration in zip(
        done.steps, durations + [dt.timedelta(minutes=m) for m in (50, 100, 15, 110)], strict=True
    ):
        _record(step, start, start + duration, admin)
        start = start + duration
    done.handover_date = handover
    simrs.asset_number = f"ASET/RSUD/{handover.year}/0042"
    simrs.warranty_until = rules.warranty_end(handover)
    session.add_all([upgrade, build, done])
    session.flush()
    for project, by in ((upgrade, operator), (build, admin), (done, admin)):
        audit(
            session,
            by,
            "project_start",
            project,
            entity_id=project.id,
            after={"app": project.app_id, "kind": project.kind, "title": project.title},
        )
    audit(
        session,
        admin,
        "app_handover",
        simrs,
        entity_id=simrs.id,
        after={"asset_number": simrs.asset_number, "warranty_until": simrs.warranty_until},
    )


def _scale_rows(ctx: DemoContext, opds: list[Opd], rng: random.Random) -> list[dict]:
    """1,500 applications per unit of scale, for benchmarks: plain rows for one bulk insert."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    kinds, statuses, hosting = list(rules.KINDS), list(rules.STATUSES), list(rules.HOSTING)
    rows = []
    for i in range(1500 * ctx.scale):
        opd = opds[i % len(opds)]
        base = DEMO_APPS[i % len(DEMO_APPS)][0]
        stack = STACKS[list(STACKS)[i % len(STACKS)]]
        warranty = ctx.today + dt.timedelta(days=rng.randint(-400, 400)) if i % 5 == 0 else None
        rows.append(
            {
                "name": f"{base} {opd.short_name or opd.code} {i:05d}",
                "description": f"Aplikasi uji beban nomor {i}.",
                "owner_opd_id": opd.id,
                "kind": kinds[i % len(kinds)],
                "integrated": i % 4 == 0,
                "status": statuses[i % len(statuses)],
                "url": f"https://app{i:05d}.bekasikota.go.id",
                "repo_url": f"{GIT}/beban/app-{i:05d}" if i % 7 else None,
                "repo_host": "GitLab Diskominfostandi",
                "repo_branch": "main",
                "repo_visibility": "private",
                "hosting_location": hosting[i % len(hosting)],
                "server_name": f"srv-beban-{i % 40:02d}",
                "ip_address": f"10.20.{i // 250 % 250}.{i % 250 + 1}",
                "operating_system": stack[0],
                "web_server": stack[1],
                "runtime": stack[2],
                "database": stack[3],
                "asset_number": f"ASET/BEBAN/{i:05d}" if warranty else "",
                "warranty_until": warranty,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


@demo_step(70, "katalog")
def demo_catalogue(session: Session, ctx: DemoContext) -> None:
    rng = random.Random(1000)
    opds = {o.code: o for o in session.scalars(select(Opd))}
    admin = ctx.users["admin"]
    operator = ctx.users["operator_opd"]
    members = [u for u in ctx.users.values() if u.has_role(Role.ANGGOTA)]
    home = set(operator.opd_ids_for(Role.OPERATOR_OPD))
    apps: dict[str, CityApplication] = {}
    for n, spec in enumerate(DEMO_APPS, start=1):
        app = _demo_app(n, spec, opds[spec[1]], rng)
        if app.status in ("production", "maintenance") and members and n % 8:
            app.maintainers = [members[n % len(members)]] + ([members[(n + 3) % len(members)]] if n % 3 == 0 else [])
            app.maintainers = list(dict.fromkeys(app.maintainers))
        apps[app.name] = app
    # Warranties: some past, some ahead, a few ending within 60 days (issue 7 §3).
    for name, days in (
        ("Bekasi Kerja", 18),
        ("e-Pajak Daerah", 41),
        ("PPDB Online Kota Bekasi", 150),
        ("Sapa Warga", -120),
        ("Satu Data Kota Bekasi", 260),
        ("e-Parkir", 300),
        ("Antrean Mal Pelayanan Publik", -30),
    ):
        app = apps[name]
        app.warranty_until = ctx.today + dt.timedelta(days=days)
        app.asset_number = f"ASET/{(app.name.split()[0]).upper()}/{(app.warranty_until.year - 1)}/{len(name):04d}"
    session.add_all(apps.values())
    session.flush()
    for provider, consumer, description in DEMO_INTEGRATIONS:
        session.add(
            AppIntegration(provider_id=apps[provider].id, consumer_id=apps[consumer].id, description=description)
        )
        apps[provider].integrated = apps[consumer].integrated = True
    for app in apps.values():
        actor = operator if app.owner_opd_id in home else admin
        audit(session, actor, "app_create", app, entity_id=app.id, after=snapshot(app, services.APP_FIELDS))
    _demo_projects(session, ctx, apps, admin, operator)
    if ctx.scale:
        bulk_insert(session, CityApplication.__table__, _scale_rows(ctx, list(opds.values()), rng))
