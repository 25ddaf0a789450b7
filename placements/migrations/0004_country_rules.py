"""Initial country × deployment model table, to be confirmed by the programme team:
integrated and national experts are possible in every eligible country; technical assistants,
contracted through GIZ, only where GIZ works (the partner countries of German development
cooperation)."""

from datetime import date

from django.db import migrations


def create(apps, schema_editor):
    EligibleCountry = apps.get_model("partnerships", "EligibleCountry")
    DeploymentType = apps.get_model("placements", "DeploymentType")
    Rule = apps.get_model("placements", "CountryDeploymentRule")
    types = {t.code: t for t in DeploymentType.objects.all()}
    rules = []
    for country in EligibleCountry.objects.all():
        for code, deployment_type in types.items():
            allowed = code != "technical_assistant" or country.german_partner_country
            rules.append(
                Rule(
                    country=country,
                    deployment_type=deployment_type,
                    allowed=allowed,
                    valid_from=date(2024, 1, 1),
                    note="" if allowed else "No GIZ office to contract a technical assistant.",
                )
            )
    Rule.objects.bulk_create(rules, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0003_case_caseevent_casenote_countrydeploymentrule_and_more"),
        ("partnerships", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
