"""Two web nodes over one database, one Redis and one S3 bucket, with a Celery worker.

Nothing a request needs may live on one node: the session signed in on node A is good on
node B (sessions in the database), the file uploaded through A is read by the worker and
downloaded through B (files in the bucket), the cache is Redis (``USE_REDIS_CACHE``),
processing holds its lease in the database, and a search through B finds what was published
through A.
"""

import re

import pytest
import requests
from django.conf import global_settings

from datasets.models import DataFile
from tests.drills import harness
from tests.factories import PASSWORD, DatasetFactory, FocalPointFactory, UserFactory
from tests.two_factor import totp_code

TITLE = "Amur leopard camera traps of the Land of the Leopard"


class Node:
    """One gunicorn of the hub on a port of its own."""

    def __init__(self, name: str, run, env: dict[str, str]) -> None:
        self.port = harness.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = harness.gunicorn(self.port, run / f"{name}.log", env, workers=1)

    def start(self, logs) -> "Node":
        self.process.start()
        harness.wait_for(self._answers, f"gunicorn on {self.port}", 60, logs, every=0.2)
        return self

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False


@pytest.fixture
def cluster(tmp_path, transactional_db, s3_server):
    """Redis, a bucket, two gunicorn nodes and a worker; everything stopped at the end."""
    run = tmp_path / "run"
    run.mkdir()
    redis = harness.RedisServer(run).start()
    bucket = s3_server.new_bucket()
    env = {
        **harness.service_env(redis.url, tmp_path / "unused-media", 60, 30),
        **s3_server.env(bucket),
        "USE_REDIS_CACHE": "1",
    }
    processes = [redis]
    try:
        worker = harness.worker("two-nodes", run / "worker.log", env).start()
        processes.append(worker)
        logs = [run / "worker.log", run / "a.log", run / "b.log"]
        nodes = []
        for name in ("a", "b"):
            node = Node(name, run, env)
            processes.append(node.process)
            nodes.append(node.start(logs))
        yield {"a": nodes[0], "b": nodes[1], "bucket": bucket, "logs": logs}
    finally:
        for process in reversed(processes):
            process.stop()


def _sign_in(node: Node, user) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{node.url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = session.post(
        f"{node.url}/accounts/login/",
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{node.url}/accounts/login/"},
        timeout=10,
    )
    assert signed_in.status_code == 200 and "sessionid" in session.cookies, signed_in.text[:500]
    return session


def _csrf(session: requests.Session) -> dict[str, str]:
    return {"X-CSRFToken": session.cookies["csrftoken"]}


def test_upload_on_one_node_download_and_search_on_the_other(cluster, s3_server, settings):
    a, b = cluster["a"], cluster["b"]
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # as the nodes check them
    researcher = UserFactory(username="two-node-researcher", country_id="KR")
    focal_point = FocalPointFactory(username="two-node-focal", country_id="KR")
    dataset = DatasetFactory(
        uploader=researcher, status="draft", title=TITLE, access_level="restricted"
    )
    session = _sign_in(a, researcher)
    uploaded = session.post(
        f"{a.url}/api/v1/datasets/{dataset.pk}/files/",
        files={"file": ("cranes.csv", harness.SMALL_CSV, "text/csv")},
        headers=_csrf(session),
        timeout=30,
    )
    assert uploaded.status_code == 201, uploaded.text
    file_id = uploaded.json()[0]["id"]
    harness.wait_for(lambda: harness.final([file_id]), "the worker", 60, cluster["logs"])
    data_file = DataFile.objects.get(pk=file_id)
    assert (data_file.state, data_file.row_count) == ("ready", 2)
    assert data_file.file.name in s3_server.keys(cluster["bucket"])

    # Node B knows the session node A signed in, and sends the file from the bucket.
    download = session.get(
        f"{b.url}/data/files/{file_id}/download/", allow_redirects=False, timeout=10
    )
    assert download.status_code == 302
    assert requests.get(download.headers["Location"], timeout=10).content == harness.SMALL_CSV
    outsider = requests.get(f"{b.url}/data/files/{file_id}/download/", allow_redirects=False)
    assert outsider.status_code == 404 and "Location" not in outsider.headers

    submitted = session.post(
        f"{b.url}/api/v1/datasets/{dataset.pk}/submit/", headers=_csrf(session), timeout=10
    )
    assert submitted.json()["status"] == "submitted", submitted.text
    token = requests.post(
        f"{a.url}/api/v1/auth/token/",
        {"username": focal_point.username, "password": PASSWORD, "otp": totp_code(focal_point)},
        timeout=10,
    ).json()["token"]
    reviewed = requests.post(
        f"{a.url}/api/v1/datasets/{dataset.pk}/review/",
        json={"decision": "approve"},
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    )
    assert reviewed.json()["status"] == "published", reviewed.text
    found = requests.get(f"{b.url}/api/v1/search/", {"q": "leopard camera traps"}, timeout=10)
    assert TITLE in [result["title"] for result in found.json()["results"]]
