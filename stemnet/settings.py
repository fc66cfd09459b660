"""Settings for the STEM-academy portal, driven by environment variables.

DEBUG is off unless DEBUG=true is set (`./dev.sh run` sets it): a missing variable in
production never gives debug mode or the development key. Without DATABASE_URL / REDIS_URL
this uses SQLite, Kombu's filesystem broker and the database cache (no server needed).
Production sets DATABASE_URL, REDIS_URL, SECRET_KEY and ALLOWED_HOSTS; `manage.py check
--deploy` must then report nothing. Importing the settings creates no folders: `./dev.sh run`
creates `var/` and the Celery app creates the filesystem broker's folders.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STEMNET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for local development: DEBUG is on, so this never reaches production.
    SECRET_KEY = "dev-insecure-only-for-local-runs"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "csp",
    "stemnet",
    "academies",
    "subsidies",
    "partnerships",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "stemnet.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stemnet.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "stemnet.input_middleware.ControlCharacterMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "stemnet.middleware.SessionMFAMiddleware",
    "stemnet.not_found.FriendlyNotFoundMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "stemnet.wsgi.application"

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
                "stemnet.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is only the zero-setup default, shared by the web server and the run command's
    # worker (two processes writing). WAL lets readers go on while one writes; IMMEDIATE
    # takes the write lock when a transaction begins, so a writer waits (up to the busy
    # timeout) instead of failing with "database is locked" when it upgrades a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Cache: shared by every process (login rate limits count across gunicorn workers) -------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "stemnet",
        }
    }
else:
    # The zero-setup default: a table in the database (`manage.py createcachetable`, run by
    # `./dev.sh run` and docker-compose's migrate service; the test database gets it too).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "stemnet_cache",
        }
    }

# --- Internationalisation: Dutch (Belgium) first, English available ---------------------
LANGUAGE_CODE = "nl-be"
# Each language in its own name, whatever language the page is in.
LANGUAGES = [("nl-be", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# Uploaded attachments and generated letters are private: never served by URL, only
# through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Locally static files come straight from the apps' folders; production serves the
# collected, compressed and hashed files.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Every export neutralises formulas (stemnet.exports); import-export's own exports too.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- Accounts (django-allauth) -------------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[STEM-academies] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "stemnet.accounts.AccountAdapter"
ACCOUNT_FORMS = {"signup": "stemnet.accounts.SignupForm"}
# Failed logins count per client IP (any account) and per account *from that IP*
# (stemnet.accounts.AccountAdapter): a stranger who guesses a known address from elsewhere
# locks only themselves out, never the account's owner.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,30/h/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip,100/h/ip",
}
# Behind N reverse proxies allauth takes the client IP from X-Forwarded-For; with none
# (gunicorn facing clients) it uses REMOTE_ADDR and ignores the header, which anyone can set.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "STEM-academies Vlaanderen"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "STEM-academies <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where e-mails sent outside a request (services, tasks) point their links to.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = (
    os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "filesystem://"
)
if CELERY_BROKER_URL == "filesystem://":
    # A broker that needs no server: web and worker exchange messages through folders.
    # stemnet.celery creates these folders when the app is configured (not at import here).
    _queue_dir = VAR_DIR / "celery" / "queue"
    # Kombu's filesystem transport, with message files written whole (stemnet/broker.py).
    CELERY_BROKER_TRANSPORT = "stemnet.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        # Exchange bindings; Kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True  # progress and outcomes live in the database
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE: dict = {
    # Export files are kept for EXPORT_RETENTION_HOURS, then deleted (the status row stays).
    "purge-expired-exports": {"task": "reporting.tasks.purge_expired_exports", "schedule": 3600},
    # Reminders 60 and 14 days before a recognition lapses (idempotent per day).
    "recognition-reminders": {
        "task": "academies.tasks.send_recognition_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    # In a half-year's first two weeks: the academies hear once that the period is open.
    "period-opened": {
        "task": "academies.tasks.announce_open_period",
        "schedule": crontab(hour=6, minute=30),
    },
    # Yesterday's digest for every user who chose one (one e-mail per user per day).
    "daily-digest": {
        "task": "stemnet.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Erase the participants and attendance of years past the retention period set by staff
    # (the figures of those years are kept first; a year is erased once).
    "children-data-retention": {
        "task": "reporting.tasks.erase_expired_children_data",
        "schedule": crontab(hour=3, minute=0),
    },
}

# --- Reporting ----------------------------------------------------------------------------
EXPORT_RETENTION_HOURS = int(os.environ.get("EXPORT_RETENTION_HOURS", "72"))
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))
# A running calculation's worker writes a heartbeat this often; a run whose heartbeat is
# older than the timeout (or, on PostgreSQL, whose advisory lock is free) was interrupted.
# Letters count as interrupted when none was rendered or failed for that long.
SUBSIDY_HEARTBEAT_SECONDS = int(os.environ.get("SUBSIDY_HEARTBEAT_SECONDS", "5"))
SUBSIDY_HEARTBEAT_TIMEOUT = int(os.environ.get("SUBSIDY_HEARTBEAT_TIMEOUT", "60"))

# --- Security (production) ----------------------------------------------------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only our own scripts and styles, no inline code.
# img-src allows data: for the TOTP QR code allauth renders as an inline SVG image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Browser features the portal never uses (stemnet.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Staff are the members of this group; they must use MFA before reaching staff pages.
STAFF_GROUP_NAME = "VLAIO-medewerkers"
