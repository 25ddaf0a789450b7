from django.urls import path

from . import views

app_name = "experts"

urlpatterns = [
    path("experts/profile/", views.profile, name="profile"),
    path("experts/profile/create/", views.profile_create, name="profile-create"),
    path("experts/profile/documents/<slug:kind>/", views.document_upload, name="document-upload"),
    path(
        "experts/profile/documents/<int:pk>/delete/",
        views.document_delete,
        name="document-delete",
    ),
    path("experts/profile/export/", views.export_json, name="export-json"),
    path("experts/profile/erase/", views.erase, name="erase"),
    path("experts/documents/<int:pk>/", views.document_download, name="document-download"),
    path("experts/claim/<str:token>/", views.claim, name="claim"),
    path("experts/<int:pk>/", views.profile_detail, name="profile-detail"),
    path("experts/<int:pk>/pdf/", views.profile_pdf, name="profile-pdf"),
]
