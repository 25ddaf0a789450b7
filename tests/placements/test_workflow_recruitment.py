"""The recruitment stage of the case workflow: drafting and publishing the vacancy, the shortlist,
the nationality each deployment model asks of the chosen expert, the host commune's choice, the
contract party and the salary top-up, and a recruitment that fails."""

from datetime import date

import pytest
from django.utils import timezone

from catalogue.models import DeploymentType
from placements.models import Application, Case, SalaryTopUp, Vacancy

from .factories import (
    ExpertProfileFactory,
    advance,
    choose_expert,
    prepare,
    save_fields,
    shortlist_expert,
)
from .helpers import Code, S, attempt, guard_messages, recipients

# Guards


def test_drafting_the_vacancy_prefills_it_from_the_agreed_profile(case, sam):
    case = advance(case, S.APPROVED, by=sam)

    attempt(case, "draft_vacancy", by=sam)

    vacancy = Vacancy.objects.get(case=case)
    assert (vacancy.title, vacancy.tasks) == ("Waste management in Kpalimé", case.tasks)
    assert vacancy.closing_date > timezone.localdate()
    assert vacancy.published_at is None


def test_publishing_the_vacancy_puts_it_online(case, sam):
    case = advance(case, S.VACANCY_DRAFTED, by=sam)

    attempt(case, "publish_vacancy", by=sam)

    assert Vacancy.objects.published().get().case == case


def test_a_vacancy_cannot_be_published_before_it_is_drafted(case, sam):
    case = advance(case, S.VACANCY_DRAFTED, by=sam)
    Vacancy.objects.filter(case=case).delete()

    messages = guard_messages(case, "publish_vacancy", by=sam)

    assert messages == ["Draft the vacancy first."]


@pytest.mark.parametrize("closing_date", [None, date(2020, 1, 31)])
def test_a_vacancy_needs_a_closing_date_in_the_future_to_be_published(closing_date, case, sam):
    case = advance(case, S.VACANCY_DRAFTED, by=sam)
    Vacancy.objects.filter(case=case).update(closing_date=closing_date)

    messages = guard_messages(case, "publish_vacancy", by=sam)

    assert messages == ["Give the vacancy a closing date in the future."]


def test_an_empty_shortlist_cannot_be_sent(case, sam):
    case = advance(case, S.SCREENING, by=sam)

    messages = guard_messages(case, "send_shortlist", by=sam)

    assert messages == ["Put at least one candidate on the shortlist first."]


def test_sending_the_shortlist_shows_it_to_the_host_commune_and_tells_its_members(
    case, sam, mailoutbox, django_capture_on_commit_callbacks
):
    case = shortlist_expert(advance(case, S.SCREENING, by=sam), by=sam)

    with django_capture_on_commit_callbacks(execute=True):
        attempt(case, "send_shortlist", by=sam)

    assert Application.objects.get(vacancy__case=case).shared_with_commune
    assert recipients(mailoutbox) == ["pierre@example.org"]


def test_a_candidate_cannot_be_selected_before_an_expert_is_chosen(case, sam):
    case = advance(case, S.SHORTLIST_SENT, by=sam)

    messages = guard_messages(case, "select_candidate", by=sam)

    assert messages == ["Choose the selected expert first."]


@pytest.mark.parametrize(
    ("model", "label"),
    [(Code.INTEGRATED, "Integrated expert"), (Code.TECHNICAL_ASSISTANT, "Technical assistant")],
)
@pytest.mark.parametrize(
    ("name", "start"),
    [("select_candidate", S.SHORTLIST_SENT), ("start_contracting", S.CANDIDATE_SELECTED)],
)
def test_integrated_experts_and_technical_assistants_need_a_european_nationality(
    name, start, model, label, case, sam
):
    case = prepare(advance(case, start, by=sam, model=model), name, model=model)
    kofi = ExpertProfileFactory(full_name="Kofi Mensah", nationalities=["TG", "GH"])
    case = choose_expert(case, kofi)

    messages = guard_messages(case, name, by=sam)

    assert messages == [
        f"{label} requires a European (EU, EEA or Swiss) nationality; Kofi Mensah has none."
    ]


@pytest.mark.parametrize("nationalities", [["FR"], ["CH"], ["NO"], ["TG", "IT"]])
def test_a_nationality_of_the_eu_the_eea_or_switzerland_is_european(nationalities, case, sam):
    case = advance(case, S.SHORTLIST_SENT, by=sam)
    case = choose_expert(case, ExpertProfileFactory(nationalities=nationalities))

    attempt(case, "select_candidate", by=sam)

    assert Case.objects.get(pk=case.pk).state == S.CANDIDATE_SELECTED


@pytest.mark.parametrize(
    ("name", "start"),
    [("select_candidate", S.SHORTLIST_SENT), ("start_contracting", S.CANDIDATE_SELECTED)],
)
def test_a_national_expert_needs_the_nationality_of_the_host_country(name, start, case, sam):
    case = prepare(advance(case, start, by=sam, model=Code.NATIONAL), name, model=Code.NATIONAL)
    anna = ExpertProfileFactory(full_name="Anna Schmidt", nationalities=["DE"])
    case = choose_expert(case, anna)

    messages = guard_messages(case, name, by=sam)

    assert messages == [
        "A national expert must have the nationality of the host country; Anna Schmidt has not."
    ]


def test_a_togolese_expert_may_be_a_national_expert_in_togo(case, sam):
    case = advance(case, S.SHORTLIST_SENT, by=sam, model=Code.NATIONAL)
    case = choose_expert(case, ExpertProfileFactory(nationalities=["TG"]))

    attempt(case, "select_candidate", by=sam)

    assert Case.objects.get(pk=case.pk).state == S.CANDIDATE_SELECTED


@pytest.mark.parametrize(
    ("name", "start"),
    [("select_candidate", S.SHORTLIST_SENT), ("start_contracting", S.CANDIDATE_SELECTED)],
)
def test_the_programme_cannot_go_on_before_the_host_commune_has_chosen_the_expert(
    name, start, case, sam
):
    case = prepare(advance(case, start, by=sam), name)
    case = save_fields(case, host_commune_chose_expert=False)

    messages = guard_messages(case, name, by=sam)

    assert messages == ["The host commune has not chosen this expert yet."]


@pytest.mark.parametrize(
    ("model", "party", "message"),
    [
        (
            Code.INTEGRATED,
            "giz",
            "Integrated expert is contracted by: Host commune. Record that contract party first.",
        ),
        (
            Code.INTEGRATED,
            "",
            "Integrated expert is contracted by: Host commune. Record that contract party first.",
        ),
        (
            Code.NATIONAL,
            "giz",
            "National expert is contracted by: Host commune. Record that contract party first.",
        ),
        (
            Code.TECHNICAL_ASSISTANT,
            "host_commune",
            "Technical assistant is contracted by: GIZ. Record that contract party first.",
        ),
    ],
)
@pytest.mark.parametrize(
    ("name", "start"),
    [("start_contracting", S.CANDIDATE_SELECTED), ("prepare_departure", S.CONTRACTING)],
)
def test_the_contract_party_must_be_the_one_of_the_deployment_model(
    name, start, model, party, message, case, sam
):
    case = prepare(advance(case, start, by=sam, model=model), name, model=model)
    case = save_fields(case, contract_party=party)

    messages = guard_messages(case, name, by=sam)

    assert messages == [message]


@pytest.mark.parametrize(
    ("name", "start"),
    [("start_contracting", S.CANDIDATE_SELECTED), ("prepare_departure", S.CONTRACTING)],
)
def test_an_integrated_expert_needs_the_salary_top_up_recorded(name, start, case, sam):
    case = prepare(advance(case, start, by=sam), name)
    SalaryTopUp.objects.filter(case=case).delete()

    messages = guard_messages(case, name, by=sam)

    assert messages == ["Record the local salary and the programme's top-up first."]


@pytest.mark.parametrize("model", [Code.TECHNICAL_ASSISTANT, Code.NATIONAL])
def test_other_models_need_no_salary_top_up(model, case, sam):
    case = advance(case, S.PREPARING_DEPARTURE, by=sam, model=model)

    assert not SalaryTopUp.objects.filter(case=case).exists()
    assert case.contract_party == DeploymentType.objects.get(code=model).contract_party


# Effects


def test_a_failed_recruitment_forgets_the_candidate_and_publishes_again(case, sam):
    case = advance(case, S.CONTRACTING, by=sam)
    assert case.selected_expert is not None

    attempt(case, "recruitment_failed", by=sam, reason="The candidate took another job.")

    case = Case.objects.get(pk=case.pk)
    assert case.state == S.PUBLISHED
    assert (case.selected_expert, case.host_commune_chose_expert) == (None, False)
