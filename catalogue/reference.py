"""The one loader of reference data (catalogue/data/reference.json), used by the data migration
and by the tests. It creates what is missing and never changes a row that exists, so running it
again is harmless and keeps what staff have since edited (partner-country flags, rules)."""

import json
from datetime import date
from pathlib import Path

from django.apps import apps as global_apps

DATA = Path(__file__).resolve().parent / "data" / "reference.json"


def reference_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_reference_data(apps=global_apps) -> None:
    """Create the missing themes, SDGs, eligible countries, deployment types and country rules
    (with `apps` of a migration, or the installed apps)."""
    data = reference_data()
    Theme = apps.get_model("catalogue", "Theme")
    SDG = apps.get_model("catalogue", "SustainableDevelopmentGoal")
    EligibleCountry = apps.get_model("catalogue", "EligibleCountry")
    DeploymentType = apps.get_model("catalogue", "DeploymentType")
    Rule = apps.get_model("catalogue", "CountryDeploymentRule")

    for position, code in enumerate(data["themes"]):
        Theme.objects.get_or_create(code=code, defaults={"position": position})
    for number in data["sdgs"]:
        SDG.objects.get_or_create(number=number)
    partners = set(data["german_partner_countries"])
    for group, codes in data["eligible_countries"].items():
        for code in codes:
            EligibleCountry.objects.get_or_create(
                country=code,
                defaults={"income_group": group, "german_partner_country": code in partners},
            )
    for row in data["deployment_types"]:
        DeploymentType.objects.get_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )

    rules = data["country_rules"]
    valid_from = date.fromisoformat(rules["valid_from"])
    restricted = set(rules["only_in_german_partner_countries"])
    Rule.objects.bulk_create(
        [
            Rule(
                country=country,
                deployment_type=deployment_type,
                allowed=allowed,
                valid_from=valid_from,
                note="" if allowed else rules["note_where_not_allowed"],
            )
            for country in EligibleCountry.objects.all()
            for deployment_type in DeploymentType.objects.all()
            for allowed in [
                deployment_type.code not in restricted or country.german_partner_country
            ]
        ],
        ignore_conflicts=True,  # the unique constraint keeps existing rules as they are
    )
