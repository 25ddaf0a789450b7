"""Versions of what pages keep in the cache: a page's part is kept under a key that holds the
version of what it shows, and the model signals of everything shown (connected in the apps'
AppConfig.ready) renew the version, which forgets every part kept under the old one at once."""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def version(name: str) -> str:
    """The current version kept under `name`; with the date, as what is kept shows dates
    (a vacancy leaves the list after its closing date, a report is overdue after its due date)."""
    current = cache.get(name)
    if current is None:
        cache.add(name, uuid4().hex, timeout=None)
        current = cache.get(name)
    return f"{current}:{timezone.localdate().isoformat()}"


def new_version(name: str) -> None:
    """A new version now, and another once the change is committed (a page read meanwhile,
    without the change, was kept under the first)."""

    def renew():
        cache.set(name, uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew)


def read_with_version(name: str, key: str) -> tuple[str, object]:
    """(the current version kept under `name`, what `key` holds if it was kept under that
    version, else None), in one read of the cache: for what is kept per reader, whose key would
    otherwise need the version read first. Store with keep_with_version."""
    found = cache.get_many([name, key])
    if name not in found:
        return version(name), None
    current = f"{found[name]}:{timezone.localdate().isoformat()}"
    entry = found.get(key)
    return current, entry[1] if entry is not None and entry[0] == current else None


def keep_with_version(key: str, current: str, value, seconds: int) -> None:
    """Keep `value` under `key` for the version `current` (read_with_version's, read before
    what `value` was made of: a change committed meanwhile renews it once more)."""
    cache.set(key, (current, value), seconds)


def with_form_token(key: str, seconds: int, render, csrf_token: str) -> SafeString:
    """render(token) (HTML holding forms), kept under `key`: rendered with a random mark in place
    of the form token, the one thing of the reader's in it, and given this request's token on the
    way out. The mark is chosen when the HTML is written, so no text of the page can forge it."""
    found = cache.get(key)
    if found is None:
        mark = uuid4().hex
        found = (mark, str(render(mark)))
        cache.set(key, found, seconds)
    mark, html = found
    return mark_safe(html.replace(mark, escape(csrf_token)))


def forget_on_change(receiver, uid: str, *, models=(), links=()) -> None:
    """Connect receiver (one that renews a version) to the saves and deletes of `models` and to
    the changes of the many-to-many `links` (their through models), under dispatch uids made
    of `uid` and the model's name: what a page keeps is forgotten when what it shows changes."""
    for model in models:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(receiver, sender=model, dispatch_uid=f"{uid}_{model.__name__}_{name}")
    for through in links:
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{uid}_{through.__name__}")
