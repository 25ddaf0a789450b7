"""What apps above experts contribute to it (filled in their AppConfig.ready): experts never
imports placements."""

from portal.registries import Registry

# fn(user) -> queryset of expert ids whose CV the user may read (beside their own documents).
cv_readers = Registry("CV readers")
# fn(profile) -> bool: records elsewhere refer to the profile, so erasing it anonymises it.
profile_keepers = Registry("records that keep a profile")
# fn(profile) -> None: erase what an app keeps about an expert, before the profile goes.
profile_erasers = Registry("expert erasers")
# fn(profile) -> dict: what an app keeps about an expert, for the expert's data export.
profile_exporters = Registry("expert data exporters")
# fn(request, profile) -> (template, context) | None: a section of an expert's profile page.
profile_panels = Registry("expert profile panels")
