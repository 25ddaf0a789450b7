"""An expert in a real browser, without JavaScript doing any of the work: creates the profile,
fills it in section by section, makes a mistake and corrects it, uploads the CV and downloads
the profile as PDF."""

import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from catalogue.reference import load_reference_data
from experts.models import ExpertProfile
from tests.conftest import PASSWORD, choose
from tests.partnerships.factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def reference_data_afterwards(django_db_blocker):
    """The browser test ends by emptying the database. pytest-playwright's session parameter
    reorders the tests, so tests that need themes and deployment models may come after it:
    they find them again."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()
        # Outside a test nobody closes this connection, and an open one keeps PostgreSQL from
        # dropping the test database at the end.
        connection.close()


@pytest.fixture(autouse=True)
def patient_expectations():
    """Give pages 15 s instead of 5 s to show what is expected: CI machines can be busy."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def csp_violations(page):
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_an_expert_builds_the_profile_and_downloads_it(
    page, live_server, erin, screenshot, csp_violations, tmp_path
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(erin.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()

    page.get_by_role("main").get_by_role("link", name="Create my expert profile").click()
    page.get_by_role("button", name="Create my expert profile").click()
    expect(page.get_by_text("Your profile is 0% complete.")).to_be_visible()

    choose(page, "Nationalities", "germ", "Germany")
    choose(page, "Nationalities", "fran", "France")
    choose(page, "Country of residence", "germ", "Germany")
    page.get_by_label(re.compile("Waste management")).check()
    page.get_by_label("Years of experience in municipal administration").fill("12")
    page.get_by_label("Available from").fill("2027-09-01")
    page.get_by_label(re.compile("Integrated expert")).check()
    page.get_by_label(re.compile("Programme staff may find me")).check()
    choose(page, "Language", "fren", "French", within=page.locator("#div_id_languages-0-language"))
    page.locator("select[name=languages-0-level]").select_option("C1")
    page.locator("input[name=positions-0-employer]").fill("Stadt Leipzig")
    page.locator("input[name=positions-0-role]").fill("Head of waste services")
    choose(page, "Country", "germ", "Germany", within=page.locator("#div_id_positions-0-country"))
    page.locator("input[name=positions-0-start]").fill("2015-01-01")
    page.locator("input[name=positions-0-end]").fill("2014-12-31")
    page.get_by_role("button", name="Save my profile").click()

    expect(page.get_by_text("The end date must be on or after the start date.")).to_be_visible()
    expect(page.locator("input[name=positions-0-employer]")).to_have_value("Stadt Leipzig")
    screenshot("expert-profile-error")
    page.locator("input[name=positions-0-end]").fill("2024-12-31")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile has been saved.")).to_be_visible()
    expect(page.get_by_text("Your profile is 90% complete.")).to_be_visible()

    cv = tmp_path / "Erin Eriksen CV.pdf"
    cv.write_bytes(PDF_BYTES)
    page.get_by_label("Upload your CV").set_input_files(str(cv))
    page.get_by_role("button", name="Upload CV").click()
    expect(page.get_by_text("Your profile is 100% complete.")).to_be_visible()
    expect(page.get_by_role("link", name="Erin Eriksen CV.pdf")).to_be_visible()
    screenshot("expert-profile-complete")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your profile as PDF").click()
    path = tmp_path / "profile.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_text("Your profile is 100% complete.")).to_be_visible()
    profile = ExpertProfile.objects.get(user=erin)
    assert [lang.language for lang in profile.languages.all()] == ["fr"]
    assert csp_violations == []
