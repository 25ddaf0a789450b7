"""What needs a person's action now: the list that opens their dashboard.

Each app contributes the items it knows about in its AppConfig.ready::

    from portal.registries import todo_sources
    todo_sources.register(my_todos)

A source is ``fn(user) -> Iterable[Todo]``; it answers for any user (an empty list when the
person has nothing to do there) in a fixed number of queries, however many items it finds.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from .registries import todo_sources


@dataclass(frozen=True)
class Todo:
    """One thing a person should do, with the link that takes them there."""

    # What is to be done and on what, in the person's words: "Choose among the candidates for …".
    text: str
    url: str
    # The link's label: a verb ("Choose a candidate", "Write the report").
    action: str
    # When it is due, if it is; items with a date come first, the earliest first.
    due: date | None = None
    # Since when it has waited for the person, if that is known.
    since: datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def todos_for(user) -> list[Todo]:
    """Every item the apps report for the person: dated ones first (earliest first), then the
    others in the order the apps gave them."""
    items = [item for source in todo_sources for item in source(user)]
    return sorted(items, key=lambda item: (item.due is None, item.due or date.max))
