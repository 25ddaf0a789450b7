"""Profile snapshots kept the names of the expert's languages and areas of expertise, in the
language of the page that wrote them (an expert applying from a Spanish page, staff proposing
from an English one), so that a French host commune read English and Spanish on its shortlist.
They keep codes now ({"language": "fr", "level": "B2"}, "water") and the page names them in the
reader's language. This reads the old names back into codes, in every language of the portal; a
name it cannot read stays as it is and is shown as written."""

from django.conf import global_settings, settings
from django.db import migrations
from django.utils import translation

# The areas of expertise and their English labels when snapshots kept labels (catalogue.Theme).
THEMES = {
    "services": "Municipal services and citizen orientation",
    "climate": "Climate change and adaptation",
    "urban": "Inclusive urban development",
    "sustainable": "Sustainable development",
    "waste": "Waste management and circular economy",
    "water": "Water",
    "mobility": "Mobility",
    "egovernance": "E-governance",
    "other": "Other",
}
# The languages as they were named then: Django's list, without regional variants.
LANGUAGES = {code: name for code, name in global_settings.LANGUAGES if "-" not in code}
BATCH = 500


def names_to_codes() -> tuple[dict[str, str], dict[str, str]]:
    """Every name a snapshot may hold, in every language of the portal, with its code."""
    languages, themes = {}, {}
    for page_language, _name in settings.LANGUAGES:
        with translation.override(page_language):
            for code, name in LANGUAGES.items():
                languages[translation.gettext(name)] = code
            for code, label in THEMES.items():
                themes[translation.gettext(label)] = code
    return languages, themes


def language_item(item, languages: dict[str, str]):
    """{"language": code, "level": level} for "German B2" (in any language of the portal)."""
    if not isinstance(item, str):
        return item
    name, _space, level = item.rpartition(" ")
    code = languages.get(name)
    return {"language": code, "level": level} if code else item


def to_codes(snapshot: dict, languages: dict[str, str], themes: dict[str, str]) -> dict:
    if not snapshot:
        return snapshot
    return {
        **snapshot,
        "languages": [language_item(item, languages) for item in snapshot.get("languages", [])],
        "expertise": [themes.get(item, item) for item in snapshot.get("expertise", [])],
    }


def to_names(snapshot: dict) -> dict:
    """Back to English names, as the code before this migration wrote them on English pages."""
    if not snapshot:
        return snapshot
    return {
        **snapshot,
        "languages": sorted(
            f"{LANGUAGES.get(item['language'], item['language'])} {item['level']}"
            if isinstance(item, dict)
            else item
            for item in snapshot.get("languages", [])
        ),
        "expertise": sorted(THEMES.get(item, item) for item in snapshot.get("expertise", [])),
    }


def rewrite(apps, convert) -> None:
    Application = apps.get_model("placements", "Application")
    changed = []
    for application in Application.objects.only("pk", "profile_snapshot").iterator(BATCH):
        snapshot = convert(application.profile_snapshot)
        if snapshot != application.profile_snapshot:
            application.profile_snapshot = snapshot
            changed.append(application)
        if len(changed) >= BATCH:
            Application.objects.bulk_update(changed, ["profile_snapshot"])
            changed = []
    Application.objects.bulk_update(changed, ["profile_snapshot"])


def forwards(apps, schema_editor):
    languages, themes = names_to_codes()
    rewrite(apps, lambda snapshot: to_codes(snapshot, languages, themes))


def backwards(apps, schema_editor):
    with translation.override("en"):
        rewrite(apps, to_names)


class Migration(migrations.Migration):
    dependencies = [("placements", "0013_document_jobs")]

    operations = [migrations.RunPython(forwards, backwards)]
