"""Figures for the staff dashboard: a fixed number of queries whatever the number of cases."""

import statistics
from collections import defaultdict

from django.db.models import Count, F, Window
from django.db.models.functions import Lead
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from catalogue.models import DeploymentType

from .models import STAGE_OF_STATE, Case, CaseEvent


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


def dashboard_figures() -> dict:
    states = dict(Case.State.choices)
    per_state = dict(Case.objects.values_list("state").annotate(n=Count("pk")))
    per_stage = dict(Case.objects.values_list("stage").annotate(n=Count("pk")))
    per_model = list(
        Case.objects.values_list("deployment_type__code").annotate(n=Count("pk")).order_by("-n")
    )
    per_country = list(
        Case.objects.values_list("host_communes__country")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")[:15]
    )
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
        "per_model": _bars(per_model, model_labels),
        "per_country": _bars(
            [(code or "–", n) for code, n in per_country],
            {code: countries.name(code) for code, _n in per_country if code},
        ),
        "median_days": _bars(_median_days_per_state(), states),
        "waiting_longest": Case.objects.open()
        .select_related("eoi", "case_officer")
        .order_by("state_changed_at")[:10],
    }


def _median_days_per_state() -> list[tuple[str, float]]:
    """Median days cases spend in each state, from the audit trail: each event's time to the
    next event of the same case (or until now for the state a case is in)."""
    now = timezone.now()
    durations = defaultdict(list)
    # Steps that leave the state as it is (shortlisting, say) do not end a stay in it.
    rows = (
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
    for state, entered, left in rows.iterator(chunk_size=5000):
        durations[state].append(((left or now) - entered).total_seconds() / 86400)
    return [
        (state, round(statistics.median(durations[state]), 1))
        for state in STAGE_OF_STATE
        if durations.get(state)
    ]
