"""Production settings plus one URL: the bare view `manage.py benchmark` compares every page to.

Used only by the gunicorn that the benchmark starts (DJANGO_SETTINGS_MODULE); everything else,
middleware included, is the production configuration of portal.settings.
"""

from portal.settings import *  # noqa: F403
from portal.settings import INSTALLED_APPS

ROOT_URLCONF = "devtools.bench_urls"
if "devtools" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
