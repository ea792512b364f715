"""Uploads on S3-compatible storage when UPLOAD_STORAGE=s3 (issue 8 §5), tested with moto."""

from __future__ import annotations

import io

import boto3
import pytest
from moto import mock_aws

from pontive.core.storage import S3Storage, get_storage
from pontive.core.uploads import save_upload
from pontive.recruitment.demo import DEMO_PDF
from tests import factories


@pytest.fixture()
def s3_app(make_app, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "uji")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "uji")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket="pontive-uji")
        yield make_app(UPLOAD_STORAGE="s3", S3_BUCKET="pontive-uji", S3_PREFIX="berkas")


def test_an_upload_is_stored_in_the_bucket_and_downloaded_through_the_checked_route(s3_app, db):
    user = factories.make_user("pengunggah", roles=["anggota"])
    with s3_app.app_context():
        storage = get_storage()
        assert isinstance(storage, S3Storage)
        upload = io.BytesIO(DEMO_PDF)
        upload.filename = "laporan.pdf"
        stored = save_upload(db, upload, purpose="uji", uploaded_by=user)
        db.commit()
        objects = boto3.client("s3").list_objects_v2(Bucket="pontive-uji")["Contents"]
        assert [o["Key"] for o in objects] == [f"berkas/{stored.key[:2]}/{stored.key}"]
    client = s3_app.test_client()
    client.post("/masuk", data={"username": "pengunggah", "password": factories.PASSWORD})
    response = client.get(f"/berkas/{stored.id}")
    assert response.status_code == 200 and response.data == DEMO_PDF
    stranger = s3_app.test_client()
    factories.make_user("orang-lain", roles=["anggota"])
    stranger.post("/masuk", data={"username": "orang-lain", "password": factories.PASSWORD})
    assert stranger.get(f"/berkas/{stored.id}").status_code == 404


def test_a_missing_object_is_file_not_found_and_delete_removes_it(s3_app):
    with s3_app.app_context():
        storage = get_storage()
        key = storage.save(b"%PDF-1.4 isi")
        assert storage.open(key).read() == b"%PDF-1.4 isi"
        storage.delete(key)
        with pytest.raises(FileNotFoundError):
            storage.open(key)
