"""The paths cases take through the workflow: which transitions, checked against the workflow's
table, and when each happened."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from placements.models import Case
from placements.workflow import REQUEST_OPEN, TRANSITIONS

from .data import MONTH_DAYS, WINDOW_DAYS, pick

S = Case.State

# The usual way through the workflow; every path is checked against TRANSITIONS (walk()).
MAIN_LINE = [
    "start_eligibility_check",
    "confirm_eligibility",
    "agree_profile",
    "approve",
    "draft_vacancy",
    "publish_vacancy",
    "start_screening",
    "send_shortlist",
    "select_candidate",
    "start_contracting",
    "prepare_departure",
    "start_mission",
    "begin_closing",
    "close",
]
# How many cases end up in each state: many requests, fewer in recruitment, few closed.
STATE_WEIGHTS = {
    S.SUBMITTED: 10, S.INFO_REQUESTED: 6, S.ELIGIBILITY_CHECK: 8, S.APPRAISAL: 8,
    S.PROFILE_AGREED: 6, S.APPROVED: 5, S.DECLINED: 6, S.WITHDRAWN: 4, S.ON_HOLD: 3,
    S.VACANCY_DRAFTED: 3, S.PUBLISHED: 4, S.SCREENING: 4, S.SHORTLIST_SENT: 3,
    S.CANDIDATE_SELECTED: 3, S.CONTRACTING: 3, S.PREPARING_DEPARTURE: 3, S.ACTIVE: 8,
    S.EXTENSION_REQUESTED: 2, S.CLOSING: 3, S.CLOSED: 3,
}  # fmt: skip
# Where cases were before they went to these states.
INFO_REQUESTED_FROM = {S.SUBMITTED: 5, S.ELIGIBILITY_CHECK: 3, S.APPRAISAL: 2}
ON_HOLD_FROM = {
    S.SUBMITTED: 1, S.ELIGIBILITY_CHECK: 1, S.APPRAISAL: 3, S.PROFILE_AGREED: 2, S.APPROVED: 2,
}  # fmt: skip
DECLINED_FROM = {
    S.SUBMITTED: 1, S.ELIGIBILITY_CHECK: 3, S.APPRAISAL: 4, S.PROFILE_AGREED: 1, S.ON_HOLD: 1,
}  # fmt: skip
WITHDRAWN_FROM = {**DECLINED_FROM, S.INFO_REQUESTED: 4}
# Days between the previous event and this one.
GAPS = {
    "request_information": (4, 30), "resubmit": (7, 45), "start_eligibility_check": (1, 14),
    "confirm_eligibility": (7, 30), "agree_profile": (21, 75), "approve": (7, 30),
    "decline": (7, 45), "withdraw": (10, 60), "put_on_hold": (7, 45), "resume": (20, 90),
    "draft_vacancy": (5, 25), "publish_vacancy": (3, 14), "start_screening": (21, 35),
    "send_shortlist": (7, 21), "select_candidate": (7, 30), "start_contracting": (2, 10),
    "prepare_departure": (14, 45), "recruitment_failed": (7, 30), "start_mission": (20, 60),
    "grant_extension": (10, 40), "refuse_extension": (10, 40), "close": (20, 75),
}  # fmt: skip
# How long a case has been sitting in its state now, in days (None: no limit).
DWELL = {
    S.SUBMITTED: (0.5, 45), S.INFO_REQUESTED: (1, 120), S.ELIGIBILITY_CHECK: (1, 40),
    S.APPRAISAL: (2, 90), S.PROFILE_AGREED: (1, 45), S.APPROVED: (1, 40),
    S.DECLINED: (1, None), S.WITHDRAWN: (1, None), S.ON_HOLD: (5, 180),
    S.VACANCY_DRAFTED: (1, 30), S.PUBLISHED: (3, 45), S.SCREENING: (3, 40),
    S.SHORTLIST_SENT: (2, 30), S.CANDIDATE_SELECTED: (2, 21), S.CONTRACTING: (2, 40),
    S.PREPARING_DEPARTURE: (2, 45), S.ACTIVE: (1, None), S.EXTENSION_REQUESTED: (1, 40),
    S.CLOSING: (1, 75), S.CLOSED: (1, None),
}  # fmt: skip


@dataclass
class Step:
    transition: str
    from_state: str
    to_state: str


def walk(path: list[str]) -> tuple[list[Step], str]:
    """The steps of a path of transition names from submission on, and the resume state of the
    last one; refuses a path that the workflow's table does not allow."""
    steps = [Step("submit", "", S.SUBMITTED)]
    state, resume = S.SUBMITTED, ""
    for name in path:
        t = TRANSITIONS[name]
        if state not in t.sources:
            raise ValueError(f"{name} is not possible from {state}")
        target = t.target or resume or S.SUBMITTED
        resume = state if target == S.ON_HOLD else ""
        steps.append(Step(name, state, target))
        state = target
    return steps, resume


def main_line_to(state: str) -> list[str]:
    """The transitions of the usual way from submission to a state on it."""
    if state == S.SUBMITTED:
        return []
    for index, name in enumerate(MAIN_LINE):
        if TRANSITIONS[name].target == state:
            return MAIN_LINE[: index + 1]
    raise ValueError(f"{state} is not on the main line")


def plan_path(rng: random.Random, state: str) -> list[str]:
    """A plausible path of transitions that ends in the state, with the occasional detour."""
    if state == S.INFO_REQUESTED:
        path = main_line_to(pick(rng, INFO_REQUESTED_FROM)) + ["request_information"]
    elif state == S.ON_HOLD:
        path = main_line_to(pick(rng, ON_HOLD_FROM)) + ["put_on_hold"]
    elif state in (S.DECLINED, S.WITHDRAWN):
        source = pick(rng, DECLINED_FROM if state == S.DECLINED else WITHDRAWN_FROM)
        if source == S.INFO_REQUESTED:
            path = main_line_to(pick(rng, INFO_REQUESTED_FROM)) + ["request_information"]
        elif source == S.ON_HOLD:
            # Only before the decision: a decided request is not declined or withdrawn.
            path = main_line_to(rng.choice(REQUEST_OPEN)) + ["put_on_hold"]
        else:
            path = main_line_to(source)
        path.append("decline" if state == S.DECLINED else "withdraw")
    elif state in (S.ACTIVE, S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED):
        path = main_line_to(S.ACTIVE)
        roll = rng.random()
        if state == S.ACTIVE and roll < 0.25:
            path += ["request_extension", "grant_extension" if roll < 0.15 else "refuse_extension"]
        elif state == S.EXTENSION_REQUESTED:
            path.append("request_extension")
        elif state in (S.CLOSING, S.CLOSED):
            if roll < 0.12:
                path += ["request_extension", "grant_extension", "begin_closing"]
            elif roll < 0.22:
                path.append("terminate_early")
            elif roll < 0.26:
                path += ["request_extension", "terminate_early"]
            else:
                path.append("begin_closing")
            if state == S.CLOSED:
                path.append("close")
    else:
        path = main_line_to(state)
    return _with_detours(rng, path)


def _with_detours(rng: random.Random, path: list[str]) -> list[str]:
    """Some cases go back for information, are on hold for a while, or see a recruitment fail."""
    if rng.random() < 0.12:
        path = ["request_information", "resubmit", *path]
    states = [step.to_state for step in walk(path)[0]]
    if rng.random() < 0.06:
        pausable = [s for s in states if s in (*REQUEST_OPEN, S.APPROVED)]
        if pausable:
            path = _insert_at(path, rng.choice(pausable), ["put_on_hold", "resume"])
    if rng.random() < 0.15 and "select_candidate" in path:
        loop = rng.choice(
            [
                ["start_screening", "recruitment_failed"],
                ["start_screening", "send_shortlist", "recruitment_failed"],
                ["start_screening", "send_shortlist", "select_candidate", "recruitment_failed"],
            ]
        )
        path = _insert_at(path, S.PUBLISHED, loop)
    return path


def _insert_at(path: list[str], state: str, loop: list[str]) -> list[str]:
    """The path with a loop inserted where it first reaches the state."""
    for index, step in enumerate(walk(path)[0]):
        if step.to_state == state:
            return path[:index] + loop + path[index:]
    return path


def timeline(
    rng: random.Random,
    base: datetime,
    steps: list[Step],
    state: str,
    months: int,
    grants: list[int],
) -> list[datetime]:
    """The time of every step: gaps drawn per transition, the mission's events placed by its
    length, the whole fitted into the last three years and the state's usual dwell time."""
    offsets = [0.0]
    mission_start = None
    mission_months = months
    grant = iter(grants)
    for step in steps[1:]:
        name, previous = step.transition, offsets[-1]
        if name == "request_extension":
            planned_end = mission_start + mission_months * MONTH_DAYS
            offset = max(previous + 7, planned_end - rng.uniform(60, 150))
        elif name == "begin_closing":
            planned_end = mission_start + mission_months * MONTH_DAYS
            offset = max(previous + 3, planned_end - rng.uniform(0, 20))
        elif name == "terminate_early":
            if step.from_state == S.ACTIVE:
                share = rng.uniform(0.25, 0.8)
                offset = max(previous + 14, mission_start + share * mission_months * MONTH_DAYS)
            else:
                offset = previous + rng.uniform(10, 40)
        else:
            offset = previous + rng.uniform(*GAPS[name])
            if name == "grant_extension":
                mission_months += next(grant)
        if name == "start_mission":
            mission_start = offset
        offsets.append(offset)

    total = offsets[-1]
    low_dwell, high_dwell = DWELL[state]
    if total + low_dwell > WINDOW_DAYS:
        # Too long for the window: shorten the time before the mission.
        before = mission_start if mission_start is not None else total
        after = total - before
        factor = max(0.2, (WINDOW_DAYS - low_dwell - after) / before)
        offsets = [o * factor if o <= before else o - before + before * factor for o in offsets]
        if mission_start is not None:
            mission_start *= factor
        total = offsets[-1]
    low = total + low_dwell
    high = min(WINDOW_DAYS, total + high_dwell if high_dwell else WINDOW_DAYS)
    if state in (S.ACTIVE, S.EXTENSION_REQUESTED):
        # The mission has not reached its planned end yet.
        high = min(high, mission_start + mission_months * MONTH_DAYS - 3)
    days_ago = rng.uniform(low, max(low, high))
    first = base - timedelta(days=days_ago)
    return [first + timedelta(days=offset) for offset in offsets]
