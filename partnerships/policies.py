"""Who may do what in partnerships: communes, memberships, invitations and expressions of
interest. Ask with ``portal.policies.may(user, "partnerships.<rule>", obj)``; the querysets'
``visible_to`` read the same predicates. README's role table lists every rule."""

import rules
from django.db.models import Q

from portal import roles, sqlcache
from portal.auth_backends import forget_users
from portal.policies import acts_for_programme, is_active

from .models import Commune, CommuneMembership, ExpressionOfInterest, Partnership

# --- Admin permissions per staff role (portal.roles.grant, from apps.py) --------------------------
# Programme staff edit these models in the admin (never delete: the history matters);
# coordinators and finance look.
MODELS = [
    "commune",
    "contactperson",
    "communemembership",
    "membershiprequest",
    "invitation",
    "partnership",
    "expressionofinterest",
    "requiredlanguage",
    "attachment",
    "confirmation",
    "comment",
    "eoievent",
    "submittedversion",
]
_READ = roles.model_permissions("partnerships", MODELS, ("view",))
_EDIT = roles.model_permissions("partnerships", MODELS, ("view", "add", "change"))
ROLE_PERMISSIONS = {
    roles.SKEW: _EDIT,
    roles.GIZ: _EDIT,
    roles.COORDINATOR: _READ,
    roles.FINANCE: _READ,
}


# --- Helpers the predicates (and services) share -------------------------------------------------


def is_member(user, commune: Commune) -> bool:
    return is_active(user) and CommuneMembership.objects.filter(user=user, commune=commune).exists()


def own_communes(user) -> list[Commune]:
    """The communes the user is a confirmed member of, by name. Kept on the user object (as
    ``role_names`` is), so that the several checks of one request ask once, and cached with it
    (registries.user_facts): a membership given or taken, or a commune renamed, forgets the
    cached user (forget_member, forget_commune_members)."""
    if not is_active(user):
        return []
    if not hasattr(user, "_own_communes"):
        user._own_communes = sqlcache.rows(_communes_of_members, [user.pk])
    return user._own_communes


def _communes_of_members(keys):
    return Commune.objects.filter(memberships__user__in=keys)


def own_commune_ids(user) -> set[int]:
    """The keys of the user's communes (``own_communes``, asked once per request)."""
    return {commune.pk for commune in own_communes(user)}


def forget_member(sender, instance, **kwargs) -> None:
    """Receiver of a membership's saves and deletes."""
    forget_users([instance.user_id])


def forget_commune_members(sender, instance, created=False, **kwargs) -> None:
    """Receiver of a commune's saves: its members' cached users show its name."""
    if not created:
        forget_users(instance.memberships.values_list("user_id", flat=True))


def forget_own_communes(user) -> None:
    """After the user's memberships changed: the next own_communes asks again."""
    if hasattr(user, "_own_communes"):
        del user._own_communes


def party_communes(eoi: ExpressionOfInterest) -> list[Commune]:
    """The communes that must confirm: the German communes of the partnerships and the hosts."""
    communes = {p.german_commune for p in eoi.partnerships.all()}
    communes |= set(eoi.host_communes.all())
    return sorted(communes, key=lambda c: (not c.is_german, c.name))


def communes_of(user, eoi: ExpressionOfInterest) -> list[Commune]:
    """The user's communes that take part in this EOI (the sides they may act for)."""
    own = set(own_communes(user))
    if not own:
        return []
    return [c for c in party_communes(eoi) if c in own] or (
        [eoi.initiating_commune] if eoi.initiating_commune in own else []
    )


# --- Predicates -----------------------------------------------------------------------------------

# Programme staff read every commune, partnership and EOI: the roles that hold the view
# permission (all four staff roles); a staff account without a role reads nothing.
reads_communes = acts_for_programme("partnerships.view_commune")
reads_partnerships = acts_for_programme("partnerships.view_partnership")
reads_eois = acts_for_programme("partnerships.view_expressionofinterest")
decides_membership = acts_for_programme("partnerships.change_membershiprequest")
invites_for_programme = acts_for_programme("partnerships.add_invitation")
writes_as_programme = acts_for_programme("partnerships.add_comment")
sends_eois_back = acts_for_programme("partnerships.change_expressionofinterest")


@rules.predicate
def member_of_commune(user, commune) -> bool:
    return is_member(user, commune)


@rules.predicate
def member_of_partner_commune(user, commune) -> bool:
    """Members of a commune in partnership with this one (the German side brings in its
    partners, and the other way round)."""
    if not is_active(user):
        return False
    own = Commune.objects.of_member(user).values("pk")
    return Partnership.objects.filter(
        Q(german_commune__in=own, partner_communes=commune)
        | Q(german_commune=commune, partner_communes__in=own)
    ).exists()


@rules.predicate
def party_to_eoi(user, eoi) -> bool:
    return bool(communes_of(user, eoi))


@rules.predicate
def eoi_is_editable(user, eoi) -> bool:
    return eoi.is_editable


@rules.predicate
def eoi_is_open(user, eoi) -> bool:
    return eoi.status not in (
        ExpressionOfInterest.Status.WITHDRAWN,
        ExpressionOfInterest.Status.DECIDED,
    )


# --- Rules ----------------------------------------------------------------------------------------

rules.add_perm("partnerships.read_members", reads_communes | member_of_commune)
rules.add_perm("partnerships.decide_membership", decides_membership | member_of_commune)
rules.add_perm(
    "partnerships.invite", invites_for_programme | member_of_commune | member_of_partner_commune
)
rules.add_perm("partnerships.edit_eoi", party_to_eoi & eoi_is_editable)
rules.add_perm("partnerships.act_for_eoi", party_to_eoi)
rules.add_perm("partnerships.withdraw_eoi", party_to_eoi & eoi_is_open)
rules.add_perm("partnerships.comment_eoi", writes_as_programme | party_to_eoi)
rules.add_perm("partnerships.write_as_programme", writes_as_programme)
rules.add_perm("partnerships.send_eoi_back", sends_eois_back)
