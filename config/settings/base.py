"""Settings shared by every environment. Values come from the environment (``DJANGO_`` prefix)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = BASE_DIR / "wuye"

env = environ.Env()
# A `.env` file in the project root (see .env.example) fills in variables the environment does not set;
# DJANGO_ENV_FILE names another file (or a missing one, to read none).
env_file = Path(env("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")))
if env_file.is_file():
    env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- Database: SQLite file under var/ unless DATABASE_URL says otherwise -------------------------------
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'wuye.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications ---------------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",  # login lockout (see "# --- Security" below)
]
LOCAL_APPS = [
    "wuye.core",
    "wuye.org",
    "wuye.estates",
    "wuye.tickets",
    "wuye.documents",
    "wuye.contracts",
    "wuye.surveys",
    "wuye.quality",
    "wuye.appraisals",
    "wuye.training",
    "wuye.budgets",
    "wuye.incidents",
    "wuye.reports",
    "wuye.portal",
]
# wuye first: its translations (and templates) win over those of Django and third-party apps, e.g. "Log out"
# is 退出 everywhere, not the admin's 注销.
INSTALLED_APPS = LOCAL_APPS + DJANGO_APPS + THIRD_PARTY_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wuye.core.security.StaffIdleTimeoutMiddleware",  # after auth and messages (docs/security.md)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wuye.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APPS_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wuye.core.context_processors.navigation",
            ],
        },
    }
]

# --- Authentication -------------------------------------------------------------------------------------
# axes first: it refuses a locked-out login before any password is checked; then ModelBackend, permissions in
# one query.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "wuye.core.auth.WuyeModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's, with a message our catalogue translates (wuye/core/security.py)
    {"NAME": "wuye.core.security.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation: Simplified Chinese first, English ships too ----------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True) if STATIC_ROOT.startswith(str(BASE_DIR)) else None
# Front-end libraries come from npm (package.json, installed by `make`) and are served by the app itself.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [APPS_DIR / "static"] + [
    (prefix, str(NODE_MODULES / path))
    for prefix, path in [
        ("vendor/bootstrap", "bootstrap/dist"),
        ("vendor/bootstrap-icons", "bootstrap-icons/font"),
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/echarts", "echarts/dist"),
    ]
    if (NODE_MODULES / path).is_dir()
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files (documents, attachments, photos): the folder MEDIA_ROOT, or with DJANGO_STORAGE=s3 a bucket of an
# S3-compatible object store (django-storages; tested against Ceph's RADOS Gateway). Files are always served
# through the app's own views (permissions, the 作废 mark), never from the bucket's address: the bucket stays
# private. Several app servers share one bucket (docs/deploy.md).
WUYE_STORAGE = env("DJANGO_STORAGE", default="local")
if WUYE_STORAGE == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": env("DJANGO_S3_BUCKET"),
        "endpoint_url": env("DJANGO_S3_ENDPOINT_URL", default=None),  # None: AWS itself
        "access_key": env("DJANGO_S3_ACCESS_KEY"),
        "secret_key": env("DJANGO_S3_SECRET_KEY"),
        "region_name": env("DJANGO_S3_REGION", default="us-east-1"),
        "location": env("DJANGO_S3_PREFIX", default=""),  # a folder inside the bucket
        "addressing_style": env("DJANGO_S3_ADDRESSING_STYLE", default="path"),
        "verify": env("DJANGO_S3_CA_BUNDLE", default=None),  # a private CA's certificate file
        "signature_version": "s3v4",
        "default_acl": None,  # objects inherit the bucket's (private) policy
        "querystring_auth": True,
        "file_overwrite": False,  # a second file of the same name gets a new name, as in the folder
    }}
elif WUYE_STORAGE != "local":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DJANGO_STORAGE={WUYE_STORAGE!r}: use 'local' (the folder MEDIA_ROOT) or 's3'.")

# --- REST API -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wuye.core.api.permissions.RestrictedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wuye.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "wuye.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wuye API",
    "DESCRIPTION": "物业客户服务部管理系统 REST API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io (no network at run time).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents 400/401/403/404 (the schemathesis suite checks no other status comes back).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "wuye.core.api.schema.document_errors"],
    # Choices that share values across models get one named enum each (no schema warnings).
    "ENUM_NAME_OVERRIDES": {
        "TicketKindEnum": "wuye.tickets.choices.TicketKind",
        "LimitUnitEnum": "wuye.tickets.choices.LimitUnit",
        "CancelReasonEnum": "wuye.tickets.choices.CancelReason",
    },
}

# --- Tables ---------------------------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_PAGE_RANGE = 8

# --- wuye -----------------------------------------------------------------------------------------------
# Personal data at rest (ID numbers): Fernet keys, comma-separated. The first key encrypts; every key decrypts, so
# a new key is put first and `manage.py rotate_field_keys` re-encrypts the stored values with it, after which the
# old key can be dropped. Generate a key with `manage.py generate_field_key`.
WUYE_FIELD_ENCRYPTION_KEYS = env.list(
    "DJANGO_FIELD_ENCRYPTION_KEYS", default=["aW5zZWN1cmUtZGV2LWtleS1mb3Itd3V5ZS1vbmx5ISE="]
)
# Key of the digests that let an ID number be found and kept unique without storing it (any long random string).
# Separate from the encryption keys so that rotating those changes no digest.
WUYE_FIELD_DIGEST_KEY = env("DJANGO_FIELD_DIGEST_KEY", default="insecure-dev-digest-key-change-me-0123456789")
WUYE_COMPANY_NAME = env("DJANGO_COMPANY_NAME", default="")
WUYE_LIST_EXPORT_MAX_ROWS = env.int("DJANGO_LIST_EXPORT_MAX_ROWS", default=1_000_000)
# The address users reach the site at, for links in notification emails.
WUYE_SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000")
# Largest photo or file a user may attach (bytes).
WUYE_UPLOAD_MAX_BYTES = env.int("DJANGO_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Backups (`manage.py backup`, docs/backups.md): where the archives are written, and how many of them a backup
# keeps (older ones are deleted; 0 keeps all).
# Contract expiry alerts: days before the end (seed 2.13); the largest also marks a contract as expiring.
WUYE_CONTRACT_ALERT_DAYS = tuple(int(d) for d in env.list("DJANGO_CONTRACT_ALERT_DAYS", default=["90", "60", "30"]))
WUYE_BACKUP_DIR = env("DJANGO_BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))
WUYE_BACKUP_KEEP = env.int("DJANGO_BACKUP_KEEP", default=14)

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="wuye@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"},
                # WeasyPrint logs every step of every PDF at INFO
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Celery: background work and periodic jobs (config/celery.py, docs/deploy.md) -----------------------------
# DJANGO_REDIS_URL names the Redis that carries the tasks (e.g. redis://127.0.0.1:6379/0). Without it (development,
# `make run`) there is no broker: tasks run eagerly in the calling process, as SQLite is the embedded database.
from celery.schedules import crontab  # noqa: E402

WUYE_REDIS_URL = env("DJANGO_REDIS_URL", default="")
CELERY_BROKER_URL = WUYE_REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = WUYE_REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not WUYE_REDIS_URL
CELERY_TASK_IGNORE_RESULT = True  # nobody waits for a result; failures go to the worker's log
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it has run, not when it was received, and a task whose worker died is given back
# to the queue: a worker killed mid-task (deploy, OOM, kill -9) does not lose it. Every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "wuye"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives an unacknowledged task (its worker gone) to another worker after this many seconds: longer than the
# longest task (a backup of a large installation), or that task would run twice at the same time.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("DJANGO_CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The periodic jobs, at the times of the systemd timers in docs/deploy/ (local time, CELERY_TIMEZONE). Run either
# beat (`celery -A config beat`) or the timers, not both (both would do no harm: every job is idempotent).
CELERY_BEAT_SCHEDULE = {
    "escalate-tickets": {"task": "wuye.tickets.tasks.escalate_tickets", "schedule": crontab(minute="*/5")},
    "backup": {"task": "wuye.core.tasks.backup_run", "schedule": crontab(hour=2, minute=30)},
    "contracts-refresh": {"task": "wuye.contracts.tasks.contracts_refresh", "schedule": crontab(hour=7, minute=0)},
    "quality-remind": {"task": "wuye.quality.tasks.quality_remind", "schedule": crontab(hour=7, minute=10)},
    "incidents-remind": {"task": "wuye.incidents.tasks.incidents_remind", "schedule": crontab(hour=7, minute=20)},
    "training-remind": {"task": "wuye.training.tasks.training_remind", "schedule": crontab(hour=7, minute=20)},
    "documents-remind": {"task": "wuye.documents.tasks.documents_remind", "schedule": crontab(hour=7, minute=30)},
    "surveys-remind": {"task": "wuye.surveys.tasks.surveys_remind", "schedule": crontab(hour=9, minute=30)},
}

# --- Security: login lockout, idle staff sessions (wuye/core/security.py, docs/security.md) ------------------
# django-axes: after AXES_FAILURE_LIMIT failed logins for one user name from one address, that pair is refused
# (even with the right password) for the cool-off time; a success before the limit starts the count again. An
# administrator unlocks at once in the admin (Axes → access attempts: delete) or with `manage.py axes_reset_username`.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wuye.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "wuye.core.security.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (nginx: 1; a load balancer and nginx: 2).
# 0 trusts no header and uses the peer's address.
WUYE_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Staff sessions end after this many minutes without a request (0: never); residents keep SESSION_COOKIE_AGE.
WUYE_STAFF_IDLE_MINUTES = env.int("DJANGO_STAFF_IDLE_MINUTES", default=30)
