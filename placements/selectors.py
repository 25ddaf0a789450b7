"""Reads of placements that several modules share."""

from partnerships.models import Commune
from portal.models import User

from .models import Case


def hosts_of(case: Case) -> list[Commune]:
    """The communes that host the expert: those recorded on the case, else those the expression
    of interest named."""
    return list(case.host_communes.all()) or list(case.eoi.host_communes.all())


def host_communes_of(user: User, case: Case) -> list:
    """The host communes of the case the user is a member of."""
    return list(Commune.objects.of_member(user).filter(pk__in=[c.pk for c in hosts_of(case)]))
