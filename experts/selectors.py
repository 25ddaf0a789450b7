"""What each user may see of experts, built on its policies."""

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from portal import kept, sqlcache

from . import policies
from .models import ExpertDocument, ExpertProfile
from .registries import cv_readers


def profiles_visible_to(user):
    """Programme staff read every profile; an expert only their own."""
    if policies.reads_profiles(user):
        return ExpertProfile.objects.all()
    if not policies.is_active(user):
        return ExpertProfile.objects.none()
    return ExpertProfile.objects.filter(user=user)


def documents_visible_to(user):
    """Programme staff read every document; an expert their own; others the CVs of the experts
    an app higher up lets them read (placements: a shortlist sent to their commune)."""
    if policies.reads_profiles(user):
        return ExpertDocument.objects.all()
    if not policies.is_active(user):
        return ExpertDocument.objects.none()
    visible = Q(expert__user=user)
    for experts_of in cv_readers:
        visible |= Q(expert_id__in=experts_of(user), kind=ExpertDocument.Kind.CV)
    return ExpertDocument.objects.filter(visible)


# --- What the expert's profile page keeps in the cache -------------------------------------------
# On a GET, the profile page's content (the completeness, the form and its formsets, the documents
# and their forms) is the same for every request of its expert until something it shows changes:
# it is kept per profile, language and time zone (upload dates are shown as local dates), under
# the profile's own version, which the model signals of the profile, its languages, positions,
# documents and links to themes and deployment models renew (experts.apps), and a version of the
# lists every profile shows (themes, deployment models). QuerySet.update(), bulk_create() and raw
# SQL send no signal, so nothing is kept longer than PROFILE_PAGE_SECONDS either.
PROFILE_PAGE_SECONDS = 600
_PROFILE_PAGES_VERSION = "expert-profile-pages:version"


def _profile_page_version_key(pk: int) -> str:
    return f"expert-profile-page:{pk}:version"


def own_profile(user) -> ExpertProfile | None:
    """The user's expert profile, without its rows (`models.profile_details`), None without one;
    its query compiled once per process."""
    found = sqlcache.rows(_own_profiles, [user.pk])
    return found[0] if found else None


def _own_profiles(keys):
    return ExpertProfile.objects.filter(user_id__in=keys)


def profile_page_version(pk: int) -> str:
    """Part of the key of what the profile page of profile `pk` keeps: the profile's version and
    that of the lists every profile shows, in one read of the cache once they are there."""
    own = _profile_page_version_key(pk)
    found = cache.get_many([own, _PROFILE_PAGES_VERSION])
    if len(found) < 2:
        return f"{kept.version(own)}:{kept.version(_PROFILE_PAGES_VERSION)}"
    today = timezone.localdate().isoformat()
    return f"{found[own]}:{today}:{found[_PROFILE_PAGES_VERSION]}:{today}"


def forget_profile_page(sender, instance, **kwargs) -> None:
    """Receiver of the model signals of a profile and of its rows: that profile's page only."""
    pk = instance.pk if isinstance(instance, ExpertProfile) else instance.expert_id
    if pk is not None:
        kept.new_version(_profile_page_version_key(pk))


def forget_profile_page_links(sender, instance, action, reverse, **kwargs) -> None:
    """Receiver of m2m_changed of a profile's themes and deployment models: that profile's page,
    or every profile's when they are changed from the theme's or deployment model's side."""
    if not action.startswith("post_"):
        return
    if reverse:
        kept.new_version(_PROFILE_PAGES_VERSION)
    else:
        kept.new_version(_profile_page_version_key(instance.pk))


def forget_profile_pages(**kwargs) -> None:
    """Receiver of the model signals of the lists every profile page shows (themes, deployment
    models)."""
    kept.new_version(_PROFILE_PAGES_VERSION)
