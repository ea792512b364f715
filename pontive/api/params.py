"""Reading query parameters strictly: a wrong value is a 400 problem that names it, never a guess."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import request

from pontive.api.problems import Problem, field_error

MAX_ID = 2**31 - 1  # ids are 32-bit integer columns on PostgreSQL
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
_INTEGER = re.compile(r"-?[0-9]{1,12}")
_TRUE = {"true", "1", "ya"}
_FALSE = {"false", "0", "tidak"}


class QueryParams:
    """Collects every problem with the query string, then refuses them all at once in ``check``."""

    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def _raw(self, name: str) -> str | None:
        value = request.args.get(name)
        return None if value is None or value.strip() == "" else value.strip()

    def integer(self, name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
        raw = self._raw(name)
        if raw is None:
            return default
        if not _INTEGER.fullmatch(raw) or not minimum <= int(raw) <= maximum:
            self.errors.append(field_error(name, f"Harus bilangan bulat dari {minimum} sampai {maximum}."))
            return default
        return int(raw)

    def choice(self, name: str, choices: Iterable[str], default: str | None = None) -> str | None:
        raw = self._raw(name)
        if raw is None:
            return default
        allowed = list(choices)
        if raw not in allowed:
            self.errors.append(field_error(name, "Pilih salah satu dari: " + ", ".join(allowed) + "."))
            return default
        return raw

    def boolean(self, name: str) -> bool:
        raw = self._raw(name)
        if raw is None:
            return False
        if raw.lower() in _TRUE:
            return True
        if raw.lower() not in _FALSE:
            self.errors.append(field_error(name, "Isi true atau false."))
        return False

    def text(self, name: str, max_length: int = 100) -> str:
        raw = self._raw(name) or ""
        if len(raw) > max_length:
            self.errors.append(field_error(name, f"Paling banyak {max_length} karakter."))
            return ""
        if any(ord(ch) < 32 for ch in raw):
            self.errors.append(field_error(name, "Berisi karakter kendali yang tidak diizinkan."))
            return ""
        return raw

    def page(self) -> tuple[int, int]:
        """``page`` (from 1) and ``per_page`` (from 1; above 100 it is capped at 100)."""
        page = self.integer("page", 1)
        per_page = self.integer("per_page", DEFAULT_PER_PAGE, maximum=MAX_ID)
        return page or 1, min(per_page or DEFAULT_PER_PAGE, MAX_PER_PAGE)

    def check(self) -> None:
        if self.errors:
            raise Problem(400, "Parameter permintaan tidak valid.", errors=self.errors)
