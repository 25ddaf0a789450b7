"""Nothing is lost on upgrade: a database at the migration state of the portal before the
restructuring (vocabularies in partnerships and placements, applications in experts, plain
invitation tokens) is filled with rows, migrated forward, and every row is still there, now read
through the moved models."""

import hashlib
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalogue.models import CountryDeploymentRule, DeploymentType, EligibleCountry, Theme
from experts.models import ExpertProfile
from partnerships.models import ExpressionOfInterest, Invitation, Partnership
from placements.models import Application, Case

# The last migration of each app before the vocabularies moved to catalogue (and before
# applications moved to placements and invitations kept only a digest).
BEFORE = [
    ("portal", "0003_user_history_and_plain_names"),
    ("partnerships", "0003_plain_names"),
    ("experts", "0003_plain_names"),
    ("placements", "0007_plain_names"),
]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def fill_old_state(apps):
    """One row of every kind that the move touches, written with the models as they were."""
    Theme = apps.get_model("partnerships", "Theme")
    SDG = apps.get_model("partnerships", "SustainableDevelopmentGoal")
    EligibleCountry = apps.get_model("partnerships", "EligibleCountry")
    DeploymentType = apps.get_model("placements", "DeploymentType")
    Rule = apps.get_model("placements", "CountryDeploymentRule")
    User = apps.get_model("portal", "User")
    Commune = apps.get_model("partnerships", "Commune")
    Partnership = apps.get_model("partnerships", "Partnership")
    EOI = apps.get_model("partnerships", "ExpressionOfInterest")
    Case = apps.get_model("placements", "Case")
    Expert = apps.get_model("experts", "ExpertProfile")

    # Reference rows may be there already (the test database was migrated to the end first):
    # staff edits on them are what must survive.
    theme, _ = Theme.objects.update_or_create(code="water", defaults={"position": 5})
    sdg, _ = SDG.objects.get_or_create(number=6)
    togo, _ = EligibleCountry.objects.update_or_create(
        country="TG", defaults={"income_group": "ldc", "note": "staff note"}
    )
    integrated, _ = DeploymentType.objects.get_or_create(
        code="integrated",
        defaults={"contract_party": "host_commune", "required_nationality": "european"},
    )
    Rule.objects.update_or_create(
        country=togo,
        deployment_type=integrated,
        valid_from=date(2024, 1, 1),
        defaults={"allowed": False, "note": "paused"},
    )
    alice = User.objects.create(email="alice@example.org", full_name="Alice")
    leipzig = Commune.objects.create(name="Leipzig", country="DE", kind="city")
    kpalime = Commune.objects.create(name="Kpalimé", country="TG", kind="city")
    partnership = Partnership.objects.create(name="Leipzig – Kpalimé", german_commune=leipzig)
    partnership.partner_communes.add(kpalime)
    partnership.themes.add(theme)
    eoi = EOI.objects.create(
        title="Water for Kpalimé", initiating_commune=leipzig, created_by=alice
    )
    eoi.themes.add(theme)
    eoi.sdgs.add(sdg)
    eoi.preferred_deployment_types.add(integrated)
    Case.objects.create(eoi=eoi, deployment_type=integrated, state="submitted", stage="request")
    expert = Expert.objects.create(
        full_name="Eva Schmidt", email="eva@example.org", claim_token="c" * 64
    )
    expert.expertise.add(theme)
    expert.open_to_models.add(integrated)
    Vacancy = apps.get_model("placements", "Vacancy")
    vacancy = Vacancy.objects.create(
        case=Case.objects.get(eoi=eoi),
        title="Water engineer",
        tasks="Plan the network.",
        objectives="Water in every district.",
        competence_profile="Engineer.",
        closing_date=date(2027, 1, 31),
    )
    Application = apps.get_model("experts", "Application")
    Application.objects.create(
        vacancy=vacancy, expert=expert, motivation="I built the network of Lyon.", status="applied"
    )
    Invitation = apps.get_model("partnerships", "Invitation")
    Invitation.objects.create(
        commune=leipzig, email="nina@example.org", token="plain-token", invited_by=alice
    )
    # At the old state the applications' content type (and its permissions) is the experts app's.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="placements", model="application").delete()
    old_type, _ = ContentType.objects.get_or_create(app_label="experts", model="application")
    Permission = apps.get_model("auth", "Permission")
    permission, _ = Permission.objects.get_or_create(
        content_type=old_type, codename="view_application", defaults={"name": "Can view"}
    )
    return permission.pk


def test_moving_the_vocabularies_to_catalogue_keeps_every_row():
    old_apps = migrate(BEFORE)
    permission_pk = fill_old_state(old_apps)
    before = table_counts()

    migrate(latest())
    after = table_counts()

    # No table lost a row (the reference data loader may add the rows it finds missing).
    lost = {t: (n, after.get(t)) for t, n in before.items() if after.get(t, 0) < n}
    assert lost == {}
    # What staff had edited stays as it was: the loader creates only what is missing.
    togo = EligibleCountry.objects.get(country="TG")
    assert togo.note == "staff note"
    rule = CountryDeploymentRule.objects.get(country=togo, deployment_type__code="integrated")
    assert (rule.allowed, rule.note) == (False, "paused")
    assert Theme.objects.get(code="water").position == 5
    # And every relation to the moved models still points at the same rows.
    integrated = DeploymentType.objects.get(code="integrated")
    eoi = ExpressionOfInterest.objects.get(title="Water for Kpalimé")
    assert list(eoi.themes.values_list("code", flat=True)) == ["water"]
    assert list(eoi.sdgs.values_list("number", flat=True)) == [6]
    assert list(eoi.preferred_deployment_types.all()) == [integrated]
    assert Case.objects.get(eoi=eoi).deployment_type == integrated
    assert Partnership.objects.get().themes.get().code == "water"
    expert = ExpertProfile.objects.get(email="eva@example.org")
    assert [t.code for t in expert.expertise.all()] == ["water"]
    assert list(expert.open_to_models.all()) == [integrated]
    # Permissions and admin history follow the models (their content types moved).
    assert ContentType.objects.filter(app_label="catalogue", model="theme").count() == 1
    assert not ContentType.objects.filter(app_label="partnerships", model="theme").exists()
    # Applications are placements' now: the same row, the same permissions.
    application = Application.objects.get()
    assert (application.expert, application.vacancy.title) == (expert, "Water engineer")
    assert application.motivation == "I built the network of Lyon."
    assert not ContentType.objects.filter(app_label="experts", model="application").exists()
    assert Permission.objects.get(pk=permission_pk).content_type.app_label == "placements"
    # The plain invitation token became its digest; the expert's claim digest kept its value.
    invitation = Invitation.objects.get(email="nina@example.org")
    assert invitation.token_digest == hashlib.sha256(b"plain-token").hexdigest()
    assert expert.claim_digest == "c" * 64
