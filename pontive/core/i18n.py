"""Language choice and the template filters for Indonesian dates, times and rupiah."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request
from flask_babel import get_locale, gettext
from flask_login import current_user

from pontive.core import formats

LANG_COOKIE = "pontive_lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    preferred = getattr(current_user, "preferred_language", None) if current_user else None
    if preferred in languages:
        return preferred
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_lang() -> str:
    return str(get_locale() or "id")


def to_local(value: dt.datetime) -> dt.datetime:
    """Stored values are naive UTC; show them in the city's time zone."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)


def init_app(app: Flask) -> None:
    @app.template_filter("tanggal")
    def tanggal(value: dt.date | dt.datetime | None, weekday: bool = False) -> str:
        if isinstance(value, dt.datetime):
            value = to_local(value).date()
        return formats.format_date(value, current_lang(), weekday=weekday)

    @app.template_filter("waktu")
    def waktu(value: dt.datetime | None) -> str:
        if value is None:
            return formats.format_datetime(None)
        return formats.format_datetime(to_local(value), current_lang())

    @app.template_filter("rupiah")
    def rupiah(value) -> str:
        return formats.format_rupiah(value)

    @app.template_filter("angka")
    def angka(value, decimals: int = 0) -> str:
        return formats.format_number(value, decimals)

    @app.template_filter("jumlah")
    def jumlah(page) -> str:
        """A list's total as counted: "1.025" or, when the count stopped early, "lebih dari 1.025"."""
        number = formats.format_number(page.total or 0)
        return gettext("lebih dari %(n)s", n=number) if getattr(page, "total_capped", False) else number

    @app.context_processor
    def _lang() -> dict:
        return {"current_lang": current_lang()}
