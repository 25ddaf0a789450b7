"""The experts app's cast: erin the expert with her profile, frank another expert, and the
Leipzig – Kpalimé partnership whose case has a vacancy with erin on the shortlist sent to
Kpalimé, where pierre works; alice works for Leipzig, bob for Bonn; sam is programme staff."""

import pytest
from django.test import Client
from django.utils import translation

from catalogue.models import Theme
from catalogue.reference import load_reference_data
from portal import roles
from tests.conftest import make_user
from tests.partnerships.factories import CommuneFactory, MembershipFactory, PartnershipFactory

from .factories import ExpertProfileFactory, shortlist


@pytest.fixture(autouse=True)
def reference_data(request):
    """Themes, deployment models and country rules, even after a browser test has emptied the
    database: pytest-playwright's session parameter reorders the tests, so that transactional
    tests no longer all run last as pytest-django would have them."""
    if "db" not in request.fixturenames or request.node.get_closest_marker("browser"):
        return
    request.getfixturevalue("db")
    if not Theme.objects.exists():
        load_reference_data()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def default_language():
    """Leave no language active after a test (emails and PDFs render without a request)."""
    yield
    translation.deactivate()


@pytest.fixture
def client_of(db):
    """A browser of its own, logged in as the given user."""

    def log_in(user):
        browser = Client()
        browser.force_login(user)
        return browser

    return log_in


@pytest.fixture
def profile(erin):
    """Erin's profile, with nothing filled in yet but her name."""
    return ExpertProfileFactory(user=erin, full_name="Erin Eriksen", email=erin.email)


@pytest.fixture
def frank(db):
    """Another expert, with a profile of his own."""
    user = make_user("frank@example.org", role=roles.EXPERT, name="Frank Fischer")
    ExpertProfileFactory(user=user, full_name="Frank Fischer", email=user.email)
    return user


@pytest.fixture
def pierre(db):
    """Member of the host commune Kpalimé; reads the portal in French."""
    return make_user("pierre@example.org", name="Pierre Agbeko", language="fr")


@pytest.fixture
def german(alice):
    commune = CommuneFactory(name="Leipzig", country="DE", region="Sachsen")
    MembershipFactory(commune=commune, user=alice)
    return commune


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
    """Bob's commune Bonn, in a partnership with Cape Coast."""
    bonn = CommuneFactory(name="Bonn", region="Nordrhein-Westfalen")
    cape_coast = CommuneFactory(name="Cape Coast", country="GH", region="Central Region")
    MembershipFactory(commune=bonn, user=bob)
    return PartnershipFactory(name="Bonn – Cape Coast", german_commune=bonn, partner=cape_coast)


@pytest.fixture
def application(profile, partnership, alice):
    """Erin's application, shortlisted and shared with Kpalimé."""
    return shortlist(profile, partnership=partnership, created_by=alice)
