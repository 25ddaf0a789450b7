"""Reads of reference rows that many pages list."""

from django.core.cache import cache
from django.db import transaction

from portal.choices import label_of

from .models import DeploymentType, Theme

# --- Themes and deployment models, kept in the cache ---------------------------------------------
# Ten themes and three deployment models, listed as checkboxes on the expert's profile: their keys
# and codes are kept (the labels come from the codes, in the reader's language) instead of being
# read on every request. Django's model signals carry every save and delete of them (catalogue.apps
# connects forget_short_lists); QuerySet.update() and raw SQL send none, so nothing is kept longer
# than SHORT_LISTS_SECONDS either.
SHORT_LISTS_SECONDS = 600
_SHORT_LISTS = "catalogue:short-lists"


def _short_lists() -> dict[str, list[tuple[int, str]]]:
    lists = cache.get(_SHORT_LISTS)
    if lists is None:
        lists = {
            "themes": list(Theme.objects.values_list("pk", "code")),
            "deployment_types": list(DeploymentType.objects.values_list("pk", "code")),
        }
        cache.set(_SHORT_LISTS, lists, timeout=SHORT_LISTS_SECONDS)
    return lists


def theme_and_deployment_type_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(key, label) of every theme and of every deployment model, in their order, as a
    ModelChoiceField lists them (one read of the cache for both)."""
    lists = _short_lists()
    return (
        [(pk, label_of(Theme.Code, code)) for pk, code in lists["themes"]],
        [(pk, label_of(DeploymentType.Code, code)) for pk, code in lists["deployment_types"]],
    )


def forget_short_lists(**kwargs) -> None:
    """Receiver of the model signals of themes and deployment models: forgotten now, and again
    once the change is committed (a list read meanwhile, without the change, was kept)."""
    cache.delete(_SHORT_LISTS)
    transaction.on_commit(lambda: cache.delete(_SHORT_LISTS))
