"""What each user may see of partnerships, built on its policies: every object fetch of a page
goes through these (other people's objects are then a 404)."""

from django.db.models import Q

from portal import kept, sqlcache

from . import policies
from .models import Commune, ExpressionOfInterest, Partnership
from .progress import listed


def communes_visible_to(user):
    """Programme staff read every commune; commune staff their own and their partners'."""
    if policies.reads_communes(user):
        return Commune.objects.all()
    if not policies.is_active(user):
        return Commune.objects.none()
    own = Commune.objects.of_member(user).values("pk")
    return Commune.objects.filter(
        Q(pk__in=own)
        | Q(partnerships_abroad__german_commune__in=own)
        | Q(partnerships_at_home__partner_communes__in=own)
    ).distinct()


def partnerships_visible_to(user):
    if policies.reads_partnerships(user):
        return Partnership.objects.all()
    if not policies.is_active(user):
        return Partnership.objects.none()
    own = Commune.objects.of_member(user).values("pk")
    return Partnership.objects.filter(
        Q(german_commune__in=own) | Q(partner_communes__in=own)
    ).distinct()


def eois_visible_to(user):
    """Programme staff read all; commune staff the EOIs in which one of their communes takes
    part (the same communes party_to_eoi asks for)."""
    if policies.reads_eois(user):
        return ExpressionOfInterest.objects.all()
    own = [commune.pk for commune in policies.own_communes(user)]
    if not own:
        return ExpressionOfInterest.objects.none()
    return ExpressionOfInterest.objects.filter(pk__in=sqlcache.keys_of(eoi_of_communes, own))


def eoi_of_communes(own):
    """The keys of the EOIs in which one of the communes `own` (their keys, or a query of
    them) takes part.

    One subquery of EOI keys, the union of the three ways of taking part: PostgreSQL then
    fetches the few EOIs by key. Joins repeated an EOI once per matching row and needed a
    DISTINCT over whole rows, and an OR of three subqueries read every EOI (30 ms a page with
    5,000 EOIs, growing with them). Its SQL is compiled once (sqlcache): building the UNION cost
    the ORM more than PostgreSQL takes to answer it."""
    hosted = ExpressionOfInterest.host_communes.through.objects.filter(commune__in=own)
    partnered = ExpressionOfInterest.partnerships.through.objects.filter(
        partnership__german_commune__in=own
    )
    initiated = ExpressionOfInterest.objects.filter(initiating_commune__in=own)
    # Without their models' default ordering, which SQLite refuses inside a UNION.
    return (
        hosted.order_by()
        .values("expressionofinterest_id")
        .union(
            partnered.order_by().values("expressionofinterest_id"),
            initiated.order_by().values("pk"),
        )
    )


def eois_of_communes(own):
    """The EOIs of the communes `own` as a list shows them (progress.listed), newest first: what
    eois_visible_to gives a member of those communes, for progress.read_listed."""
    return listed(ExpressionOfInterest.objects.filter(pk__in=eoi_of_communes(own))).order_by(
        "-updated_at"
    )


# --- What the EOI pages keep in the cache --------------------------------------------------------
# An expression of interest's page shows the same answers, messages, history and versions to
# every reader who may do the same with it (edit it, withdraw it): they are kept in the cache per
# language, time zone and those rights, under a version that the model signals of everything
# shown change (partnerships.apps). Who may see the EOI, where it stands for this reader (with
# the words placements adds from the case), the panels of apps above and the message form are
# worked out on every request. QuerySet.update(), bulk_create() and raw SQL send no signal, so
# nothing is kept longer than EOI_PAGE_SECONDS either. A commune member's dashboard keeps its
# to-do items and panel under the same version (dashboard.py; confirmations, requests to join
# and, connected by placements, cases renew it too).
EOI_PAGE_SECONDS = 600
_EOI_PAGES_VERSION = "eoi-pages:version"


def eoi_pages_version() -> str:
    """Part of the key of everything the EOI pages keep: a new one forgets all of it."""
    return kept.version(_EOI_PAGES_VERSION)


def read_under_eoi_pages_version(key: str) -> tuple[str, object]:
    """(the EOI pages' version, what `key` keeps under it or None), in one read of the cache:
    for what is kept per reader's communes (the EOI list and page of a commune member)."""
    return kept.read_with_version(_EOI_PAGES_VERSION, key)


def forget_eoi_pages(update_fields=None, **kwargs) -> None:
    """Receiver of the model signals; a login (which saves the user's last login) shows nowhere."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    kept.new_version(_EOI_PAGES_VERSION)
