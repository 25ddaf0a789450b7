"""Rate limits for form posts and invitations, counted in the cache.

The cache is Redis in production, shared by every process, so a limit holds across workers; the
local-memory cache of the embedded default counts per process, which is enough on one machine.
"""

from functools import wraps

from django.core.cache import cache
from django.shortcuts import render


def allow(key: str, *, limit: int, period: int) -> bool:
    """Count one hit on the key; True while it has had at most `limit` hits in the window of
    `period` seconds that its first hit opened."""
    # add() only writes when the key is absent, and incr() is atomic on Redis and keeps the
    # key's expiry, so two processes counting at once never lose a hit or stretch the window.
    if cache.add(key, 1, timeout=period):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:
        # The window ended between add() and incr(): this hit opens the next one.
        cache.add(key, 1, timeout=period)
        count = 1
    return count <= limit


def ratelimit(action: str, *, limit: int, period: int, methods=("POST",)):
    """Answer 429 to a user (or, logged out, an IP address) who has already sent `limit`
    requests with one of `methods` to the view within `period` seconds."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                user = getattr(request, "user", None)
                who = user.pk if user is not None and user.is_authenticated else None
                who = who or request.META.get("REMOTE_ADDR", "")
                if not allow(f"rl:{action}:{who}", limit=limit, period=period):
                    response = render(request, "429.html", status=429)
                    response["Retry-After"] = str(period)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
