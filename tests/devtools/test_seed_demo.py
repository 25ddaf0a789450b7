"""`make run`'s demo data: one login per role, hand-made requests and generated experts; running
it again adds nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from experts.models import ExpertProfile
from partnerships.models import ExpressionOfInterest
from placements.models import Mission
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


def test_the_demo_expert_has_an_active_mission_with_a_report_due():
    call_command("seed_demo", force=True, stdout=StringIO())

    expert = User.objects.get(email="expert@demo.example")
    mission = Mission.objects.get(expert__user=expert)
    assert mission.case.state == "active"
    first = mission.reports.order_by("number").first()
    # About ten days ahead (month lengths move it by a day or two).
    today = timezone.localdate()
    assert today < first.due_date <= today + timedelta(days=14)
    assert mission.objectives.count() == 2
    browser = Client()
    browser.force_login(expert)
    page = browser.get(mission.get_absolute_url()).content.decode()
    assert "Reports due" in page
