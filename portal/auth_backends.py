"""The user of a logged-in request comes from the cache, not from a query on every request.

Every logged-in request needs the user's row (the session names only its key). It is kept in the
cache for USER_CACHE_SECONDS and dropped whenever the row is saved or deleted (signals connected in
PortalConfig.ready, so in every process), which covers logging in, password and email changes,
deactivation and erasure. An update that bypasses save() (`QuerySet.update`) is seen when the entry
expires; the session's hash of the password is still checked against the cached row.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache

USER_CACHE_SECONDS = 5 * 60


def user_cache_key(user_id) -> str:
    return f"portal:user:{user_id}"


def forget_user(sender, instance, **kwargs) -> None:
    cache.delete(user_cache_key(instance.pk))


class CachedUserMixin:
    def get_user(self, user_id):
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, USER_CACHE_SECONDS)
        return user


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass
