from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("staff/dashboard/", views.staff_dashboard, name="staff-dashboard"),
    path("vacancies/", views.vacancy_list, name="vacancy-list"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy-detail"),
    path("vacancies/<int:pk>/apply/", views.vacancy_apply, name="vacancy-apply"),
    path("applications/", views.my_applications, name="my-applications"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    path(
        "cases/<int:pk>/request-information/",
        views.request_information,
        name="request-information",
    ),
    path("cases/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("cases/<int:pk>/summary.pdf", views.case_summary_pdf, name="case-summary-pdf"),
    path("cases/<int:pk>/decision.pdf", views.decision_letter_pdf, name="decision-letter-pdf"),
    path("missions/portfolio/", views.portfolio, name="portfolio"),
    path("documents/<int:pk>/", views.document_job, name="document-job"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path(
        "cases/<int:pk>/shortlist/<int:application_pk>/choose/",
        views.shortlist_choose,
        name="shortlist-choose",
    ),
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/<int:pk>/", views.mission_detail, name="mission-detail"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("reports/<int:pk>/comment/", views.report_comment, name="report-comment"),
    path("reports/<int:pk>/compare/", views.report_compare, name="report-compare"),
    path(
        "reports/<int:pk>/attachments/",
        views.report_attachment_upload,
        name="report-attachment-upload",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        views.report_attachment,
        name="report-attachment",
    ),
    path("events/", views.event_list, name="event-list"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/calendar.ics", views.event_ics, name="event-ics"),
    path(
        "events/<int:pk>/documents/<int:document_pk>/",
        views.event_document,
        name="event-document",
    ),
    path(
        "event-registrations/<int:pk>/calendar.ics",
        views.registration_ics,
        name="registration-ics",
    ),
]
