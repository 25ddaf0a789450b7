"""`make run`'s demo data: one login per role, hand-made requests and generated experts; running
it again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from experts.models import ExpertProfile
from partnerships.models import ExpressionOfInterest
from portal import roles
from portal.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_login_per_role_and_can_be_seeded_twice():
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    counts = (
        User.objects.count(),
        ExpressionOfInterest.objects.count(),
        ExpertProfile.objects.count(),
    )
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert User.objects.get(email="admin@demo.example").is_superuser
    assert ExpertProfile.objects.count() >= 300
    assert "demo-portal-2026" in out.getvalue()
    call_command("seed_demo", force=True, stdout=StringIO())
    assert (
        User.objects.count(),
        ExpressionOfInterest.objects.count(),
        ExpertProfile.objects.count(),
    ) == counts
