"""Pages that list rows cost the same number of queries for 2 rows as for 20: templates never
query, views fetch related rows in one go."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Theme
from partnerships import services
from partnerships.models import EOIEvent
from partnerships.selectors import forget_eoi_pages
from tests.conftest import make_user

from .factories import CommuneFactory, EOIFactory, MembershipFactory, PartnershipFactory

FEW, MANY = 2, 20


def add_eois(cast, count):
    for _ in range(count):
        EOIFactory(partnership=cast["partnership"], created_by=cast["alice"])


def add_partnerships(cast, count):
    themes = list(Theme.objects.all()[:2])
    for _ in range(count):
        partnership = PartnershipFactory(german_commune=cast["german"])
        partnership.themes.set(themes)


def add_commune_rows(cast, count):
    """Partnerships, members, requests to join and open invitations of Leipzig."""
    german = cast["german"]
    for number in range(count):
        PartnershipFactory(german_commune=german, partner=CommuneFactory(abroad=True))
        MembershipFactory(commune=german)
        applicant = make_user(f"applicant{number}-{count}@example.org", name=f"Applicant {number}")
        services.request_membership(user=applicant, commune=german, function="Engineer")
        services.invite(
            commune=german,
            email=f"guest{number}-{count}@example.org",
            name="Guest",
            language="de",
            by=cast["alice"],
        )


def add_comments(cast, count):
    """Messages of both communes, and the history lines that come with work on an EOI."""
    eoi = cast["eoi"]
    for number in range(count):
        author = cast["alice"] if number % 2 else cast["pierre"]
        services.add_comment(eoi=eoi, author=author, body=f"Message {number}")
        commune = services.communes_of(author, eoi)[0]
        EOIEvent.objects.create(eoi=eoi, kind=EOIEvent.Kind.EDITED, actor=author, commune=commune)


# The page, what adds rows to it, and the most queries it may cost, when it renders what it keeps
# in the cache and when it shows it from there (only an EOI's page keeps its content). The status
# in words of each expression of interest ("waiting for your confirmation") reads its
# partnerships, hosts and confirmations, and the cases of submitted ones; an EOI's page asks its
# parties once for all its checks (may edit, withdraw, comment; the panels).
PAGES = [
    pytest.param(lambda cast: reverse("partnerships:eoi-list"), add_eois, (8, 8), id="eoi-list"),
    pytest.param(
        lambda cast: reverse("partnerships:partnership-list"),
        add_partnerships,
        (15, 15),
        id="partnership-list",
    ),
    pytest.param(
        lambda cast: reverse("partnerships:commune-detail", args=[cast["german"].pk]),
        add_commune_rows,
        (25, 25),
        id="commune-detail",
    ),
    pytest.param(
        lambda cast: reverse("partnerships:eoi-detail", args=[cast["eoi"].pk]),
        add_comments,
        (14, 6),
        id="eoi-detail",
    ),
]


def count_queries(browser, path) -> tuple[int, int]:
    """The queries of a request that renders what the page keeps in the cache (an EOI's page:
    selectors, "What the EOI pages keep in the cache"), and of the next, which shows it from
    there (the same for pages that keep nothing)."""
    forget_eoi_pages()
    with CaptureQueriesContext(connection) as rendered:
        assert browser.get(path).status_code == 200
    with CaptureQueriesContext(connection) as kept:
        assert browser.get(path).status_code == 200
    return len(rendered), len(kept)


@pytest.mark.parametrize("viewer", ["alice", "sam"])
@pytest.mark.parametrize(("path_of", "add_rows", "most"), PAGES)
def test_a_page_costs_the_same_queries_for_few_and_many_rows(
    request,
    client_of,
    alice,
    pierre,
    sam,
    german,
    partnership,
    complete_eoi,
    viewer,
    path_of,
    add_rows,
    most,
):
    cast = {
        "alice": alice,
        "pierre": pierre,
        "german": german,
        "partnership": partnership,
        "eoi": complete_eoi,
    }
    browser = client_of(request.getfixturevalue(viewer))
    path = path_of(cast)
    add_rows(cast, FEW)
    browser.get(path)  # the first request of a session writes its start time

    few = count_queries(browser, path)
    add_rows(cast, MANY - FEW)
    many = count_queries(browser, path)

    assert few == many
    assert many[0] <= most[0] and many[1] <= most[1]
