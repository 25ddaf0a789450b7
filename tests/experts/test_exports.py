"""The export of the admin's expert list: staff who work with experts only, only the experts who
consented to be found and only what they gave for it, every exported profile logged."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from import_export.forms import SelectableFieldsExportForm

from catalogue.models import Theme
from experts.exports import ExpertProfileExport
from experts.models import DocumentAccess, ExpertProfile
from portal import roles
from portal.services import export_personal_data
from tests.conftest import make_user

from .factories import ExpertProfileFactory, LanguageFactory, upload

pytestmark = pytest.mark.django_db

URL = reverse("admin:experts_expertprofile_export")
COLUMNS = {
    SelectableFieldsExportForm.create_boolean_field_name(ExpertProfileExport, name): "on"
    for name in ExpertProfileExport().get_export_order()
}


def export(client, *, query=""):
    return client.post(URL + query, {"format": "0", "resource": "0", **COLUMNS})


def rows_of(response):
    assert response.status_code == 200, response.content[:300]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def staff(db):
    """Each staff role, with a second factor."""
    return {
        "skew": make_user("sam@example.org", role=roles.SKEW, staff=True, mfa=True),
        "giz": make_user("gina@example.org", role=roles.GIZ, staff=True, mfa=True),
        "coordinator": make_user("cora@example.org", role=roles.COORDINATOR, staff=True, mfa=True),
        "finance": make_user("fiona@example.org", role=roles.FINANCE, staff=True, mfa=True),
        "superuser": make_user("root@example.org", staff=True, superuser=True, mfa=True),
    }


@pytest.fixture
def pool(profile):
    """Erin (who consented, speaks French), Frida (consented, waste) and two who may not be
    found: Hanna, who did not consent, and Anton, anonymised."""
    ExpertProfile.objects.filter(pk=profile.pk).update(
        consent_to_be_found=True, country_of_residence="FR", keywords="composting, GIS"
    )
    LanguageFactory(expert=profile, language="fr", level="C1")
    upload(profile)
    frida = ExpertProfileFactory(full_name="Frida Fuchs", consent_to_be_found=True)
    frida.expertise.set([Theme.objects.get(code="waste")])
    ExpertProfileFactory(full_name="Hidden Hanna", consent_to_be_found=False)
    ExpertProfileFactory(
        full_name="Anonymised", consent_to_be_found=True, anonymised_at=timezone.now()
    )
    return ExpertProfile.objects.findable()


def test_only_experts_who_may_be_found_are_exported(pool, client_of, staff):
    rows = rows_of(export(client_of(staff["skew"])))
    assert [row[0] for row in rows[1:]] == ["Erin Eriksen", "Frida Fuchs"]


def test_the_export_holds_what_the_expert_gave_for_being_found_and_no_contact_or_files(
    pool, client_of, staff, profile
):
    rows = rows_of(export(client_of(staff["skew"])))
    erin = dict(zip(rows[0], rows[1], strict=True))
    assert erin["Country of residence"] == "France"
    assert erin["Languages"] == "French C1"
    assert erin["Keywords"] == "composting, GIS"
    content = "\n".join(",".join(row) for row in rows)
    assert profile.email not in content and "cv.pdf" not in content and "@" not in content


def test_the_export_follows_the_lists_filters(pool, client_of, staff):
    browser = client_of(staff["coordinator"])
    waste = Theme.objects.get(code="waste")
    by_theme = rows_of(export(browser, query=f"?expertise__id__exact={waste.pk}"))
    assert [row[0] for row in by_theme[1:]] == ["Frida Fuchs"]
    by_name = rows_of(export(browser, query="?q=Erin"))
    assert [row[0] for row in by_name[1:]] == ["Erin Eriksen"]
    # Filtering on "no consent" exports nobody: consent comes before the filters.
    refused = rows_of(export(browser, query="?consent_to_be_found__exact=0"))
    assert refused[1:] == []


def test_headers_and_values_come_in_german_and_french(pool, client_of, staff):
    for language, header, value in [
        ("de", "Sprachen", "Französisch C1"),
        ("fr", "Langues", "Français C1"),
    ]:
        staff["skew"].language = language
        staff["skew"].save(update_fields=["language"])
        rows = rows_of(export(client_of(staff["skew"]), query="?q=Erin"))
        assert dict(zip(rows[0], rows[1], strict=True))[header] == value


def test_every_exported_profile_is_logged_with_who_exported_it(pool, client_of, staff, profile):
    rows_of(export(client_of(staff["giz"])))
    logged = DocumentAccess.objects.filter(action=DocumentAccess.Action.EXPORT)
    assert sorted(logged.values_list("expert__full_name", flat=True)) == [
        "Erin Eriksen",
        "Frida Fuchs",
    ]
    assert set(logged.values_list("user", flat=True)) == {staff["giz"].pk}
    assert not logged.filter(document__isnull=False).exists()
    # The expert reads it in her own data.
    views = export_personal_data(user=profile.user)["expert_profile"]["document_views"]
    assert [view["what"] for view in views] == ["export"]


@pytest.mark.parametrize("role", ["skew", "giz", "coordinator", "superuser"])
def test_staff_who_work_with_experts_export_them(pool, client_of, staff, role):
    browser = client_of(staff[role])
    assert len(rows_of(export(browser))) == 3
    changelist = browser.get(reverse("admin:experts_expertprofile_changelist"))
    assert 'class="export_link"' in changelist.content.decode()


def test_finance_reads_the_profiles_but_exports_none(pool, client_of, staff):
    browser = client_of(staff["finance"])
    assert export(browser).status_code == 403
    assert browser.get(URL).status_code == 403
    changelist = browser.get(reverse("admin:experts_expertprofile_changelist"))
    assert changelist.status_code == 200
    assert 'class="export_link"' not in changelist.content.decode()
    assert not DocumentAccess.objects.exists()


def test_experts_and_applicants_export_nothing(pool, client_of, erin, alice):
    for person in (erin, alice):
        response = export(client_of(person))
        assert response.status_code == 302
        assert "Content-Disposition" not in response
    assert not DocumentAccess.objects.filter(action="export").exists()
