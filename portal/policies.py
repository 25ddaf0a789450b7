"""The predicates every app's policies are built from (the `rules` package): the same predicate
answers "may this user do this to this object" in views, admin, templates and services.

A rule is asked with ``rules.has_perm(name, user, obj)`` (or ``policies.may(...)``), never with
``user.has_perm``: Django lets a superuser pass every ``has_perm``, but a superuser is not a
member of a commune and may not confirm a request in its name."""

import rules

from . import roles


@rules.predicate
def is_active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def acts_for_programme(permission: str) -> rules.Predicate:
    """Programme staff whose role grants this admin permission ("app_label.codename"): read-only
    roles (coordinators, finance) hold only view permissions, so they read and never act."""
    return rules.Predicate(
        lambda user: roles.acts_for_programme(user, permission), name=f"acts_for({permission})"
    )


def has_role(role: str) -> rules.Predicate:
    return rules.Predicate(
        lambda user: is_active(user) and role in user.role_names(), name=f"has_role({role})"
    )


def may(user, permission: str, obj=None) -> bool:
    """The one question: may the user do this (to this object)? Names are listed in each app's
    policies module and in README's role table."""
    return rules.has_perm(permission, user, obj)
