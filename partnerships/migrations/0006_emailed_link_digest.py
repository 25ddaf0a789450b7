"""Invitations keep the digest of their link instead of the link's plain token (portal.links).

Rows stay, accepted or not. Each row's new digest is the sha256 of its old token, so that no plain
token stays in the database; the token column then goes.

Invitation links emailed before this release no longer work: they were never signed, and links are
now checked by their signature first. Invitations that were not accepted yet must be sent again:
staff use the admin action "Send the selected invitations again with a new link" (filter the list
by "accepted: No"), members send a new invitation from the commune's page.

Backwards, each row gets a new random plain token (never emailed, so again: resend).
"""

import hashlib
import secrets

from django.db import migrations, models



def digest_the_tokens(apps, schema_editor):
    Invitation = apps.get_model("partnerships", "Invitation")
    for invitation in Invitation.objects.only("pk", "token").iterator():
        invitation.token_digest = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.save(update_fields=["token_digest"])


def new_plain_tokens(apps, schema_editor):
    Invitation = apps.get_model("partnerships", "Invitation")
    for invitation in Invitation.objects.only("pk").iterator():
        invitation.token = secrets.token_urlsafe(32)
        invitation.save(update_fields=["token"])


class Migration(migrations.Migration):

    dependencies = [
        ("partnerships", "0005_remove_moved_vocabularies"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="token_digest",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Not unique and nullable for a moment, so that going backwards can add it again empty
        # and fill it before it becomes unique.
        migrations.AlterField(
            model_name="invitation",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(digest_the_tokens, new_plain_tokens, elidable=False),
        migrations.RemoveField(
            model_name="invitation",
            name="token",
        ),
        migrations.AlterField(
            model_name="invitation",
            name="token_digest",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("token_digest", ""), _negated=True),
                name="invitation_has_link_digest",
            ),
        ),
    ]
