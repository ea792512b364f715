"""Reference OPDs and the demo users, one per role, each named after its role code."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.accounts.models import EmploymentStatus, Opd, RoleGrant, User
from pontive.accounts.roles import OPD_SCOPED, Role
from pontive.core.seeding import DemoContext, demo_step, read_csv, reference_step

HOME_OPD = "DISKOMINFOSTANDI"

DEMO_USERS: dict[Role, tuple[str, EmploymentStatus]] = {
    Role.ADMIN: ("Rudi Hartono", EmploymentStatus.ASN),
    Role.PEMBINA: ("Drs. Andi Kurniawan, M.Si.", EmploymentStatus.ASN),
    Role.KETUA: ("Ir. Siti Rahmawati, M.T.", EmploymentStatus.ASN),
    Role.SEKRETARIS: ("Bambang Setiawan, S.Kom.", EmploymentStatus.ASN),
    Role.KOORDINATOR: ("Dewi Lestari, S.T.", EmploymentStatus.ASN),
    Role.ANGGOTA: ("Agus Prasetyo", EmploymentStatus.NON_ASN),
    Role.PANEL: ("Hendra Wijaya, S.E.", EmploymentStatus.ASN),
    Role.PELAMAR: ("Rina Marlina", EmploymentStatus.NON_ASN),
    Role.PPK: ("Yusuf Hidayat, S.Sos.", EmploymentStatus.ASN),
    Role.PPTK: ("Maya Sari, S.Kom.", EmploymentStatus.ASN),
    Role.KONTRAK: ("Fajar Nugroho", EmploymentStatus.NON_ASN),
    Role.OPERATOR_OPD: ("Lina Marlinda", EmploymentStatus.NON_ASN),
}


@reference_step(10, "OPD")
def load_opds(session: Session) -> int:
    existing = set(session.scalars(select(Opd.code)))
    added = 0
    for row in read_csv("opds.csv"):
        if row["code"] not in existing:
            session.add(Opd(code=row["code"], name=row["name"], short_name=row["short_name"]))
            added += 1
    return added


def _nip(rng: random.Random, n: int) -> str:
    birth = f"{rng.randint(1970, 1995)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    appointed = f"{rng.randint(2000, 2020)}{rng.randint(1, 12):02d}"
    return f"{birth}{appointed}{rng.choice('12')}{n % 1000:03d}"


def _nik(rng: random.Random, n: int) -> str:
    day = rng.randint(1, 28) + rng.choice((0, 40))
    return f"3275{rng.randint(1, 12):02d}{day:02d}{rng.randint(1, 12):02d}{rng.randint(70, 99):02d}{n % 10000:04d}"


@demo_step(10, "pengguna demo")
def demo_users(session: Session, ctx: DemoContext) -> None:
    rng = random.Random(131)
    home = session.scalar(select(Opd).where(Opd.code == HOME_OPD))
    for n, (role, (name, status)) in enumerate(DEMO_USERS.items(), start=1):
        user = User(
            username=role.value,
            full_name=name,
            email=f"{role.value}@pontive.example",
            phone=f"0812{rng.randint(10_000_000, 99_999_999)}",
            employment_status=status,
            nip=_nip(rng, n) if status == EmploymentStatus.ASN else None,
            nik=_nik(rng, n),
            home_opd=home,
            password_hash=ctx.password_hash,
        )
        user.grants.append(RoleGrant(role=role, opd=home if role in OPD_SCOPED else None))
        session.add(user)
        ctx.users[role.value] = user
    # Volume for benchmarks: 300 extra accounts per unit of scale, spread over the OPDs.
    opds = list(session.scalars(select(Opd)))
    for i in range(300 * ctx.scale if ctx.scale else 0):
        session.add(
            User(
                username=f"pengguna{i:05d}",
                full_name=f"Pengguna Demo {i:05d}",
                nik=_nik(rng, i),
                employment_status=EmploymentStatus.NON_ASN,
                home_opd=opds[i % len(opds)],
                password_hash=ctx.password_hash,
            )
        )
