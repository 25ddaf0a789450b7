"""The documents of placements, rendered for real and read back: content in the reader's
language, names with accents and in Greek and Cyrillic, metadata and tags for screen readers,
escaped user text, page counts, and queries that do not grow with the rows."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalogue.models import DeploymentType
from experts.models import ExpertProfile
from placements import pdf
from placements.models import (
    Case,
    CaseEvent,
    Indicator,
    IndicatorValue,
    Mission,
    MissionObjective,
    MissionReport,
)
from placements.reporting import plan_reports
from tests.experts.factories import case_for, mission_for
from tests.partnerships.factories import CommuneFactory, PartnershipFactory
from tests.portal.pdfs import facts_of, text_of

pytestmark = pytest.mark.django_db

GREEK = "Ελένη Παπαδοπούλου"
CYRILLIC = "Дмитрий Иванов"


@pytest.fixture
def mission(alice, partnership):
    """Kpalimé's mission with Ελένη, objectives with an indicator, the first report accepted."""
    profile = ExpertProfile.objects.create(full_name=GREEK, email="eleni@example.org")
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    Case.objects.filter(pk=mission.case_id).update(
        deployment_type=DeploymentType.objects.get(code="integrated"),
        competence_profile="Ingénieure en gestion des déchets, Erfahrung in Görlitz.",
    )
    objective = MissionObjective.objects.create(
        mission=mission, title="Collecte dans tous les quartiers"
    )
    indicator = Indicator.objects.create(
        objective=objective, name="Districts served", unit="%", baseline=50, target=100
    )
    plan_reports(mission)
    first = mission.reports.order_by("number").first()
    MissionReport.objects.filter(pk=first.pk).update(
        status=MissionReport.Status.ACCEPTED,
        results="Compost site opened with the women's cooperative of Kpalimé.",
        transparency="Budget published at the town hall.",
        submitted_at=timezone.now(),
    )
    IndicatorValue.objects.create(report=first, indicator=indicator, value=70)
    return mission


def summary(case) -> bytes:
    return pdf.case_summary_pdf(Case.objects.filter(pk=case.pk)).pdf


def test_the_case_summary_shows_the_case_in_english(mission):
    text = text_of(summary(mission.case))

    for expected in (
        "Case summary",
        "Experts for Partners",
        "Leipzig",
        "Kpalimé",
        "Partnership and communes",
        "Integrated expert",
        "Ingénieure en gestion des déchets, Erfahrung in Görlitz.",
        GREEK,
        "Timeline",
        "Compost site opened with the women's cooperative of Kpalimé.",
        "Transparency",
        "Cooperation between departments and institutions",
        "Attention to women and other disadvantaged groups",
        "Budget published at the town hall.",
        "Sustainable Development Goals",
        "Page 1 of",
        "Generated on",
    ):
        assert expected in text, expected


def test_the_case_summary_is_in_the_readers_language(mission):
    with translation.override("fr"):
        french = text_of(summary(mission.case))
    with translation.override("de"):
        german = text_of(summary(mission.case))

    assert "Résumé du dossier" in french and "Page 1 sur" in french
    assert "Transparence" in french
    assert "Fallübersicht" in german and "Seite 1 von" in german


def test_documents_are_tagged_with_title_language_and_embedded_fonts(mission):
    with translation.override("fr"):
        facts = facts_of(summary(mission.case))

    assert facts["tagged"], "no structure tree (StructTreeRoot, MarkInfo)"
    assert facts["lang"] == "fr"
    assert facts["title"].startswith("Résumé du dossier")
    assert (
        facts["author"] == "Fonds d'expert·e·s pour les partenariats communaux dans le monde entier"
    )
    assert facts["display_title"]
    assert facts["fonts"] and all(embedded for _name, embedded in facts["fonts"])
    assert any("DejaVu" in name for name, _embedded in facts["fonts"])


def test_names_in_cyrillic_and_greek_are_printed_not_replaced(mission):
    Mission.objects.filter(pk=mission.pk).update(
        expert=ExpertProfile.objects.create(full_name=CYRILLIC)
    )
    mission.refresh_from_db()
    report = mission.reports.order_by("number").first()

    text = text_of(pdf.report_pdf(report).pdf)

    assert CYRILLIC in text
    assert "Kpalimé" in text


def test_user_text_is_escaped_and_fetches_nothing(alice, partnership):
    hostile = (
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    )
    case = case_for(partnership, created_by=alice, state="appraisal")
    case.eoi.title = hostile
    case.eoi.project_idea = "</p><script>alert(1)</script>"
    case.eoi.save()

    text = text_of(summary(case))

    assert 'src="file:///etc/passwd"' in text.replace("\n", "")
    assert "<script>alert(1)</script>" in text


def test_the_mission_report_shows_what_the_expert_wrote(mission):
    report = mission.reports.order_by("number").first()

    with translation.override("es"):
        text = text_of(pdf.report_pdf(report).pdf)

    assert "INFORME DE MISIÓN" in text
    assert "Compost site opened" in text
    assert "Districts served" in text and "70" in text
    assert GREEK in text


def test_the_decision_letter_tells_the_communes_the_approval_in_german(mission):
    with translation.override("de"):
        rendered = pdf.decision_letter_pdf(mission.case)
    text = text_of(rendered.pdf)

    assert "Leipzig" in text and "Kpalimé" in text
    assert "bewilligt" in text
    assert facts_of(rendered.pdf)["lang"] == "de"


def test_the_decision_letter_gives_the_reasons_of_a_decline(alice, partnership):
    case = case_for(partnership, created_by=alice, state="declined")
    Case.objects.filter(pk=case.pk).update(decline_reason="Le pays n'est pas éligible.")
    CaseEvent.objects.create(
        case=case, transition="decline", from_state="appraisal", to_state="declined"
    )

    with translation.override("fr"):
        text = text_of(pdf.decision_letter_pdf(case).pdf)

    assert "Le pays n'est pas éligible." in text
    assert "regrettons" in text


def test_there_is_no_decision_letter_before_the_decision(case):
    assert pdf.decision_of(case) is None
    with pytest.raises(ValueError):
        pdf.decision_letter_pdf(case)


def many_missions(count, *, created_by):
    """``count`` missions in Togo and Benin, each with its reports planned."""
    missions = []
    integrated = DeploymentType.objects.get(code="integrated")
    for n in range(count):
        partner = CommuneFactory(
            name=f"Commune {n} – Šiauliai", abroad=True, country="TG" if n % 2 else "BJ"
        )
        partnership = PartnershipFactory(partner=partner)
        case = case_for(partnership, created_by=created_by, state="active")
        Case.objects.filter(pk=case.pk).update(deployment_type=integrated)
        profile = ExpertProfile.objects.create(full_name=f"Expert {n} Müller")
        mission = Mission.objects.create(
            case=case, expert=profile, start=date(2025, 1, 1), planned_end=date(2027, 1, 1)
        )
        plan_reports(mission)
        missions.append(mission)
    return missions


def test_a_long_portfolio_runs_over_many_pages_with_its_totals(alice):
    many_missions(60, created_by=alice)

    rendered = pdf.portfolio_pdf(Mission.objects.all(), {})
    text = text_of(rendered.pdf)

    assert rendered.pages >= 8
    assert facts_of(rendered.pdf)["pages"] == rendered.pages
    assert f"Page {rendered.pages} of {rendered.pages}" in text
    assert "Missions by country and deployment model" in text
    assert "Benin" in text and "Togo" in text
    assert "Commune 59 – Šiauliai" in text
    assert "Expert 7 Müller" in text


def test_the_portfolio_follows_its_filters(alice):
    missions = many_missions(4, created_by=alice)
    Case.objects.filter(pk=missions[0].case_id).update(
        deployment_type=DeploymentType.objects.get(code="national")
    )

    chosen = pdf.portfolio_missions(Mission.objects.all(), {"country": "TG", "model": "integrated"})

    assert set(chosen) == {missions[1], missions[3]}
    text = text_of(pdf.portfolio_pdf(chosen, {"country": "TG", "model": "integrated"}).pdf)
    assert "Expert 1 Müller" in text and "Expert 0 Müller" not in text


def queries_of(render) -> int:
    with CaptureQueriesContext(connection) as queries:
        render()
    return len(queries.captured_queries)


def test_the_portfolio_costs_the_same_queries_for_few_and_many_missions(alice):
    few = many_missions(2, created_by=alice)
    few_queries = queries_of(
        lambda: pdf.portfolio_context(Mission.objects.filter(pk__in=[m.pk for m in few]), {})
    )
    many_missions(8, created_by=alice)

    assert queries_of(lambda: pdf.portfolio_context(Mission.objects.all(), {})) == few_queries


def test_the_case_summary_costs_the_same_queries_with_more_reports_and_events(mission):
    before = queries_of(
        lambda: pdf.case_summaries(pdf.cases_for_summary(Case.objects.filter(pk=mission.case_id)))
    )
    Mission.objects.filter(pk=mission.pk).update(planned_end=mission.start + timedelta(days=1500))
    mission.refresh_from_db()
    plan_reports(mission)
    for n in range(5):
        CaseEvent.objects.create(case=mission.case, transition=f"t{n}", to_state="active")

    after = queries_of(
        lambda: pdf.case_summaries(pdf.cases_for_summary(Case.objects.filter(pk=mission.case_id)))
    )

    assert after == before


def test_a_portfolio_of_cases_shows_those_before_their_mission_with_totals(alice):
    missions = many_missions(2, created_by=alice)
    early = case_for(
        PartnershipFactory(partner=CommuneFactory(name="Sokodé", abroad=True, country="TG")),
        created_by=alice,
        state="appraisal",
    )
    case_for(
        PartnershipFactory(partner=CommuneFactory(name="Parakou", abroad=True, country="BJ")),
        created_by=alice,
        state="screening",
    )

    chosen = pdf.portfolio_rows(
        Mission.objects.all(), Case.objects.all(), {"subject": "cases", "country": "TG"}
    )

    assert set(chosen) == {missions[1].case, early}
    rendered = pdf.portfolio_pdf(chosen, {"subject": "cases", "country": "TG"})
    text = " ".join(text_of(rendered.pdf).split())
    assert "Cases by country and deployment model" in text
    # The totals: 2 cases, 1 not yet in a mission, 1 mission (pdftotext reads numbers first).
    assert "Totals 2 1 1 " in text and "cases not yet in a mission missions" in text
    assert "Expert 1 Müller" in text and "Expert 0 Müller" not in text
    assert "Not yet in a mission" in text and "Stage: Request · Appraisal" in text
    assert "Parakou" not in text


def test_the_portfolio_of_cases_costs_the_same_queries_for_few_and_many_cases(alice):
    def early_case(name):
        partner = CommuneFactory(name=name, abroad=True, country="TG")
        return case_for(PartnershipFactory(partner=partner), created_by=alice, state="appraisal")

    many_missions(2, created_by=alice)
    early_case("Sokodé")
    cases = {"subject": "cases"}
    few_queries = queries_of(
        lambda: pdf.portfolio_context(
            pdf.portfolio_rows(Mission.objects.all(), Case.objects.all(), cases), cases
        )
    )
    many_missions(6, created_by=alice)
    for name in ["Atakpamé", "Dapaong", "Kara", "Tsévié"]:
        early_case(name)

    assert (
        queries_of(
            lambda: pdf.portfolio_context(
                pdf.portfolio_rows(Mission.objects.all(), Case.objects.all(), cases), cases
            )
        )
        == few_queries
    )


def test_a_table_broken_across_pages_repeats_its_header_row(alice):
    """A breakdown of many countries runs over a page; its header row starts each page."""
    countries = ["AL", "AM", "AO", "AR", "AZ", "BA", "BD", "BF", "BI", "BJ", "BO", "BR", "BW"]
    countries += ["CD", "CI", "CL", "CM", "CO", "CR", "CU", "DZ", "EC", "EG", "ET", "GE", "GH"]
    countries += ["GN", "GT", "HN", "ID", "IN", "JO", "KE", "KG", "KH", "LB", "LK", "MA", "MD"]
    countries += ["MG", "MK", "ML", "MN", "MW", "MX", "MZ", "NA", "NE", "NG", "NI", "NP", "PE"]
    for code in countries:
        partner = CommuneFactory(name=f"Commune {code}", abroad=True, country=code)
        case_for(PartnershipFactory(partner=partner), created_by=alice, state="submitted")

    rendered = pdf.portfolio_pdf(Case.objects.all(), {"subject": "cases"})
    # The table comes before the charts (the blocks after them name the countries too).
    pages = text_of(rendered.pdf).split("Charts")[0].split("\f")

    names = ["Albania", "Kenya", "Peru"]
    with_rows = [page for page in pages if any(name in page for name in names)]
    assert len(with_rows) >= 2, "the table should run over more than one page"
    for page in with_rows:
        first_row = min(page.index(name) for name in names if name in page)
        header = page.rfind("Country", 0, first_row)
        assert header != -1 and "not yet chosen" in page[header:first_row]
