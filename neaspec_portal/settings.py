"""Settings of the NEASPEC Knowledge Hub.

Everything that differs between a laptop and production comes from the environment
(see ``neaspec_portal.env``). Development needs no configuration: with ``DEBUG`` on,
the defaults point at a local PostgreSQL and Redis.
"""

from ipaddress import ip_network
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from neaspec_portal import api_settings
from neaspec_portal.content_security import source_of
from neaspec_portal.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
)
from neaspec_portal.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for development."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A refused form (an expired page, cookies off) answers the styled page in the reader's language.
CSRF_FAILURE_VIEW = "neaspec_portal.errors.csrf_failure"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# OAI-PMH (home.oai): records per List page, hours a resumption token lives, the address
# Identify gives, and the namespace of identifiers (oai:<OAI_REPOSITORY_ID>:dataset/12).
OAI_PAGE_SIZE = env_int("OAI_PAGE_SIZE", 100)
OAI_TOKEN_HOURS = env_int("OAI_TOKEN_HOURS", 24)
OAI_ADMIN_EMAIL = env_str("OAI_ADMIN_EMAIL", "hub@neaspec.org")
OAI_REPOSITORY_ID = env_str("OAI_REPOSITORY_ID", "neaspec.org")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "csp",
    "neaspec_portal",
    "accounts",
    "access",
    "species",
    "datasets",
    "publications",
    "search",
    "maps",
    "people",
    "projects",
    "programme",
    "reports",
]

MIDDLEWARE = [
    # First: every answer, even an early one, carries its request id and is logged.
    "neaspec_portal.logs.RequestIdMiddleware",
    # Answers /metrics before host checks (Prometheus scrapes replicas by address) and
    # times every other request.
    "neaspec_portal.metrics.endpoint.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that may answer early (static files, Axes' lockout page).
    "neaspec_portal.csp_header.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A visitor's kept list page, once its language is known (neaspec_portal.page_cache).
    "neaspec_portal.page_cache.VisitorPageMiddleware",
    # After the language is chosen: its refusal is worded in it.
    "neaspec_portal.request_bounds.JSONDepthMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After messages (they tell why a page was refused), before Axes.
    "accounts.middleware.PrivilegedSessionMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # After every check of who is asking, so that a replayed answer passes them too.
    "neaspec_portal.idempotency.IdempotencyMiddleware",
    # An API GET with a query parameter its schema does not document is a 400.
    "neaspec_portal.api_params.UnknownParametersMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "neaspec_portal.urls"
WSGI_APPLICATION = "neaspec_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "neaspec_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/neaspec")
    )
}
# No statement of a web request may run longer than this (0: no limit); a runaway query
# answers an error instead of holding a worker and a connection. Celery workers set their
# own, WORKER_STATEMENT_TIMEOUT_MS (0: none), on every connection they open
# (neaspec_portal.celery): processing a large file may legitimately take minutes.
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 30_000)
WORKER_STATEMENT_TIMEOUT_MS = env_int("WORKER_STATEMENT_TIMEOUT_MS", 0)
DATABASES["default"]["OPTIONS"]["options"] = (
    DATABASES["default"]["OPTIONS"].get("options", "")
    + f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {
        "NAME": "accounts.passwords.KeyHolderMinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PRIVILEGED_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Accounts that hold keys (focal points, secretariat, admins): two-factor sign-in with
# django-otp, shorter idle sessions, and a fresh code before role changes and 2FA resets.
OTP_FRESH_MINUTES = env_int("OTP_FRESH_MINUTES", 15)
PRIVILEGED_SESSION_IDLE_MINUTES = env_int("PRIVILEGED_SESSION_IDLE_MINUTES", 30)
OTP_TOTP_ISSUER = "NEASPEC Knowledge Hub"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# API tokens expire this many days after they are made.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)

# django-axes: lock the username + IP pair after five failures, for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address of a failed sign-in, as the audit trail takes it: X-Forwarded-For only from
# TRUSTED_PROXIES (below).
AXES_CLIENT_IP_CALLABLE = "access.services.client_ip"

# django-guardian: no anonymous user row; the policy module decides for visitors.
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "中文"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("mn", "Монгол"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / ".data" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: MEDIA_URL is deliberately absent, every file goes out
# through a view of the access policy.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# Where files go (docs/decisions/object-storage.md): "local", MEDIA_ROOT on this machine's
# disk, or "s3", a private bucket of an S3-compatible store through django-storages, read with
# its standard settings below; every file is written and read through the storage API.
FILE_STORAGE = env_str("FILE_STORAGE", "local")
if FILE_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured("FILE_STORAGE must be 'local' or 's3'.")
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_S3_ADDRESSING_STYLE = env_str("AWS_S3_ADDRESSING_STYLE") or None
AWS_S3_SIGNATURE_VERSION = "s3v4"
# Private: no ACL is sent (the bucket's own, private, applies), every URL is signed and
# lives AWS_QUERYSTRING_EXPIRE seconds, and a name is never overwritten.
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 60)
AWS_S3_FILE_OVERWRITE = False
if FILE_STORAGE == "s3" and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured("FILE_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if FILE_STORAGE == "s3"
        else "django.core.files.storage.FileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "datasets.uploads.OversizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Files in one upload request; more are refused with a JSON 400 that names the limit.
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 100)
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 2 * 1024**3)
# Stored files and their rows are compared this often (datasets.reconcile); files and rows
# younger than the grace period belong to uploads in flight and are left alone.
RECONCILE_FILES_EVERY_MINUTES = env_int("RECONCILE_FILES_EVERY_MINUTES", 60)
RECONCILE_FILES_GRACE_MINUTES = env_int("RECONCILE_FILES_GRACE_MINUTES", 60)
# The longest access to a dataset's raw files one grant gives, in days (two years).
GRANT_MAX_DAYS = env_int("GRANT_MAX_DAYS", 730)
# "django" streams files from Django itself; "accel" hands them to nginx (local storage);
# "presigned" redirects to a URL of the bucket signed for AWS_QUERYSTRING_EXPIRE seconds.
PROTECTED_DOWNLOADS = env_str(
    "PROTECTED_DOWNLOADS", "presigned" if FILE_STORAGE == "s3" else "django"
)
if PROTECTED_DOWNLOADS not in {"django", "accel", "presigned"}:
    raise ImproperlyConfigured("PROTECTED_DOWNLOADS must be 'django', 'accel' or 'presigned'.")
if (PROTECTED_DOWNLOADS, FILE_STORAGE) in {("presigned", "local"), ("accel", "s3")}:
    raise ImproperlyConfigured(
        "PROTECTED_DOWNLOADS=presigned needs FILE_STORAGE=s3; accel needs FILE_STORAGE=local."
    )
PROTECTED_DOWNLOADS_PREFIX = "/protected/"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
USE_REDIS_CACHE = env_bool("USE_REDIS_CACHE", default=not DEBUG)
CACHES = {
    "default": (
        {
            "BACKEND": "neaspec_portal.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            # A request waits at most this long for a Redis that does not answer, then
            # renders without the cache (neaspec_portal.cache).
            "OPTIONS": {
                "socket_connect_timeout": env_int("REDIS_CACHE_TIMEOUT_MS", 500) / 1000,
                "socket_timeout": env_int("REDIS_CACHE_TIMEOUT_MS", 500) / 1000,
            },
        }
        if USE_REDIS_CACHE
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The caches that make list pages fast (docs/decisions/signed-in-speed.md): each account's
# list pages (access.page_cache), the menu's roles and counts (context_processors), the
# dataset cards and filters, and visitors' pages answered before most middleware
# (page_cache.VisitorPageMiddleware). Off only to measure what they save.
FAST_PAGES = env_bool("FAST_PAGES", default=True)
# Sessions are read from Redis and written through to the database (one query less per
# signed-in request); only with the shared Redis cache, never a process's own memory, which
# another web node or worker would not see emptied at sign-out.
if FAST_PAGES and USE_REDIS_CACHE:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# A worker holds a file it processes for FILE_LEASE_SECONDS and renews that lease every third
# of it; a dead worker's file is taken over once its lease lapses, by the redelivered task or
# by the sweeper, which runs every FILE_SWEEP_SECONDS.
FILE_LEASE_SECONDS = env_int("FILE_LEASE_SECONDS", 60)
FILE_SWEEP_SECONDS = env_int("FILE_SWEEP_SECONDS", 30)
if FILE_LEASE_SECONDS < 3 or FILE_SWEEP_SECONDS < 1:
    raise ImproperlyConfigured(
        "FILE_LEASE_SECONDS must be 3 or more, FILE_SWEEP_SECONDS 1 or more."
    )
# A task taken but not acknowledged (acks_late: until it ends) goes back to the queue after
# the visibility timeout, as does one waiting for its retry countdown. It must exceed the
# longest task plus its longest countdown, or a task still running would be started twice:
# processing a file may run 660 s (its hard time limit) and waits up to 300 s before a
# retry (datasets.processing.queue). A worker killed mid-task has its file re-queued by the
# sweeper once its lease lapses (FILE_LEASE_SECONDS), well before this.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
}
CELERY_BEAT_SCHEDULE = {
    "expire-access-grants": {"task": "datasets.expire_grants", "schedule": 3600.0},
    "notify-expiring-grants": {"task": "datasets.notify_expiring_grants", "schedule": 3600.0},
    "requeue-stuck-files": {
        "task": "datasets.requeue_stuck_files",
        "schedule": float(FILE_SWEEP_SECONDS),
    },
    "forget-idempotency-keys": {"task": "access.forget_idempotency_keys", "schedule": 3600.0},
    "reconcile-files": {
        "task": "datasets.reconcile_files",
        "schedule": 60.0 * RECONCILE_FILES_EVERY_MINUTES,
    },
}
# DataCite: with an account (all four set), publishing a dataset version registers a DOI
# through DataCite's REST API (datasets.doi); DATACITE_URL is e.g. https://api.datacite.org
# (https://api.test.datacite.org for DataCite's test system). Unset, the URL is the identifier.
DATACITE_PREFIX = env_str("DATACITE_PREFIX")
DATACITE_USER = env_str("DATACITE_USER")
DATACITE_PASSWORD = env_str("DATACITE_PASSWORD")
DATACITE_URL = env_str("DATACITE_URL").rstrip("/")
_DATACITE = {
    "DATACITE_PREFIX": DATACITE_PREFIX,
    "DATACITE_USER": DATACITE_USER,
    "DATACITE_PASSWORD": DATACITE_PASSWORD,
    "DATACITE_URL": DATACITE_URL,
}
if any(_DATACITE.values()) and not all(_DATACITE.values()):
    raise ImproperlyConfigured(
        "Set all of DATACITE_PREFIX, DATACITE_USER, DATACITE_PASSWORD and DATACITE_URL to "
        "register DOIs, or none of them; missing: "
        + ", ".join(name for name, value in _DATACITE.items() if not value)
    )
if DATACITE_URL and not DATACITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"DATACITE_URL={DATACITE_URL!r} must start with https://.")
# Versions whose DOI registration failed are tried again this often.
DATACITE_RETRY_MINUTES = env_int("DATACITE_RETRY_MINUTES", 15)
CELERY_BEAT_SCHEDULE["register-pending-dois"] = {
    "task": "datasets.retry_doi_registrations",
    "schedule": 60.0 * DATACITE_RETRY_MINUTES,
}

# A worker child that grows past this many kilobytes is replaced after its task. Room for
# the sentence encoder (about 120 MB, loaded by the first embedding) beside a 1 GB table's
# profiling (about 150 MB), so that children are not replaced after every embedding.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 450_000)
# Search across languages (search.semantic): the sentence encoder takes about 125 MB in each
# web process that searches and each worker that indexes. Off: search by words only.
SEARCH_CROSS_LANGUAGE = env_bool("SEARCH_CROSS_LANGUAGE", default=True)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "NEASPEC Knowledge Hub <hub@neaspec.org>")

# The REST API: DRF and its OpenAPI schema (neaspec_portal/api_settings.py).
REST_FRAMEWORK = api_settings.REST_FRAMEWORK
SPECTACULAR_SETTINGS = api_settings.SPECTACULAR_SETTINGS

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS, from the environment (deploy/README.md, "Production settings"): browsers keep to
# HTTPS for SECURE_HSTS_SECONDS once they have seen the header; preload only when the
# domain is submitted to the browsers' preload list.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# The health check is asked over plain HTTP from inside the network (Docker, the proxy).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies (addresses or networks) whose X-Forwarded-For is believed; from anyone else
# the header is ignored and the peer's address is the client's (access.services.client_ip).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")

# django-csp: no inline script or style anywhere, so that text stored by users can never run
# as code. Only the map tiles come from another host. A view that needs more says so with
# django-csp's decorators (only the 500 page does, for its own inline stylesheet).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *source_of(MAP_TILE_URL)],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# "json": one JSON object per line with the request id (production); "text": readable lines.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))
# Celery workers log through the same configuration instead of replacing it with their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Prometheus (neaspec_portal/metrics): /metrics answers direct requests from these
# addresses or networks (never one relayed by a proxy), or a request bearing METRICS_TOKEN.
METRICS_ALLOWED_IPS = env_networks("METRICS_ALLOWED_IPS") or [
    ip_network("127.0.0.1/32"),
    ip_network("::1/128"),
]
METRICS_TOKEN = env_str("METRICS_TOKEN")
# The Celery queues whose length is reported.
METRICS_QUEUES = env_list("METRICS_QUEUES", ["celery"])

PORTAL_NAME = _("NEASPEC Knowledge Hub")
