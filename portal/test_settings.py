"""Settings for the test suite: the real settings with what tests need switched.

CI sets DATABASE_URL (PostgreSQL) and REDIS_URL (Redis); locally without them the suite runs on
SQLite with eager Celery. Tests that need a real worker start one themselves.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from .settings import *  # noqa: E402, F403
from .settings import CACHES, REDIS_URL  # noqa: E402

DEBUG = False
if "devtools" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS.append("devtools")  # noqa: F405
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The real-worker test (tests/portal/test_worker.py) starts a worker with these variables: tasks
# go through Redis on a queue of their own, and the worker writes emails to files.
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH")
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "true") == "true"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", f"portal-test-{os.getpid()}")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
# Each test run gets its own cache namespace so parallel runs do not share rate limits.
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"portal-test-{os.getpid()}"
STATIC_ROOT = None
