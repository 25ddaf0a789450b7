from django.db import migrations

TYPES = [
    ("integrated", "host_commune", "european", True,
     "A European in a key position in the host commune; local contract and local salary with the "
     "commune, topped up by the programme to close the gap to European salaries; CIM supports "
     "recruitment."),
    ("technical_assistant", "giz", "european", False,
     "A European adviser working in the commune, contracted through GIZ."),
    ("national", "host_commune", "host_country", False,
     "An expert from the partner country; local contract directly with the commune, financed by "
     "the programme."),
]


def create(apps, schema_editor):
    DeploymentType = apps.get_model("placements", "DeploymentType")
    for code, party, nationality, top_up, description in TYPES:
        DeploymentType.objects.update_or_create(
            code=code,
            defaults={"contract_party": party, "required_nationality": nationality,
                      "salary_top_up": top_up, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
