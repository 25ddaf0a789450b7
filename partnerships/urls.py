from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("communes/", views.commune_list, name="commune-list"),
    path("communes/<int:pk>/", views.commune_detail, name="commune-detail"),
    path("communes/<int:pk>/invite/", views.invite, name="commune-invite"),
    path(
        "membership-requests/<int:pk>/<str:decision>/",
        views.membership_request_decide,
        name="membership-request-decide",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("partnerships/", views.partnership_list, name="partnership-list"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership-detail"),
    path("expressions-of-interest/", views.eoi_list, name="eoi-list"),
    path("expressions-of-interest/new/", views.eoi_start, name="eoi-start"),
    path("expressions-of-interest/<int:pk>/", views.eoi_detail, name="eoi-detail"),
    path("expressions-of-interest/<int:pk>/edit/<slug:step>/", views.eoi_step, name="eoi-step"),
    path("expressions-of-interest/<int:pk>/review/", views.eoi_review, name="eoi-review"),
    path("expressions-of-interest/<int:pk>/confirm/", views.eoi_confirm, name="eoi-confirm"),
    path("expressions-of-interest/<int:pk>/comment/", views.eoi_comment, name="eoi-comment"),
    path("expressions-of-interest/<int:pk>/withdraw/", views.eoi_withdraw, name="eoi-withdraw"),
    path("expressions-of-interest/<int:pk>/compare/", views.eoi_compare, name="eoi-compare"),
    path(
        "expressions-of-interest/<int:pk>/attachments/",
        views.attachment_upload,
        name="attachment-upload",
    ),
    path(
        "expressions-of-interest/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path(
        "expressions-of-interest/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment-delete",
    ),
]
