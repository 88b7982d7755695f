"""The compose stack runs N web and M worker replicas behind nginx, read offline (no Docker).

The files are parsed with PyYAML, variables are filled in as Docker Compose would, and the
S3 override is merged the way Compose merges it. nginx's configuration is checked by nginx
itself when it is installed (Debian's package; scripts/dev.sh installs it).
"""

import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DJANGO_SERVICES = ("release", "web", "worker", "beat")
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")


class Override(list):
    """A list tagged ``!override``: it replaces the base file's list instead of merging."""


class ComposeLoader(yaml.SafeLoader):
    pass


ComposeLoader.add_constructor(
    "!override", lambda loader, node: Override(loader.construct_sequence(node))
)


def _mapping_without_repeats(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    # Compose keeps the last of two equal keys without a word; a variable given twice in
    # one block is a merge gone wrong, so the files are refused here instead.
    keys = [key.value for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"line {node.start_mark.line + 1}: keys given twice: {repeated}"
    return loader.construct_mapping(node)


ComposeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats
)


def _interpolate(value, env: dict[str, str]):
    if isinstance(value, dict):
        return {key: _interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return type(value)(_interpolate(item, env) for item in value)
    if not isinstance(value, str):
        return value

    def fill(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op == ":?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return VARIABLE.sub(fill, value.replace("$$", "\0")).replace("\0", "$")


def _load(name: str) -> dict:
    return yaml.load((ROOT / name).read_text(), Loader=ComposeLoader)  # noqa: S506 - SafeLoader


def _merge(base: dict, override: dict) -> dict:
    """Merge ``override`` into ``base`` as Compose does for the keys these files use."""
    for name, extra in override["services"].items():
        service = base["services"][name]
        service["environment"] = {**service.get("environment", {}), **extra.get("environment", {})}
        if "volumes" in extra:
            assert isinstance(extra["volumes"], Override), f"{name}: mounts would be merged"
            service["volumes"] = list(extra["volumes"])
    return base


def stack(env: dict[str, str] | None = None, *, s3: bool = False) -> dict:
    """Return the services as ``docker compose config`` would, with ``env`` set."""
    env = {"SECRET_KEY": "x", **(env or {})}
    compose = _load("docker-compose.yml")
    if s3:
        compose = _merge(compose, _load("deploy/compose.s3.yml"))
    return _interpolate(compose, env)


S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "hub-files",
    "AWS_ACCESS_KEY_ID": "key",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
}


def _mounts(service: dict) -> dict[str, str]:
    """Return each mount of ``service`` as target: source."""
    return {mount.split(":")[1]: mount.split(":")[0] for mount in service.get("volumes", [])}


def test_replicas_come_from_web_replicas_and_worker_replicas():
    services = stack()["services"]
    assert (services["web"]["deploy"]["replicas"], services["worker"]["deploy"]["replicas"]) == (
        "2",
        "1",
    )
    services = stack({"WEB_REPLICAS": "4", "WORKER_REPLICAS": "3"})["services"]
    assert services["web"]["deploy"]["replicas"] == "4"
    assert services["worker"]["deploy"]["replicas"] == "3"
    assert services["beat"]["deploy"]["replicas"] == 1


def test_beat_runs_in_its_one_service_and_no_worker_embeds_one():
    services = stack({"WORKER_REPLICAS": "5"})["services"]
    beats = [name for name, service in services.items() if " beat" in str(service.get("command"))]
    assert beats == ["beat"]
    worker = services["worker"]["command"]
    assert " worker " in worker
    assert not re.search(r"(^|\s)(-B|--beat)(\s|$)", worker), "a worker must not run beat"


def test_migrations_run_once_before_the_web_replicas_start():
    services = stack()["services"]
    release = services["release"]
    assert "python manage.py migrate" in release["command"][-1]
    assert "collectstatic" in release["command"][-1]
    assert release["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert "migrate" not in str(services[name]["command"]), name
        condition = services[name]["depends_on"]["release"]["condition"]
        assert condition == "service_completed_successfully", name


def test_every_long_running_service_has_a_healthcheck():
    for name, service in stack()["services"].items():
        if name != "release":
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_the_worker_healthcheck_pings_its_own_worker():
    test = stack()["services"]["worker"]["healthcheck"]["test"][-1]
    # $$ in the file is a literal $ for the container's shell.
    assert "--destination celery@$HOSTNAME" in test


def test_every_django_service_gets_the_storage_logging_and_metrics_settings():
    services = stack()["services"]
    for name in DJANGO_SERVICES:
        env = services[name]["environment"]
        for variable in (
            "FILE_STORAGE",
            "AWS_STORAGE_BUCKET_NAME",
            "AWS_S3_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "LOG_FORMAT",
            "METRICS_ALLOWED_IPS",
        ):
            assert variable in env, f"{name} lacks {variable}"
        assert env["FILE_STORAGE"] == "local"
        assert env["LOG_FORMAT"] == "json"
    # Web and worker processes add up their metrics through a directory of their own.
    for name in ("web", "worker"):
        assert services[name]["environment"]["PROMETHEUS_MULTIPROC_DIR"]


def test_aws_variables_pass_through_from_the_environment():
    env = stack({"FILE_STORAGE": "s3", **S3_ENV})["services"]["worker"]["environment"]
    assert env["FILE_STORAGE"] == "s3"
    assert {name: env[name] for name in S3_ENV} == S3_ENV


def test_with_local_files_web_worker_and_nginx_share_the_media_volume():
    services = stack()["services"]
    assert _mounts(services["web"])["/app/media"] == "media"
    assert _mounts(services["worker"])["/app/media"] == "media"
    assert _mounts(services["nginx"])["/app/media"] == "media"


def test_with_s3_no_container_keeps_files_on_a_local_volume():
    services = stack(S3_ENV, s3=True)["services"]
    for name in ("web", "worker", "nginx", "release", "beat"):
        assert "/app/media" not in _mounts(services[name]), f"{name} still mounts media"
    for name in DJANGO_SERVICES:
        env = services[name]["environment"]
        assert env["FILE_STORAGE"] == "s3", name
        assert env["AWS_STORAGE_BUCKET_NAME"] == "hub-files", name
    assert _mounts(services["web"])["/app/staticfiles"] == "static"


def test_the_s3_stack_refuses_to_start_without_its_bucket():
    with pytest.raises(KeyError, match="AWS_STORAGE_BUCKET_NAME"):
        stack(s3=True)


def test_nginx_finds_every_web_replica_through_dockers_dns():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"^resolver 127\.0\.0\.11 valid=\d+s", conf, re.MULTILINE)
    # A variable makes nginx resolve the name at run time, not once at start.
    assert "set $hub_web http://web:8000;" in conf
    assert "proxy_pass $hub_web;" in conf
    pinned = re.search(r"^\s*upstream\s", conf, re.MULTILINE)
    assert not pinned, "a static upstream block would pin the addresses at start"


def test_nginx_never_serves_metrics():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    block = re.search(r"location \^~ /metrics \{(.*?)\}", conf, re.DOTALL)
    assert block and "return 404;" in block[1]


# nginx itself ------------------------------------------------------------------------------

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _main_conf(tmp_path: Path, port: int | None = None) -> Path:
    """Wrap deploy/nginx.conf in the http {} block that the nginx image gives it."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    if port is not None:
        site = site.replace("listen 80 default_server;", f"listen 127.0.0.1:{port};")
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\ndaemon off;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {tmp_path};\n  proxy_temp_path {tmp_path};\n"
        f"  include {tmp_path}/site.conf;\n}}\n"
    )
    return main


@needs_nginx
def test_nginx_accepts_the_configuration(tmp_path):
    result = subprocess.run(
        [NGINX, "-t", "-c", str(_main_conf(tmp_path)), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def running_nginx(tmp_path):
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own binary and file
        [NGINX, "-c", str(_main_conf(tmp_path, port)), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@needs_nginx
def test_nginx_answers_its_health_check_and_refuses_metrics(running_nginx):
    assert _status(f"{running_nginx}/nginx-health") == 200
    assert _status(f"{running_nginx}/metrics") == 404
    assert _status(f"{running_nginx}/metrics/") == 404
    assert _status(f"{running_nginx}/protected/uploads/a.csv") == 404
