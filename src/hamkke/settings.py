"""Hamkke settings: everything comes from environment variables (django-environ).

With no environment at all, Hamkke runs as a local demo: SQLite in ./var, DEBUG off, and the
clearly marked demo keys below. ``HAMKKE_ENV=production`` refuses to start with those demo keys.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository / install root
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

HAMKKE_ENV = env.str("HAMKKE_ENV", default="demo")  # demo | test | production

# --- Demo keys: for the local demo and the test suite ONLY. Never use them with real data. ---
DEMO_SECRET_KEY = "DEMO-ONLY-hamkke-secret-key-not-for-real-data-0000000000000000"
DEMO_FIELD_SALTS = ["DEMO-ONLY-hamkke-field-salt-1"]
DEMO_RRN_HASH_KEY = "DEMO-ONLY-hamkke-rrn-hmac-key"

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEMO_SECRET_KEY)
# Field encryption (django-fernet-encrypted-fields): keys are derived from SECRET_KEY x SALT_KEY.
# Key rotation: put the new salt first; older salts stay after it until every row is re-encrypted.
SALT_KEY = env.list("HAMKKE_FIELD_ENCRYPTION_SALTS", default=DEMO_FIELD_SALTS)
# Keyed hash (HMAC-SHA256) of the RRN for exact duplicate lookup without decrypting.
RRN_HASH_KEY = env.str("HAMKKE_RRN_HASH_KEY", default=DEMO_RRN_HASH_KEY)

if HAMKKE_ENV == "production":
    demo_in_use = [
        name
        for name, value, demo in [
            ("DJANGO_SECRET_KEY", SECRET_KEY, DEMO_SECRET_KEY),
            ("HAMKKE_RRN_HASH_KEY", RRN_HASH_KEY, DEMO_RRN_HASH_KEY),
        ]
        if value == demo
    ] + (["HAMKKE_FIELD_ENCRYPTION_SALTS"] if set(SALT_KEY) & set(DEMO_FIELD_SALTS) else [])
    if demo_in_use:
        raise ImproperlyConfigured("HAMKKE_ENV=production refuses the demo keys; set " + ", ".join(demo_in_use))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "hamkke.core",
    "hamkke.districts",
    "hamkke.accounts",
    "hamkke.people",
    "hamkke.cases",
    "hamkke.consents",
    "hamkke.audit",
    "hamkke.access",
    "hamkke.assessment",
    "hamkke.resources",
    "hamkke.plans",
    "hamkke.records",
    "hamkke.approvals",
    "hamkke.referrals",
    "hamkke.conferences",
    "hamkke.inbox",
    "hamkke.timeline",
    "hamkke.diagrams",
    "hamkke.reports",
    "hamkke.demo",
    "hamkke.bench",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hamkke.api",
    "hamkke.imports",
    "hamkke.exports",
    "django_guid",
    "django_prometheus",
    "health_check",
    "hamkke.ops",
]

MIDDLEWARE = [
    # First: metrics time the whole request; the request id exists before anything logs.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_guid.middleware.guid_middleware",
    "hamkke.ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hamkke.core.middleware.NoStoreMiddleware",  # after WhiteNoise: static files keep their cache
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hamkke.core.middleware.KoreanFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Fail closed: every view needs a log-in unless it says otherwise (login, errors, language).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hamkke.accounts.middleware.ActorMiddleware",
    "hamkke.accounts.twofactor.TwoFactorRequiredMiddleware",
    "hamkke.core.db.ReplicaReadsMiddleware",  # after the user and the actor are known (read from the primary)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # brute-force lockout (django-axes), checked first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("HAMKKE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("HAMKKE_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one attacker cannot lock everyone out
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# TOTP two-factor authentication for district/agency admins and auditors (hamkke.accounts.twofactor).
HAMKKE_REQUIRE_2FA = env.bool("HAMKKE_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Hamkke"

ROOT_URLCONF = "hamkke.urls"
WSGI_APPLICATION = "hamkke.wsgi.application"

# Django's widgets, with <select> drawn in Python rather than an include per option (issue 15 item 5).
FORM_RENDERER = "hamkke.core.renderers.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hamkke.accounts.context_processors.actor",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite by default (zero set-up); DATABASE_URL=postgres://... for PostgreSQL (production, CI).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hamkke.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if HAMKKE_ENV == "production":
        # One writer at a time: every page writes (session, access log), so one import stalls everyone.
        raise ImproperlyConfigured(
            "HAMKKE_ENV=production refuses SQLite (the demo database): set DATABASE_URL=postgres://... "
            "/ 운영 환경에서는 SQLite를 쓸 수 없습니다. PostgreSQL의 DATABASE_URL을 설정하세요."
        )
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # The demo's pages keep working during an import (finding 5 of issue 11): WAL lets readers
            # read while the worker writes; a writer waits up to `timeout` seconds for the lock instead
            # of failing; IMMEDIATE takes the write lock when a transaction begins, so a transaction
            # that read first never fails at once with "database is locked" when it starts to write.
            "timeout": env.int("HAMKKE_SQLITE_BUSY_SECONDS", default=30),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    # pg_trgm needs a UTF-8 ctype to index Hangul: test databases are created with one.
    # JIT compilation costs seconds on the scoped queries and saves nothing (bench/RESULTS.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Persistent connections: a new PostgreSQL connection per request (fork, authentication, catalog
    # caches) cost a few ms on every page; health checks drop a connection the server closed.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("HAMKKE_CONN_MAX_AGE", default=300))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = "template0"
    DATABASES["default"]["TEST"]["CHARSET"] = "UTF8"
    # Behind PgBouncer in transaction mode (HAMKKE_DB_POOLER=pgbouncer-transaction): a connection is
    # shared between transactions, so nothing may outlive one: no server-side cursors, no prepared
    # statements (PgBouncer < 1.21), no startup options (PgBouncer refuses them: set jit = off on the
    # database instead, ALTER DATABASE ... SET jit = off). docs/scaling.md.
    if env.str("HAMKKE_DB_POOLER", default="") == "pgbouncer-transaction":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"].pop("options", None)
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
# A read replica (issue 16 item 7): reports and exports read from it, everything else from the
# primary (hamkke.core.db). Same engine options as the primary; never migrated (replication copies
# the schema); in tests it mirrors the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    _replica = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"] = {
        **{k: v for k, v in DATABASES["default"].items() if k not in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        **_replica,
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["hamkke.core.db.ReplicaRouter"]
# GET pages and downloads that only read (and write their access-log row): served from the replica.
REPLICA_READ_VIEWS = frozenset(
    {
        "reports:dashboard",
        "reports:figures",
        "reports:balance",
        "reports:workshop",
        "reports:figures_xlsx",
        "reports:report_pdf",
        "reports:services_export",
        "imports:export",
        "api_v1:statistics",
        "api_v1:service-record-export",
    }
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Korean first; English through Django's i18n (source strings are Korean, locale/en translates).
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"  # store UTC, show and count in Seoul time
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; the demo serves via finders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the demo serves static files without a collectstatic step
# Files served at the site root: the service worker (/sw.js), whose scope must be the whole site.
WHITENOISE_ROOT = PACKAGE_DIR / "static_root"

SESSION_COOKIE_AGE = env.int("HAMKKE_SESSION_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # expiry counts from the last request (inactivity)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("HAMKKE_SECURE_COOKIES", default=HAMKKE_ENV == "production")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS: behind a TLS-terminating proxy set HAMKKE_BEHIND_HTTPS_PROXY=1 (trusts X-Forwarded-Proto from it).
if env.bool("HAMKKE_BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("HAMKKE_SSL_REDIRECT", default=HAMKKE_ENV == "production")
SECURE_HSTS_SECONDS = env.int("HAMKKE_HSTS_SECONDS", default=31536000 if HAMKKE_ENV == "production" else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only our own scripts and styles; an inline script must
# carry the per-request nonce ({{ request.csp_nonce }}). No inline event handlers anywhere.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Emergency access (긴급 열람) to a high-crisis case without consent lasts this long.
HAMKKE_EMERGENCY_ACCESS_HOURS = env.int("HAMKKE_EMERGENCY_ACCESS_HOURS", default=24)

# The access log is kept at least 2 years (personal-information safety standard); purge_access_log
# removes only rows older than this.
HAMKKE_ACCESS_LOG_RETENTION_DAYS = max(730, env.int("HAMKKE_ACCESS_LOG_RETENTION_DAYS", default=730))

# Korean TrueType font embedded in PDF reports; by default Debian's fonts-nanum is looked for.
HAMKKE_PDF_FONT = env.str("HAMKKE_PDF_FONT", default="")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Form bodies (not uploads) up to 10 MB are read, so that an over-long text gets its field error with
# the input kept instead of a bare 400 (issue 11, finding 11: three 100,000-character texts of one need
# are 2.7 MB urlencoded, over Django's 2.5 MB default). Still bounded; bigger ones get a clear 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("HAMKKE_FORM_MAX_BYTES", default=10 * 1024 * 1024)

# Change history (django-simple-history) of records; who-read-what lives in hamkke.audit.
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# Logs: one JSON object per line (python-json-logger) carrying the request id (django-guid; also in the
# X-Request-ID response header, the access-log row and the logs of the jobs a request queued).
# HAMKKE_LOG_FORMAT=text for people reading a terminal. Never personal data in a log line: requests
# are logged by URL name (hamkke.ops.middleware), query strings are cut from server request lines.
HAMKKE_LOG_FORMAT = env.str("HAMKKE_LOG_FORMAT", default="json")
HAMKKE_SLOW_REQUEST_MS = env.int("HAMKKE_SLOW_REQUEST_MS", default=1000)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"},
        "no_query": {"()": "hamkke.ops.logs.RedactQueryString"},
    },
    "formatters": {
        "json": {
            "()": "hamkke.ops.logs.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": HAMKKE_LOG_FORMAT,
            "filters": ["request_id", "no_query"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("HAMKKE_LOG_LEVEL", default="WARNING")},
    "loggers": {
        # runserver's request lines: through the same handler (JSON, request id, query string cut).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",  # nginx passes its $request_id; otherwise one is made
    "VALIDATE_GUID": True,  # a header that is not a UUID is replaced, so a client cannot inject text
    "UUID_LENGTH": 32,
    "EXPOSE_HEADER": False,  # no cross-origin clients
}
# Reverse proxies whose X-Real-IP header names the client (the access log's IP); nginx on the host: 127.0.0.1.
HAMKKE_TRUSTED_PROXIES = env.list("HAMKKE_TRUSTED_PROXIES", default=[])
# Machine endpoints (hamkke.ops): /metrics needs "Authorization: Bearer <token>"; no token, no metrics.
HAMKKE_METRICS_TOKEN = env.str("HAMKKE_METRICS_TOKEN", default="")
HAMKKE_READY_MIN_FREE_MB = env.int("HAMKKE_READY_MIN_FREE_MB", default=1024)
# Probes speak plain HTTP to the app server, inside the host; everything else is redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# REST API (hamkke.api): token (per user and membership, revocable) or session (browser, with CSRF).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hamkke.api.authentication.ApiTokenAuthentication",
        "hamkke.api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hamkke.api.permissions.HasMembership"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "hamkke.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "hamkke.api.schema.HamkkeAutoSchema",
    "EXCEPTION_HANDLER": "hamkke.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hamkke (함께) API",
    "DESCRIPTION": "통합사례관리 API. Integrated case-management API; see /api/ for authentication.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",  # served from local static files (drf-spectacular-sidecar), no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "hamkke.districts.models.Agency.Kind",
        "ConferenceKindEnum": "hamkke.conferences.models.Conference.Kind",
        "ContactKindEnum": "hamkke.records.models.ContactRecord.Kind",
        "NeedStatusEnum": "hamkke.assessment.models.Need.Status",
        "PlanStatusEnum": "hamkke.plans.models.ServicePlan.Status",
        "PlanActionStatusEnum": "hamkke.plans.models.PlanAction.Status",
        "ReferralStatusEnum": "hamkke.referrals.models.Referral.Status",
        "ConferenceStatusEnum": "hamkke.conferences.models.Conference.Status",
        "PerformerEnum": "hamkke.plans.models.Performer",
    },
}
# Bulk import (hamkke.imports): files are kept in the job row; larger files are refused.
HAMKKE_IMPORT_MAX_BYTES = env.int("HAMKKE_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Exports (core/downloads.py): a file up to this size is answered whole, a larger one is streamed.
HAMKKE_EXPORT_BUFFER_BYTES = env.int("HAMKKE_EXPORT_BUFFER_BYTES", default=256 * 1024)
# Background exports (hamkke.exports): files under this folder (never served), kept for download this many
# hours, deleted by the hourly purge; a run holds a lease renewed with its progress, stopped after the limit.
HAMKKE_EXPORT_DIR = Path(env.str("HAMKKE_EXPORT_DIR", default=str(VAR_DIR / "exports")))
HAMKKE_EXPORT_KEEP_HOURS = env.int("HAMKKE_EXPORT_KEEP_HOURS", default=24)
HAMKKE_EXPORT_LEASE_SECONDS = env.int("HAMKKE_EXPORT_LEASE_SECONDS", default=120)
HAMKKE_EXPORT_TIME_LIMIT_SECONDS = env.int("HAMKKE_EXPORT_TIME_LIMIT_SECONDS", default=30 * 60)
# Retention (DOMAIN.md §6): closed cases are anonymised this many years after closure (anonymise_closed_cases).
HAMKKE_CASE_RETENTION_YEARS = env.int("HAMKKE_CASE_RETENTION_YEARS", default=5)

# --- Background jobs (Celery; hamkke/celery.py) ---------------------------------------------------
# Production: a Redis broker (CELERY_BROKER_URL=redis://127.0.0.1:6379/0; RabbitMQ amqp:// works too).
# The demo's default needs no server: kombu's filesystem transport, messages as files under var/celery.
CELERY_DEMO_BROKER_URL = "filesystem://"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if not CELERY_BROKER_URL:
    if HAMKKE_ENV == "production":
        raise ImproperlyConfigured(
            "HAMKKE_ENV=production needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) / "
            "운영 환경에는 CELERY_BROKER_URL(Redis)이 필요합니다."
        )
    CELERY_BROKER_URL = CELERY_DEMO_BROKER_URL
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None  # jobs keep their state in the DB
HAMKKE_CELERY_DIR = Path(env.str("HAMKKE_CELERY_DIR", default=str(VAR_DIR / "celery")))  # filesystem broker
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _folder in ("queue", "control"):
        (HAMKKE_CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(HAMKKE_CELERY_DIR / "queue"),
        "data_folder_out": str(HAMKKE_CELERY_DIR / "queue"),
        "control_folder": str(HAMKKE_CELERY_DIR / "control"),
    }
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False  # no broadcast over files: one worker, one machine
else:
    # Redis hands an unacknowledged message to another worker after this long: longer than any task
    # may run, or a running import would be started twice (the second would find its keys and skip).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
# At-least-once: a message is acknowledged after its task ran, and put back when the process running
# it dies (SIGKILL, OOM); the tasks are idempotent (jobs are claimed in the database, imports keyed).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks: a worker holds only the message it runs
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)  # run in-process (no worker)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep Hamkke's JSON log lines (LOGGING)
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Each pool process may grow this much past its size at start (MemoryError, not the OOM killer), and is
# replaced after a task that left it larger than that.
HAMKKE_WORKER_MAX_MEMORY_MB = env.int("HAMKKE_WORKER_MAX_MEMORY_MB", default=1024)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = HAMKKE_WORKER_MAX_MEMORY_MB * 1024  # KiB
# Import jobs: a running job holds a lease, renewed while it works; a job whose lease ran out, or whose
# worker process is gone, is taken up again (at most HAMKKE_IMPORT_MAX_ATTEMPTS runs) or shown as
# "중단됨 — 저장되지 않음" by the sweep. A run longer than the time limit is stopped (nothing saved).
HAMKKE_IMPORT_LEASE_SECONDS = env.int("HAMKKE_IMPORT_LEASE_SECONDS", default=120)
HAMKKE_IMPORT_MAX_ATTEMPTS = env.int("HAMKKE_IMPORT_MAX_ATTEMPTS", default=3)
HAMKKE_IMPORT_TIME_LIMIT_SECONDS = env.int("HAMKKE_IMPORT_TIME_LIMIT_SECONDS", default=30 * 60)
# The scheduled jobs (celery beat; times in TIME_ZONE). Reminders need no job: the inbox derives them
# from the records at request time (consents about to end, overdue monitoring, the auditor's review).
CELERY_BEAT_SCHEDULE = {
    "sweep-import-jobs": {"task": "hamkke.imports.sweep_import_jobs", "schedule": 60.0},
    "anonymise-closed-cases": {"task": "hamkke.people.anonymise_closed_cases", "schedule": crontab(hour=3, minute=10)},
    "purge-access-log": {"task": "hamkke.audit.purge_access_log", "schedule": crontab(hour=3, minute=40)},
    # After retention (which changes no figure), before the working day: the months changed yesterday.
    "refresh-rollups": {"task": "hamkke.reports.refresh_rollups", "schedule": crontab(hour=4, minute=10)},
    "purge-expired-exports": {"task": "hamkke.exports.purge_expired_exports", "schedule": crontab(minute=25)},
    # The auditor's monthly review: last month's flags of every district, computed once (audit.monthflags).
    "month-flags": {
        "task": "hamkke.audit.schedule_month_flags",
        "schedule": crontab(day_of_month=1, hour=1, minute=20),
    },
}
