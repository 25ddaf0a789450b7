"""The ranking of candidate experts for a case, with worked examples of the explained score.

The case: waste management in Kpalimé (Togo), integrated expert (European nationality), start
1 September 2027, French at B2 or better. Weights: skills 35, languages 30, availability 15,
experience in the host country 10, years in municipal administration 10 (full at 10 years).
"""

from datetime import date

import pytest

from catalogue.models import DeploymentType, Theme
from experts.models import ExpertLanguage, ExpertProfile
from partnerships.models import RequiredLanguage
from placements import matching
from placements import services as recruitment
from placements.models import Application
from tests.placements.factories import ExpertProfileFactory, advance, agree_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def integrated_case(case):
    RequiredLanguage.objects.create(eoi=case.eoi, language="fr", level="B2")
    return agree_profile(case, model=DeploymentType.Code.INTEGRATED)


def expert(
    name,
    *,
    nationalities=("DE",),
    french="C1",
    available=date(2027, 6, 1),
    worked_in=("TG",),
    years=10,
    themes=(Theme.Code.WASTE,),
    consent=True,
):
    profile = ExpertProfileFactory(
        full_name=name,
        nationalities=list(nationalities),
        earliest_availability=available,
        countries_worked_in=list(worked_in),
        years_municipal_experience=years,
        consent_to_be_found=consent,
    )
    profile.expertise.set(Theme.objects.filter(code__in=themes))
    if french:
        ExpertLanguage.objects.create(expert=profile, language="fr", level=french)
    return profile


def ranking(case, **filters):
    pool, requirements = matching.ranked(case, filters=filters)
    return {e.full_name: (e, matching.explain(e, requirements)) for e in pool}, list(pool)


def test_an_expert_who_matches_everything_scores_100_with_every_reason_ticked(integrated_case):
    expert("Eva Perfect")
    rows, _ = ranking(integrated_case)
    eva, why = rows["Eva Perfect"]
    assert eva.eligible and round(eva.score) == 100
    assert why["skills"] == (1, 1)
    assert why["languages"] == [("fr", "B2", True)]
    assert why["available"] and why["country_experience"]
    assert why["ineligible_reasons"] == []


def test_an_expert_without_the_language_loses_its_30_points_and_says_so(integrated_case):
    expert("Lars Nofrench", french=None)
    expert("Lea Lowfrench", french="A2")
    rows, _ = ranking(integrated_case)
    for name in ("Lars Nofrench", "Lea Lowfrench"):
        profile, why = rows[name]
        assert round(profile.score) == 70
        assert why["languages"] == [("fr", "B2", False)]


def test_an_expert_of_the_wrong_nationality_is_shown_apart_with_the_reason(integrated_case):
    expert("Kofi National", nationalities=("TG",))
    expert("Eva Perfect")
    rows, ordered = ranking(integrated_case)
    kofi, why = rows["Kofi National"]
    assert not kofi.eligible
    assert "requires a European (EU, EEA or Swiss) nationality" in why["ineligible_reasons"][0]
    # Never dropped: listed after every eligible expert.
    assert [e.full_name for e in ordered] == ["Eva Perfect", "Kofi National"]


def test_the_same_expert_is_eligible_for_a_national_expert_case(integrated_case):
    kofi = expert("Kofi National", nationalities=("TG",))
    integrated_case.deployment_type = DeploymentType.objects.get(code="national")
    integrated_case.save(update_fields=["deployment_type"])
    rows, _ = ranking(integrated_case)
    assert rows[kofi.full_name][0].eligible


def test_an_expert_available_too_late_loses_the_availability_points(integrated_case):
    expert("Tom Late", available=date(2028, 3, 1))
    expert("Una Known", available=None)
    rows, _ = ranking(integrated_case)
    assert round(rows["Tom Late"][0].score) == 85
    assert not rows["Tom Late"][1]["available"]
    assert round(rows["Una Known"][0].score) == 85


def test_years_and_country_experience_add_their_share(integrated_case):
    expert("Nina Novice", worked_in=(), years=3)
    rows, _ = ranking(integrated_case)
    # 35 + 30 + 15 + 0 (no experience in Togo) + 3 (3 of 10 years)
    assert round(rows["Nina Novice"][0].score) == 83


def test_applicants_come_first_then_the_consenting_pool_and_nobody_else(integrated_case, sam):

    case = advance(integrated_case, "published", by=sam)
    strong = expert("Eva Perfect")
    weak = expert("Walter Weak", french=None, worked_in=(), years=0, consent=False)
    expert("Hidden Hanna", consent=False)
    recruitment.apply(vacancy=case.vacancy, expert=weak, motivation="I would love to go.")
    _rows, ordered = ranking(case)
    names = [e.full_name for e in ordered]
    assert names[:2] == [weak.full_name, strong.full_name]
    assert "Hidden Hanna" not in names
    assert ordered[0].is_applicant


def test_a_withdrawn_applicant_without_consent_leaves_the_pool(integrated_case, sam):

    case = advance(integrated_case, "published", by=sam)
    walter = expert("Walter Weak", consent=False)
    application = recruitment.apply(vacancy=case.vacancy, expert=walter, motivation="Yes.")
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    _rows, ordered = ranking(case)
    assert walter.full_name not in [e.full_name for e in ordered]


def test_filters_narrow_the_pool(integrated_case):
    expert("Eva Perfect")
    expert("Fritz Spanish", french=None, nationalities=("AT",))
    ExpertLanguage.objects.create(
        expert=expert("Sara Spanish", french=None, available=date(2029, 1, 1)),
        language="es",
        level="C2",
    )
    _rows, ordered = ranking(integrated_case, language="es")
    assert [e.full_name for e in ordered] == ["Sara Spanish"]
    _rows, ordered = ranking(integrated_case, nationality="AT")
    assert [e.full_name for e in ordered] == ["Fritz Spanish"]
    _rows, ordered = ranking(integrated_case, available_by=date(2027, 12, 31))
    assert "Sara Spanish" not in [e.full_name for e in ordered]
    _rows, ordered = ranking(integrated_case, skill=Theme.objects.get(code=Theme.Code.WATER))
    assert ordered == []


def test_ranking_is_one_query_whatever_the_pool(integrated_case, django_assert_num_queries):
    for n in range(30):
        expert(f"Expert {n:02d}")
    pool, requirements = matching.ranked(integrated_case)
    with django_assert_num_queries(1):
        ranked = list(pool[:50])
    assert len(ranked) == 30
    with django_assert_num_queries(0):
        [matching.explain(e, requirements) for e in ranked]


def test_the_ranking_follows_the_changes_of_an_expert(integrated_case):
    lars = expert("Lars Nofrench", french=None, themes=())
    rows, _ = ranking(integrated_case)
    assert round(rows["Lars Nofrench"][0].score) == 35

    ExpertLanguage.objects.create(expert=lars, language="fr", level="C2")
    lars.expertise.set(Theme.objects.filter(code=Theme.Code.WASTE))
    rows, _ = ranking(integrated_case)
    assert round(rows["Lars Nofrench"][0].score) == 100

    ExpertProfile.objects.filter(pk=lars.pk).update(nationalities="TG")
    rows, _ = ranking(integrated_case)
    assert not rows["Lars Nofrench"][0].eligible

    lars.consent_to_be_found = False
    lars.save()
    rows, _ = ranking(integrated_case)
    assert "Lars Nofrench" not in rows


def test_the_best_are_the_first_of_the_ranking_with_the_ineligible_apart(integrated_case):
    for n, french in enumerate(["C2", "B2", None, "A1", "C1"]):
        expert(f"Expert {n}", french=french, years=n)
        expert(f"National {n}", french=french, years=n, nationalities=("TG",))
    _rows, ordered = ranking(integrated_case)

    eligible, ineligible, requirements = matching.best(integrated_case, eligible=3, ineligible=2)

    def described(experts):
        return [(e.pk, e.score, matching.explain(e, requirements)) for e in experts]

    assert described(eligible) == described([e for e in ordered if e.eligible][:3])
    assert described(ineligible) == described([e for e in ordered if not e.eligible][:2])
