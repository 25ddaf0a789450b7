"""Placements' reminder source: three months before a running mission's planned end, the expert
(with an account) and the case officer are reminded once per planned end."""

from datetime import date

import pytest

from placements.models import Mission
from placements.reminders import mission_ending
from portal.models import SentReminder
from portal.registries import reminder_sources
from portal.reminders import send_due_reminders

from .factories import ExpertProfileFactory, save_fields

END = date(2027, 9, 30)
NOTICE_DAY = date(2027, 6, 30)  # three months before END


@pytest.fixture
def mission(case, erin, sam):
    """Erin's mission in the Leipzig–Kpalimé case, looked after by sam, ending on END."""
    save_fields(case, case_officer=sam)
    expert = ExpertProfileFactory(user=erin, full_name="Erin Eriksen")
    return Mission.objects.create(
        case=case, expert=expert, start=date(2025, 10, 1), planned_end=END
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today)

    return run


def test_placements_registers_its_source():
    assert mission_ending in reminder_sources


def test_three_months_before_the_end_the_expert_and_the_case_officer_are_reminded_once(
    mission, run, mailoutbox
):
    assert run(date(2027, 6, 29)) == 0

    assert run(NOTICE_DAY) == 2
    assert run(NOTICE_DAY) == 0
    assert run(date(2027, 7, 15)) == 0

    assert sorted(m.to[0] for m in mailoutbox) == ["erin@example.org", "sam@example.org"]
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert by_recipient["erin@example.org"].subject.endswith("Your mission ends on 30 Sep 2027")
    assert "The mission of Erin Eriksen" in by_recipient["sam@example.org"].body
    assert f"/admin/placements/case/{mission.case.pk}/" in by_recipient["sam@example.org"].body
    assert set(SentReminder.objects.values_list("key", flat=True)) == {
        f"mission-ending:{mission.pk}:2027-09-30:expert",
        f"mission-ending:{mission.pk}:2027-09-30:case-officer",
    }


def test_a_day_without_a_run_is_caught_up_the_next_day(mission, run, mailoutbox):
    assert run(date(2027, 7, 1)) == 2


def test_an_extension_that_moves_the_end_reminds_again_three_months_before_the_new_end(
    mission, run, mailoutbox
):
    run(NOTICE_DAY)
    Mission.objects.filter(pk=mission.pk).update(planned_end=date(2028, 3, 31))

    assert run(date(2027, 7, 1)) == 0
    assert run(date(2027, 12, 31)) == 2

    assert len(mailoutbox) == 4


@pytest.mark.parametrize(
    "ended", [{"actual_end": date(2027, 5, 1)}, {"terminated_early": True}], ids=str
)
def test_a_mission_that_has_ended_or_was_terminated_early_gets_no_reminder(
    mission, run, mailoutbox, ended
):
    Mission.objects.filter(pk=mission.pk).update(**ended)

    assert run(NOTICE_DAY) == 0
    assert mailoutbox == []


def test_an_expert_without_an_account_is_skipped_and_the_case_officer_still_reminded(
    mission, run, mailoutbox
):
    mission.expert.user = None
    mission.expert.save(update_fields=["user"])

    assert run(NOTICE_DAY) == 1
    assert [m.to for m in mailoutbox] == [["sam@example.org"]]


def test_a_case_without_a_case_officer_reminds_only_the_expert(mission, run, mailoutbox):
    save_fields(mission.case, case_officer=None)

    assert run(NOTICE_DAY) == 1
    assert [m.to for m in mailoutbox] == [["erin@example.org"]]


def test_a_recipient_who_switched_mission_reminders_off_gets_none_and_is_not_asked_again(
    mission, run, mailoutbox, sam
):
    sam.email_opt_outs = ["mission_ending"]
    sam.save(update_fields=["email_opt_outs"])

    assert run(NOTICE_DAY) == 2
    assert [m.to for m in mailoutbox] == [["erin@example.org"]]
    assert SentReminder.objects.get(recipient=sam).email is None


def test_the_reminder_is_written_in_the_recipients_language(mission, run, mailoutbox, erin):
    erin.language = "de"
    erin.save(update_fields=["language"])

    run(NOTICE_DAY)

    german = next(m for m in mailoutbox if m.to == ["erin@example.org"])
    assert "30. September 2027" in german.subject


def test_the_source_reads_its_missions_in_one_query(mission, django_assert_num_queries):
    with django_assert_num_queries(1):
        reminders = list(mission_ending(NOTICE_DAY))

    assert sorted(r.key.rsplit(":", 1)[1] for r in reminders) == ["case-officer", "expert"]
