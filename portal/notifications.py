"""Which emails a person may switch off: every email template belongs to one category, read top to
bottom below. Optional categories can be switched off on the account settings page; decisions,
invitations, deadlines and account messages always reach the person.

A new email template gets a line in TEMPLATE_CATEGORIES (a test fails for a template in
templates/email/ that has none, and send_notification refuses one it cannot place).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    code: str
    label: str | Promise
    # Optional categories: what the person gets. Mandatory ones: why they cannot switch it off.
    help_text: str | Promise
    mandatory: bool = False


CATEGORIES = [
    # Optional: information that the person can also read on the portal.
    Category(
        "eoi_comment",
        _("Messages on expressions of interest"),
        _("When someone writes a message on an expression of interest you take part in."),
    ),
    Category(
        "eoi_progress",
        _("Progress of expressions of interest"),
        _("When a commune confirms, submits or withdraws an expression of interest of yours."),
    ),
    Category(
        "eoi_submitted_staff",
        _("New expressions of interest"),
        _("Programme staff: when communes submit an expression of interest."),
    ),
    Category(
        "case_transition",
        _("Progress of cases"),
        _("Case officers: when someone moves one of your cases on."),
    ),
    Category(
        "application_received",
        _("Applications"),
        _("Case officers: when an expert applies for the vacancy of one of your cases."),
    ),
    Category(
        "mission_ending",
        _("Reminders of a mission's end"),
        _("Three months before the end of a mission you are on or look after."),
    ),
    Category(
        "mission_reports",
        _("Mission reports"),
        _("Communes and experts: when a report is accepted or commented on."),
    ),
    # Mandatory: something is decided, asked of the person, or due.
    Category(
        "decisions",
        _("Decisions and requests"),
        _("Decisions on your requests, and requests waiting for your decision, always reach you."),
        mandatory=True,
    ),
    Category(
        "invitations",
        _("Invitations"),
        _("An invitation is sent once, to the person invited; it cannot be switched off."),
        mandatory=True,
    ),
    Category(
        "deadlines",
        _("Deadlines"),
        _("Reports due and overdue always reach you: the programme depends on them."),
        mandatory=True,
    ),
    Category(
        "documents",
        _("Documents you asked for"),
        _("When a document you asked for is ready to download; you asked for it."),
        mandatory=True,
    ),
    Category(
        "account",
        _("Your account"),
        _("Messages about your account, and test messages the programme team sends you."),
        mandatory=True,
    ),
]
CATEGORY_BY_CODE = {category.code: category for category in CATEGORIES}
OPTIONAL = [category for category in CATEGORIES if not category.mandatory]
MANDATORY = [category for category in CATEGORIES if category.mandatory]

# Every template of templates/email/ (without _subject.txt / _body.txt) → its category.
TEMPLATE_CATEGORIES = {
    "eoi_comment": "eoi_comment",
    "eoi_confirmed": "eoi_progress",
    "eoi_submitted": "eoi_progress",
    "eoi_withdrawn": "eoi_progress",
    "eoi_submitted_staff": "eoi_submitted_staff",
    "case_transition": "case_transition",
    "application_received": "application_received",
    "mission_ending": "mission_ending",
    "report_accepted": "mission_reports",
    "report_comment": "mission_reports",
    "report_submitted": "decisions",
    "report_reviewed": "decisions",
    "event_place_available": "decisions",
    "report_due": "deadlines",
    "extension_waiting": "decisions",
    "report_overdue": "deadlines",
    "eoi_decided": "decisions",
    "eoi_changes_requested": "decisions",
    "membership_requested": "decisions",
    "membership_confirmed": "decisions",
    "membership_refused": "decisions",
    "shortlist_sent": "decisions",
    "invitation": "invitations",
    "expert_claim": "invitations",
    "test_email": "account",
    "document_ready": "documents",
}


def category_of(template: str) -> Category:
    """The category of an email template; an unknown template is a programming error."""
    try:
        return CATEGORY_BY_CODE[TEMPLATE_CATEGORIES[template]]
    except KeyError:
        raise LookupError(
            f"The email template {template!r} has no category in portal.notifications."
        ) from None


def wants_email(user, template: str) -> bool:
    """Whether the person gets this email: always for a mandatory category, otherwise unless they
    switched its category off."""
    category = category_of(template)
    return category.mandatory or category.code not in (user.email_opt_outs or [])
