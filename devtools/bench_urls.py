"""The portal's URLs plus a view that only answers "ok": the floor every page is measured against.

It runs through the whole middleware stack (sessions, authentication, allauth, the portal's own),
so the difference between it and a page is the page's own work.
"""

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler403, handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns

BARE_PATH = "/bench/ok"


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_PATH.lstrip("/"), ok, name="bench-ok"), *portal_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
