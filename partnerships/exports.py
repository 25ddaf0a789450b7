"""The admin's list of partnerships as a spreadsheet (portal.exports), in the reader's language.
The "partnerships" format of partnerships.resources stays beside it for a file that is to be
imported again (its columns and values are the import's)."""

from django.utils.translation import gettext_lazy as _

from portal.exports import ListExport, column, field_column

from .models import Commune, Partnership


def _partners(partnership):
    return sorted(partnership.partner_communes.all(), key=lambda commune: commune.name)


class PartnershipExport(ListExport):
    select = ("german_commune",)
    prefetch = ("partner_communes", "themes")
    name = column(_("partnership"), str)
    german_commune = field_column(
        Partnership, "german_commune", read=lambda p: p.german_commune.name
    )
    german_region = column(
        Commune._meta.get_field("region").verbose_name, lambda p: p.german_commune.region
    )
    partner_communes = field_column(
        Partnership, "partner_communes", read=lambda p: [c.name for c in _partners(p)]
    )
    partner_countries = column(
        _("partner countries"), lambda p: sorted({str(c.country.name) for c in _partners(p)})
    )
    status = field_column(Partnership, "status")
    since_year = field_column(Partnership, "since_year")
    formal_agreement = field_column(Partnership, "formal_agreement")
    agreement_date = field_column(Partnership, "agreement_date")
    themes = field_column(Partnership, "themes")
    previous_activities = field_column(Partnership, "previous_activities")
    created_at = field_column(Partnership, "created_at")
