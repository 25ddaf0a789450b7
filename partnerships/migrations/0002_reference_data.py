"""Thematic fields, the 17 SDGs and the OECD DAC list of ODA recipients (reporting on 2024 and
2025 flows). The programme team must confirm the country list and the partner-country flags;
staff can edit both in the admin."""

from django.db import migrations

THEMES = ["services", "climate", "urban", "sustainable", "waste", "water", "mobility",
          "egovernance", "other"]

LDC = ("AF AO BD BJ BF BI KH CF TD KM CD DJ ER ET GM GN GW HT KI LA LS LR MG MW ML MR MZ MM NP NE "
       "RW ST SN SL SB SO SS SD TZ TL TG TV UG YE ZM")
OTHER_LIC = "KP SY"
LMIC = ("DZ BT BO CV CM CG CI EG SZ GH HN IN IR KE KG LB FM MN MA NI NG PK PG PH WS LK TJ TN UA UZ VU "
        "VN ZW PS TK")
UMIC = ("AL AR AM AZ BY BZ BA BW BR CN CO CR CU DM DO EC SV GQ FJ GA GE GD GT GY ID IQ JM JO KZ LY "
        "MY MV MH MU MX MD ME MS NA NU MK PY PE SH LC VC RS ZA SR TH TO TR TM VE WF")
# Bilateral partner countries of German development cooperation (BMZ 2030), to be confirmed.
GERMAN_PARTNERS = ("EG ET BD BJ BF KH CM CO CI EC GH IN ID JO KE MG MW ML MR MX MA MZ NA NP NE NG "
                   "PK PE PH RW SN ZA TZ TG TN UG UA UZ VN ZM BR BO GT PS IQ LB YE SO SS SD TD CD")


def create(apps, schema_editor):
    Theme = apps.get_model("partnerships", "Theme")
    for position, code in enumerate(THEMES):
        Theme.objects.update_or_create(code=code, defaults={"position": position})
    SDG = apps.get_model("partnerships", "SustainableDevelopmentGoal")
    for number in range(1, 18):
        SDG.objects.get_or_create(number=number)
    EligibleCountry = apps.get_model("partnerships", "EligibleCountry")
    partners = set(GERMAN_PARTNERS.split())
    for group, codes in (("ldc", LDC), ("lic", OTHER_LIC), ("lmic", LMIC), ("umic", UMIC)):
        for code in codes.split():
            EligibleCountry.objects.update_or_create(
                country=code,
                defaults={"income_group": group, "german_partner_country": code in partners},
            )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
