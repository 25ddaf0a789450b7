"""portal.sqlcache: queries compiled once per process give what the ORM gives."""

from datetime import timedelta

import pytest
from django.db.models import Count, F

from partnerships.models import Commune, ExpressionOfInterest, Partnership
from portal import sqlcache
from tests.partnerships.factories import CommuneFactory, EOIFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

Status = ExpressionOfInterest.Status


def eois_by_key(keys):
    return ExpressionOfInterest.objects.filter(pk__in=keys).select_related("initiating_commune")


def drafts_by_key(keys):
    # A value of the query itself (the status), the same on every call.
    return ExpressionOfInterest.objects.filter(pk__in=keys, status=Status.DRAFT).order_by("pk")


def draft_keys(keys):
    return drafts_by_key(keys).values("pk")


def partnerships_by_eoi(keys):
    return Partnership.objects.filter(expressions_of_interest__in=keys).annotate(
        eoi_key=F("expressions_of_interest")
    )


def hosts_counted(keys):
    return (
        Commune.objects.filter(hosted_eois__in=keys)
        .values("name")
        .annotate(n=Count("hosted_eois"))
        .order_by("name")
    )


def first_and_rest(keys):
    return ExpressionOfInterest.objects.filter(pk__in=keys[:1]).exclude(pk__in=keys[1:])


def test_rows_are_the_instances_of_the_query_with_their_select_related(
    django_assert_num_queries,
):
    eois = [EOIFactory() for _ in range(3)]
    keys = [eoi.pk for eoi in eois]
    with django_assert_num_queries(1):
        found = sqlcache.rows(eois_by_key, keys)
        communes = {eoi.pk: eoi.initiating_commune for eoi in found}
    assert sorted(eoi.pk for eoi in found) == sorted(keys)
    assert communes == {eoi.pk: eoi.initiating_commune for eoi in eois}
    assert all(eoi.title == ExpressionOfInterest.objects.get(pk=eoi.pk).title for eoi in found)


def test_rows_of_another_number_of_keys_read_only_those(django_assert_num_queries):
    eois = [EOIFactory() for _ in range(5)]
    # 3 keys are padded to 4, 5 to 8: the rows are still those of the keys asked.
    assert {e.pk for e in sqlcache.rows(eois_by_key, [e.pk for e in eois[:3]])} == {
        e.pk for e in eois[:3]
    }
    assert {e.pk for e in sqlcache.rows(eois_by_key, [e.pk for e in eois])} == {e.pk for e in eois}
    with django_assert_num_queries(0):
        assert sqlcache.rows(eois_by_key, []) == []


def test_rows_keep_the_fixed_values_of_the_query():
    draft, submitted = EOIFactory(), EOIFactory(status=Status.SUBMITTED)
    assert [e.pk for e in sqlcache.rows(drafts_by_key, [draft.pk, submitted.pk])] == [draft.pk]
    # Compiled once: the status stays a parameter of its own, not taken for a key.
    assert [e.pk for e in sqlcache.rows(drafts_by_key, [submitted.pk, draft.pk])] == [draft.pk]


def test_rows_carry_annotations_and_values_dicts():
    eoi = EOIFactory()
    partnership = eoi.partnerships.get()
    [found] = sqlcache.rows(partnerships_by_eoi, [eoi.pk])
    assert (found.pk, found.eoi_key) == (partnership.pk, eoi.pk)
    hosts = sqlcache.rows(hosts_counted, [eoi.pk])
    assert hosts == [{"name": c.name, "n": 1} for c in eoi.host_communes.order_by("name")]


def test_a_build_may_take_its_first_keys_one_by_one():
    one, two, three = EOIFactory(), EOIFactory(), EOIFactory()
    assert [e.pk for e in sqlcache.rows(first_and_rest, [one.pk, two.pk, three.pk])] == [one.pk]
    assert sqlcache.rows(first_and_rest, [one.pk, two.pk, one.pk]) == []


def test_prefetched_relations_read_no_more(django_assert_num_queries):
    eoi, other = EOIFactory(), EOIFactory()
    lonely = EOIFactory()
    lonely.partnerships.clear()
    eois = sqlcache.rows(eois_by_key, [eoi.pk, other.pk, lonely.pk])
    partnerships = sqlcache.rows(partnerships_by_eoi, [e.pk for e in eois])
    sqlcache.prefetched(eois, "partnerships", partnerships, "eoi_key")
    with django_assert_num_queries(0):
        read = {e.pk: [p.pk for p in e.partnerships.all()] for e in eois}
    assert read == {e.pk: [p.pk for p in e.partnerships.all()] for e in (eoi, other, lonely)}
    assert read[lonely.pk] == []


def test_keys_of_is_a_subquery_with_its_fixed_values():
    german = CommuneFactory()
    draft = EOIFactory(partnership=PartnershipFactory(german_commune=german))
    EOIFactory(partnership=PartnershipFactory(german_commune=german), status=Status.SUBMITTED)
    found = ExpressionOfInterest.objects.filter(
        pk__in=sqlcache.keys_of(draft_keys, [e.pk for e in ExpressionOfInterest.objects.all()])
    )
    assert list(found) == [draft]


def changed_since(keys):
    # keys: a time, then a title; both change from call to call.
    return ExpressionOfInterest.objects.filter(updated_at__gte=keys[0], title__in=keys[1:])


def test_keys_may_be_times_and_texts():
    eoi = EOIFactory(title="Water")
    EOIFactory(title="Waste")
    before, after = eoi.updated_at - timedelta(days=1), eoi.updated_at + timedelta(days=1)
    assert [e.pk for e in sqlcache.rows(changed_since, [before, "Water"])] == [eoi.pk]
    assert sqlcache.rows(changed_since, [after, "Water"]) == []
    assert sqlcache.rows(changed_since, [before, "Nothing"]) == []


def test_a_key_of_another_type_is_refused():
    with pytest.raises(TypeError):
        sqlcache.rows(eois_by_key, [1.5])


def test_rows_convert_every_column_as_the_orm_does_also_when_asked_again():
    """The columns' converters are worked out once per query: the second call reads the same
    values as the first, and as the ORM."""
    eoi = EOIFactory()
    fields = [field.attname for field in ExpressionOfInterest._meta.concrete_fields]
    expected = ExpressionOfInterest.objects.values_list(*fields).get(pk=eoi.pk)
    for _ in range(2):
        (found,) = sqlcache.rows(eois_by_key, [eoi.pk])
        assert tuple(getattr(found, name) for name in fields) == expected
        assert found.initiating_commune == eoi.initiating_commune
