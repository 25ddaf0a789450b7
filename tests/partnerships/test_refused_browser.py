"""Nothing typed is lost, in a real headless Chromium, in German and in French: a step of the
expression of interest with one invalid answer keeps every valid one as a draft and shows the
error; Back, Forward and Reload onto the refused page show it again instead of the browser's
"resubmit" screen (ERR_CACHE_MISS)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from partnerships import services
from partnerships.models import ExpressionOfInterest
from tests.conftest import ARTIFACTS, PASSWORD

from .helpers import step_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = ARTIFACTS / "screenshots"


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(f"{base}/dashboard/")


@pytest.mark.parametrize("language", ["de", "fr"])
def test_a_refused_step_keeps_the_valid_answers_and_back_and_reload_show_it_again(
    live_server, browser, alice, german, partnership, language
):
    alice.language = language
    alice.save(update_fields=["language"])
    draft = services.start_expression_of_interest(user=alice, commune=german)
    base = live_server.url
    page = browser.new_context(locale=language).new_page()
    log_in(page, base, alice.email)
    page.goto(base + step_url(draft, "expert"))

    tasks = ExpressionOfInterest._meta.get_field("expert_tasks").verbose_name
    duration = ExpressionOfInterest._meta.get_field("duration_months").verbose_name
    with translation.override(language):
        tasks, duration = str(tasks), str(duration)
    page.get_by_label(tasks).fill("Die Sammelrunden mit den Bezirken planen.")
    page.get_by_label(duration).fill("100")
    page.get_by_role("button", name=in_language(language, "Save draft")).click()

    error = in_language(language, "The duration must be between 6 and 48 months.")
    expect(page.get_by_text(error)).to_be_visible()
    saved = in_language(
        language, "The fields without errors have been saved; please correct the others."
    )
    expect(page.get_by_text(saved)).to_be_visible()
    refused_at = page.url
    assert "refused=" in refused_at
    page.screenshot(path=str(SCREENSHOTS / f"eoi-step-refused-{language}.png"), full_page=True)

    # Elsewhere, then Back: the refused page again, with what was typed, no "resubmit" screen.
    page.goto(f"{base}/dashboard/")
    response = page.go_back()
    assert response is not None and response.url == refused_at
    expect(page.get_by_text(error)).to_be_visible()
    expect(page.get_by_label(duration)).to_have_value("100")
    page.reload()
    expect(page.get_by_label(duration)).to_have_value("100")
    # Back once more: the step as it was opened (a GET), not the POST.
    page.go_back()
    assert page.url == base + step_url(draft, "expert")

    # The valid answer was saved as a draft; the invalid one was not.
    page.goto(base + step_url(draft, "expert"))
    expect(page.get_by_label(tasks)).to_have_value("Die Sammelrunden mit den Bezirken planen.")
    expect(page.get_by_label(duration)).not_to_have_value("100")
    draft.refresh_from_db()
    assert draft.expert_tasks == "Die Sammelrunden mit den Bezirken planen."
