from django.urls import path

from . import views

app_name = "placements"

urlpatterns = [
    path("staff/dashboard/", views.staff_dashboard, name="staff-dashboard"),
]
