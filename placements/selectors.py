"""What each user may see of placements, built on its policies."""

from portal.policies import may

from . import policies
from .models import Application, Case, Vacancy


def cases_visible_to(user):
    """Programme staff work with cases; nobody else sees them directly (the communes follow
    their expression of interest, experts their applications)."""
    if policies.reads_cases(user):
        return Case.objects.all()
    return Case.objects.none()


def applications_visible_to(user):
    """Programme staff read every application; an expert their own."""
    if policies.reads_applications(user):
        return Application.objects.all()
    if not policies.is_active(user):
        return Application.objects.none()
    return Application.objects.filter(expert__user=user)


def vacancies_visible_to(user):
    """Published vacancies: the public ones for everybody, all for staff and experts."""
    vacancies = Vacancy.objects.published()
    if not may(user, "placements.see_all_vacancies"):
        vacancies = vacancies.filter(public=True)
    return vacancies
