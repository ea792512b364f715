"""Where uploaded bytes live: under random keys, outside ``static/`` (DESIGN §6 "Documents").

The interface is deliberately narrow — ``save``, ``open``, ``delete`` — so that an S3 backend
(issue 8) can stand in for :class:`LocalStorage` without touching its callers. Nothing here
knows about users or permissions: the ``files`` blueprint checks access before it opens a key.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

KEY_BYTES = 16  # 32 hex characters: unguessable, and short enough for the key column
_KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")


class Storage(Protocol):
    def save(self, data: bytes) -> str:
        """Store ``data`` under a new random key and return the key."""
        ...

    def open(self, key: str) -> BinaryIO:
        """The stored bytes as a binary file object; FileNotFoundError when the key is unknown."""
        ...

    def delete(self, key: str) -> None:
        """Forget the key; deleting an unknown key is not an error."""
        ...


def new_key() -> str:
    return secrets.token_hex(KEY_BYTES)


def check_key(key: str) -> str:
    """A key is exactly what :func:`new_key` makes, so it can never name a path of its own."""
    if not isinstance(key, str) or not _KEY_PATTERN.match(key):
        raise ValueError("invalid storage key")
    return key


class LocalStorage:
    """Files under one directory, spread over sub-folders named by the key's first two characters."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file behind ``key`` (local storage only: the letter renderer reads the logo from here)."""
        key = check_key(key)
        return self.root / key[:2] / key

    def save(self, data: bytes) -> str:
        key = new_key()
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written to a temporary name first, so a reader never sees half a file.
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return key

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


class S3Storage:
    """Files in an S3-compatible bucket (MinIO, Ceph, AWS), for several hosts sharing uploads (issue 8 §5).

    Credentials come from the usual AWS environment variables; ``S3_ENDPOINT_URL`` names a
    non-AWS service. Objects are private: downloads still go through the access-checked route."""

    def __init__(self, client, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")

    def _name(self, key: str) -> str:
        key = check_key(key)
        return f"{self.prefix}/{key[:2]}/{key}" if self.prefix else f"{key[:2]}/{key}"

    def save(self, data: bytes) -> str:
        key = new_key()
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)
        return key

    def open(self, key: str) -> BinaryIO:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except self.client.exceptions.NoSuchKey as exc:
            raise FileNotFoundError(key) from exc
        return io.BytesIO(response["Body"].read())  # uploads are small (UPLOAD_MAX_BYTES)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))


def _s3_client():
    client = current_app.extensions.get("pontive_s3")
    if client is None:
        import boto3  # only needed when UPLOAD_STORAGE=s3

        client = boto3.client("s3", endpoint_url=current_app.config.get("S3_ENDPOINT_URL") or None)
        current_app.extensions["pontive_s3"] = client
    return client


def get_storage() -> Storage:
    """The storage of the current app: local disk under ``UPLOAD_DIR`` (default) or S3 (``UPLOAD_STORAGE=s3``)."""
    if current_app.config.get("UPLOAD_STORAGE", "local") == "s3":
        return S3Storage(_s3_client(), current_app.config["S3_BUCKET"], current_app.config.get("S3_PREFIX", ""))
    return LocalStorage(current_app.config["UPLOAD_DIR"])
