"""The session store: Django's cached_db (sessions in the cache with the database behind), which
also reads the cached user of the session (auth_backends) in the same round trip to the cache.

A logged-in request read the session, then the user it names: two round trips to Redis, about
half of what being logged in costs. A session belongs to one user for its whole life (a login
gives a new key, a logout deletes it), so each process remembers which user each session key
named, and reads both together from then on. The user read with the session is handed to
auth_backends.CachedUserMixin.get_user for that user's key only, in the same request; Django
still checks the session's password hash against it."""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

# The user read with this request's session, until get_user takes it.
read_with_session: ContextVar = ContextVar("read_with_session", default=None)

# Session key -> the key of its user, per process; forgotten all at once when it grows past this.
_USERS_OF_SESSIONS: dict[str, str] = {}
_REMEMBERED = 50_000


class SessionStore(CachedDBStore):
    def load(self):
        read_with_session.set(None)
        user_id = _USERS_OF_SESSIONS.get(self.session_key or "")
        data = None
        if user_id is not None and settings.SESSION_CACHE_ALIAS == "default":
            # Imported here: auth_backends reads the models, which load after the sessions.
            from .auth_backends import user_cache_key  # noqa: PLC0415

            user_key = user_cache_key(user_id)
            try:
                found = self._cache.get_many([self.cache_key, user_key])
            except Exception:
                found = {}
            data = found.get(self.cache_key)
            if data is not None and data.get(SESSION_KEY) == user_id:
                read_with_session.set(found.get(user_key))
            else:
                data = None
        if data is None:
            data = super().load()
        user_id = data.get(SESSION_KEY)
        if user_id is not None and self.session_key:
            if len(_USERS_OF_SESSIONS) >= _REMEMBERED:
                _USERS_OF_SESSIONS.clear()
            _USERS_OF_SESSIONS[self.session_key] = user_id
        return data
