"""Accepting uploaded files, and deciding who may download them again.

A file's type is read from its first bytes, never from its name or the browser's
content type; its name is kept only for display. Who may download a file is decided
per *purpose*: an area registers a rule with :func:`register_file_access`, and without one
only the uploader may. An administrator gets no automatic right to personal files
(DESIGN: "Uploaded files and personal data are seen only by those who need them").
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Protocol

from flask import current_app, has_request_context
from flask_babel import gettext
from sqlalchemy.orm import Session
from wtforms.validators import StopValidation

from pontive.accounts.roles import Role
from pontive.core.audit import audit, snapshot
from pontive.core.models import StoredFile
from pontive.core.storage import get_storage

NAME_MAX_LENGTH = 150  # fits StoredFile.original_name (200) with room to spare
FALLBACK_NAME = "berkas"


def gettext_or_plain(message: str, **variables: Any) -> str:
    """gettext inside a request (the reader's language); the Indonesian source outside one —
    services also run from the command line and from tests, where no locale is chosen."""
    if has_request_context():
        return gettext(message, **variables)
    return message % variables if variables else message


_ = gettext_or_plain


class UploadError(ValueError):
    """An upload that is refused; the message is shown to the user as is."""


@dataclass(frozen=True)
class FileKind:
    name: str
    content_type: str
    extension: str
    label: str
    signature: bytes

    def matches(self, head: bytes) -> bool:
        return head.startswith(self.signature)


KINDS: dict[str, FileKind] = {
    "pdf": FileKind("pdf", "application/pdf", ".pdf", "PDF", b"%PDF-"),
    "jpeg": FileKind("jpeg", "image/jpeg", ".jpg", "JPEG", b"\xff\xd8\xff"),
    "png": FileKind("png", "image/png", ".png", "PNG", b"\x89PNG\r\n\x1a\n"),
}
_EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg", ".jpe"), "png": (".png",)}
HEAD_BYTES = 16


def detect_kind(head: bytes) -> FileKind | None:
    """The kind of file that starts with ``head`` (its magic bytes), or None."""
    for kind in KINDS.values():
        if kind.matches(head):
            return kind
    return None


def _check_allowed(allowed: Iterable[str]) -> tuple[str, ...]:
    allowed = tuple(allowed)
    unknown = [a for a in allowed if a not in KINDS]
    if unknown or not allowed:
        raise ValueError(f"unknown file kinds: {unknown or 'none given'}")
    return allowed


def human_size(size: int) -> str:
    """5 MB, 500 KB, 900 byte — for messages."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte"


def max_upload_bytes() -> int:
    return int(current_app.config["UPLOAD_MAX_BYTES"])


def _kind_list(allowed: Iterable[str]) -> str:
    labels = [KINDS[a].label for a in allowed]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " " + _("atau") + " " + labels[-1]


def _wrong_kind_message(allowed: Iterable[str]) -> str:
    return _("Jenis berkas tidak diizinkan: unggah berkas %(kinds)s.", kinds=_kind_list(allowed))


def _too_large_message(limit: int) -> str:
    return _("Berkas terlalu besar: maksimal %(size)s.", size=human_size(limit))


def clean_filename(name: str | None, *, max_length: int = NAME_MAX_LENGTH) -> str:
    """A file name fit for display: no folders, no control or direction characters, no line
    breaks, not too long. Unicode letters stay ("Laporan–Ü.pdf" is kept as it is)."""
    text = unicodedata.normalize("NFC", name or "")
    # Both separators, whatever the uploader's system: only the last part is a name.
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc: control characters (CR, LF, NUL, ...); Cf: invisible format characters such as the
    # right-to-left override that makes "gpj.exe" read as "exe.jpg"; Cs/Co/Cn: not text at all.
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    text = text.strip(" .")
    if not text:
        return FALLBACK_NAME
    if len(text) > max_length:
        suffix = PurePosixPath(text).suffix
        if not suffix or len(suffix) > 10:
            suffix = ""
        text = text[: max_length - len(suffix)].rstrip(" .") + suffix
    return text


def download_name(stored: StoredFile) -> str:
    """The stored name, with an extension that matches what the file really is."""
    name = stored.original_name or FALLBACK_NAME
    kind = next((k for k in KINDS.values() if k.content_type == stored.content_type), None)
    if kind is not None and not name.lower().endswith(_EXTENSIONS[kind.name]):
        name = f"{name}{kind.extension}"
    return name


class _Upload(Protocol):
    filename: str | None

    def read(self, size: int = -1, /) -> bytes: ...


def save_upload(
    session: Session,
    file_storage: _Upload,
    *,
    purpose: str,
    uploaded_by: Any,
    allowed: Iterable[str] = ("pdf", "jpeg", "png"),
) -> StoredFile:
    """Check and store one uploaded file; returns its StoredFile, added and audited but not
    committed — the caller commits it together with whatever refers to it.

    Raises UploadError (empty, too large, or not one of the ``allowed`` kinds).
    """
    allowed = _check_allowed(allowed)
    if len(purpose) > 40:
        raise ValueError("purpose is longer than the column")
    limit = max_upload_bytes()
    data = file_storage.read(limit + 1) if file_storage is not None else b""
    if not data:
        raise UploadError(_("Berkas kosong: pilih berkas yang berisi."))
    if len(data) > limit:
        raise UploadError(_too_large_message(limit))
    kind = detect_kind(data[:HEAD_BYTES])
    if kind is None or kind.name not in allowed:
        raise UploadError(_wrong_kind_message(allowed))

    storage = get_storage()
    key = storage.save(data)
    try:
        stored = StoredFile(
            key=key,
            original_name=clean_filename(getattr(file_storage, "filename", None)),
            content_type=kind.content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            purpose=purpose,
            uploaded_by_id=getattr(uploaded_by, "id", None),
        )
        session.add(stored)
        session.flush()
        audit(
            session,
            uploaded_by,
            "file_upload",
            stored,
            after=snapshot(stored, ["original_name", "content_type", "size", "sha256", "purpose"]),
        )
    except BaseException:
        # The row never made it; do not leave its bytes behind.
        storage.delete(key)
        raise
    return stored


# --- a WTForms validator, for a form error before the service is even called -------------------


class FileContent:
    """Validate a Flask-WTF FileField by content: kind (magic bytes) and size.

    ``save_upload`` checks the same again; this only lets a form show the error beside the field.
    An empty field passes (combine with FileRequired when the file is mandatory).
    """

    def __init__(self, allowed: Iterable[str] = ("pdf", "jpeg", "png")) -> None:
        self.allowed = _check_allowed(allowed)
        # WTForms renders this flag as the input's accept attribute, steering the file picker.
        self.field_flags = {"accept": ",".join(KINDS[a].content_type for a in self.allowed)}

    def __call__(self, form: Any, field: Any) -> None:  # noqa: ARG002
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        stream = upload.stream
        start = stream.tell()
        head = stream.read(HEAD_BYTES)
        stream.seek(0, 2)
        size = stream.tell() - start
        stream.seek(start)
        limit = max_upload_bytes()
        if size == 0:
            raise StopValidation(_("Berkas kosong: pilih berkas yang berisi."))
        if size > limit:
            raise StopValidation(_too_large_message(limit))
        kind = detect_kind(head)
        if kind is None or kind.name not in self.allowed:
            raise StopValidation(_wrong_kind_message(self.allowed))


# --- who may download ------------------------------------------------------------------------

FileAccessRule = Callable[[Any, StoredFile], bool]
_ACCESS_RULES: dict[str, FileAccessRule] = {}


def register_file_access(purpose: str, rule: FileAccessRule | None = None):
    """Say who, besides the uploader, may download files of ``purpose``.

    ``rule(user, stored_file) -> bool`` is called for a signed-in user who did not upload the
    file. Usable as a decorator: ``@register_file_access("cv")``.
    """

    def add(fn: FileAccessRule) -> FileAccessRule:
        _ACCESS_RULES[purpose] = fn
        return fn

    return add(rule) if rule is not None else add


def may_download(user: Any, stored: StoredFile) -> bool:
    """Whether ``user`` may download ``stored``: the uploader always; anyone else only if the
    purpose's registered rule says so. Nobody, not even an admin, by default."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if stored.uploaded_by_id is not None and stored.uploaded_by_id == getattr(user, "id", None):
        return True
    rule = _ACCESS_RULES.get(stored.purpose)
    return bool(rule is not None and rule(user, stored))


# The letterhead logo is not personal data: every administrator may see it.
LETTERHEAD_LOGO = "letterhead_logo"


@register_file_access(LETTERHEAD_LOGO)
def _admins_see_the_logo(user: Any, stored: StoredFile) -> bool:  # noqa: ARG001
    return user.has_role(Role.ADMIN)


__all__ = [
    "FALLBACK_NAME",
    "KINDS",
    "LETTERHEAD_LOGO",
    "FileContent",
    "FileKind",
    "UploadError",
    "clean_filename",
    "detect_kind",
    "download_name",
    "may_download",
    "register_file_access",
    "save_upload",
]
