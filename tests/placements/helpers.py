"""Helpers of the placements tests: the table of the workflow's transitions (the states to walk
through to reach each one, who may trigger it), trying a transition and checking that a refused one
left the case as it was, the addressees of the mails sent, and a browser logged in as a user."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from catalogue.models import DeploymentType
from partnerships.models import ExpressionOfInterest
from placements import workflow
from placements.models import Case, CaseEvent
from portal import roles

from .factories import advance, prepare

S = Case.State
Code = DeploymentType.Code
EOIStatus = ExpressionOfInterest.Status
PREFIX = "[Experts for Partners] "

# For each transition: the states to walk through to reach a state it starts from, the state it
# leads to and that state's stage.
ALLOWED = {
    "request_information": ([S.SUBMITTED], S.INFO_REQUESTED, "request"),
    "resubmit": ([S.INFO_REQUESTED], S.SUBMITTED, "request"),
    "start_eligibility_check": ([S.SUBMITTED], S.ELIGIBILITY_CHECK, "request"),
    "confirm_eligibility": ([S.ELIGIBILITY_CHECK], S.APPRAISAL, "request"),
    "agree_profile": ([S.APPRAISAL], S.PROFILE_AGREED, "request"),
    "approve": ([S.PROFILE_AGREED], S.APPROVED, "request"),
    "decline": ([S.APPRAISAL], S.DECLINED, "request"),
    "withdraw": ([S.ELIGIBILITY_CHECK], S.WITHDRAWN, "request"),
    "put_on_hold": ([S.APPRAISAL], S.ON_HOLD, "request"),
    "resume": ([S.APPRAISAL, S.ON_HOLD], S.APPRAISAL, "request"),
    "draft_vacancy": ([S.APPROVED], S.VACANCY_DRAFTED, "recruitment"),
    "publish_vacancy": ([S.VACANCY_DRAFTED], S.PUBLISHED, "recruitment"),
    "start_screening": ([S.PUBLISHED], S.SCREENING, "recruitment"),
    "send_shortlist": ([S.SCREENING], S.SHORTLIST_SENT, "recruitment"),
    "select_candidate": ([S.SHORTLIST_SENT], S.CANDIDATE_SELECTED, "recruitment"),
    "start_contracting": ([S.CANDIDATE_SELECTED], S.CONTRACTING, "recruitment"),
    "prepare_departure": ([S.CONTRACTING], S.PREPARING_DEPARTURE, "recruitment"),
    "recruitment_failed": ([S.CONTRACTING], S.PUBLISHED, "recruitment"),
    "start_mission": ([S.PREPARING_DEPARTURE], S.ACTIVE, "mission"),
    "request_extension": ([S.ACTIVE], S.EXTENSION_REQUESTED, "mission"),
    "grant_extension": ([S.EXTENSION_REQUESTED], S.ACTIVE, "mission"),
    "refuse_extension": ([S.EXTENSION_REQUESTED], S.ACTIVE, "mission"),
    "begin_closing": ([S.ACTIVE], S.CLOSING, "mission"),
    "terminate_early": ([S.EXTENSION_REQUESTED], S.CLOSING, "mission"),
    "close": ([S.CLOSING], S.CLOSED, "mission"),
}
ALL = sorted(workflow.TRANSITIONS)
# Only the communes: resubmitting and withdrawing their request.
BY_APPLICANTS = sorted(n for n, t in workflow.TRANSITIONS.items() if t.roles == workflow.APPLICANTS)
BY_STAFF = sorted(set(ALL) - set(BY_APPLICANTS))
# Staff, or the communes themselves (the host commune chooses its candidate).
ALSO_BY_COMMUNES = sorted(
    n for n in BY_STAFF if workflow.TRANSITIONS[n].roles & workflow.APPLICANTS
)
SKEW_ONLY = sorted(n for n, t in workflow.TRANSITIONS.items() if t.roles == {roles.SKEW})
GIZ_TOO = sorted(n for n, t in workflow.TRANSITIONS.items() if roles.GIZ in t.roles)
WITH_REASON = sorted(n for n, t in workflow.TRANSITIONS.items() if t.reason_required)


def reach(case, name, *, by):
    """Walk the case to a state from which ``name`` can start and fill in what its guards need."""
    for state in ALLOWED[name][0]:
        case = advance(case, state, by=by)
    return prepare(case, name, by=by)


def attempt(case, name, *, by, reason=None, data=None):
    """Try a transition with a reason where it needs one and six months for an extension."""
    t = workflow.TRANSITIONS.get(name)
    if reason is None:
        reason = "Because of the council's decision." if t and t.reason_required else ""
    return workflow.transition(
        case=case, name=name, by=by, reason=reason, data={"months": 6} if data is None else data
    )


def refused(exception, case, name, *, by, **kwargs):
    """Try a transition that must be refused; check that the case and its timeline stayed as
    they were, and return the error."""
    before = Case.objects.get(pk=case.pk)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(exception) as refusal:
        attempt(case, name, by=by, **kwargs)
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.stage, after.state_changed_at) == (
        before.state,
        before.stage,
        before.state_changed_at,
    )
    assert CaseEvent.objects.filter(case=case).count() == events
    return refusal.value


def guard_messages(case, name, *, by):
    error = refused(ValidationError, case, name, by=by)
    assert {e.code for e in error.error_list} == {"guard"}
    return error.messages


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def logged_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser
