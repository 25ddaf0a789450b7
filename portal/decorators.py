from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict

PENDING_POST = "portal_pending_post"


def stash_post(request) -> None:
    """Keep what a person typed when their session ended, to give it back after login.
    Files cannot be kept this way; everything else can."""
    data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    request.session[PENDING_POST] = {"path": request.path, "data": data}


def pop_pending_post(request) -> QueryDict | None:
    pending = request.session.get(PENDING_POST)
    if not pending or pending.get("path") != request.path:
        return None
    del request.session[PENDING_POST]
    data = QueryDict(mutable=True)
    for key, values in pending["data"].items():
        data.setlist(key, values)
    return data


def login_required_keep_post(view):
    """Like login_required, but a form sent after the session expired is not lost."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.method == "POST":
                stash_post(request)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
