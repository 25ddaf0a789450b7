from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin has no login form of its own: it sends people to allauth's (rate limits, MFA).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Experts for Partners"
admin.site.site_title = "Experts for Partners"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("imprint/", views.imprint, name="imprint"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("account/settings/", views.account_settings, name="account-settings"),
    path("account/export/", views.export_my_data, name="account-export"),
    path("account/erase/", views.erase_account, name="account-erase"),
    path("", include("partnerships.urls")),
    path("", include("placements.urls")),
    path("", include("experts.urls")),
    path("accounts/login/", views.LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
