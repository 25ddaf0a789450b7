"""The user of a logged-in request comes from the cache, not from queries on every request.

Every logged-in request needs the user's row (the session names only its key) and the user's roles
(the menu), and a staff member's pages whether they set up a second factor. All are kept in the
cache for USER_CACHE_SECONDS (staff with their permissions, which the admin checks on every page)
and dropped whenever the row is saved or deleted, the user's groups or permissions or their
groups' permissions change, a second factor or an email address is added, changed or removed
(signals connected in PortalConfig.ready, so in every process): logging in, password and email
changes, deactivation, erasure, roles given or taken. The apps keep more with it
(registries.user_facts: a commune member's communes, that there is no expert profile) and forget
it when that changes. An update that bypasses save() (`QuerySet.update`) is seen when the entry
expires; the session's hash of the password is still checked against the cached row.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.cache import cache
from django.db.models import Exists, OuterRef

from . import sqlcache
from .registries import user_facts
from .sessions import read_with_session

USER_CACHE_SECONDS = 5 * 60


def user_cache_key(user_id) -> str:
    return f"portal:user:{user_id}"


def forget_user(sender, instance, **kwargs) -> None:
    cache.delete(user_cache_key(instance.pk))


def forget_users(user_ids) -> None:
    """Drop the cached users `user_ids`: their next request reads them, and their facts, anew."""
    cache.delete_many([user_cache_key(pk) for pk in set(user_ids)])


def forget_user_of(sender, instance, **kwargs) -> None:
    """Receiver for the models that point to one user (a second factor, an email address)."""
    cache.delete(user_cache_key(instance.user_id))


def has_totp(user) -> bool:
    """Whether the user set up an authenticator app (staff must: middleware.StaffMFAMiddleware)."""
    if not hasattr(user, "_has_totp"):
        user._has_totp = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return user._has_totp


def forget_members(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """Users given or taken a group, from either side of the relation."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        user_ids = [instance.pk]
    elif action == "pre_clear":
        user_ids = list(instance.user_set.values_list("pk", flat=True))
    else:
        user_ids = pk_set or []
    cache.delete_many([user_cache_key(pk) for pk in user_ids])


def forget_permission_holders(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A group given or taken permissions, from either side: its members' rights change."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        group_ids = [instance.pk]
    elif action == "pre_clear":
        group_ids = list(instance.group_set.values_list("pk", flat=True))
    else:
        group_ids = pk_set or []
    users = get_user_model().objects.filter(groups__pk__in=group_ids)
    user_ids = users.values_list("pk", flat=True)
    cache.delete_many([user_cache_key(pk) for pk in set(user_ids)])


def forget_group_members(sender, instance, **kwargs) -> None:
    """A group renamed or deleted changes the roles of all its users."""
    if instance.pk:
        cache.delete_many(
            [user_cache_key(pk) for pk in instance.user_set.values_list("pk", flat=True)]
        )


def _security_facts(keys):
    return (
        get_user_model()
        .objects.filter(pk__in=keys)
        .values(
            has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"))),
            verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
        )
    )


def security_facts(user) -> dict:
    """Whether the account has a second factor and a verified address (the dashboard's
    reminders), in one query compiled once (sqlcache); kept with the cached user, which a
    change of either forgets (PortalConfig.ready)."""
    if not hasattr(user, "_security_facts"):
        user._security_facts = sqlcache.rows(_security_facts, [user.pk])[0]
    return user._security_facts


class CachedUserMixin:
    def get_user(self, user_id):
        # Read with the session, in the same round trip (sessions.SessionStore), if it is this
        # user's; taken once.
        user = read_with_session.get()
        read_with_session.set(None)
        if user is not None and str(user.pk) == str(user_id):
            return user
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                # Kept on the instance, so cached with it.
                user.role_names()
                for keep in user_facts:
                    keep(user)
                if user.is_staff or user.is_superuser:
                    has_totp(user)
                    # The admin asks for the permissions on every page (two queries): Django
                    # keeps them on the instance, so they are cached with it.
                    self.get_all_permissions(user)
                cache.set(key, user, USER_CACHE_SECONDS)
        return user


class ModelBackend(CachedUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, AllauthBackend):
    pass
