"""The matching page's rows written in Python (placements.matching_rows) are the HTML the
template admin/placements/case/matching_rows.html writes, in every language, for every kind of
row: applicant or not, each application status, shared or not, with and without actions, an
availability known or not, ineligible reasons, and names and notes that need escaping."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from placements.matching_rows import matching_table
from placements.models import Application

TOKEN = "t0k3n" * 12


def expert(name, *, applicant=False, score=61.5, start=None):
    return SimpleNamespace(
        full_name=name, is_applicant=applicant, score=score, earliest_availability=start
    )


def why(*, skills=(2, 3), languages=(), available=True, worked=True, years=4, reasons=()):
    return {
        "skills": skills,
        "languages": list(languages),
        "available": available,
        "country_experience": worked,
        "years": years,
        "ineligible_reasons": list(reasons),
        "nationalities": "Germany, Côte d'Ivoire",
    }


def application(status, *, shared=False, notes="", interview=""):
    return Application(
        status=status, shared_with_commune=shared, screening_notes=notes, interview_notes=interview
    )


ROWS = [
    (
        expert("Ada <Lovelace> & Co", applicant=True),
        why(languages=[("fr", "B2", True), ("en", "C1", False)]),
        application("shortlisted", shared=True, notes="<script>x</script>", interview="O'Brien"),
        "/admin/experts/expertprofile/1/change/?a=1&b=2",
        "1",
    ),
    (
        expert("Bea", score=0.0, start=datetime.date(2027, 3, 1)),
        why(skills=(0, 0), available=False, worked=False, years=None),
        application("selected"),
        "/admin/experts/expertprofile/2/change/",
        "2",
    ),
    (
        expert("Cem", score=100.0),
        why(available=False, reasons=["Integrated expert requires a European nationality."]),
        None,
        "/admin/experts/expertprofile/3/change/",
        "3",
    ),
    (
        expert("Dora", score=12.49),
        why(years=0),
        application("declined"),
        "/admin/experts/expertprofile/4/change/",
        "4",
    ),
]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("can_act", [True, False])
@pytest.mark.parametrize("rows", [ROWS, []], ids=["rows", "none"])
def test_the_rows_are_the_templates_html(language, can_act, rows):
    action_url = "/admin/placements/case/7/matching/action/?x=1&y=2"
    with translation.override(language):
        expected = render_to_string(
            "admin/placements/case/matching_rows.html",
            {"rows": rows, "can_act": can_act, "action_url": action_url, "csrf_token": TOKEN},
        )
        written = matching_table(rows, can_act=can_act, action_url=action_url, csrf_token=TOKEN)

    assert written == expected
