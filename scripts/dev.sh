#!/usr/bin/env bash
# Set up a development environment from nothing and run the portal or its tests.
#
#   scripts/dev.sh setup   virtualenv, dependencies, services, database, translations
#   scripts/dev.sh run     setup + migrate + reference and demo data + worker + server on :8000
#   scripts/dev.sh test    setup + lint + checks + the whole pytest suite (PYTEST_WORKERS
#                          processes, 2 by default; 0 runs it in this one)
#
# Services: an existing PostgreSQL/Redis is used when it answers (DATABASE_URL and
# REDIS_URL are honoured, as are FILE_STORAGE=s3 and the AWS_* settings of a bucket, which
# the server and worker read from the environment); otherwise a private one is started under .data/ from the
# installed binaries; otherwise the script says what to install.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DATA="$ROOT/.data"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PYTHON="${PYTHON:-python3.11}"
mkdir -p "$DATA" "$DATA/staticfiles"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mWARNING:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

export DEBUG="${DEBUG:-1}"
export DJANGO_SETTINGS_MODULE=neaspec_portal.settings

ensure_venv() {
  command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1)). Install python3.11."
  if [ ! -x "$PY" ]; then
    say "Creating the virtualenv in .venv"
    "$PYTHON" -m venv "$VENV"
  fi
  if [ ! -f "$VENV/.installed" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
    say "Installing the project and its development dependencies"
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -e '.[dev]'
    touch "$VENV/.installed"
  fi
}

pg_bin() {
  local found
  found="$(command -v "$1" 2>/dev/null || true)"
  [ -n "$found" ] || found="$(ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true)"
  printf '%s' "$found"
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    say "Using DATABASE_URL from the environment"
    return
  fi
  if "$PY" scripts/wait_for.py postgres "postgres://postgres@127.0.0.1:5432/postgres" 2>/dev/null; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/neaspec"
    say "Using the PostgreSQL server at 127.0.0.1:5432"
    return
  fi
  local initdb pg_ctl port=5439 pgdata="$DATA/postgres"
  initdb="$(pg_bin initdb)"; pg_ctl="$(pg_bin pg_ctl)"
  [ -n "$initdb" ] && [ -n "$pg_ctl" ] \
    || die "No PostgreSQL answers on 127.0.0.1:5432 and none is installed: apt-get install -y postgresql (15), or set DATABASE_URL."
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "Running as root needs a 'postgres' system user to own the private cluster."
    as=(runuser -u postgres --)
  fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in $pgdata"
    mkdir -p "$pgdata"
    [ "$(id -u)" = 0 ] && chown -R postgres "$pgdata"
    "${as[@]}" "$initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! "$PY" scripts/wait_for.py postgres "postgres://postgres@127.0.0.1:$port/postgres" 2>/dev/null; then
    say "Starting the private PostgreSQL on 127.0.0.1:$port"
    "${as[@]}" "$pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $pgdata" start >/dev/null
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/neaspec"
}

ensure_redis() {
  local url="${REDIS_URL:-redis://127.0.0.1:6379/0}"
  if "$PY" scripts/wait_for.py redis "$url" 2>/dev/null; then
    export REDIS_URL="$url"
    say "Using Redis at $url"
    return
  fi
  local port=6389
  if command -v redis-server >/dev/null 2>&1; then
    if ! "$PY" scripts/wait_for.py redis "redis://127.0.0.1:$port/0" 2>/dev/null; then
      say "Starting a private Redis on 127.0.0.1:$port"
      mkdir -p "$DATA/redis"
      redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
        --dir "$DATA/redis" --logfile "$DATA/redis/redis.log" --pidfile "$DATA/redis/redis.pid"
    fi
    if "$PY" scripts/wait_for.py redis "redis://127.0.0.1:$port/0" --timeout 10; then
      export REDIS_URL="redis://127.0.0.1:$port/0"
      return
    fi
  fi
  warn "No Redis answers and none could be started (apt-get install -y redis-server):"
  warn "background tasks will run in-process, inside the web request."
  export CELERY_TASK_ALWAYS_EAGER=1
  export REDIS_URL="$url"
}

ensure_database() {
  "$PY" scripts/wait_for.py create-database "$DATABASE_URL"
}

compile_translations() {
  command -v msgfmt >/dev/null 2>&1 || die "msgfmt is missing: apt-get install -y gettext"
  "$PY" manage.py compilemessages --ignore=.venv --ignore=.data -v 0
}

ensure_browser() {
  # Chromium for the browser tests, and CJK fonts so that screenshots show the scripts.
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
  # nginx, to check deploy/nginx.conf (tests/resilience/test_compose_nodes.py); never started.
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing ${missing[*]} for the browser tests"
    (apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; }) \
      || warn "Could not install ${missing[*]}; browser tests may be skipped."
  else
    warn "Missing ${missing[*]} (apt-get install -y ${missing[*]}); browser tests may be skipped."
  fi
}

setup() {
  ensure_venv
  ensure_postgres
  ensure_redis
  ensure_database
  compile_translations
}

run() {
  setup
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py load_reference
  "$PY" manage.py seed_demo
  local worker_pid=""
  if [ "${CELERY_TASK_ALWAYS_EAGER:-0}" != 1 ]; then
    say "Starting a Celery worker and beat (log: .data/celery.log)"
    "$VENV/bin/celery" -A neaspec_portal worker --beat --loglevel=info --concurrency=2 \
      --schedule="$DATA/celerybeat-schedule" >"$DATA/celery.log" 2>&1 &
    worker_pid=$!
  fi
  trap '[ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null; exit 0' INT TERM EXIT
  if [ "${FILE_STORAGE:-local}" = s3 ]; then
    say "Files in the bucket ${AWS_STORAGE_BUCKET_NAME:-?} at ${AWS_S3_ENDPOINT_URL:-AWS} (FILE_STORAGE=s3)"
  else
    say "Files under ${MEDIA_ROOT:-.data/media} (FILE_STORAGE=local)"
  fi
  say "Serving the portal on http://127.0.0.1:8000 (Ctrl-C stops it)"
  "$PY" manage.py runserver 127.0.0.1:8000
}

run_tests() {
  setup
  # Tests queue tasks on their own Redis database, away from a development worker's.
  export REDIS_URL="${REDIS_URL%/*}/15"
  ensure_browser
  say "ruff check"
  "$VENV/bin/ruff" check .
  say "ruff format --check"
  "$VENV/bin/ruff" format --check .
  say "access-policy guard"
  "$PY" scripts/check_policy.py
  say "mypy (django-stubs)"
  "$VENV/bin/mypy" access accounts datasets publications search species maps neaspec_portal home people projects programme reports
  say "migrations up to date"
  "$PY" manage.py makemigrations --check --dry-run >/dev/null \
    || die "Models changed without a migration: run .venv/bin/python manage.py makemigrations"
  # Two processes by default (pytest-xdist): the suite waits on servers, workers and the
  # browser more than it computes. PYTEST_WORKERS=0 runs it in one process, N in N. Tests
  # last from milliseconds to a minute: an idle process takes work from the busy one.
  local workers="${PYTEST_WORKERS:-2}"
  say "pytest ($workers workers)"
  "$VENV/bin/pytest" -n "$workers" --dist worksteal "$@"
}

command="${1:-}"
shift || true
case "$command" in
  setup) setup ;;
  run) run ;;
  test) run_tests "$@" ;;
  *) die "usage: scripts/dev.sh setup|run|test [pytest args]" ;;
esac
