"""Where an expression of interest stands, in words that say who acts next: "waiting for your
confirmation", not "Draft". The words depend on who reads them (a member of a commune that
still has to confirm, of the other commune, programme staff). Apps above partnerships add what
they know about a submitted request (placements: the case's state) through
``registries.eoi_status_words``."""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _

from portal import sqlcache

from .models import Commune, Confirmation, ExpressionOfInterest, Partnership
from .policies import own_commune_ids, party_communes
from .registries import eoi_status_words

Status = ExpressionOfInterest.Status


@dataclass
class Progress:
    """What the reader needs to know about one EOI."""

    words: str
    # The reader's communes that must still confirm the current revision.
    to_confirm: list[Commune] = field(default_factory=list)


def with_parties(eois):
    """Prefetch the party communes, which progress_of reads (label adds the confirmations of
    those that still need them)."""
    return eois.select_related("initiating_commune").prefetch_related(
        Prefetch(
            "partnerships",
            # Its name (its str) and German commune; not its texts.
            queryset=Partnership.objects.select_related("german_commune").only(
                "name", "german_commune"
            ),
        ),
        Prefetch("host_communes", queryset=Commune.objects.order_by("name")),
    )


def listed(eois):
    """with_parties, and of the EOIs only what a list shows and progress_of reads (not their
    long answers)."""
    return with_parties(eois).only(
        "title", "status", "revision", "initiating_commune", "updated_at"
    )


# --- The same reads with SQL compiled once (portal.sqlcache) ---------------------------------
# For the commune members' pages, which ask them on every request: the ORM took longer to build
# these queries (and each prefetch's) than PostgreSQL to answer them.


def _partnerships_by_eoi(keys):
    # What with_parties prefetches, each with the key of its EOI (eoi_key).
    return (
        Partnership.objects.filter(expressions_of_interest__in=keys)
        .select_related("german_commune")
        .only("name", "german_commune")
        .annotate(eoi_key=F("expressions_of_interest"))
    )


def _hosts_by_eoi(keys):
    return (
        Commune.objects.filter(hosted_eois__in=keys)
        .annotate(eoi_key=F("hosted_eois"))
        .order_by("name")
    )


def _confirmations_by_eoi(keys):
    return Confirmation.objects.filter(eoi__in=keys)


def read_listed(build, keys) -> list[ExpressionOfInterest]:
    """The EOIs of build(keys) (a listed() query, e.g. of the EOIs of some communes), with
    what with_parties prefetches, their SQL compiled once (portal.sqlcache)."""
    eois = sqlcache.rows(build, keys)
    attach_parties(eois)
    return eois


def attach_parties(eois: list[ExpressionOfInterest]) -> None:
    """What with_parties prefetches, for EOIs already read."""
    keys = [eoi.pk for eoi in eois]
    sqlcache.prefetched(eois, "partnerships", sqlcache.rows(_partnerships_by_eoi, keys), "eoi_key")
    sqlcache.prefetched(eois, "host_communes", sqlcache.rows(_hosts_by_eoi, keys), "eoi_key")


def progress_of(eoi: ExpressionOfInterest, own: set[int]) -> Progress:
    """Where the EOI stands for a reader who is a member of the communes ``own`` (none: staff);
    reads only what with_parties and label prefetch."""
    if eoi.status == Status.WITHDRAWN:
        return Progress(_("Withdrawn by the communes"))
    if eoi.status == Status.SUBMITTED:
        return Progress(
            _("With the programme team") if own else _("Waiting for the programme team")
        )
    if eoi.status == Status.DECIDED:
        return Progress(_("Decided by the programme team"))
    if eoi.status == Status.CHANGES_REQUESTED and not own:
        return Progress(_("Waiting for the communes' answer"))
    parties = party_communes(eoi)
    confirmed = {c.commune_id for c in eoi.confirmations.all() if c.revision == eoi.revision}
    mine = [c for c in parties if c.pk in own]
    if not mine and eoi.initiating_commune_id in own:
        mine = [eoi.initiating_commune]
    to_confirm = [c for c in mine if c.pk not in confirmed]
    if eoi.status == Status.CHANGES_REQUESTED:
        return Progress(_("Waiting for your answer to the programme team"), to_confirm)
    if not own:
        return Progress(_("Being written by the communes"))
    if to_confirm:
        return Progress(_("Waiting for your confirmation"), to_confirm)
    others = [c.name for c in parties if c.pk not in confirmed and c.pk not in own]
    if others:
        return Progress(
            _("Waiting for the confirmation of %(communes)s") % {"communes": ", ".join(others)}
        )
    return Progress(_("Being written by the communes"))


def label(eois, user, own: set[int] | None = None) -> list[ExpressionOfInterest]:
    """The EOIs (prefetched with with_parties) as a list, each with ``progress`` for this
    reader (whose communes are ``own``, asked when not given); what higher apps know about
    submitted ones replaces the words."""
    eois = list(eois)
    own = own_commune_ids(user) if own is None else own
    # Only those still being written wait for confirmations.
    editable = [eoi for eoi in eois if eoi.is_editable]
    if editable:
        confirmations = sqlcache.rows(_confirmations_by_eoi, [eoi.pk for eoi in editable])
        sqlcache.prefetched(editable, "confirmations", confirmations, "eoi_id")
    for eoi in eois:
        eoi.progress = progress_of(eoi, own)
    decided = [eoi for eoi in eois if eoi.status in (Status.SUBMITTED, Status.DECIDED)]
    if decided:
        for source in eoi_status_words:
            found = source(decided, user, own)
            for eoi in decided:
                if eoi.pk in found:
                    eoi.progress.words = found[eoi.pk]
    return eois
