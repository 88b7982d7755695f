# The two commands: `make run` serves the portal with demo data on http://127.0.0.1:8000,
# `make test` runs every check, in two pytest processes (PYTEST_WORKERS=0: one). Both set
# everything up first (see scripts/dev.sh). The bigger runs below use one process.
.PHONY: run test test-trust fuzz drills setup lint format messages benchmark clean

run:
	@scripts/dev.sh run

test:
	@scripts/dev.sh test

# The location-trust properties with many more generated cases than `make test` runs.
test-trust:
	@PYTEST_WORKERS=$${PYTEST_WORKERS:-0} TRUST_EXAMPLES=$${TRUST_EXAMPLES:-200} scripts/dev.sh test tests/trust

# Bad input at length: every hostile value on every query parameter of every URL pattern,
# and Schemathesis with FUZZ_EXAMPLES examples per operation and person (make test: 5).
fuzz:
	@PYTEST_WORKERS=$${PYTEST_WORKERS:-0} CRAWL_VALUES=all SCHEMATHESIS_EXAMPLES=$${FUZZ_EXAMPLES:-100} scripts/dev.sh test -s \
		tests/portal/test_bad_input.py tests/portal/test_schemathesis.py

# The failure drills of tests/drills at scale: a 200 MB table and 20 files per drill, 50
# clients uploading through gunicorn for 60 s, the production lease (60 s) and sweep (30 s).
# Prints the table of outcomes; make test runs the same drills small.
drills:
	@PYTEST_WORKERS=$${PYTEST_WORKERS:-0} DRILL_CSV_MB=$${DRILL_CSV_MB:-200} DRILL_FILES=$${DRILL_FILES:-20} \
		DRILL_CLIENTS=$${DRILL_CLIENTS:-50} DRILL_SECONDS=$${DRILL_SECONDS:-60} \
		DRILL_LEASE_SECONDS=$${DRILL_LEASE_SECONDS:-60} DRILL_SWEEP_SECONDS=$${DRILL_SWEEP_SECONDS:-30} \
		scripts/dev.sh test -m drill tests/drills

setup:
	@scripts/dev.sh setup

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/python scripts/check_policy.py \
		&& DEBUG=1 .venv/bin/mypy access accounts datasets publications search species maps neaspec_portal home people projects programme reports

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

# Refresh the translation catalogs after changing user-facing strings.
messages:
	DEBUG=1 .venv/bin/python manage.py makemessages --all --ignore=.venv --ignore=.data --ignore=static/vendor --no-obsolete

clean:
	rm -rf .venv .data
