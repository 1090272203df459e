"""Settings for the roadmap portal, read from the environment (and an optional .env file).

Local runs need only DEBUG=true (`make run` and the test run set it): SQLite and in-process Celery tasks.
Production leaves DEBUG off and sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL and
CACHE_URL; without SECRET_KEY and ALLOWED_HOSTS the portal refuses to start.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# FileAwareEnv also reads SECRET_KEY_FILE-style variables (Docker and Kubernetes secrets).
env = environ.FileAwareEnv()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------------

# Off unless asked for: `make run` and the test run (pyproject's pytest `env`) turn it on for local work.
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
else:
    _required = {"SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": ALLOWED_HOSTS}
    if missing := [name for name, value in _required.items() if not value]:
        raise ImproperlyConfigured(
            f"DEBUG is off (the default), so set {' and '.join(missing)} in the environment or .env. "
            "For local development set DEBUG=true instead (`make run` does)."
        )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_filters",
    "django_htmx",
    "import_export",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "organizations",
    "projects",
    "roadmaps",
    "reports",
    "archives",
    "api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.NullCharacterMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateCacheMiddleware",
    # Before LoginRequiredMiddleware: it answers 503 when loading the user already finds the database away.
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The organisation a person with several memberships acts for (organizations/acting.py); after the
    # messages, which it may add to on the way out.
    "organizations.acting.ActingMembershipMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a login refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# No web request may hold a worker for minutes (a statement outliving gunicorn's kill keeps running in
# PostgreSQL): statements stop after DB_STATEMENT_TIMEOUT seconds (0 = no limit). Celery workers, where long
# reports are built, switch to WORKER_STATEMENT_TIMEOUT when they start (config/celery.py).
DB_STATEMENT_TIMEOUT = env.int("DB_STATEMENT_TIMEOUT", default=10)
WORKER_STATEMENT_TIMEOUT = env.int("WORKER_STATEMENT_TIMEOUT", default=0)
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)  # a DATABASE_URL ?connect_timeout= wins
    if DB_STATEMENT_TIMEOUT:
        _db_options["options"] = " ".join(
            filter(None, [_db_options.get("options"), f"-c statement_timeout={DB_STATEMENT_TIMEOUT}s"])
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and permissions -----------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # First: a username locked out from an address is refused before any password is checked.
    "config.auth.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, for an e-mail typed in any case, at one password hash per attempt.
    "config.auth.PortalModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in throttling (django-axes): AXES_FAILURE_LIMIT wrong passwords in a row for one username from one
# address lock that pair out for AXES_COOLOFF_MINUTES; a successful sign-in clears the count. Behind a
# reverse proxy set TRUSTED_PROXY_COUNT so the client's address is read from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
AXES_USERNAME_CALLABLE = "config.auth.login_username"
AXES_LOCKOUT_CALLABLE = "config.auth.lockout_response"
AXES_VERBOSE = False
# Single sign-on's callback is not a password guess (the identity provider throttles those): a refused one
# must not count towards locking a school's shared address out (config/sso.py).
AXES_WHITELIST_CALLABLE = "config.sso.axes_ignores"
# A password reset mails one address at most once per PASSWORD_RESET_EMAIL_MINUTES, and one client address
# may ask PASSWORD_RESET_IP_LIMIT times an hour; past either the page answers the same, without a mail.
PASSWORD_RESET_EMAIL_MINUTES = env.int("PASSWORD_RESET_EMAIL_MINUTES", default=15)
PASSWORD_RESET_IP_LIMIT = env.int("PASSWORD_RESET_IP_LIMIT", default=10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Single sign-on (OpenID Connect) ----------------------------------------------------------------

# Off unless OIDC_RP_CLIENT_ID is set: then the login page offers «Войти через OIDC_PROVIDER_NAME» against
# the region's identity provider (Keycloak and the like, which also broker ЕСИА), by mozilla-django-oidc
# (config/oidc.py). Endpoints come from OIDC_OP_DISCOVERY_URL, read once at start, or one by one from
# OIDC_OP_*_ENDPOINT. People are matched to invited accounts by a verified e-mail; nothing is ever created.
# No SessionRefresh middleware: a portal session lives as long as Django's, an account staff switch off
# loses it on its next request (config/oidc.py's get_user), and re-checks at the provider every few
# minutes would interrupt htmx requests and reporting forms half-filled.
OIDC_ENABLED = False
OIDC_PROVIDER_NAME = ""
OIDC_OP_LOGOUT_ENDPOINT = ""
if env.str("OIDC_RP_CLIENT_ID", default=""):
    from config.oidc_settings import BACKEND as _OIDC_BACKEND
    from config.oidc_settings import OIDCSettingsError, provider_settings

    try:
        _oidc = provider_settings(
            client_id=env.str("OIDC_RP_CLIENT_ID"),
            client_secret=env.str("OIDC_RP_CLIENT_SECRET", default=""),
            discovery_url=env.str("OIDC_OP_DISCOVERY_URL", default=""),
            endpoints={
                name: env.str(name, default="")
                for name in (
                    "OIDC_OP_AUTHORIZATION_ENDPOINT",
                    "OIDC_OP_TOKEN_ENDPOINT",
                    "OIDC_OP_USER_ENDPOINT",
                    "OIDC_OP_JWKS_ENDPOINT",
                )
            },
            logout_endpoint=env.str("OIDC_OP_LOGOUT_ENDPOINT", default=""),
            sign_algo=env.str("OIDC_RP_SIGN_ALGO", default="RS256"),
            scopes=env.str("OIDC_RP_SCOPES", default="openid email"),
            provider_name=env.str("OIDC_PROVIDER_NAME", default=""),
            timeout=env.float("OIDC_TIMEOUT", default=5.0),
            use_pkce=env.bool("OIDC_USE_PKCE", default=True),
        )
    except OIDCSettingsError as exc:
        raise ImproperlyConfigured(str(exc)) from exc
    globals().update(_oidc)
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, _OIDC_BACKEND]

# --- Cache ------------------------------------------------------------------------------------------

# The password-reset limits count here, and the scope dashboard's sums of pre-counted data: production sets
# CACHE_URL (e.g. redis://redis:6379/1) so every process shares them; by default each process has its own.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Language, time and formats ---------------------------------------------------------------------

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
# The compiled catalogue is committed, so no gettext tools are needed to run the portal.
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and uploaded files ----------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence and built reports are private: no MEDIA_URL, they are served by views that check scope.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"base_url": None}},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# Importing roadmaps: the largest real plans run to a few thousand rows; a 50,000-row table still imports,
# and a 200,000-row one is refused after reading 60,000 rows (seconds), not after the whole sheet.
# Cells: filled ones, so wide plans of 60,000 rows × 16 columns fit. Uploads nobody confirms or
# cancels are deleted, file and parsed result, after IMPORT_UPLOAD_HOURS.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=60_000)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=1_000_000)
IMPORT_UPLOAD_HOURS = env.int("IMPORT_UPLOAD_HOURS", default=24)

# «Отчётный период скоро закроется»: coordinators are told this many days before a quarter ends.
PERIOD_CLOSING_NOTICE_DAYS = env.int("PERIOD_CLOSING_NOTICE_DAYS", default=5)
# Public evidence links in exported forms stay valid to the end of the reporting year plus this many years.
EVIDENCE_LINK_YEARS = env.int("EVIDENCE_LINK_YEARS", default=1)

# --- Celery -----------------------------------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker the portal runs tasks in the web process, so one command starts it on a bare machine.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Report runs outlive a killed worker. A build writes a heartbeat at most every REPORT_HEARTBEAT_SECONDS;
# every REPORT_SWEEP_SECONDS the sweeper (reports/services/sweep.py) retries or fails a running run silent
# for REPORT_STALE_SECONDS and a queued run the broker no longer holds after REPORT_QUEUE_GRACE_SECONDS.
# Redis hands an unacknowledged message to another worker after the visibility timeout: longer than the
# stale time, so a redelivery finds its run already given up by a dead worker (a live build is left alone),
# and longer than any retry countdown (retry_backoff_max, 300 s), which Redis would otherwise hand out twice.
REPORT_HEARTBEAT_SECONDS = env.int("REPORT_HEARTBEAT_SECONDS", default=10)
REPORT_STALE_SECONDS = env.int("REPORT_STALE_SECONDS", default=300)
REPORT_QUEUE_GRACE_SECONDS = env.int("REPORT_QUEUE_GRACE_SECONDS", default=120)
REPORT_SWEEP_SECONDS = env.int("REPORT_SWEEP_SECONDS", default=120)
# A build still running after this many seconds is stopped and its run failed with the reason.
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=3600)
# A broker that is down, or accepts and never answers, costs a request BROKER_TIMEOUT seconds per attempt
# (two attempts to send), not the library defaults' 20 s to forever: the run is then failed with a reason.
BROKER_TIMEOUT = env.float("BROKER_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("BROKER_VISIBILITY_TIMEOUT", default=2 * REPORT_STALE_SECONDS),
    "socket_connect_timeout": BROKER_TIMEOUT,
    "socket_timeout": BROKER_TIMEOUT,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = BROKER_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1, "interval_start": 0}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- E-mail -----------------------------------------------------------------------------------------

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Портал дорожных карт <noreply@localhost>")
# Scheduled reports reach recipients without an account as an attachment up to this size, else as a
# signed link valid for REPORT_LINK_DAYS days (mail servers commonly refuse messages past 10-25 MB).
REPORT_ATTACHMENT_MAX_BYTES = env.int("REPORT_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
REPORT_LINK_DAYS = env.int("REPORT_LINK_DAYS", default=30)
# A region's data archive (archives/) is kept this many days after it is built; beat then deletes its file.
ARCHIVE_KEEP_DAYS = env.int("ARCHIVE_KEEP_DAYS", default=7)

# --- Security ---------------------------------------------------------------------------------------

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Scripts only from the portal's own static files (no inline script or handler anywhere). Styles: files
# only for <style> elements, but style="" attributes are allowed — charts, progress bars and the timeline
# carry their widths and colours there (browsers without style-src-elem fall back to the looser rule).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "style-src-elem": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if OIDC_OP_LOGOUT_ENDPOINT:
    from config.oidc_settings import content_security_policy

    CONTENT_SECURITY_POLICY = content_security_policy(
        CONTENT_SECURITY_POLICY, logout_endpoint=OIDC_OP_LOGOUT_ENDPOINT
    )
# Features no page uses are switched off for the pages and for anything they might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "magnetometer",
        "gyroscope",
        "accelerometer",
        "display-capture",
        "browsing-topics",
    )
}
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# --- REST API (api/) -------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        # The portal's own pages (Swagger UI) call the API with the session, CSRF checked.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScopeAllows"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.UpdatedCursorPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=100),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_PER_TOKEN", default="1000/hour"),
        "token_write": env.str("API_WRITE_RATE_PER_TOKEN", default="200/hour"),
    },
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# A personal token lives a year unless its owner chooses otherwise, never more than two.
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=365)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=730)
SPECTACULAR_SETTINGS = {
    "TITLE": "API портала дорожных карт",
    "DESCRIPTION": (
        "Чтение и запись данных портала другими системами. Авторизация — персональный токен"
        " (заголовок `Authorization: Bearer <токен>`), который пользователь создаёт на странице"
        " «API-токены». Каждый ответ содержит только то, что видит владелец токена."
        " Списки — с курсорной пагинацией и параметром `updated_since` для инкрементальной синхронизации;"
        " изменение записи требует заголовка `If-Match` со значением ETag."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoadmapStatusEnum": "roadmaps.models.roadmap.RoadmapStatus",
        "CheckpointStatusEnum": "roadmaps.models.checkpoint.CheckpointStatus",
        "ReportRunStatusEnum": "reports.models.ReportRunStatus",
        "ProjectLevelEnum": "projects.models.ProjectLevel",
        "RoadmapLevelEnum": "roadmaps.models.roadmap.RoadmapLevel",
    },
}

# --- Logging ----------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every layout step at INFO, django-axes every sign-in; only their
    # problems (a lockout among them) are worth a line.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "axes")},
}
