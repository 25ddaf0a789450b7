"""Shortlisting is undone as a step of its own: staff take a candidate off the shortlist until
the host commune has chosen, the candidate goes back to where screening left them, and the
case's timeline keeps who did it and why. Recording the selected expert asks for a tick."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from placements import services as recruitment
from placements.models import Application, Case, CaseEvent

from .factories import ExpertProfileFactory, advance, choose_expert
from .helpers import S


@pytest.fixture
def screening(case, sam):
    return advance(case, S.SCREENING, by=sam)


@pytest.fixture
def eva(screening):
    return ExpertProfileFactory(full_name="Eva Schmidt", nationalities=["DE"])


def test_a_shortlisted_candidate_is_taken_off_again_and_the_timeline_says_who_and_why(
    screening, sam, eva
):
    recruitment.record_notes(case=screening, expert=eva, by=sam, screening="Strong CV.")
    recruitment.shortlist(case=screening, expert=eva, by=sam)

    recruitment.unshortlist(case=screening, expert=eva, by=sam, reason="Not free before May.")

    application = Application.objects.get(expert=eva)
    assert application.status == Application.Status.SCREENED
    assert not application.shared_with_commune
    steps = list(CaseEvent.objects.filter(case=screening).order_by("pk"))
    assert [e.transition for e in steps[-2:]] == ["shortlist", "unshortlist"]
    assert steps[-1].actor == sam
    assert steps[-1].reason == "Eva Schmidt taken off the shortlist. Not free before May."
    assert steps[-1].from_state == steps[-1].to_state == S.SCREENING
    assert Case.objects.get(pk=screening.pk).state == S.SCREENING


def test_a_candidate_of_a_sent_shortlist_disappears_from_the_host_communes_page(
    client, screening, sam, pierre, eva
):
    recruitment.shortlist(case=screening, expert=eva, by=sam)
    sent = advance(screening, S.SHORTLIST_SENT, by=sam)
    client.force_login(pierre)
    shortlist = reverse("placements:shortlist", args=[sent.pk])
    assert "Eva Schmidt" in client.get(shortlist).content.decode()

    recruitment.unshortlist(case=sent, expert=eva, by=sam)

    assert "Eva Schmidt" not in client.get(shortlist).content.decode()
    assert Application.objects.get(expert=eva).status == Application.Status.APPLIED


def test_once_the_host_commune_has_chosen_the_shortlist_cannot_change(screening, sam, eva):
    recruitment.shortlist(case=screening, expert=eva, by=sam)
    sent = advance(screening, S.SHORTLIST_SENT, by=sam)
    choose_expert(sent, eva)
    events = CaseEvent.objects.filter(case=sent).count()

    with pytest.raises(ValidationError) as refusal:
        recruitment.unshortlist(case=sent, expert=eva, by=sam)

    assert "already chosen" in refusal.value.messages[0]
    assert Application.objects.get(expert=eva).status == Application.Status.SHORTLISTED
    assert CaseEvent.objects.filter(case=sent).count() == events


def test_a_candidate_not_on_the_shortlist_cannot_be_taken_off_it(screening, sam, eva):
    recruitment.record_notes(case=screening, expert=eva, by=sam, screening="Maybe.")

    with pytest.raises(ValidationError) as refusal:
        recruitment.unshortlist(case=screening, expert=eva, by=sam)

    assert refusal.value.code == "not_shortlisted"


def test_only_recruiting_staff_take_candidates_off_the_shortlist(screening, sam, alice, eva):
    recruitment.shortlist(case=screening, expert=eva, by=sam)

    with pytest.raises(PermissionDenied):
        recruitment.unshortlist(case=screening, expert=eva, by=alice)

    assert Application.objects.get(expert=eva).status == Application.Status.SHORTLISTED


# The matching page


def test_staff_take_a_candidate_off_the_shortlist_on_the_matching_page(client, screening, sam, eva):
    recruitment.shortlist(case=screening, expert=eva, by=sam)
    client.force_login(sam)
    page = client.get(reverse("admin:placements_case_matching", args=[screening.pk]))
    assert "Take Eva Schmidt off the shortlist" in page.content.decode()

    response = client.post(
        reverse("admin:placements_case_matching_action", args=[screening.pk]),
        {"expert": eva.pk, "action": "unshortlist", "reason": "Withdrew by phone."},
        follow=True,
    )

    assert "Eva Schmidt is no longer on the shortlist." in response.content.decode()
    assert Application.objects.get(expert=eva).status == Application.Status.APPLIED
    assert "Withdrew by phone." in CaseEvent.objects.filter(case=screening).last().reason


def test_marking_the_selected_expert_needs_the_tick_and_sits_apart_from_shortlisting(
    client, screening, sam, eva
):
    recruitment.shortlist(case=screening, expert=eva, by=sam)
    client.force_login(sam)
    act = reverse("admin:placements_case_matching_action", args=[screening.pk])

    untucked = client.post(act, {"expert": eva.pk, "action": "select"}, follow=True)

    assert "Tick the box to confirm that Eva Schmidt is the expert chosen." in (
        untucked.content.decode()
    )
    assert Case.objects.get(pk=screening.pk).selected_expert is None
    client.post(act, {"expert": eva.pk, "action": "select", "confirm": "on"})
    assert Case.objects.get(pk=screening.pk).selected_expert == eva
    assert CaseEvent.objects.filter(case=screening).last().transition == "mark_selected"


def test_staff_cannot_mark_another_expert_once_the_host_commune_has_chosen(screening, sam, eva):
    recruitment.shortlist(case=screening, expert=eva, by=sam)
    choose_expert(screening, eva)
    kofi = ExpertProfileFactory(full_name="Kofi Mensah", nationalities=["DE"])

    with pytest.raises(ValidationError):
        recruitment.mark_selected(case=screening, expert=kofi, by=sam)

    assert Case.objects.get(pk=screening.pk).selected_expert == eva


# Irreversible transitions on the case page


def test_an_irreversible_transition_asks_for_the_tick_first(client, case, sam):
    case = advance(case, S.APPRAISAL, by=sam)
    client.force_login(sam)
    url = reverse("admin:placements_case_transition", args=[case.pk])
    data = {"transition": "decline", "expected_state": S.APPRAISAL, "reason": "Out of scope."}
    page = client.get(reverse("admin:placements_case_change", args=[case.pk])).content.decode()
    assert "I understand that this cannot be undone." in page

    response = client.post(url, data, follow=True)

    assert "Tick the box to confirm that this cannot be undone." in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == S.APPRAISAL
    client.post(url, {**data, "confirm": "on"})
    assert Case.objects.get(pk=case.pk).state == S.DECLINED


def test_a_reversible_transition_needs_no_tick(client, case, sam):
    client.force_login(sam)

    client.post(
        reverse("admin:placements_case_transition", args=[case.pk]),
        {"transition": "put_on_hold", "expected_state": S.SUBMITTED, "reason": "Elections."},
    )

    assert Case.objects.get(pk=case.pk).state == S.ON_HOLD


def test_the_eoi_page_links_the_host_commune_to_the_candidates_once_they_are_sent(
    client, screening, sam, pierre, alice, eva
):
    eoi_page = reverse("partnerships:eoi-detail", args=[screening.eoi_id])
    shortlist = reverse("placements:shortlist", args=[screening.pk])
    client.force_login(pierre)
    assert shortlist not in client.get(eoi_page).content.decode()

    recruitment.shortlist(case=screening, expert=eva, by=sam)
    advance(screening, S.SHORTLIST_SENT, by=sam)

    assert shortlist in client.get(eoi_page).content.decode()
    # Leipzig does not host the expert: the choice is Kpalimé's.
    client.force_login(alice)
    page = client.get(eoi_page)
    assert page.status_code == 200
    assert shortlist not in page.content.decode()
