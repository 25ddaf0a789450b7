"""The admin's case list: its filters, and the change list that keeps the unfiltered list's
count, filters and pages in the cache (see README, "Admin case list, kept")."""

import math
from collections import defaultdict

from django.contrib import admin
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from catalogue.models import EligibleCountry
from partnerships.models import Commune
from portal import sqlcache
from portal.admin_lists import LeanChangeList, RenderedRows

from .models import Case
from .selectors import VACANCY_LIST_SECONDS, vacancy_list_version

# A page of the unfiltered case list is kept rendered this long at most (or until a "days in
# state" changes); the version is renewed on changes.
KEPT_ROWS_SECONDS = 5 * 60


class StageFilter(admin.SimpleListFilter):
    title = _("stage")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return Case.Stage.choices

    def queryset(self, request, queryset):
        return queryset.filter(stage=self.value()) if self.value() else queryset


class MyCasesFilter(admin.SimpleListFilter):
    title = _("case officer")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", _("My cases")), ("none", _("No case officer yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(case_officer=request.user)
        if self.value() == "none":
            return queryset.filter(case_officer__isnull=True)
        return queryset


class HostCountryFilter(admin.SimpleListFilter):
    title = _("host country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        # Read over every case's host communes: kept under the cases' version (selectors, "What
        # the vacancy list keeps in the cache"), which cases, communes and eligible countries renew.
        key = f"admin-case-list:host-countries:{vacancy_list_version()}"
        codes = cache.get(key)
        if codes is None:
            codes = list(
                EligibleCountry.objects.filter(
                    country__in=Commune.objects.filter(cases__isnull=False).values("country")
                ).values_list("country", flat=True)
            )
            cache.set(key, codes, VACANCY_LIST_SECONDS)
        return sorted(((code, countries.name(code)) for code in codes), key=lambda x: str(x[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(host_communes__country=self.value()).distinct()
        return queryset


def _host_country_codes(cases):
    """The host countries of the cases, as (case, country) rows (compiled once, portal.sqlcache)."""
    return Case.host_communes.through.objects.filter(case__in=cases).values(
        "case_id", "commune__country"
    )


class CaseChangeList(LeanChangeList):
    # What the rows show (CaseAdmin.list_display and the checkbox's label): the rest of the
    # case's, its EOI's and its case officer's wide rows was read and converted for nothing.
    ROW_FIELDS = [
        "state",
        "stage",
        "state_changed_at",
        "eoi",
        "eoi__title",
        "deployment_type",
        "deployment_type__code",
        "case_officer",
        "case_officer__full_name",
        "case_officer__email",
    ]

    kept_results = None  # the page's table as rendered, read from the cache
    rows_key = None

    def get_results(self, request):
        self.queryset = self.queryset.only(*self.ROW_FIELDS)
        super().get_results(request)
        self.rows_key = self._rows_key(request)
        if self.rows_key is not None:
            kept = cache.get(self.rows_key)
            if kept is not None:
                # Only their number is asked of the cases then ("0 of 50 selected").
                count, self.kept_results = kept
                self.result_list = RenderedRows(count)
                return
        # The host countries of the page's cases, read in one query of codes (a prefetch of
        # their communes cost more than the rest of the row).
        cases = list(self.result_list)
        codes = defaultdict(set)
        for row in sqlcache.rows(_host_country_codes, [case.pk for case in cases]):
            codes[row["case_id"]].add(row["commune__country"])
        for case in cases:
            case.host_country_codes = ", ".join(sorted(codes[case.pk]))
        self.result_list = cases

    def _rows_key(self, request):
        """Where the table of an unfiltered list's page is kept: what its rows show is under the
        filters' version (cases, EOIs, host communes, deployment models, staff accounts), in
        the reader's language and time zone, per order and page; their links keep the list's
        query string."""
        if self.queryset.query.has_filters() or self.root_queryset.query.has_filters():
            return None
        if self.list_editable or self.is_popup or self.to_field:
            return None
        return ":".join(
            [
                "admin-case-list:table",
                self.version("list_filters_version"),
                get_language() or "",
                timezone.get_current_timezone_name(),
                self.get_query_string(),
                str(self.page_num),
                # The rows' links carry the query string as it was written.
                self.preserved_filters,
                # The checkbox column is there for those who have actions (the rest is fixed).
                str("action_checkbox" in self.list_display),
            ]
        )

    def keep_results(self, html: str) -> None:
        """Keep the table of the page's rows rendered by portal.admin_lists, until the first of
        their "days in state" changes at the latest."""
        cases = self.result_list
        if self.rows_key is not None and cases:
            seconds = seconds_until_a_day_passes(
                [case.state_changed_at for case in cases], timezone.now()
            )
            kept = (len(cases), str(html))
            cache.set(self.rows_key, kept, min(seconds, KEPT_ROWS_SECONDS))


def seconds_until_a_day_passes(moments, now) -> int:
    """Seconds until one more whole day has passed since one of the moments (at least 1)."""
    day = 24 * 60 * 60
    return max(
        1,
        math.ceil(
            min((day - (now - moment).total_seconds() % day for moment in moments), default=day)
        ),
    )
