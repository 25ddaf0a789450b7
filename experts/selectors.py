"""What each user may see of experts, built on its policies."""

from django.db.models import Q

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
