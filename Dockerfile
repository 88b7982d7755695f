# NEASPEC Knowledge Hub: one image for web (gunicorn), worker and beat (celery).
#
#   docker build -t neaspec-portal .
#
# Run-time configuration comes from the environment (see neaspec_portal/settings.py and
# docker-compose.yml); nothing secret is baked into the image.
FROM python:3.11-slim

# PYTHONPATH=/app: the project runs from /app, not from the copy `pip install .` puts in
# site-packages, because settings.BASE_DIR must be /app for templates/, static/ and
# locale/ to be found.
#
# GUNICORN_CMD_ARGS: uploads of up to 2 GB stream through gunicorn (nginx does not
# buffer them) and tie a worker up for the whole upload. Threaded workers keep the site
# responsive meanwhile and, unlike plain sync workers, are not killed by gunicorn's
# heartbeat timeout during a long request: --timeout 120 replaces a worker process that
# stops answering altogether, --graceful-timeout 30 lets requests finish on a restart. A
# single request is bounded by PostgreSQL's statement timeout and nginx's read timeout
# (docker-compose.yml, deploy/README.md). Flags on the command line take precedence.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=neaspec_portal.settings \
    PYTHONPATH=/app \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    GUNICORN_CMD_ARGS="--worker-class gthread --threads 4 --timeout 120 --graceful-timeout 30"

# A fixed uid/gid so that files in the media volume keep one owner across rebuilds.
RUN groupadd --system --gid 10001 neaspec \
    && useradd --system --uid 10001 --gid neaspec --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin neaspec

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so that this layer is rebuilt only
# when the dependency list changes, not on every code change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself. Listed one by one (no .dockerignore needed): the local .venv,
# .git and .data/ (development uploads) must never end up in the image.
# Code stays owned by root: the app user can read it but not change it.
COPY manage.py ./
COPY neaspec_portal/ neaspec_portal/
COPY species/ species/
COPY publications/ publications/
COPY datasets/ datasets/
COPY accounts/ accounts/
COPY access/ access/
COPY home/ home/
COPY search/ search/
COPY maps/ maps/
COPY people/ people/
COPY projects/ projects/
COPY programme/ programme/
COPY reports/ reports/
COPY templates/ templates/
COPY static/ static/
COPY locale/ locale/
RUN pip install . \
    && rm -rf build ./*.egg-info \
    && mkdir -p /app/staticfiles /app/media \
    && chown neaspec:neaspec /app/staticfiles /app/media

# Compile translations if the tree carries .po files (gettext is needed only for this
# and removed in the same layer). Harmless when .mo files are committed as well.
RUN if find . -name '*.po' -path '*/LC_MESSAGES/*' | grep -q .; then \
        apt-get update \
        && apt-get install -y --no-install-recommends gettext \
        && DEBUG=0 SECRET_KEY=compilemessages-build-only-not-a-secret \
           python manage.py compilemessages \
        && apt-get purge -y --auto-remove gettext \
        && rm -rf /var/lib/apt/lists/*; \
    fi

# pg_dump and pg_restore for manage.py backup and restore (Debian bookworm's are 15, as the
# database server is; a pg_dump older than the server refuses to dump it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

USER neaspec

# Collect static files into the image (and so into a fresh "static" volume). The
# throw-away SECRET_KEY exists only for this RUN line and is not kept in the image;
# DEBUG stays off so that the production storage (WhiteNoise's compressed manifest,
# hashed names) is what gets built - with DEBUG=1 settings.py would pick the plain
# storage, no staticfiles.json would be written and every {% static %} would fail at
# run time.
RUN DEBUG=0 SECRET_KEY=collectstatic-build-only-not-a-secret \
    python manage.py collectstatic --noinput

# /app/media holds the private uploads (served only through Django's access checks,
# by X-Accel-Redirect to nginx in production): mount a volume there, as
# docker-compose.yml does. No VOLUME line, so one-off `docker run`s leave no stray
# anonymous volumes behind.
EXPOSE 8000

# Each request is logged once by the portal itself, with its id (neaspec_portal.logs).
CMD ["gunicorn", "neaspec_portal.wsgi:application", "--config", "python:neaspec_portal.gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3"]
