"""What the generator reads from the database before it plans: the migrations' reference data."""

from collections import defaultdict
from datetime import date

from django.contrib.auth.models import Group

from catalogue.models import (
    CountryDeploymentRule,
    DeploymentType,
    EligibleCountry,
    SustainableDevelopmentGoal,
    Theme,
)
from experts.models import ExpertProfile
from partnerships.models import Commune
from portal import roles
from portal.models import User

from .data import COUNTRIES, EMAIL_SUFFIX


class ReferenceDataMissing(Exception):
    """The migrations' reference data (themes, countries, deployment models, roles) is missing."""


class ReferenceData:
    """Themes, goals, deployment models, roles and country rules, and what exists already."""

    def load_reference_data(self):
        self.themes = {t.code: t for t in Theme.objects.all()}
        self.sdgs = {s.number: s for s in SustainableDevelopmentGoal.objects.all()}
        self.types = {t.code: t for t in DeploymentType.objects.order_by("pk")}
        self.groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
        missing = [r for r in (roles.APPLICANT, roles.SKEW, roles.GIZ) if r not in self.groups]
        if missing or not self.themes or not self.sdgs or not self.types:
            raise ReferenceDataMissing("Reference data is missing: run `manage.py migrate` first.")
        # Allowed (country, deployment model) pairs and when they are in force.
        self.rules = defaultdict(list)
        for country, code, valid_from, valid_until in CountryDeploymentRule.objects.filter(
            allowed=True, country__active=True
        ).values_list("country__country", "deployment_type__code", "valid_from", "valid_until"):
            self.rules[(country, code)].append((valid_from, valid_until))
        open_ended = {
            c for (c, _code), periods in self.rules.items() if any(not u for _, u in periods)
        }
        eligible = EligibleCountry.objects.can_host().order_by("country")
        self.countries = [
            (e.country.code, e.german_partner_country)
            for e in eligible
            if e.country.code in COUNTRIES and e.country.code in open_ended
        ]
        if not self.countries:
            raise ReferenceDataMissing(
                "No eligible country with an allowed deployment model: check the country list."
            )
        self.rule_dates = sorted({vf for periods in self.rules.values() for vf, _ in periods})
        existing = Commune.objects.values_list("name", "country", "region")
        self.taken = {(name, str(country), region) for name, country, region in existing}
        self.emails = set(
            User.objects.filter(email__endswith=EMAIL_SUFFIX).values_list("email", flat=True)
        )
        self.expert_number = ExpertProfile.objects.filter(email__endswith=EMAIL_SUFFIX).count()

    def allowed_types(self, country: str, on: date) -> list[str]:
        return [
            code
            for code in self.types
            if any(vf <= on and (vu is None or vu >= on) for vf, vu in self.rules[(country, code)])
        ]
