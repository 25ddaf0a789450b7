"""Invitations from before emailed links kept only a digest: every row stays, and no plain token
stays in the database."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnerships.models import Invitation

BEFORE = [("partnerships", "0005_remove_moved_vocabularies")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def invitation_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM partnerships_invitation")
        return cursor.fetchall()


def test_invitations_keep_their_rows_and_only_the_digest_of_their_old_token():
    old_apps = migrate(BEFORE)
    User = old_apps.get_model("portal", "User")
    Commune = old_apps.get_model("partnerships", "Commune")
    OldInvitation = old_apps.get_model("partnerships", "Invitation")
    alice = User.objects.create(email="alice@example.org", full_name="Alice")
    leipzig = Commune.objects.create(name="Leipzig", country="DE", kind="city")
    OldInvitation.objects.create(
        commune=leipzig, email="open@example.org", invited_by=alice, token="open-token"
    )
    OldInvitation.objects.create(
        commune=leipzig, email="used@example.org", invited_by=alice, token="used-token"
    )

    migrate(latest())

    digests = dict(Invitation.objects.values_list("email", "token_digest"))
    assert digests == {
        "open@example.org": hashlib.sha256(b"open-token").hexdigest(),
        "used@example.org": hashlib.sha256(b"used-token").hexdigest(),
    }
    stored = " ".join(str(value) for row in invitation_rows() for value in row)
    assert "open-token" not in stored
    assert "used-token" not in stored


def test_going_back_gives_every_invitation_a_new_token_of_its_own(alice, german):
    Invitation.objects.create(
        commune=german, email="one@example.org", invited_by=alice, token_digest="a" * 64
    )
    Invitation.objects.create(
        commune=german, email="two@example.org", invited_by=alice, token_digest="b" * 64
    )

    old_apps = migrate(BEFORE)

    tokens = list(old_apps.get_model("partnerships", "Invitation").objects.values_list("token"))
    assert len(set(tokens)) == 2
    assert all(token for (token,) in tokens)
    migrate(latest())
    assert Invitation.objects.count() == 2
