"""The admin as the staff workplace: the case page's transition buttons and the matching page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.models import Application, Case, CaseNote
from tests.conftest import TOTP_SECRET
from tests.placements.factories import ExpertProfileFactory, advance

pytestmark = pytest.mark.django_db


def test_the_case_page_offers_exactly_the_transitions_this_role_may_take(client, case, sam, cora):
    url = reverse("admin:placements_case_change", args=[case.pk])
    client.force_login(sam)
    page = client.get(url).content.decode()
    assert "Start the eligibility check" in page
    assert "Approve" not in page
    # The coordinator reads but moves nothing.
    TOTP.activate(cora, TOTP_SECRET)
    client.force_login(cora)
    page = client.get(url).content.decode()
    assert "There is no action you can take on this case now." in page


def test_a_transition_button_moves_the_case_and_a_stale_one_is_refused(client, case, sam):
    client.force_login(sam)
    url = reverse("admin:placements_case_transition", args=[case.pk])
    data = {"transition": "start_eligibility_check", "expected_state": "submitted"}
    client.post(url, data)
    assert Case.objects.get(pk=case.pk).state == Case.State.ELIGIBILITY_CHECK
    response = client.post(url, data, follow=True)
    assert "is not possible while the case is" in response.content.decode() or (
        "Someone else has just changed this case" in response.content.decode()
    )
    assert case.events.count() == 2  # submit and one check, not two


def test_a_reason_is_required_where_the_table_says_so(client, case, sam):
    client.force_login(sam)
    url = reverse("admin:placements_case_transition", args=[case.pk])
    client.post(url, {"transition": "decline", "expected_state": "submitted", "reason": ""})
    assert Case.objects.get(pk=case.pk).state == Case.State.SUBMITTED


def test_internal_notes_are_never_shown_to_the_communes(client, case, sam, alice):

    CaseNote.objects.create(case=case, author=sam, body="Mayor is hard to reach.")
    client.force_login(alice)
    page = client.get(case.eoi.get_absolute_url()).content.decode()
    assert "Mayor is hard to reach." not in page


def test_staff_rank_shortlist_and_note_candidates_on_the_matching_page(client, case, sam):
    case = advance(case, Case.State.SCREENING, by=sam)
    eva = ExpertProfileFactory(full_name="Eva Schmidt", nationalities=["DE"])
    kofi = ExpertProfileFactory(full_name="Kofi Mensah", nationalities=["TG"])
    client.force_login(sam)
    url = reverse("admin:placements_case_matching", args=[case.pk])
    page = client.get(url).content.decode()
    assert page.index("Eva Schmidt") < page.index("Not eligible") < page.index("Kofi Mensah")
    act = reverse("admin:placements_case_matching_action", args=[case.pk])
    client.post(act, {"expert": eva.pk, "action": "shortlist"})
    client.post(
        act,
        {
            "expert": eva.pk,
            "action": "notes",
            "screening_notes": "Strong CV.",
            "interview_notes": "",
        },
    )
    application = Application.objects.get(expert=eva)
    assert application.status == Application.Status.SHORTLISTED
    assert application.proposed_by_staff and application.screening_notes == "Strong CV."
    client.post(act, {"expert": eva.pk, "action": "select", "confirm": "on"})
    assert Case.objects.get(pk=case.pk).selected_expert == eva
    assert kofi.pk not in Application.objects.values_list("expert", flat=True)


def test_the_matching_page_lists_the_best_20_and_more_on_request(client, case, sam):
    case = advance(case, Case.State.SCREENING, by=sam)
    experts = [
        ExpertProfileFactory(full_name=f"Expert {n:02d}", years_municipal_experience=n)
        for n in range(25)
    ]
    ExpertProfileFactory(full_name="Kofi Mensah", nationalities=["TG"])
    client.force_login(sam)
    url = reverse("admin:placements_case_matching", args=[case.pk])

    page = client.get(url, {"skill": "", "apart": "10"}).content.decode()

    # The most experienced first; the 20th is Expert 05.
    assert "Expert 05" in page and "Expert 04" not in page and "Kofi Mensah" in page
    more = f'href="?skill=&amp;apart=10&amp;shown=40#expert-{experts[5].pk}"'
    assert more in page and "Show more candidates" in page
    assert "Show more ineligible experts" not in page

    page = client.get(url, {"shown": "40"}).content.decode()
    assert "Expert 00" in page and "Show more candidates" not in page


@pytest.mark.parametrize("who", ["alice", "erin"])
def test_people_outside_the_programme_cannot_open_the_admin_pages_of_a_case(
    client, case, who, alice, erin
):
    client.force_login({"alice": alice, "erin": erin}[who])
    for url in (
        reverse("admin:placements_case_change", args=[case.pk]),
        reverse("admin:placements_case_matching", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
    client.post(
        reverse("admin:placements_case_transition", args=[case.pk]),
        {"transition": "start_eligibility_check", "expected_state": "submitted"},
    )
    assert Case.objects.get(pk=case.pk).state == Case.State.SUBMITTED


def test_the_case_list_page_and_dashboard_keep_their_query_counts(
    client, case, sam, django_assert_num_queries
):
    """The case list counts the cases once when nothing is filtered (16 queries before), the
    case page reads the case once (16 before), the dashboard's counts are two grouped queries
    (8 before); the user, their roles and their second factor come from the cache (3 fewer on
    each), and the admin pages' permissions too (2 fewer); the dashboard's figures are kept in
    the cache, rendered, and so are the unfiltered case list's count, date hierarchy and host
    countries (4 fewer); the case page's change form is kept in the cache, rendered, and the
    case's read alone (9 fewer: test_admin_case_kept for the count when rendered). README,
    "Benchmarks"."""
    client.force_login(sam)
    pages = {
        reverse("admin:placements_case_changelist"): 0,
        reverse("admin:placements_case_change", args=[case.pk]): 1,
        reverse("placements:staff-dashboard"): 0,
    }
    for url in pages:
        client.get(url)  # what is kept per process (permissions, content types) is read once
    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_case_page_reads_its_selects_options_in_one_query_each(client, case, sam, sven):
    """No server-side cursor (DECLARE, FETCH, CLOSE: three round trips) for lists rendered whole:
    the same options, the staff accounts among them."""
    client.force_login(sam)
    url = reverse("admin:placements_case_change", args=[case.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()

    assert not [q["sql"] for q in captured if q["sql"].startswith("DECLARE")]
    officer = re.search(r'<select name="case_officer".*?</select>', page, re.S).group()
    assert sam.email in officer or sam.full_name in officer
    assert sven.email in officer or sven.full_name in officer
