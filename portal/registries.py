"""Where a higher app contributes to a lower one without the lower one importing it: each
registry is a list of functions, filled in the contributing app's AppConfig.ready. The portal
never imports a domain app; partnerships never imports experts or placements; experts never
imports placements."""

from collections.abc import Callable, Iterator
from typing import Any


class Registry:
    """An ordered list of contributed functions."""

    def __init__(self, purpose: str):
        self.purpose = purpose
        self._functions: list[Callable[..., Any]] = []

    def register(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Add a function (usable as a decorator); registering one twice keeps one."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter(self._functions)

    def __repr__(self):
        return f"<Registry {self.purpose}: {len(self._functions)}>"

    def panels(self, *args) -> list[tuple[str, dict]]:
        """For registries of page panels: call each with args; each returns (template, context)
        or None when it has nothing to show."""
        return [panel for function in self if (panel := function(*args)) is not None]


# fn(request) -> (template, context) | None: a card on the dashboard.
dashboard_panels = Registry("dashboard panels")
# fn(*, user) -> None: erase what an app keeps about a person, before the account is anonymised.
account_erasers = Registry("account erasers")
# fn(*, user) -> dict: what an app keeps about a person, merged into their data export.
personal_data_exporters = Registry("personal data exporters")
# fn(today: date) -> iterable of portal.reminders.Reminder: the reminders due on that day (see
# portal/reminders.py). A source returns every reminder that is due, including those already
# sent: the machinery sends each key once.
reminder_sources = Registry("reminder sources")
# fn(user) -> iterable of portal.todo.Todo: what needs this person's action now, listed first on
# their dashboard (see portal/todo.py). A source asks a fixed number of queries, however many
# items it finds.
todo_sources = Registry("to-do items")
# fn(user) -> None: read what every request of the person asks and keep it on the user object
# (as role_names does), which is then cached with it (auth_backends.CachedUserMixin). The app
# also forgets the cached user (auth_backends.forget_users) whenever what it kept changes.
user_facts = Registry("facts kept with the cached user")
