"""Emailed one-time links (invitations to a commune, links to take over an expert profile): one
mechanism for all of them.

- The link carries a random secret signed with a timestamp; the database keeps only the sha256
  digest of the secret, so someone who reads the database cannot use a link.
- The signature's age decides whether the link has expired; the salt includes the purpose, so a
  link made for one purpose never opens another.
- Single use is the caller's row: it clears the digest or marks the row used when the link is used,
  and a new link replaces the digest, so the old link finds nothing.
- Only the person the link was sent to may use it: ``check_addressee``.

Every link in an email starts with the configured ``SITE_URL``, never with the host a request
happened to name; the emails call the portal by its configured ``SITE_NAME``.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import User


@dataclass(frozen=True)
class Site:
    """The portal as its emails name it (what allauth's templates call ``current_site``)."""

    name: str
    domain: str


def configured_site() -> Site:
    """The configured name (translated when not configured) and the host of ``SITE_URL``."""
    name = settings.SITE_NAME or _("Experts for Partners")
    return Site(name=name, domain=urlsplit(settings.SITE_URL).netloc)


def on_site(url: str) -> str:
    """The same path, query and fragment under ``SITE_URL``."""
    parts = urlsplit(url)
    return settings.SITE_URL + parts._replace(scheme="", netloc="").geturl()


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"portal.links.{purpose}")


def digest(secret: str) -> str:
    """The sha256 digest (64 hex characters) under which a link's secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def make_link(purpose: str) -> tuple[str, str]:
    """A new link: the signed token for the URL, and the digest to store (never the token)."""
    secret = secrets.token_urlsafe(32)
    return _signer(purpose).sign(secret), digest(secret)


def open_link(purpose: str, signed: str, max_age: timedelta) -> str | None:
    """The digest to look the link up by; None when the signature is wrong (forged, mistyped or
    made for another purpose). Raises a ValidationError when the link has expired."""
    try:
        secret = _signer(purpose).unsign(signed, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired. Please ask the person who sent it to you for a new one."),
            code="expired",
        ) from None
    except signing.BadSignature:
        return None
    return digest(secret)


def is_addressee(user: User, email: str) -> bool:
    """Whether the address is the account's own: its email, or an address it has verified
    (anyone can add an unverified one)."""
    if not email:
        return False
    if user.email.casefold() == email.casefold():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def check_addressee(user: User, email: str) -> None:
    """Raise a ValidationError when the link was sent to another address than the user's."""
    if not is_addressee(user, email):
        raise ValidationError(
            _(
                "This link was sent to another email address than the one of your account "
                "(%(email)s). Please log in with the account of the address the link was sent "
                "to, or ask for the link to be sent to your address."
            )
            % {"email": user.email},
            code="wrong_email",
        )
