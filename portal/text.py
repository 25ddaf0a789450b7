"""Checks of user text shared by every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible characters that
# reorder the text around them, so that "RTL" can be shown as "LTR" or "cod.exe" as "exe.doc".
# The marks U+200E/U+200F stay allowed: they do not reorder, and right-to-left writers use them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    """The text without direction overrides (for text that is not typed into a form: file
    names, email subjects, imported cells)."""
    return BIDI_CONTROLS.sub("", text) if text else text


@deconstructible
class NoBidiControlsValidator:
    """Refuses names and titles with direction overrides, which could spoof what is shown."""

    message = _(
        "This text contains invisible characters that change the direction of the text "
        "around them. Please type it again without them."
    )
    code = "bidi_controls"

    def __call__(self, value):
        if isinstance(value, str) and BIDI_CONTROLS.search(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoBidiControlsValidator)


no_bidi_controls = NoBidiControlsValidator()
