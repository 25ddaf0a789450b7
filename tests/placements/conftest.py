"""The placements app's cast: Leipzig (alice) and its partner Kpalimé in Togo (pierre) with a case
opened from their expression of interest; sam and sven work for SKEW, gina for GIZ; cora
coordinates and fiona does the finances, both read-only; root is the superuser, and staff holds
every staff role with a second factor."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from portal import roles
from tests.conftest import TOTP_SECRET, make_user
from tests.partnerships.factories import CommuneFactory, MembershipFactory, PartnershipFactory

from .factories import CaseFactory


@pytest.fixture
def sven(db):
    """A second SKEW colleague."""
    return make_user("sven@example.org", role=roles.SKEW, staff=True, name="Sven Seidel")


@pytest.fixture
def cora(db):
    """Coordinator: sees everything, moves nothing."""
    return make_user("cora@example.org", role=roles.COORDINATOR, staff=True, name="Cora Conrad")


@pytest.fixture
def fiona(db):
    """Finance: sees everything, moves nothing."""
    return make_user("fiona@example.org", role=roles.FINANCE, staff=True, name="Fiona Fink")


@pytest.fixture
def root(db):
    """The superuser, with two-factor authentication."""
    return make_user("root@example.org", staff=True, superuser=True, mfa=True, name="Root")


@pytest.fixture
def staff(sam, gina, cora, fiona, root):
    """Every staff role, each with a second factor (gina and cora have none by default)."""
    for user in (gina, cora, fiona):
        TOTP.activate(user, TOTP_SECRET)
    return {"skew": sam, "giz": gina, "coordinator": cora, "finance": fiona, "superuser": root}


@pytest.fixture
def pierre(db):
    """Member of the partner commune; reads his emails in French."""
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
def case(partnership):
    """Leipzig's and Kpalimé's request, just submitted."""
    return CaseFactory(partnership=partnership, title="Waste management in Kpalimé")
