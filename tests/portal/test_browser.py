"""A person in a real browser: switch to French, sign up, confirm the address, log out and back
in; and a keyboard user's first Tab."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import OutgoingEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "amelie@example.org"
PASSWORD = "un-mot-de-passe-assez-long"
# The labels as the French pages show them (with the * of required fields).
EMAIL_LABEL = re.compile(r"^\s*(Courriel|Adresse e-mail|E-mail)\s*\*?\s*$")
PASSWORD_LABEL = re.compile(r"^\s*Mot de passe\s*\*?\s*$")
PASSWORD_AGAIN_LABEL = re.compile(r"^\s*Mot de passe \((confirmation|de nouveau)\)")
NAME_LABEL = re.compile(r"^\s*Votre nom\s*\*?\s*$")


@pytest.fixture(autouse=True)
def patient_expectations():
    """Give pages 15 s instead of 5 s to show what is expected: CI machines can be busy."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def csp_violations(page):
    """Messages of the browser console about content the Content-Security-Policy blocked."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_a_french_speaker_signs_up_confirms_logs_out_and_logs_in_again(
    page, live_server, screenshot, csp_violations, settings
):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot("home")

    page.get_by_label("Language").select_option(label="Français")
    page.get_by_role("button", name="Change language").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("partenariats communaux")
    screenshot("home-fr")

    page.get_by_role("main").get_by_role("link", name="Créer un compte").click()
    page.get_by_label(NAME_LABEL).fill("Noémie Martin")
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(PASSWORD_AGAIN_LABEL).fill(PASSWORD)
    screenshot("signup-fr")
    page.get_by_role("main").get_by_role("button").click()

    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    email = OutgoingEmail.objects.get(recipient=EMAIL)
    assert email.status == OutgoingEmail.Status.SENT
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", email.body).group(0)

    page.goto(link)
    page.get_by_role("main").get_by_role("button", name="Confirmer").click()

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenue")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()

    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("Connexion")).click()

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenue")
    expect(page.get_by_role("link", name="Tableau de bord")).to_be_visible()
    screenshot("dashboard-fr")
    assert csp_violations == []


def test_the_first_tab_on_a_page_focuses_the_skip_link_which_leads_to_the_content(
    page, live_server
):
    page.goto(live_server.url)

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
