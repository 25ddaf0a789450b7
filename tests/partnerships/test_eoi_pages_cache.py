"""The page of an expression of interest keeps what it shows of the EOI (answers, messages,
history, versions) in the cache: each reader is shown what they may do whoever came before, in
their language and time zone, with their own form, and a change shows at once."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Theme
from partnerships import dashboard as partnerships_dashboard
from partnerships import services
from partnerships.models import Comment, EOIEvent, ExpressionOfInterest
from partnerships.selectors import forget_eoi_pages
from partnerships.views import eois
from placements import workflow
from portal import roles
from tests.conftest import make_user

from .factories import MembershipFactory
from .helpers import submit

pytestmark = pytest.mark.django_db


def page(user, url, *, language=None) -> str:
    browser = Client()
    browser.force_login(user)
    if language:
        browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


def edit_link(eoi) -> str:
    return f'href="{reverse("partnerships:eoi-step", args=[eoi.pk, "project"])}"'


def withdraw_link(eoi) -> str:
    return f'href="{reverse("partnerships:eoi-withdraw", args=[eoi.pk])}"'


def test_each_reader_sees_what_they_may_do_whoever_came_before(
    complete_eoi, alice, pierre, sam, bob, other
):
    url = complete_eoi.get_absolute_url()
    services.add_comment(eoi=complete_eoi, author=alice, body="Shall we add the budget?")

    for_sam = page(sam, url)
    for_alice = page(alice, url)
    for_pierre = page(pierre, url)
    again_for_sam = page(sam, url)

    # Both communes edit and withdraw their draft; programme staff only read it.
    assert edit_link(complete_eoi) in for_alice and withdraw_link(complete_eoi) in for_alice
    assert edit_link(complete_eoi) in for_pierre and withdraw_link(complete_eoi) in for_pierre
    assert edit_link(complete_eoi) not in for_sam + again_for_sam
    assert withdraw_link(complete_eoi) not in for_sam + again_for_sam
    # Every reader reads the same messages, each in their language: Pierre reads French.
    assert "Shall we add the budget?" in for_sam and "Shall we add the budget?" in for_pierre
    assert "Le projet" in for_pierre and "The project" in for_alice + for_sam
    # Where the EOI stands is said to each reader: the communes are asked to confirm.
    assert "Waiting for your confirmation" in for_alice + for_pierre
    assert "Waiting for your confirmation" not in for_sam
    # Each page around it is the reader's own: their form token.
    assert for_alice.count("csrfmiddlewaretoken") == for_sam.count("csrfmiddlewaretoken") > 0
    # Who may not see the EOI still may not, after others were shown it.
    browser = Client()
    browser.force_login(bob)
    assert browser.get(url).status_code == 404


def test_the_side_that_has_confirmed_is_told_it_waits_for_the_other(
    complete_eoi, alice, pierre, german
):
    url = complete_eoi.get_absolute_url()
    services.confirm(eoi=complete_eoi, user=alice, commune=german)

    for_pierre = page(pierre, url, language="en")
    for_alice = page(alice, url)

    assert "Waiting for your confirmation" in for_pierre
    assert "Waiting for your confirmation" not in for_alice
    assert "Kpalimé" in for_alice


def test_a_change_of_language_shows_the_page_in_the_new_language(complete_eoi, alice):
    url = complete_eoi.get_absolute_url()

    assert "The project" in page(alice, url, language="en")
    in_german = page(alice, url, language="de")

    assert "Das Vorhaben" in in_german and "The project" not in in_german
    assert "Noch keine Nachricht." in in_german


@pytest.fixture
def nadia(german):
    """A member of Leipzig, as Alice, who reads the portal in New York's time zone."""
    nadia = make_user(
        "nadia@example.org",
        role=roles.APPLICANT,
        name="Nadia Neumann",
        time_zone="America/New_York",
    )
    MembershipFactory(commune=german, user=nadia)
    return nadia


def test_times_are_shown_in_each_readers_time_zone(complete_eoi, alice, nadia):
    comment = services.add_comment(eoi=complete_eoi, author=alice, body="Sent at noon, UTC.")
    Comment.objects.filter(pk=comment.pk).update(created_at=datetime(2026, 6, 1, 12, tzinfo=UTC))
    url = complete_eoi.get_absolute_url()

    for_alice = page(alice, url, language="en")
    for_nadia = page(nadia, url, language="en")

    assert 'datetime="2026-06-01T14:00:00+02:00"' in for_alice
    assert 'datetime="2026-06-01T08:00:00-04:00"' in for_nadia


def test_the_page_shows_a_change_at_once(complete_eoi, alice, pierre, sam, german):
    url = complete_eoi.get_absolute_url()
    assert "No message yet." in page(alice, url)

    services.add_comment(eoi=complete_eoi, author=pierre, body="The site is ready.")
    assert "The site is ready." in page(alice, url)

    complete_eoi.objectives = "Collection in every district within a year."
    complete_eoi.save()
    complete_eoi.themes.add(Theme.objects.exclude(code=Theme.Code.WASTE).first())
    pierre.full_name = "Pierre Agbéko-Mensah"
    pierre.save()
    german.name = "Leipzig-Mitte"
    german.save()
    EOIEvent.objects.create(
        eoi=complete_eoi, kind=EOIEvent.Kind.EDITED, actor=alice, commune=german
    )
    after = page(alice, url)
    assert "Collection in every district within a year." in after
    assert str(Theme.objects.exclude(code=Theme.Code.WASTE).first()) in after
    assert "Pierre Agbéko-Mensah" in after
    assert "Leipzig-Mitte" in after

    # Once both communes have confirmed, nobody edits it any more; a version is listed.
    submit(complete_eoi, alice, pierre)
    submitted = page(alice, url)
    assert edit_link(complete_eoi) not in submitted
    assert "Submitted versions" in submitted


def test_what_is_kept_holds_no_form_and_nothing_of_the_reader(complete_eoi, alice):
    services.add_comment(eoi=complete_eoi, author=alice, body="Shall we add the budget?")

    parts = eois._eoi_parts(complete_eoi, can_edit=True, can_withdraw=True)

    kept = "".join(parts.values())
    assert "Shall we add the budget?" in kept
    assert "csrfmiddlewaretoken" not in kept and "<form" not in kept


# Kept, programme staff: none of the answers, messages, history and versions are read (8
# queries fewer); a commune member: the EOI with where it stands for their communes and what the
# panels read of it are kept too (per communes and language), and their communes come with the
# cached user: no query.
@pytest.mark.parametrize(("viewer", "queries"), [("alice", (13, 0)), ("sam", (13, 5))])
def test_the_page_costs_fewer_queries_when_kept(
    request, complete_eoi, alice, pierre, viewer, queries
):
    for number in range(3):
        services.add_comment(eoi=complete_eoi, author=pierre, body=f"Message {number}")
    browser = Client()
    browser.force_login(request.getfixturevalue(viewer))
    url = complete_eoi.get_absolute_url()
    browser.get(url)  # the first request of a session writes its start time

    forget_eoi_pages()
    with CaptureQueriesContext(connection) as rendered:
        assert browser.get(url).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        assert browser.get(url).status_code == 200

    assert (len(rendered), len(kept)) == queries


# --- A commune member's dashboard -------------------------------------------------------------


def dashboard(user, **kwargs) -> str:
    return page(user, reverse("dashboard"), **kwargs)


def test_each_member_is_shown_the_to_dos_and_requests_of_their_own_communes(
    complete_eoi, alice, pierre, bob, other
):
    for_alice = dashboard(alice)
    for_pierre = dashboard(pierre, language="en")
    for_bob = dashboard(bob)

    assert "is waiting for the confirmation of Leipzig" in for_alice
    assert "is waiting for the confirmation of Kpalimé" in for_pierre
    assert "Leipzig" not in for_pierre.split("What needs your action")[1].split("</section>")[0]
    # Bonn's member, shown the page after them, sees none of it.
    assert complete_eoi.title not in for_bob
    assert "Bonn" in for_bob and "Leipzig" not in for_bob
    assert "Waste management in Kpalimé" in dashboard(alice, language="de")
    assert "wartet auf die Bestätigung" in dashboard(alice, language="de")


def test_the_dashboard_shows_a_change_at_once(complete_eoi, alice, pierre, sam, german, partner):
    assert "is waiting for the confirmation of Leipzig" in dashboard(alice)

    services.confirm(eoi=complete_eoi, user=alice, commune=german)
    after = dashboard(alice)
    assert "is waiting for the confirmation of Leipzig" not in after
    assert "Waiting for the confirmation of Kpalimé" in after

    newcomer = make_user("nora@example.org", role=roles.APPLICANT, name="Nora Neu")
    services.request_membership(user=newcomer, commune=german, function="Engineer")
    assert "1 person asks to join Leipzig." in dashboard(alice)

    # Submitted: the words come from the case (placements), whose changes show at once too.
    services.confirm(eoi=complete_eoi, user=pierre, commune=partner)
    assert "With the programme team" in dashboard(alice)
    complete_eoi.refresh_from_db()
    workflow.transition(case=complete_eoi.case, name="put_on_hold", by=sam, reason="Budget")
    assert "On hold at the programme team" in dashboard(alice)


def test_the_dashboard_reads_the_kept_part_once_for_its_to_dos_and_its_panel(
    complete_eoi, alice, monkeypatch
):
    read = []
    kept_for_member = partnerships_dashboard._kept_for_member
    monkeypatch.setattr(
        partnerships_dashboard,
        "_kept_for_member",
        lambda user: read.append(user.pk) or kept_for_member(user),
    )
    for _ in range(2):
        shown = dashboard(alice)
        # The to-do item and the panel's list of EOIs, from the one read.
        assert "is waiting for the confirmation of Leipzig" in shown
        assert shown.count(complete_eoi.title) >= 2
    assert read == [alice.pk, alice.pk]


# --- A commune member's EOI list ---------------------------------------------------------------


def test_the_eoi_list_is_shown_in_each_readers_time_zone_and_changes_at_once(
    complete_eoi, alice, nadia
):
    ExpressionOfInterest.objects.filter(pk=complete_eoi.pk).update(
        updated_at=datetime(2026, 6, 1, 12, tzinfo=UTC)
    )
    url = reverse("partnerships:eoi-list")

    # The same communes, one table kept per time zone: Berlin is UTC+2, New York UTC-4.
    assert "01/06/2026 14:00" in page(alice, url, language="en")
    assert "01/06/2026 08:00" in page(nadia, url, language="en")

    complete_eoi.title = "Waste collection in Kpalimé and Agou"
    complete_eoi.save()
    assert "Waste collection in Kpalimé and Agou" in page(alice, url, language="en")
    assert "Waste collection in Kpalimé and Agou" in page(nadia, url, language="en")
