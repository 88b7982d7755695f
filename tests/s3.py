"""A real S3 API server for the tests: moto's standalone server, in a process of its own.

It speaks S3 over HTTP on a free port, as a production store would: django-storages and
boto3 talk to it through the network, and a browser (``urllib``) fetches signed URLs from it.
Its objects are private: an unsigned GET is refused. One server runs per test session;
each test gets a bucket of its own.
"""

import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3

REGION = "us-east-1"
#: Any key is accepted by moto when it does not check IAM; these are used throughout.
ACCESS_KEY = "neaspec-test-key"
SECRET_KEY = "neaspec-test-secret"  # noqa: S105 - a test server's


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    """``moto.server`` on 127.0.0.1 and a free port, its output in ``log``."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.popen: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "S3Server":
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import sys; from moto.server import main; sys.exit(main())",
                    "-H",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto's S3 server did not answer:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self) -> str:
        name = f"neaspec-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def storage_options(self, bucket: str) -> dict:
        """The OPTIONS of django-storages' S3Storage for ``bucket``, as settings.py sets them."""
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": REGION,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",
        }

    def env(self, bucket: str) -> dict[str, str]:
        """The environment that points a process of the hub at ``bucket``."""
        return {
            "FILE_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_S3_REGION_NAME": REGION,
        }

    def keys(self, bucket: str) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}
