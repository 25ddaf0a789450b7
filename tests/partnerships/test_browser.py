"""The applicants' whole journey in a real headless Chromium: the German side registers, invites
the partner, drafts the expression of interest over several steps with an upload; the partner logs
in in French, comments and confirms; the EOI is submitted and both sides get the email; a user of
another commune cannot open it."""

import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from partnerships import services
from partnerships.forms import ConfirmForm
from partnerships.models import Commune, ExpressionOfInterest, Partnership
from portal.models import User
from tests.conftest import ARTIFACTS, PASSWORD, choose, make_user
from tests.portal.pdfs import pdf_bytes

SCREENSHOTS = ARTIFACTS / "screenshots"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = pdf_bytes()


def fr(text: str) -> str:
    with translation.override("fr"):
        return gettext(text)


def link_in(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()


def test_german_and_partner_commune_submit_an_expression_of_interest_together(
    live_server, browser, tmp_path, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    leipzig = Commune.objects.create(name="Leipzig", country="DE", region="Sachsen", kind="city")
    kpalime = Commune.objects.create(name="Kpalimé", country="TG", region="Plateaux")
    partnership = Partnership.objects.create(
        name="Leipzig – Kpalimé", german_commune=leipzig, since_year=2004
    )
    partnership.partner_communes.add(kpalime)
    sam = make_user(
        "sam@example.org", staff=True, mfa=True, name="Sam Sauer", role="programme staff (SKEW)"
    )
    pierre = make_user("pierre@example.tg", name="Pierre Agbeko", language="fr")
    bob = make_user("bob@example.org", role="applicant", name="Bob Brandt")
    other = Commune.objects.create(name="Bonn", country="DE")
    services._add_member(user=bob, commune=other, by=sam)

    # 1. The German side registers and verifies the address.
    german = browser.new_context(locale="de-DE")
    page = german.new_page()
    page.goto(f"{base}/accounts/signup/")
    page.locator("input[name=full_name]").fill("Anna Lehmann")
    page.locator("input[name=email]").fill("anna@leipzig.example")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    verification = next(m for m in mail.outbox if "anna@leipzig.example" in m.to)
    page.goto(link_in(verification.body))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # ... asks to join Leipzig; programme staff confirm.
    page.goto(f"{base}/communes/")
    choose(page, re.compile("^Kommune"), "leip", "Leipzig — Sachsen, Deutschland")
    page.locator("input[name=function]").fill("Referentin für Partnerschaften")
    page.locator("main form button[type=submit]").click()
    anna = User.objects.get(email="anna@leipzig.example")
    services.confirm_membership_request(membership_request=anna.membership_requests.get(), by=sam)

    # 2. ... invites the partner commune's colleague, in French.
    page.goto(f"{base}{kpalime.get_absolute_url()}")
    page.locator("input[name=name]").fill("Pierre Agbeko")
    page.locator("input[name=email]").fill("pierre@example.tg")
    page.locator("#id_language").select_option("fr")
    page.locator("main form button[type=submit]").last.click()
    invitation_mail = next(m for m in mail.outbox if "pierre@example.tg" in m.to)
    assert "Kpalimé" in invitation_mail.subject
    invitation_link = link_in(invitation_mail.body)

    # 3. ... drafts the expression of interest over several steps.
    page.goto(f"{base}/expressions-of-interest/")
    page.locator("main form button[type=submit]").first.click()
    page.locator("input[name=title]").fill("Abfallwirtschaft in Kpalimé")
    page.locator("button[name=save_continue]").click()
    page.get_by_label(re.compile("Abfall|Waste")).check()
    page.get_by_label(re.compile("SDG 11")).check()
    page.locator("textarea[name=problem_and_needs]").fill(
        "Half of the districts have no waste collection."
    )
    page.locator("textarea[name=project_idea]").fill("A municipal waste strategy with composting.")
    page.locator("textarea[name=objectives]").fill("Collection in every district by 2029.")
    page.locator("button[name=save_continue]").click()
    page.locator("textarea[name=expert_tasks]").fill("Advise the technical department.")
    page.locator("textarea[name=competence_skills]").fill("Environmental engineering.")
    page.locator("input[name=deployment_advice_wanted]").check()
    page.locator("input[name=intended_start]").fill("2027-09-01")
    first_row = page.locator("#div_id_languages-0-language")
    choose(page, re.compile("^Sprache"), "franz", "Französisch", within=first_row)
    page.locator("select[name='languages-0-level']").select_option("C1")
    shot(page, "eoi-step-expert-de")
    page.locator("button[name=save_continue]").click()
    for name in ("target_groups", "inclusion", "transparency", "cooperation"):
        page.locator(f"textarea[name={name}]").fill(f"Answer about {name}.")
    page.locator("button[name=save_continue]").click()
    page.locator("textarea[name=german_contribution]").fill("Two colleagues, 20 days a year.")
    page.locator("textarea[name=partner_workplace]").fill("An office in the town hall.")
    page.locator("input[name=consent_data_processing]").check()
    page.locator("button[name=save_draft]").click()
    pdf = tmp_path / "Stadtratsbeschluss.pdf"
    pdf.write_bytes(PDF)
    page.locator("input[name=file]").set_input_files(str(pdf))
    page.locator("#attachments form button[type=submit]").last.click()
    expect(page.get_by_role("link", name="Stadtratsbeschluss.pdf")).to_be_visible()
    shot(page, "eoi-step-contributions-de")
    page.locator("button[name=save_continue]").click()
    expect(page).to_have_url(re.compile(r"/review/"))
    # Confirming may submit: it asks for a tick first.
    page.locator("form[action$='/confirm/'] input[name=final]").check()
    page.locator("form[action$='/confirm/'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.status == ExpressionOfInterest.Status.DRAFT
    shot(page, "eoi-confirmed-by-german-side")

    # 4. The partner logs in in French through the invitation link.
    partner_context = browser.new_context(locale="en-GB")
    partner_page = partner_context.new_page()
    partner_page.goto(f"{base}/")
    partner_page.get_by_label("Language").select_option("fr")
    partner_page.get_by_role("button", name="Change language").click()
    expect(partner_page.locator("html")).to_have_attribute("lang", "fr")
    partner_page.goto(invitation_link)
    partner_page.locator("input[name=login]").fill("pierre@example.tg")
    partner_page.locator("input[name=password]").fill(PASSWORD)
    partner_page.locator("form button[type=submit]").last.click()
    partner_page.get_by_role("button", name=fr("Accept the invitation")).click()
    assert kpalime.memberships.filter(user=pierre).exists()

    # ... reads the EOI, comments and confirms.
    partner_page.goto(f"{base}{eoi.get_absolute_url()}")
    expect(partner_page.get_by_role("heading", name="Abfallwirtschaft in Kpalimé")).to_be_visible()
    partner_page.get_by_label(fr("Your message")).fill("Nous confirmons, merci !")
    partner_page.get_by_role("button", name=fr("Send message")).click()
    expect(partner_page.get_by_text("Nous confirmons, merci !")).to_be_visible()
    partner_page.goto(f"{base}/expressions-of-interest/{eoi.pk}/review/")
    shot(partner_page, "eoi-review-partner-fr")
    with translation.override("fr"):
        final = str(ConfirmForm.base_fields["final"].label)
    partner_page.get_by_label(final).check()
    partner_page.get_by_role("button", name=fr("Confirm this expression of interest")).click()
    expect(partner_page.locator(".alert-success")).to_be_visible()
    shot(partner_page, "eoi-submitted-partner-fr")

    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.SUBMITTED
    assert eoi.versions.count() == 1
    # Both sides are told, each in their own language.
    for address, language in (("anna@leipzig.example", "de"), ("pierre@example.tg", "fr")):
        with translation.override(language):
            subject = render_to_string("email/eoi_submitted_subject.txt", {"eoi": eoi}).strip()
        assert any(m.to == [address] and subject in m.subject for m in mail.outbox), (
            subject,
            [(m.to, m.subject) for m in mail.outbox],
        )

    # 5. A user of another commune cannot open it by its URL.
    outsider = browser.new_context()
    outsider_page = outsider.new_page()
    log_in(outsider_page, base, "bob@example.org")
    response = outsider_page.goto(f"{base}{eoi.get_absolute_url()}")
    assert response.status == 404
    expect(outsider_page.get_by_text("Abfallwirtschaft in Kpalimé")).to_have_count(0)
