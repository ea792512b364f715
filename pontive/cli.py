"""Command-line tasks: reference and demo data, the first admin account."""

from __future__ import annotations

import datetime as dt
import getpass
import os

import click
from flask import Flask
from sqlalchemy import func, select

from pontive.extensions import db

DEMO_PASSWORD_DEFAULT = "pontive-demo"  # noqa: S105 - the documented demo password, demo data only


def _load_area_seeds() -> None:
    # Importing an area's demo module registers its steps.
    import pontive.accounts.demo
    import pontive.catalogue.demo
    import pontive.contracts.demo
    import pontive.performance.demo
    import pontive.recruitment.demo
    import pontive.team.demo  # noqa: F401


def seed_reference() -> dict[str, int]:
    from pontive.core.seeding import REFERENCE_STEPS

    _load_area_seeds()
    counts = {}
    for _order, label, step in sorted(REFERENCE_STEPS, key=lambda s: s[0]):
        counts[label] = step(db.session) or 0
        db.session.flush()
    db.session.commit()
    return counts


def seed_demo(scale: int = 0, password: str | None = None, today: dt.date | None = None) -> None:
    from pontive.accounts.services import hash_password
    from pontive.core.seeding import DEMO_STEPS, DemoContext

    seed_reference()
    password = password or os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT
    ctx = DemoContext(
        scale=scale, password=password, password_hash=hash_password(password), today=today or dt.date.today()
    )
    for _order, _label, step in sorted(DEMO_STEPS, key=lambda s: s[0]):
        step(db.session, ctx)
        db.session.flush()
    db.session.commit()


def init_app(app: Flask) -> None:
    @app.cli.command("seed-reference")
    def seed_reference_command() -> None:
        """Load reference data (OPDs, holidays, …); safe to run again."""
        for label, count in seed_reference().items():
            click.echo(f"{label}: {count} ditambahkan")

    @app.cli.command("seed-demo")
    @click.option(
        "--scale",
        default=0,
        show_default=True,
        type=click.IntRange(0, 100),
        help="Multiply demo volume for benchmarks.",
    )
    @click.option("--if-empty", is_flag=True, help="Do nothing when any account exists (for `make run`).")
    def seed_demo_command(scale: int, if_empty: bool) -> None:
        """Create reference data and one demo user per role (password: DEMO_PASSWORD or pontive-demo)."""
        from pontive.accounts.models import User

        if db.session.scalar(select(func.count(User.id))):
            if if_empty:
                click.echo("Data sudah ada; data demo tidak dimuat ulang.")
                return
            raise click.ClickException("Basis data sudah berisi akun; seed-demo hanya untuk basis data kosong.")
        seed_demo(scale)
        click.echo("Data demo dimuat.")

    @app.cli.command("backup")
    @click.option("--output", default=None, help="Folder for backups (default: instance/backups).")
    def backup_command(output: str | None) -> None:
        """Back up the database (SQLite online backup or pg_dump) and the uploaded files."""
        from pathlib import Path

        from pontive.core import backup

        target = Path(output) if output else Path(app.config["INSTANCE_DIR"]) / "backups"
        try:
            folder = backup.backup(target, Path(app.config["UPLOAD_DIR"]))
        except backup.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Cadangan dibuat: {folder}")

    @app.cli.command("restore")
    @click.argument("folder")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(folder: str, yes: bool) -> None:
        """Replace the database and uploads with a backup made by `flask backup`."""
        from pathlib import Path

        from pontive.core import backup

        if not yes:
            click.confirm("Semua data saat ini akan diganti dengan isi cadangan. Lanjutkan?", abort=True)
        try:
            counts = backup.restore(Path(folder), Path(app.config["UPLOAD_DIR"]))
        except backup.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Dipulihkan: {sum(counts.values())} baris dalam {len(counts)} tabel.")

    @app.cli.command("create-admin")
    @click.option("--username", prompt="Nama pengguna")
    @click.option("--full-name", prompt="Nama lengkap")
    @click.option("--email", default="")
    def create_admin_command(username: str, full_name: str, email: str) -> None:
        """Create the first real administrator (the password is asked twice, or read from ADMIN_PASSWORD)."""
        from pontive.accounts import services
        from pontive.accounts.roles import Role

        password = os.environ.get("ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Kata sandi: ")
            if password != getpass.getpass("Ulangi kata sandi: "):
                raise click.ClickException("Kedua kata sandi tidak sama.")
        try:
            user = services.create_user(
                db.session, None, {"username": username, "full_name": full_name, "email": email or None}, password
            )
            services.grant_role(db.session, user, user, Role.ADMIN, None)
        except services.AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Admin {user.username} dibuat.")
