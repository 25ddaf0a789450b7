import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from import_export.formats import base_formats

from partnerships.models import Commune, Partnership
from partnerships.resources import COLUMNS, CommuneResource, PartnershipImportResource
from tests.conftest import make_user

HEADER = ",".join(COLUMNS)
BONN_CAPE_COAST = (
    "Bonn,Nordrhein-Westfalen,330579,Cape Coast,GH,Central Region,city,1996,ja,1996-05-23,"
    'established,"water, Climate change and adaptation",School exchanges since 1996'
)
BONN_OUAGADOUGOU = "bonn,nordrhein-westfalen,,Ouagadougou,Burkina Faso,,city,2004,oui,,,waste,"
JENA_SAN_MARCOS = "Jena,Thüringen,110502,San Marcos,NIC,Carazo,,1989,0,,being built,,"
GOOD_ROWS = [BONN_CAPE_COAST, BONN_OUAGADOUGOU, JENA_SAN_MARCOS]


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def csv_dataset(*rows, header=HEADER):
    return base_formats.CSV().create_dataset("\n".join([header, *rows]) + "\n")


def import_rows(*rows, dry_run=False, header=HEADER):
    return PartnershipImportResource().import_data(
        csv_dataset(*rows, header=header), dry_run=dry_run
    )


def row_errors(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in result.invalid_rows}


@pytest.fixture
def ada(db):
    """Superuser with two-factor authentication."""
    return make_user("ada@example.org", staff=True, superuser=True, mfa=True, name="Ada Arendt")


@pytest.mark.django_db
def test_a_good_file_imports_each_partnership_and_each_commune_once():
    result = import_rows(*GOOD_ROWS)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert Partnership.objects.count() == 3
    assert Commune.objects.count() == 5
    bonn = Commune.objects.get(name="Bonn")
    assert (bonn.country.code, bonn.region, bonn.population) == (
        "DE",
        "Nordrhein-Westfalen",
        330579,
    )
    cape_coast = Partnership.objects.get(name="Bonn – Cape Coast")
    assert cape_coast.german_commune == bonn
    assert [
        (c.name, c.country.code, c.region, c.kind) for c in cape_coast.partner_communes.all()
    ] == [("Cape Coast", "GH", "Central Region", "city")]
    assert cape_coast.since_year == 1996
    assert cape_coast.formal_agreement is True
    assert cape_coast.agreement_date == datetime.date(1996, 5, 23)
    assert cape_coast.status == Partnership.Status.ESTABLISHED
    assert sorted(cape_coast.themes.values_list("code", flat=True)) == ["climate", "water"]
    assert cape_coast.previous_activities == "School exchanges since 1996"
    ouagadougou = Partnership.objects.get(partner_communes__name="Ouagadougou")
    assert ouagadougou.german_commune == bonn
    assert ouagadougou.partner_communes.get().country.code == "BF"
    assert list(ouagadougou.themes.values_list("code", flat=True)) == ["waste"]
    jena = Partnership.objects.get(german_commune__name="Jena")
    assert jena.status == Partnership.Status.BEING_BUILT
    assert jena.formal_agreement is False
    assert jena.partner_communes.get().kind == Commune.Kind.MUNICIPALITY


@pytest.mark.django_db
def test_existing_communes_and_partnerships_are_reused_when_a_file_is_imported_again():
    import_rows(*GOOD_ROWS)

    result = import_rows(*GOOD_ROWS)

    assert not result.has_validation_errors()
    assert result.totals["update"] == 3
    assert Partnership.objects.count() == 3
    assert Commune.objects.count() == 5


@pytest.mark.django_db
def test_a_file_with_a_bad_row_reports_line_and_reason_and_imports_nothing():
    atlantis = "Kiel,Schleswig-Holstein,,Poseidonia,Atlantis,,,2001,yes,,,,"

    result = import_rows(BONN_CAPE_COAST, atlantis, JENA_SAN_MARCOS)

    assert result.has_validation_errors()
    errors = row_errors(result)
    assert list(errors) == [2]
    assert errors[2]["partner_country"] == [
        "Unknown country “Atlantis”. Give its two-letter ISO code (for example GH) or its "
        "English name (Ghana)."
    ]
    assert Partnership.objects.count() == 0
    assert Commune.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("partner_country", "FR", "France is not on the list of eligible countries"),
        ("partner_country", "", "The country is missing."),
        ("german_country", "Austria", "The German commune must be in Germany, not in Austria."),
        ("since_year", "2999", "The year 2999 is in the future."),
        ("since_year", "1850", "The year 1850 is before 1900"),
        ("since_year", "long ago", "“long ago” is not a year."),
        ("agreement_date", "23.05.1996", "“23.05.1996” is not a date. Write it as YYYY-MM-DD"),
        ("agreement_date", "1996-02-30", "“1996-02-30” is not a date."),
        ("formal_agreement", "maybe", "“maybe” is neither yes nor no."),
        ("themes", "water, football", "Unknown themes: football."),
        ("status", "planned", "Unknown status “planned”."),
        ("partner_kind", "village", "Unknown kind of commune “village”."),
        ("german_population", "many", "“many” is not a number of inhabitants."),
        ("german_commune", "", "The name is missing."),
    ],
)
@pytest.mark.django_db
def test_each_bad_value_is_refused_with_its_reason(column, value, reason):
    values = dict.fromkeys([*COLUMNS, "german_country"], "")
    values.update(german_commune="Kiel", partner_commune="Moshi", partner_country="TZ")
    values[column] = value
    header = ",".join(values)
    row = ",".join(f'"{cell}"' for cell in values.values())

    result = import_rows(BONN_CAPE_COAST, row, header=header)

    errors = row_errors(result)
    assert list(errors) == [2]
    assert any(reason in message for message in errors[2][column]), errors
    assert Partnership.objects.count() == 0


@pytest.mark.django_db
def test_a_german_commune_named_twice_needs_its_region():
    Commune.objects.create(name="Neustadt", country="DE", region="Hessen")
    Commune.objects.create(name="Neustadt", country="DE", region="Sachsen")
    row = "Neustadt,,,Moshi,TZ,,,,,,,,"

    errors = row_errors(import_rows(row))

    assert "give the region" in errors[1]["german_commune"][0]
    result = import_rows("Neustadt,sachsen,,Moshi,TZ,,,,,,,,")
    assert not result.has_validation_errors()
    assert Partnership.objects.get().german_commune.region == "Sachsen"


@pytest.mark.django_db
def test_a_file_with_wrong_columns_is_refused_before_any_row():
    result = import_rows("Bonn,Cape Coast,GH", header="german_commune,partner_commune,contry")

    assert result.has_errors()
    message = str(result.base_errors[0].error)
    assert "Missing columns: partner_country." in message
    assert "Unknown columns: contry." in message
    assert Partnership.objects.count() == 0


@pytest.mark.django_db
def test_blank_lines_are_skipped():
    result = import_rows(BONN_CAPE_COAST, ",,,,,,,,,,,,", JENA_SAN_MARCOS)

    assert not result.has_validation_errors()
    assert Partnership.objects.count() == 2


@pytest.mark.django_db
def test_a_dry_run_reports_the_rows_and_imports_nothing():
    result = import_rows(*GOOD_ROWS, dry_run=True)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert Partnership.objects.count() == 0
    assert Commune.objects.count() == 0


def xlsx_file(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_ROWS = [
    # Spreadsheets give numbers, dates and booleans as such, not as text.
    [
        "Bonn",
        "Nordrhein-Westfalen",
        330579,
        "Cape Coast",
        "Ghana",
        None,
        "city",
        1996,
        True,
        datetime.date(1996, 5, 23),
        "established",
        "water",
        None,
    ],
    [
        "Jena",
        "Thüringen",
        110502.0,
        "San Marcos",
        "NI",
        "Carazo",
        None,
        1989.0,
        "nein",
        None,
        None,
        None,
        "Visits",
    ],
]


@pytest.mark.django_db
def test_an_xlsx_file_imports():
    dataset = base_formats.XLSX().create_dataset(xlsx_file(XLSX_ROWS))

    result = PartnershipImportResource().import_data(dataset)

    assert not result.has_errors() and not result.has_validation_errors()
    cape_coast = Partnership.objects.get(name="Bonn – Cape Coast")
    assert cape_coast.agreement_date == datetime.date(1996, 5, 23)
    assert cape_coast.formal_agreement is True
    jena = Partnership.objects.get(name="Jena – San Marcos")
    assert (jena.since_year, jena.formal_agreement) == (1989, False)
    assert jena.german_commune.population == 110502


@pytest.mark.django_db
def test_an_export_imports_again_without_changes():
    import_rows(*GOOD_ROWS)
    exported = PartnershipImportResource().export(Partnership.objects.all())
    assert exported.headers == list(COLUMNS)

    result = PartnershipImportResource().import_data(
        base_formats.CSV().create_dataset(exported.csv)
    )

    assert not result.has_validation_errors()
    assert result.totals["update"] == 3
    assert Commune.objects.count() == 5


@pytest.mark.django_db
def test_communes_import_with_country_names_and_again_without_duplicates():
    csv = "name,country,region,kind,population,website\nMoshi,Tanzania,Kilimanjaro,city,,\n"

    for _ in range(2):
        result = CommuneResource().import_data(base_formats.CSV().create_dataset(csv))
        assert not result.has_validation_errors()

    moshi = Commune.objects.get()
    assert (moshi.country.code, moshi.kind) == ("TZ", "city")


# --- Through the admin --------------------------------------------------------------------------


def upload(client, content: bytes, name: str, format_index: str):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        reverse("admin:partnerships_partnership_import"),
        {"resource": "0", "format": format_index, "import_file": file},
    )


def test_staff_import_a_file_in_the_admin_after_a_preview(client, ada):
    client.force_login(ada)
    content = ("\n".join([HEADER, *GOOD_ROWS]) + "\n").encode()

    preview = upload(client, content, "partnerships.csv", "0")

    assert preview.status_code == 200
    assert "Confirm import" in preview.content.decode()
    assert Partnership.objects.count() == 0
    confirm_form = preview.context["confirm_form"]
    response = client.post(
        reverse("admin:partnerships_partnership_process_import"), confirm_form.initial
    )
    assert response.status_code == 302
    assert Partnership.objects.count() == 3


def test_the_admin_shows_the_bad_rows_and_offers_no_import(client, ada):
    client.force_login(ada)
    atlantis = "Kiel,Schleswig-Holstein,,Poseidonia,Atlantis,,,2001,yes,,,,"
    content = ("\n".join([HEADER, BONN_CAPE_COAST, atlantis]) + "\n").encode()

    response = upload(client, content, "partnerships.csv", "0")

    page = response.content.decode()
    assert "Some rows failed to validate" in page
    assert "Unknown country “Atlantis”" in page
    assert "Confirm import" not in page
    assert Partnership.objects.count() == 0


def test_the_admin_imports_xlsx_and_refuses_a_disguised_file(client, ada):
    client.force_login(ada)

    preview = upload(client, xlsx_file(XLSX_ROWS), "partnerships.xlsx", "1")
    assert "Confirm import" in preview.content.decode()

    response = upload(client, b"german_commune,partner_commune\n", "partnerships.xlsx", "1")
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]


def test_a_csv_with_semicolons_from_a_german_excel_imports(client, ada):
    client.force_login(ada)
    rows = [
        "Bonn;Nordrhein-Westfalen;330579;Cape Coast;GH;;city;1996;ja;;;water;",
        'Jena;Thüringen;;San Marcos;NI;;;1989;nein;;;;"Besuche; Austausch"',
    ]
    content = ("\n".join([";".join(COLUMNS), *rows]) + "\n").encode("utf-8-sig")

    preview = upload(client, content, "partnerships.csv", "0")

    assert "Confirm import" in preview.content.decode()
    client.post(
        reverse("admin:partnerships_partnership_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert Partnership.objects.count() == 2
    assert Partnership.objects.get(name="Jena – San Marcos").previous_activities == (
        "Besuche; Austausch"
    )
