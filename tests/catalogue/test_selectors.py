"""The themes and deployment models that forms list, kept in the cache (catalogue.selectors)."""

import pytest
from django.utils import translation

from catalogue.models import DeploymentType, Theme
from catalogue.selectors import theme_and_deployment_type_choices

pytestmark = pytest.mark.django_db


def listed():
    return theme_and_deployment_type_choices()


def test_the_lists_are_read_once_then_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(2):
        themes, models = listed()
    assert themes == [(theme.pk, str(theme)) for theme in Theme.objects.all()]
    assert models == [(model.pk, str(model)) for model in DeploymentType.objects.all()]
    assert themes and models
    with django_assert_num_queries(0):
        assert listed() == (themes, models)


def test_the_labels_are_in_the_readers_language():
    listed()
    with translation.override("de"):
        german = dict(listed()[0])
    with translation.override("en"):
        english = dict(listed()[0])
    water = Theme.objects.get(code=Theme.Code.WATER).pk
    assert english[water] == "Water"
    assert german[water] == "Wasser"


def test_a_theme_moved_or_removed_is_listed_so_at_once(django_capture_on_commit_callbacks):
    listed()
    first = Theme.objects.first()
    first.position = Theme.objects.last().position + 1
    with django_capture_on_commit_callbacks(execute=True):
        first.save()
    assert listed()[0][-1][0] == first.pk
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert first.pk not in dict(listed()[0])


def test_a_deployment_model_saved_is_read_again(django_assert_num_queries):
    listed()
    model = DeploymentType.objects.first()
    model.save()
    with django_assert_num_queries(2):
        listed()
