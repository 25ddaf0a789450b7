"""Helpers of the experts' page tests: the address of the profile page, reading the error shown
under a field, and a browser that asks for German."""

import re

from django.conf import settings
from django.urls import reverse

PROFILE = reverse("experts:profile")


def german(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


def field_errors(page: str, name: str) -> str:
    """The error text shown under the field ``name`` (crispy's invalid-feedback)."""
    match = re.search(rf'<p id="error_\d+_id_{re.escape(name)}"><strong>(.*?)</strong>', page)
    return match.group(1) if match else ""
