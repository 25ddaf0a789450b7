"""Joining a commune in a real browser, in German and in Spanish: signing up with name and
commune, finding a commune by typing in the picker, the member who decides reading who asks and
why, and nationalities chosen in the searchable multi-select, with JavaScript and without."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from experts.models import ExpertProfile
from partnerships.models import CommuneMembership, MembershipRequest
from portal import roles
from tests.conftest import ARTIFACTS, PASSWORD, choose, make_user

from .factories import CommuneFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTACT = "team@programme.example"


def say(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def shot(page, name):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def watch_csp(page) -> list[str]:
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def places(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.PROGRAMME_CONTACT_EMAIL = CONTACT
    leipzig = CommuneFactory(name="Leipzig", country="DE", region="Sachsen")
    ocotal = CommuneFactory(name="Ocotal", country="NI", region="Nueva Segovia")
    for name, country, region in [
        ("Lübeck", "DE", "Schleswig-Holstein"),
        ("Ludwigshafen am Rhein", "DE", "Rheinland-Pfalz"),
        ("Kairouan", "TN", "Kairouan"),
        ("Kairouan Nord", "TN", "Kairouan"),
        ("Kpalimé", "TG", "Plateaux"),
    ]:
        CommuneFactory(name=name, country=country, region=region)
    alice = make_user("alice@example.org", role=roles.APPLICANT, name="Alice Albrecht")
    alice.language = "de"
    alice.save()
    MembershipFactory(commune=leipzig, user=alice)
    marta = make_user("marta@example.ni", role=roles.APPLICANT, name="Marta Rivas", language="es")
    MembershipFactory(commune=ocotal, user=marta)
    return leipzig, ocotal


def test_in_german_a_new_colleague_signs_up_for_her_commune_and_a_member_confirms_her(
    browser, live_server, places
):
    leipzig, _ocotal = places
    base = live_server.url
    page = browser.new_context(locale="de-DE").new_page()
    csp = watch_csp(page)

    page.goto(f"{base}/accounts/signup/")
    page.get_by_label(say("de", "Your name")).fill("Nina Neumann")
    page.locator("input[name=email]").fill("nina@leipzig.example")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    expect(page.get_by_text(CONTACT).first).to_be_visible()
    choose(
        page,
        say("de", "Your commune (staff of a commune only)"),
        "leip",
        "Leipzig — Sachsen, Deutschland",
    )
    page.get_by_label(say("de", "Your function in the commune")).fill("Referentin")
    shot(page, "joining-signup-de")
    page.locator("main form button[type=submit]").last.click()

    verification = next(m for m in mail.outbox if "nina@leipzig.example" in m.to)
    assert not [m for m in mail.outbox if "alice@example.org" in m.to]
    page.goto(re.search(r"https?://\S+", verification.body).group(0))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert [m for m in mail.outbox if "alice@example.org" in m.to]

    decider = browser.new_context(locale="de-DE").new_page()
    log_in(decider, base, "alice@example.org")
    decider.goto(f"{base}{leipzig.get_absolute_url()}")
    request = decider.get_by_role("listitem").filter(has_text="Nina Neumann")
    expect(request).to_contain_text("nina@leipzig.example")
    expect(request).to_contain_text("Referentin")
    shot(decider, "joining-decide-de")
    decider.get_by_role("button", name="Nina Neumann bestätigen").click()

    expect(decider.locator(".alert-success")).to_have_text(
        "Nina Neumann (nina@leipzig.example) ist jetzt Mitglied von Leipzig und wurde "
        "benachrichtigt."
    )
    shot(decider, "joining-decided-de")
    assert CommuneMembership.objects.filter(commune=leipzig, user__full_name="Nina Neumann")
    assert csp == []


def test_in_spanish_a_member_reads_the_message_of_the_request_and_refuses_it(
    browser, live_server, places
):
    _leipzig, ocotal = places
    base = live_server.url
    make_user("lucia@example.ni", name="Lucía Pérez", language="es")
    page = browser.new_context(locale="es-ES").new_page()
    csp = watch_csp(page)
    log_in(page, base, "lucia@example.ni")

    page.goto(f"{base}/communes/")
    picker = page.get_by_role("combobox", name=re.compile("^Municipio"))
    page.locator(".ts-control", has=picker).click()
    picker.press_sequentially("kair")
    found = page.get_by_role("listbox").get_by_role("option")
    expect(found).to_have_text(["Kairouan — Kairouan, Túnez", "Kairouan Nord — Kairouan, Túnez"])
    shot(page, "joining-commune-search-es")
    page.keyboard.press("Escape")
    choose(page, re.compile("^Municipio"), "nueva seg", "Ocotal — Nueva Segovia, Nicaragua")
    page.get_by_label("Su cargo en el municipio").fill("Técnica de agua")
    page.get_by_label("Mensaje").fill("Trabajo en la alcaldía desde marzo.")
    shot(page, "joining-request-es")
    page.get_by_role("button", name=say("es", "Send request")).click()
    expect(page.get_by_text("Ocotal – Nicaragua")).to_be_visible()

    decider = browser.new_context(locale="es-ES").new_page()
    log_in(decider, base, "marta@example.ni")
    decider.goto(f"{base}{ocotal.get_absolute_url()}")
    request = decider.get_by_role("listitem").filter(has_text="Lucía Pérez")
    expect(request).to_contain_text("Trabajo en la alcaldía desde marzo.")
    expect(request).to_contain_text("lucia@example.ni")
    shot(decider, "joining-decide-es")
    decider.get_by_role("link", name="Rechazar a Lucía Pérez").click()
    decider.get_by_role("button", name=say("es", "Refuse the request")).click()

    expect(decider.locator(".alert-success")).to_contain_text(
        "Ha rechazado la solicitud de Lucía Pérez (lucia@example.ni) para unirse a Ocotal"
    )
    assert MembershipRequest.objects.get(user__email="lucia@example.ni").status == "refused"
    assert csp == []


def test_in_spanish_an_expert_types_to_choose_nationalities(browser, live_server, places):
    base = live_server.url
    make_user("eva@example.org", role=roles.EXPERT, name="Eva Soto", language="es")
    page = browser.new_context(locale="es-ES").new_page()
    csp = watch_csp(page)
    log_in(page, base, "eva@example.org")
    page.goto(f"{base}/experts/profile/")
    page.get_by_role("button", name=say("es", "Create my expert profile")).click()

    nationalities = say("es", "Nationalities")
    choose(page, nationalities, "alem", "Alemania")
    choose(page, nationalities, "nicar", "Nicaragua")
    choose(page, say("es", "Country of residence"), "nicar", "Nicaragua")
    page.get_by_role("button", name=say("es", "Save my profile")).click()
    expect(page.locator(".alert-success")).to_be_visible()

    chosen = page.locator("#div_id_nationalities .ts-control .item")
    expect(chosen).to_contain_text(["Alemania", "Nicaragua"])
    page.locator("#div_id_nationalities").screenshot(
        path=str(ARTIFACTS / "screenshots" / "joining-nationalities-field-es.png")
    )
    shot(page, "joining-nationalities-es")
    profile = ExpertProfile.objects.get(user__email="eva@example.org")
    assert [c.code for c in profile.nationalities] == ["DE", "NI"]
    assert profile.country_of_residence.code == "NI"
    assert csp == []


def test_in_german_without_javascript_nationalities_are_ticked_in_a_list(
    browser, live_server, places
):
    base = live_server.url
    make_user("jan@example.org", role=roles.EXPERT, name="Jan Berg", language="de")
    page = browser.new_context(locale="de-DE", java_script_enabled=False).new_page()
    log_in(page, base, "jan@example.org")
    page.goto(f"{base}/experts/profile/")
    page.get_by_role("button", name=say("de", "Create my expert profile")).click()

    group = page.get_by_role("group", name=say("de", "Nationalities"))
    group.get_by_label("Togo", exact=True).check()
    group.get_by_label("Deutschland", exact=True).check()
    page.get_by_label(say("de", "Country of residence")).select_option(label="Togo")
    page.get_by_role("button", name=say("de", "Save my profile")).click()
    expect(page.locator(".alert-success")).to_be_visible()

    group = page.get_by_role("group", name=say("de", "Nationalities"))
    expect(group.get_by_role("checkbox").nth(0)).to_be_checked()
    expect(group.get_by_role("checkbox").nth(1)).to_be_checked()
    expect(group.get_by_role("checkbox").nth(2)).not_to_be_checked()
    expect(group.locator("label").nth(0)).to_have_text("Deutschland")
    group.scroll_into_view_if_needed()
    shot(page, "joining-nationalities-nojs-de")
    profile = ExpertProfile.objects.get(user__email="jan@example.org")
    assert sorted(c.code for c in profile.nationalities) == ["DE", "TG"]
