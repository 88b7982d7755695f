"""Fixtures of the object-storage tests: one S3 server per session, a bucket per test."""

import pytest

from tests.s3 import S3Server


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("s3") / "moto.log").start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings) -> str:
    """A fresh private bucket, made the hub's file storage for the test."""
    name = s3_server.new_bucket()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_server.storage_options(name),
        },
    }
    settings.FILE_STORAGE = "s3"
    settings.PROTECTED_DOWNLOADS = "presigned"
    settings.AWS_QUERYSTRING_EXPIRE = 60
    return name
