"""The admin's navigation, kept per set of rights (portal.admin_site), is Django's navigation."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.template.loader import render_to_string
from django.test import RequestFactory

from portal import roles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def request_of(user, path="/admin/placements/case/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def djangos_sidebar(request):
    apps = AdminSite.get_app_list(admin.site, request)
    return render_to_string("admin/nav_sidebar.html", {"available_apps": apps, "request": request})


def test_each_role_sees_the_navigation_django_would_show_it(sam, gina):
    ada = make_user("ada@example.org", staff=True, superuser=True)
    sara = make_user("sara@example.org", role=roles.SKEW, staff=True)
    for user in (sam, gina, ada, sara, sam):
        for path in ("/admin/placements/case/", "/admin/placements/case/1/change/", "/admin/"):
            request = request_of(user, path)
            assert admin.site.get_app_list(request) == AdminSite.get_app_list(admin.site, request)
            context = {"request": request, "available_apps": admin.site.get_app_list(request)}
            assert admin.site.nav_sidebar(context) == djangos_sidebar(request)


def test_the_navigation_shows_only_what_the_rights_allow(sam):
    nora = make_user("nora@example.org", staff=True)  # staff without a role: no rights
    shown = {
        who: admin.site.nav_sidebar(
            {"request": request_of(who), "available_apps": admin.site.get_app_list(request_of(who))}
        )
        for who in (sam, nora)
    }
    assert 'class="model-case current-model"' in shown[sam]
    assert "/admin/placements/case/" not in shown[nora]
