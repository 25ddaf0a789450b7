"""What the matching page shows below its title, kept in the cache.

Ranking the pool, reading the candidates and their applications, and writing the tables and the
filter form take most of the page's time, and the result is the same for every member of staff
who may act on the case the same way. It is rendered without the request and kept per case,
language, query string and "may act" under `selectors.matching_page_version()`; the form token,
the one thing of the user's in it, is put in for each request in place of a random mark kept
with the HTML (a mark no expert's name can write: it is chosen when the HTML is written).
"""

import hashlib

from django.http import Http404, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from catalogue.models import Theme
from portal import kept, sqlcache

from . import matching
from .forms import MatchingFilterForm
from .matching_rows import ROW_FIELDS, matching_table
from .models import Application, Case
from .selectors import MATCHING_PAGE_SECONDS, matching_page_version


def case_of(pk: int) -> Case:
    """The case with what the page reads of it, its query compiled once per process; 404
    without it."""
    found = sqlcache.rows(_cases, [pk])
    if not found:
        raise Http404
    return found[0]


def _cases(keys):
    return Case.objects.select_related("eoi", "deployment_type", "selected_expert").filter(
        pk__in=keys
    )


def matching_content(case: Case, query: QueryDict, *, can_act: bool, csrf_token: str) -> SafeString:
    """The page below its title: what the case needs, the filter form and both tables."""
    key = ":".join(
        (
            "matching-page",
            str(case.pk),
            get_language() or "",
            "act" if can_act else "read",
            hashlib.sha256(query.urlencode().encode()).hexdigest(),
            matching_page_version(),
        )
    )
    return kept.with_form_token(
        key,
        MATCHING_PAGE_SECONDS,
        lambda mark: _rendered(case, query, can_act=can_act, csrf_token=mark),
        csrf_token,
    )


def _rendered(case: Case, query: QueryDict, *, can_act: bool, csrf_token: str) -> str:
    """The best 20 and 10 at first, each list with a link to 20 or 10 more (`shown`, `apart`):
    rendering a candidate's explanation and forms costs more than ranking the whole pool."""
    themes = list(Theme.objects.all())
    filter_form = MatchingFilterForm(query or None, themes=themes)
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    shown = _how_many(query.get("shown"), step=20, most=200)
    apart = _how_many(query.get("apart"), step=10, most=100)
    eligible, ineligible, requirements = matching.best(
        case, filters=filters, eligible=shown, ineligible=apart
    )
    # What a row shows of an application, without the motivation letters and the profiles as
    # they were when the experts applied.
    applications = {
        a.expert_id: a
        for a in Application.objects.filter(
            vacancy__case=case, expert__in=[e.pk for e in eligible + ineligible]
        ).only(*ROW_FIELDS)
    }
    # Everything a row shows that costs a template more than Python (a key written without
    # number formatting, the names of the nationalities), each row about 30% cheaper.
    rows = [
        (
            e,
            {
                **matching.explain(e, requirements),
                "nationalities": ", ".join(country.name for country in e.nationalities),
            },
            applications.get(e.pk),
            reverse("admin:experts_expertprofile_change", args=[e.pk]),
            str(e.pk),
        )
        for e in eligible + ineligible
    ]
    table = {
        "can_act": can_act,
        "action_url": reverse("admin:placements_case_matching_action", args=[case.pk]),
        "csrf_token": csrf_token,
    }
    context = {
        "case": case,
        "query": query,
        "requirements": requirements,
        "needed_themes": [t for t in themes if t.pk in requirements.themes],
        "eligible_table": matching_table(rows[: len(eligible)], **table),
        "ineligible_table": matching_table(rows[len(eligible) :], **table),
        "filter_form": filter_form,
        "limit": shown,
        # A full list may go on: the link asks for more and lands on the last row shown.
        "more": shown + 20 if len(eligible) == shown < 200 else None,
        "more_from": eligible[-1].pk if eligible else None,
        "more_apart": apart + 10 if len(ineligible) == apart < 100 else None,
        "more_apart_from": ineligible[-1].pk if ineligible else None,
    }
    return render_to_string("admin/placements/case/matching_content.html", context)


def _how_many(value: str | None, *, step: int, most: int) -> int:
    """The number of candidates a "show more" link asked for: a multiple of `step` up to `most`."""
    if value and value.isdigit():
        return min(max(int(value) // step * step, step), most)
    return step
