"""What the case models themselves hold: the state moves only through the workflow, the database
knows the allowed states, the timeline is written once, and only programme staff see cases."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import translation

from placements.models import STAGE_OF_STATE, Case, CaseEvent, MissionReport
from placements.selectors import cases_visible_to

from .factories import CaseFactory, advance

S = Case.State


def test_every_state_belongs_to_one_stage():
    assert set(STAGE_OF_STATE) == set(S.values)
    assert set(STAGE_OF_STATE.values()) == set(Case.Stage.values)


@pytest.mark.parametrize("update_fields", [None, ["state"]])
def test_a_case_state_cannot_be_changed_by_saving_it_outside_the_workflow(update_fields, case):
    case.state = S.APPROVED

    with pytest.raises(ValueError, match="only through placements.workflow"):
        case.save(update_fields=update_fields)

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.events.count()) == (S.SUBMITTED, 1)


def test_other_fields_of_a_case_are_saved_as_usual(case):
    case.tasks = "Advise the technical department."

    case.save()

    assert Case.objects.get(pk=case.pk).tasks == "Advise the technical department."


def test_a_copy_read_before_a_transition_does_not_write_its_old_state_back(case, sam):
    stale = Case.objects.get(pk=case.pk)
    advance(case, S.APPRAISAL, by=sam)

    stale.tasks = "Advise the technical department."
    stale.save()

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.stage) == (S.APPRAISAL, Case.Stage.REQUEST)
    assert case.tasks == "Advise the technical department."


def test_a_case_refreshed_after_a_transition_can_be_saved(case, sam):
    advance(case, S.ELIGIBILITY_CHECK, by=sam)
    case.refresh_from_db()

    case.objectives = "Collection in every district."
    case.save()

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.objectives) == (S.ELIGIBILITY_CHECK, "Collection in every district.")


@pytest.mark.parametrize(
    "change", [{"state": "nonsense"}, {"stage": "nonsense"}, {"duration_months": 0}]
)
def test_the_database_refuses_an_unknown_state_or_stage(change, case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**change)

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.stage, case.duration_months) == (S.SUBMITTED, "request", 24)


def test_a_case_event_cannot_be_changed_once_written(case):
    event = case.events.get()
    event.reason = "Rewritten history."

    with pytest.raises(ValueError, match="cannot be changed"):
        event.save()

    assert CaseEvent.objects.get(pk=event.pk).reason == ""


def test_programme_staff_see_every_case(case, sam, gina, cora, fiona):
    other = CaseFactory()

    for user in (sam, gina, cora, fiona):
        assert set(cases_visible_to(user)) == {case, other}


def test_applicants_experts_and_visitors_see_no_case_not_even_their_own(case, alice, pierre, erin):
    for user in (alice, pierre, erin, AnonymousUser()):
        assert not cases_visible_to(user).exists()


def test_open_cases_are_those_not_in_a_final_state(case, sam):
    declined = advance(CaseFactory(), S.DECLINED, by=sam)
    withdrawn = advance(CaseFactory(), S.WITHDRAWN, by=sam)

    assert list(Case.objects.open()) == [case]
    assert set(Case.objects.exclude(pk=case.pk)) == {declined, withdrawn}


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
def test_the_labels_of_states_and_reports_are_those_django_gives(language):
    """The timeline's and the reports' labels are looked up without translating every choice,
    and read the same as Django's `get_FOO_display` (a value that is no choice as it is)."""
    fields = [
        (CaseEvent, "to_state", [*S.values, ""]),
        (CaseEvent, "from_state", [*S.values, ""]),
        (MissionReport, "status", MissionReport.Status.values),
        (MissionReport, "kind", MissionReport.Kind.values),
    ]
    with translation.override(language):
        for model, name, values in fields:
            field = model._meta.get_field(name)
            for value in [*values, "unknown"]:
                row = model(**{name: value})
                shown = getattr(row, f"get_{name}_display")()
                assert shown == Model._get_FIELD_display(row, field), (name, value)
