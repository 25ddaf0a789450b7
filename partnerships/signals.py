"""What partnerships announces to the apps above it. Receivers run inside the sender's
transaction, so that what they do is saved or rolled back with the expression of interest."""

from django.dispatch import Signal

# An expression of interest was submitted (first time or again): sent with eoi=, by=.
eoi_submitted = Signal()
# An expression of interest was withdrawn by its communes: sent with eoi=, by=, reason=.
eoi_withdrawn = Signal()
