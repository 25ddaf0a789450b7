"""The applicants' pages: communes and partnerships (communes.py), expressions of interest
(eois.py)."""

from .communes import (
    commune_detail,
    commune_list,
    invitation_accept,
    invite,
    membership_request_decide,
    partnership_detail,
    partnership_list,
)
from .eois import (
    attachment_delete,
    attachment_download,
    attachment_upload,
    eoi_comment,
    eoi_compare,
    eoi_confirm,
    eoi_detail,
    eoi_list,
    eoi_review,
    eoi_start,
    eoi_step,
    eoi_withdraw,
)

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "commune_detail",
    "commune_list",
    "eoi_comment",
    "eoi_compare",
    "eoi_confirm",
    "eoi_detail",
    "eoi_list",
    "eoi_review",
    "eoi_start",
    "eoi_step",
    "eoi_withdraw",
    "invitation_accept",
    "invite",
    "membership_request_decide",
    "partnership_detail",
    "partnership_list",
]
