"""The partnerships app's models, in two modules: communes and their people and partnerships;
the expression of interest and what hangs off it."""

from .communes import (
    INVITATION_VALID_DAYS,
    Commune,
    CommuneMembership,
    CommuneQuerySet,
    ContactPerson,
    Invitation,
    MembershipRequest,
    Partnership,
    _invitation_expiry,
    _token,
)
from .eoi import (
    Attachment,
    Comment,
    Confirmation,
    EOIEvent,
    ExpressionOfInterest,
    RequiredLanguage,
    SubmittedVersion,
    _random_upload_name,
)

__all__ = [
    "INVITATION_VALID_DAYS",
    "Attachment",
    "Comment",
    "Commune",
    "CommuneMembership",
    "CommuneQuerySet",
    "Confirmation",
    "ContactPerson",
    "EOIEvent",
    "ExpressionOfInterest",
    "Invitation",
    "MembershipRequest",
    "Partnership",
    "RequiredLanguage",
    "SubmittedVersion",
    "_invitation_expiry",
    "_random_upload_name",
    "_token",
]
