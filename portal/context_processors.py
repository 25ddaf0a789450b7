from django.conf import settings

from . import roles


def navigation(request):
    """Which menu entries the user sees; one query for the roles, none when logged out."""
    user = getattr(request, "user", None)
    names = user.role_names() if user is not None and user.is_authenticated else set()
    return {
        "user_roles": names,
        "is_applicant": roles.APPLICANT in names,
        "is_expert": roles.EXPERT in names,
        "is_programme_staff": bool(user and user.is_authenticated and user.is_staff),
        "portal_languages": settings.LANGUAGES,
        "programme_contact_email": settings.PROGRAMME_CONTACT_EMAIL,
    }
