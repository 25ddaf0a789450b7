"""Emailed one-time links: a signed random secret in the URL, only its digest in the database,
expiry from the signature, and one check that the person opening it is the addressee."""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import translation

from portal import links
from tests.conftest import make_user

DAY = timedelta(days=1)


def test_a_link_is_a_signed_token_and_only_the_digest_of_its_secret_is_stored():
    signed, stored = links.make_link("test")

    secret = signing.TimestampSigner(salt="portal.links.test").unsign(signed)
    assert len(stored) == 64
    assert stored == links.digest(secret)
    assert stored not in signed
    assert secret not in stored


def test_every_link_is_new():
    assert links.make_link("test") != links.make_link("test")


def test_opening_a_link_gives_the_digest_to_look_it_up_by():
    signed, stored = links.make_link("test")

    assert links.open_link("test", signed, max_age=DAY) == stored


@pytest.mark.parametrize("signed", ["", "made-up", "abc:def:ghi"])
def test_a_forged_link_opens_nothing(signed):
    assert links.open_link("test", signed, max_age=DAY) is None


def test_a_tampered_link_opens_nothing():
    signed, _stored = links.make_link("test")
    other = "A" if signed[0] != "A" else "B"

    assert links.open_link("test", other + signed[1:], max_age=DAY) is None


def test_a_link_made_for_one_purpose_does_not_open_another():
    signed, _stored = links.make_link("invitation")

    assert links.open_link("claim", signed, max_age=DAY) is None


def test_an_expired_link_is_refused_with_a_message_that_says_so(monkeypatch):
    signed, _stored = links.make_link("test")
    later = time.time() + (DAY + timedelta(seconds=5)).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)

    with pytest.raises(ValidationError) as refused:
        links.open_link("test", signed, max_age=DAY)

    assert refused.value.code == "expired"
    assert "This link has expired." in refused.value.messages[0]


def test_the_account_email_is_the_addressee_whatever_the_case(db):
    nora = make_user("Nora@Example.org")

    assert links.is_addressee(nora, "nora@example.ORG")
    links.check_addressee(nora, "nora@example.org")


def test_a_verified_second_address_is_the_addressee(db):
    nora = make_user("nora.private@example.org")
    EmailAddress.objects.create(user=nora, email="Nora@Example.org", verified=True)

    assert links.is_addressee(nora, "nora@example.org")


def test_an_unverified_second_address_is_not_the_addressee(db):
    mallory = make_user("mallory@example.org")
    EmailAddress.objects.create(user=mallory, email="nora@example.org", verified=False)

    assert not links.is_addressee(mallory, "nora@example.org")


def test_someone_else_is_told_the_link_was_sent_to_another_address(bob):
    with pytest.raises(ValidationError) as refused:
        links.check_addressee(bob, "nora@example.org")

    assert refused.value.code == "wrong_email"
    assert "This link was sent to another email address" in refused.value.messages[0]
    assert "bob@example.org" in refused.value.messages[0]
    assert "nora@example.org" not in refused.value.messages[0]


def test_a_link_sent_to_no_address_has_no_addressee(db):
    nobody = make_user("nobody@example.org")
    nobody.email = ""

    assert not links.is_addressee(nobody, "")


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("fr", "Ce lien a été envoyé à une autre adresse"),
        ("de", "Dieser Link wurde an eine andere E-Mail-Adresse"),
        ("es", "Este enlace se envió a una dirección"),
    ],
)
def test_the_addressee_message_is_translated(bob, language, start):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        links.check_addressee(bob, "nora@example.org")

    assert refused.value.messages[0].startswith(start)


@pytest.mark.parametrize(
    ("language", "start"),
    [("fr", "Ce lien a expiré."), ("de", "Dieser Link ist abgelaufen."), ("es", "Este enlace")],
)
def test_the_expired_message_is_translated(monkeypatch, language, start):
    signed, _stored = links.make_link("test")
    later = time.time() + (DAY + timedelta(seconds=5)).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)

    with translation.override(language), pytest.raises(ValidationError) as refused:
        links.open_link("test", signed, max_age=DAY)

    assert refused.value.messages[0].startswith(start)
