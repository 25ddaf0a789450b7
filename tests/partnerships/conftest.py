"""The partnerships app's cast: Leipzig (alice) and its partner Kpalimé (pierre, who reads French),
and an unrelated pair of communes of which bob is a member."""

import pytest
from django.test import Client

from tests.conftest import make_user

from .factories import CommuneFactory, EOIFactory, MembershipFactory, PartnershipFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def client_of(db):
    """A browser of its own, logged in as the given user."""

    def log_in(user):
        browser = Client()
        browser.force_login(user)
        return browser

    return log_in


@pytest.fixture
def alice_client(client_of, alice):
    return client_of(alice)


@pytest.fixture
def pierre_client(client_of, pierre):
    return client_of(pierre)


@pytest.fixture
def german(alice):
    commune = CommuneFactory(name="Leipzig", country="DE", region="Sachsen")
    MembershipFactory(commune=commune, user=alice)
    return commune


@pytest.fixture
def pierre(db):
    """Member of the partner commune; reads the portal and his emails in French."""
    return make_user("pierre@example.org", name="Pierre Agbeko", language="fr")


@pytest.fixture
def partner(pierre):
    commune = CommuneFactory(name="Kpalimé", abroad=True)
    MembershipFactory(commune=commune, user=pierre)
    return commune


@pytest.fixture
def partnership(german, partner):
    return PartnershipFactory(name="Leipzig – Kpalimé", german_commune=german, partner=partner)


@pytest.fixture
def other(bob):
    """Bob's communes: Bonn and Cape Coast, in a partnership of their own."""
    bonn = CommuneFactory(name="Bonn", region="Nordrhein-Westfalen")
    cape_coast = CommuneFactory(name="Cape Coast", country="GH", region="Central Region")
    MembershipFactory(commune=bonn, user=bob)
    return PartnershipFactory(name="Bonn – Cape Coast", german_commune=bonn, partner=cape_coast)


@pytest.fixture
def complete_eoi(alice, partnership):
    """A draft started by alice for Leipzig, complete and ready to be confirmed."""
    return EOIFactory(
        partnership=partnership, created_by=alice, title="Waste management in Kpalimé"
    )
