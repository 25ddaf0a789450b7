"""The placements app's pages: recruitment (vacancies, applications, shortlists, the staff
dashboard) and missions (mission pages, reports)."""

from .events import (
    event_cancel,
    event_detail,
    event_document,
    event_ics,
    event_list,
    event_register,
    registration_ics,
)
from .missions import (
    mission_detail,
    mission_list,
    report_attachment,
    report_attachment_upload,
    report_comment,
    report_compare,
    report_detail,
    report_edit,
    report_review,
)
from .recruitment import (
    application_detail,
    application_withdraw,
    my_applications,
    request_information,
    shortlist,
    shortlist_choose,
    staff_dashboard,
    vacancy_apply,
    vacancy_detail,
    vacancy_list,
)

__all__ = [
    "event_list",
    "event_detail",
    "event_register",
    "event_cancel",
    "event_ics",
    "registration_ics",
    "event_document",
    "application_detail",
    "application_withdraw",
    "mission_detail",
    "mission_list",
    "my_applications",
    "report_attachment",
    "report_attachment_upload",
    "report_comment",
    "report_compare",
    "report_detail",
    "report_edit",
    "report_review",
    "request_information",
    "shortlist",
    "shortlist_choose",
    "staff_dashboard",
    "vacancy_apply",
    "vacancy_detail",
    "vacancy_list",
]
