"""The case page's change form is kept in the cache on GET (CaseAdmin.change_view; selectors,
"What the admin case page keeps in the cache"): the same page as rendered, shown to those with
the same rights only, and rendered again after any change of what it shows."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import translation

from partnerships.models import Comment
from placements import selectors
from placements.models import Case, CaseNote
from tests.conftest import TOTP_SECRET
from tests.placements.factories import CaseFactory, ExpertProfileFactory

pytestmark = pytest.mark.django_db


def masked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'value="…"', html)


def page(client, case) -> str:
    response = client.get(reverse("admin:placements_case_change", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def forget(case):
    selectors.forget_case_page(sender=Case, instance=case)


def test_the_kept_page_is_the_rendered_page_with_this_requests_token(client, case, sam):
    CaseNote.objects.create(case=case, author=sam, body="Mayor is hard to reach.")
    client.force_login(sam)
    for language in ("en", "de"):
        with translation.override(language):
            forget(case)
            rendered = page(client, case)
            kept = page(client, case)
        assert "Mayor is hard to reach." in kept
        assert kept.count('name="csrfmiddlewaretoken"') == rendered.count(
            'name="csrfmiddlewaretoken"'
        )
        assert masked(kept) == masked(rendered), language
        # The mark the content was kept with is not in the page: the request's token is.
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', kept))
        assert len(tokens) == 1
        assert client.cookies["csrftoken"]


def test_one_readers_rights_are_never_shown_to_another(client, case, sam, cora):
    """Cora (coordinator) only views the case; Sam changes it and may move it on."""
    TOTP.activate(cora, TOTP_SECRET)
    client.force_login(sam)
    page(client, case)
    sams = page(client, case)
    client.force_login(cora)
    coras = page(client, case)
    assert 'name="_save"' in sams and "Start the eligibility check" in sams
    assert 'name="_save"' not in coras and "Start the eligibility check" not in coras
    assert "There is no action you can take on this case now." in coras
    assert '<select name="case_officer"' not in coras
    client.force_login(sam)
    assert masked(page(client, case)) == masked(sams)


def test_each_language_has_its_own_page(client, case, sam):
    client.force_login(sam)
    english = page(client, case)
    client.cookies["django_language"] = "de"
    with translation.override("de"):
        german = page(client, case)
    assert "Appraisal" in english
    assert "Appraisal" not in german


def test_a_save_a_transition_a_note_and_a_message_show_at_once(client, case, sam):
    client.force_login(sam)
    url = reverse("admin:placements_case_change", args=[case.pk])
    page(client, case)
    assert "adminform" not in client.get(url).context_data  # kept: no form is built
    response = client.get(url + "?_popup=1")  # a popup's is built on every request
    post = {
        key: value
        for key, value in response.context_data["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    post.update(
        {
            "appraisal_findings": "Findings written in the admin.",
            "notes-TOTAL_FORMS": "1",
            "notes-INITIAL_FORMS": "0",
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
            "notes-0-body": "",
            "salary_top_up-TOTAL_FORMS": "0",
            "salary_top_up-INITIAL_FORMS": "0",
            "salary_top_up-MIN_NUM_FORMS": "0",
            "salary_top_up-MAX_NUM_FORMS": "1",
        }
    )
    client.post(url, post)
    assert "Findings written in the admin." in page(client, case)

    client.post(
        reverse("admin:placements_case_transition", args=[case.pk]),
        {"transition": "start_eligibility_check", "expected_state": "submitted"},
    )
    assert 'value="eligibility_check"' in page(client, case)

    CaseNote.objects.create(case=case, author=sam, body="A note written elsewhere.")
    assert "A note written elsewhere." in page(client, case)

    Comment.objects.create(eoi=case.eoi, author=sam, body="A message to the communes.")
    assert "A message to the communes." in page(client, case)

    case.eoi.title = "A title changed on the EOI"
    case.eoi.save()
    assert "A title changed on the EOI" in page(client, case)

    sam.full_name = "Samuel Sauer"
    sam.save()
    assert "Samuel Sauer" in page(client, case)


def test_an_invalid_post_shows_what_was_typed_and_its_errors_not_the_kept_page(client, case, sam):
    client.force_login(sam)
    url = reverse("admin:placements_case_change", args=[case.pk])
    page(client, case)
    page(client, case)
    response = client.post(
        url,
        {
            "appraisal_date": "not a date",
            "appraisal_findings": "Typed before the error.",
            "notes-TOTAL_FORMS": "0",
            "notes-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "errornote" in html and "Typed before the error." in html
    assert 'value="not a date"' in html
    assert "Typed before the error." not in page(client, case)


def test_another_case_keeps_its_page_when_one_is_saved(client, case, sam, partnership):
    other = CaseFactory(partnership=partnership, title="Another case")
    client.force_login(sam)
    page(client, other)
    page(client, case)
    key_before = selectors.case_page_version(other.pk)
    case.save()
    assert selectors.case_page_version(other.pk) == key_before


def test_cold_and_warm_query_counts(client, case, sam, django_assert_num_queries):
    """Rendered: the case, its mission, timeline, messages, notes, the selects' options (the
    staff accounts, the deployment models); kept: the case alone."""
    client.force_login(sam)
    page(client, case)
    forget(case)
    with django_assert_num_queries(9):
        page(client, case)
    with django_assert_num_queries(1):
        page(client, case)


def test_the_selected_experts_and_a_host_communes_new_names_show_at_once(client, case, sam):
    expert = ExpertProfileFactory(full_name="Eva Schmidt")
    case.selected_expert = expert
    case.save()
    client.force_login(sam)
    page(client, case)
    assert "Eva Schmidt" in page(client, case)
    expert.full_name = "Eva Schmidt-Weber"
    expert.save()
    assert "Eva Schmidt-Weber" in page(client, case)
    commune = case.eoi.host_communes.first()
    commune.name = "Kpalimé-Centre"
    commune.save()
    assert "Kpalimé-Centre" in page(client, case)
