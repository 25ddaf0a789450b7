from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from . import roles

# The language menu names each language in itself ("Deutsch", "Français"): the same on every
# page, so worked out once instead of switching the active language per option on every request.
LANGUAGE_MENU = [
    (code, capfirst(get_language_info(code)["name_local"])) for code, _name in settings.LANGUAGES
]


def navigation(request):
    """Which menu entries the user sees; one query for the roles, none when logged out."""
    user = getattr(request, "user", None)
    names = user.role_names() if user is not None and user.is_authenticated else set()
    return {
        "user_roles": names,
        "is_applicant": roles.APPLICANT in names,
        "is_expert": roles.EXPERT in names,
        "is_programme_staff": bool(user and user.is_authenticated and user.is_staff),
        "portal_languages": LANGUAGE_MENU,
        "programme_contact_email": settings.PROGRAMME_CONTACT_EMAIL,
    }
