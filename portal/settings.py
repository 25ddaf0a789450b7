"""Settings of the Experts for Partners portal, read from the environment (12-factor).

Without any environment the portal runs on the embedded default: a SQLite file in the project
folder, Celery tasks run in-process, a local-memory cache and emails printed to the console.
With ``DEBUG`` off (production), ``SECRET_KEY`` and ``ALLOWED_HOSTS`` must come from the
environment, and the security settings below are switched on.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The embedded default: a developer's machine with no environment at all.
EMBEDDED = env.bool("PORTAL_EMBEDDED", default=not env.str("DATABASE_URL", default=""))

if DEBUG or EMBEDDED:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-embedded-default-never-use-in-production")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment in production."
        ) from error

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if (DEBUG or EMBEDDED) else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where the portal answers, for the links in emails (`make run` sets it to the port it serves on),
# and its name in them; the name is translated into each recipient's language unless configured.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="")

INSTALLED_APPS = [
    "portal",
    "catalogue",
    "partnerships",
    "experts",
    "placements",
    "portal.admin_site.PortalAdminConfig",  # django.contrib.admin with the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "simple_history",
    "import_export",
    "csp",
]
# Demo data, the generator and the benchmarks: on in the embedded mode (and in the tests), off in
# production unless switched on, e.g. to benchmark with production settings.
DEVTOOLS = env.bool("PORTAL_DEVTOOLS", default=DEBUG or EMBEDDED)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the portal's middleware below, which tell the user why they were sent elsewhere.
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.SessionLimitsMiddleware",
    "portal.middleware.UserPreferencesMiddleware",
    "portal.middleware.StaffMFAMiddleware",
    "portal.middleware.NoStoreForPersonalDataMiddleware",
    # Inside the one above: the kept pages of refused forms are no-store like any other.
    "portal.middleware.RefusedFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    }
]
# Django's form renderer, with its simplest widget templates written in Python (the same HTML).
FORM_RENDERER = "portal.form_renderer.PortalFormRenderer"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections in production: opening one costs more than a logged-in page's only
# query (README, "Benchmarks"); a connection is checked before it is reused after an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=0 if (DEBUG or EMBEDDED) else 60
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when given, is the Celery broker and result backend and the shared cache (which the
# login rate limits need to work across processes).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What every page's header and footer show for a language and a menu (base.html's `{% cache %}`
# parts: no form token, nothing of the user but their menu), kept in each process: it changes
# only with a deployment. Not while developing, where templates change under a running server.
CACHES["process"] = {
    "BACKEND": "django.core.cache.backends."
    + ("dummy.DummyCache" if DEBUG else "locmem.LocMemCache"),
    "LOCATION": "process",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks, run by the `beat` service of docker-compose.yml (one beat process only).
CELERY_BEAT_SCHEDULE: dict = {
    # Reminders (mission ends, reports due) are due by the day. Every hour from 06:05 to 20:05
    # UTC, not once a day: the first run sends them in the morning in Europe and Africa, and the
    # later ones catch up whatever a run missed (beat or the workers down, a deployment) on the
    # same day. A run sends only what no run has sent (portal.reminders), so repeating is free;
    # a run still waiting in the queue when the next one is due is dropped (expires).
    "send-reminders": {
        "task": "portal.tasks.send_reminders",
        "schedule": crontab(minute=5, hour="6-20"),
        "options": {"expires": 55 * 60},
    },
    # Portfolio PDFs made in the background are kept PDF_DOCUMENT_HOURS, then deleted (file and
    # row); every hour is often enough, and a missed run only keeps them a little longer.
    "delete-expired-documents": {
        "task": "placements.tasks.delete_expired_documents",
        "schedule": crontab(minute=35),
        "options": {"expires": 55 * 60},
    },
}

# PDFs (portal/pdf.py). A render on request stops after PDF_RENDER_SECONDS; a portfolio of more
# than PDF_PORTFOLIO_ON_REQUEST missions is made by a Celery task, which stops after
# PDF_TASK_SECONDS; a portfolio holds at most PDF_PORTFOLIO_MAX missions. The task's file is
# kept PDF_DOCUMENT_HOURS for the person who asked.
PDF_RENDER_SECONDS = env.int("PDF_RENDER_SECONDS", default=20)
PDF_TASK_SECONDS = env.int("PDF_TASK_SECONDS", default=300)
PDF_PORTFOLIO_ON_REQUEST = env.int("PDF_PORTFOLIO_ON_REQUEST", default=40)
PDF_PORTFOLIO_MAX = env.int("PDF_PORTFOLIO_MAX", default=2000)
PDF_DOCUMENT_HOURS = env.int("PDF_DOCUMENT_HOURS", default=24)

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, reading a logged-in request's user from the cache.
    "portal.auth_backends.ModelBackend",
    "portal.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth 65
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# The name, and for commune staff the commune they ask to join (partnerships adds that question).
ACCOUNT_SIGNUP_FORM_CLASS = "partnerships.contributions.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME or 'Experts for Partners'}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if (DEBUG or EMBEDDED) else "https"
ACCOUNT_RATE_LIMITS = {
    # Failed logins per address (and per IP); the login view answers 429 once exceeded.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Experts for Partners"
# A code typed in the last seconds of its 30-second window reaches the server in the next one:
# accept the neighbouring window (RFC 6238, 5.2, recommends one step for such delays). Each code
# still works only once (allauth marks it used for the whole tolerated span).
MFA_TOTP_TOLERANCE = 1
# allauth's middleware would write each session's activity on every request; the portal's
# SessionLimitsMiddleware records it at most once a minute instead (SESSION_ACTIVITY_INTERVAL).
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions: idle timeout and an absolute limit, both shorter for staff (portal.middleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60)
# Sessions are read from the cache (Redis in production) with the database behind it, and
# written only when they change: the time last seen at most once a minute (portal.middleware).
SESSION_ENGINE = "portal.sessions"  # cached_db, reading the session's cached user with it
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ACTIVITY_INTERVAL = timedelta(seconds=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_LIMITS = {
    "staff": timedelta(seconds=env.int("STAFF_SESSION_IDLE_SECONDS", default=30 * 60)),
    "user": timedelta(seconds=env.int("SESSION_IDLE_SECONDS", default=60 * 60)),
}
SESSION_ABSOLUTE_LIMITS = {
    "staff": timedelta(hours=env.int("STAFF_SESSION_MAX_HOURS", default=8)),
    "user": timedelta(hours=env.int("SESSION_MAX_HOURS", default=24)),
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English pages use British dates and 24-hour times (portal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Shown when a user has not chosen a zone: the programme's office.
DEFAULT_USER_TIME_ZONE = "Europe/Berlin"

STATIC_URL = "/static/"
# collectstatic fills this in production; the embedded default serves from the sources.
STATIC_ROOT = None if (DEBUG or EMBEDDED) else BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads never live under a public URL: they are served by views that check the user's right.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
# Never routed: uploads are served only by views that check access.
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or EMBEDDED)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic (embedded default), whitenoise serves straight from the sources.
WHITENOISE_USE_FINDERS = DEBUG or EMBEDDED
# Files that browsers ask for at the site's root, e.g. /favicon.ico.
WHITENOISE_ROOT = BASE_DIR / "webroot"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Experts for Partners <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write when they need the programme team's help (a commune missing from the list,
# a refused request): shown on the pages that need it, in the footer and in the emails.
PROGRAMME_CONTACT_EMAIL = env.str(
    "PROGRAMME_CONTACT_EMAIL", default="experts-for-partners@localhost"
)

# Security headers, on in every mode; the transport-level ones only in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The MFA set-up page shows its QR code as a data: URI.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not (DEBUG or EMBEDDED):
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

# Logs carry no request bodies, passwords or email addresses: only what Django logs by default
# (method, path, status), with query strings removed because reset links carry tokens in them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "portal.logfilters.ScrubFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        # WeasyPrint and fontTools narrate every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # runserver's "Watching for file changes", between `make run`'s address and logins.
        "django.utils.autoreload": {"level": "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run in-process: a line per task ("Task … succeeded") would fill the web process's
    # log, e.g. a dozen among `make run`'s demo logins. A worker's log keeps them.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}

# django-import-export: each import runs in one transaction (a file with a bad row writes
# nothing), importing needs the "add" permission of the model and exporting its "view".
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
