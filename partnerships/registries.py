"""What apps above partnerships contribute to it (filled in their AppConfig.ready)."""

from portal.registries import Registry

# fn(request, eoi) -> (template, context) | None: a section on the expression of interest's page
# (placements: the case's candidates, the programme's request for more information).
eoi_panels = Registry("expression of interest panels")
# fn(eois, user, own_commune_ids) -> {eoi.pk: words}: where submitted or decided expressions of
# interest stand, for this reader, in a fixed number of queries (placements: the case's state).
eoi_status_words = Registry("status words of expressions of interest")
