"""What apps above partnerships contribute to it (filled in their AppConfig.ready)."""

from portal.registries import Registry

# fn(request, eoi) -> (template, context) | None: a section on the expression of interest's page
# (placements: the case's candidates, the programme's request for more information).
eoi_panels = Registry("expression of interest panels")
