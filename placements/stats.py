"""Figures for the staff dashboard: a fixed number of queries whatever the number of cases."""

import statistics
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import Lead
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from catalogue.models import DeploymentType

from .models import STAGE_OF_STATE, Case, CaseEvent

# The medians read every event of every case (about 34,000 for 5,000 cases): computed at most
# every five minutes, so the page costs the same whatever the length of the history. The rendered
# figures are kept five minutes more at most: the caption's "every ten minutes" holds.
MEDIAN_DAYS_KEY = "placements:median-days-per-state"
MEDIAN_DAYS_SECONDS = 5 * 60
# The rendered figures (counts per state, stage, model and country and the cases waiting longest)
# are kept under the vacancy list's version, which every change of a case renews; this bounds
# what the version does not see: QuerySet.update(), a case officer's new name.
STAFF_DASHBOARD_SECONDS = 5 * 60


def _bars(rows, labels=None):
    """[(label, count)] with the share of the largest, for bar widths."""
    top = max((n for _label, n in rows), default=0) or 1
    return [
        {
            "label": labels.get(key, key) if labels else key,
            "count": n,
            "share": round(100 * n / top),
        }
        for key, n in rows
    ]


def _counts():
    """Cases per state, stage, deployment model and host country, in two queries: one grouped
    query over the cases (with whether each has a host commune) and one over the host communes
    of the cases."""
    has_host = Exists(Case.host_communes.through.objects.filter(case_id=OuterRef("pk")))
    per_state, per_stage, per_model = Counter(), Counter(), Counter()
    without_host = 0
    for state, stage, code, hosted, n in (
        Case.objects.annotate(hosted=has_host)
        .values_list("state", "stage", "deployment_type__code", "hosted")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_state[state] += n
        per_stage[stage] += n
        per_model[code] += n
        without_host += 0 if hosted else n
    per_country = Counter(
        dict(
            Case.host_communes.through.objects.values_list("commune__country")
            .annotate(n=Count("case_id", distinct=True))
            .order_by()
        )
    )
    if without_host:
        per_country[None] = without_host
    return per_state, per_stage, per_model, per_country


def _largest(counts, number=None):
    return sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))[:number]


def dashboard_figures() -> dict:
    states = dict(Case.State.choices)
    per_state, per_stage, per_model, per_country = _counts()
    per_country = _largest(per_country, 15)
    model_labels = {None: str(_("not chosen yet")), **dict(DeploymentType.Code.choices)}
    return {
        "total": sum(per_state.values()),
        "per_stage": _bars(
            [(s, per_stage.get(s, 0)) for s, _l in Case.Stage.choices], dict(Case.Stage.choices)
        ),
        "per_state": [
            {
                "stage": stage_label,
                "rows": _bars(
                    [(s, per_state.get(s, 0)) for s in states if STAGE_OF_STATE[s] == stage], states
                ),
            }
            for stage, stage_label in Case.Stage.choices
        ],
        "per_model": _bars(_largest(per_model), model_labels),
        "per_country": _bars(
            [(code or "–", n) for code, n in per_country],
            {code: countries.name(code) for code, _n in per_country if code},
        ),
        "median_days": _bars(
            cache.get_or_set(MEDIAN_DAYS_KEY, _median_days_per_state, MEDIAN_DAYS_SECONDS), states
        ),
        "waiting_longest": Case.objects.open()
        .select_related("eoi", "case_officer")
        .order_by("state_changed_at")[:10],
    }


def _median_days_per_state() -> list[tuple[str, float]]:
    """Median days cases spend in each open state, from the audit trail: each event's time to
    the next event of the same case (or until now for the state a case is in). The final states
    are left out: a case stays in them for good, so their "time spent" only tells how long ago
    cases were closed.

    PostgreSQL computes the medians (percentile_cont), so the page reads one row per state
    whatever the number of events; elsewhere (SQLite, the embedded demo) Python does."""
    # The window needs every event of a case, also those into a final state (they end the
    # state before); the final states are dropped after it.
    # Steps that leave the state as it is (shortlisting, say) do not end a stay in it.
    spells = (
        CaseEvent.objects.exclude(from_state=F("to_state"))
        .annotate(
            left_at=Window(
                Lead("created_at"),
                partition_by=[F("case_id")],
                order_by=[F("created_at").asc(), F("pk").asc()],
            )
        )
        .values_list("to_state", "created_at", "left_at")
    )
    medians = (_medians_in_sql if connection.vendor == "postgresql" else _medians_in_python)(spells)
    return [
        (state, round(medians[state], 1))
        for state in STAGE_OF_STATE
        if state in medians and state not in Case.FINAL_STATES
    ]


def _medians_in_sql(spells) -> dict[str, float]:
    sql, params = spells.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_state, percentile_cont(0.5) WITHIN GROUP (ORDER BY "
            "EXTRACT(EPOCH FROM COALESCE(left_at, now()) - created_at) / 86400) "
            f"FROM ({sql}) AS spells GROUP BY to_state",
            params,
        )
        return dict(cursor.fetchall())


def _medians_in_python(spells) -> dict[str, float]:
    now = timezone.now()
    durations = defaultdict(list)
    for state, entered, left in spells.iterator(chunk_size=5000):
        durations[state].append(((left or now) - entered).total_seconds() / 86400)
    return {state: statistics.median(days) for state, days in durations.items()}
