import pytest
from placements.models import Case
from .factories import advance


def test_walk(case, sam):
    c = advance(case, "closed", by=sam)
    assert c.state == "closed"
    print([(e.transition, e.from_state, e.to_state) for e in c.events.all()])


def test_refresh_bug(case, sam):
    advance(case, "eligibility_check", by=sam)
    case.refresh_from_db()
    case.tasks = "x"
    case.save()


def test_stale_bug(case, sam):
    advance(case, "eligibility_check", by=sam)
    case.tasks = "x"
    case.save()
    assert Case.objects.get(pk=case.pk).state == "eligibility_check"
