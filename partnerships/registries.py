"""What apps above partnerships contribute to it (filled in their AppConfig.ready)."""

from portal.registries import Registry

# fn(request, eoi) -> (template, context) | None: a section on the expression of interest's page
# (placements: the case's candidates, the programme's request for more information). What a panel
# reads that is the same for every reader it may keep on the EOI (or its case): a commune
# member's page keeps the EOI in the cache with it, under the EOI pages' version
# (selectors.eoi_pages_version), so the app connects the signals of what it keeps there to
# selectors.forget_eoi_pages.
eoi_panels = Registry("expression of interest panels")
# fn(eois, user, own_commune_ids) -> {eoi.pk: words}: where submitted or decided expressions of
# interest stand, for this reader, in a fixed number of queries (placements: the case's state).
# The words may depend on the reader only through their communes and language: a commune
# member's EOI page keeps them, as eoi_panels.
eoi_status_words = Registry("status words of expressions of interest")
