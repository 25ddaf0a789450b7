"""The placements app's models, one module per sub-domain: cases, recruitment, missions, support
events."""

from .cases import (
    CHOSEN_BY_HOST_COMMUNE,
    STAGE_OF_STATE,
    Case,
    CaseEvent,
    CaseNote,
    CaseQuerySet,
    reason_as_shown,
)
from .documents import DocumentJob
from .events import (
    EventRegistration,
    EventRegistrationQuerySet,
    SupportEvent,
    SupportEventDocument,
    SupportEventQuerySet,
)
from .missions import Mission, SalaryAccess, SalaryTopUp
from .recruitment import (
    SHARED_FIELDS,
    Application,
    Vacancy,
    VacancyQuerySet,
    default_shared_fields,
)
from .reports import (
    Indicator,
    IndicatorValue,
    MissionObjective,
    MissionReport,
    ObjectiveProgress,
    ReportAttachment,
    ReportComment,
    ReportVersion,
)

__all__ = [
    "CHOSEN_BY_HOST_COMMUNE",
    "SHARED_FIELDS",
    "STAGE_OF_STATE",
    "Application",
    "Case",
    "CaseEvent",
    "CaseNote",
    "CaseQuerySet",
    "DocumentJob",
    "Indicator",
    "IndicatorValue",
    "EventRegistration",
    "EventRegistrationQuerySet",
    "Mission",
    "MissionObjective",
    "MissionReport",
    "ObjectiveProgress",
    "ReportAttachment",
    "ReportComment",
    "ReportVersion",
    "SalaryAccess",
    "SalaryTopUp",
    "SupportEvent",
    "SupportEventDocument",
    "SupportEventQuerySet",
    "Vacancy",
    "VacancyQuerySet",
    "default_shared_fields",
    "reason_as_shown",
]
