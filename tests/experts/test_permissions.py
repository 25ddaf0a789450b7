"""Who may see what: every page of the experts app, for each kind of visitor. An expert's personal
data never reaches another expert, nor a commune that has not been sent the expert's CV."""

import pytest
from django.test import Client
from django.urls import reverse

from experts.models import DocumentAccess

from .factories import pdf_file, upload

LOGIN = reverse("account_login")


@pytest.fixture
def cast(profile, application, frank, alice, bob, other, pierre, sam):
    """Erin's profile with a CV and a certificate, on a shortlist sent to Kpalimé (pierre)."""
    return {
        "profile": profile,
        "cv": upload(profile, "cv"),
        "certificate": upload(profile, "certificate"),
        "application": application,
    }


# Pages of one expert, reached by id: (name, how to build the URL from the cast).
OBJECT_PAGES = {
    "profile-detail": lambda c: reverse("experts:profile-detail", args=[c["profile"].pk]),
    "profile-pdf": lambda c: reverse("experts:profile-pdf", args=[c["profile"].pk]),
    "cv-download": lambda c: reverse("experts:document-download", args=[c["cv"].pk]),
    "certificate-download": lambda c: reverse(
        "experts:document-download", args=[c["certificate"].pk]
    ),
    "application-detail": lambda c: reverse(
        "placements:application-detail", args=[c["application"].pk]
    ),
}

# The answer each visitor gets on each page.
MATRIX = {
    # visitor: {page: status}
    "erin": dict.fromkeys(OBJECT_PAGES, 200),
    "sam": dict.fromkeys(OBJECT_PAGES, 200),
    "frank": dict.fromkeys(OBJECT_PAGES, 404),
    "alice": dict.fromkeys(OBJECT_PAGES, 404),
    "bob": dict.fromkeys(OBJECT_PAGES, 404),
    "pierre": {**dict.fromkeys(OBJECT_PAGES, 404), "cv-download": 200},
}
CASES = [
    pytest.param(visitor, page, status, id=f"{visitor}-{page}")
    for visitor, pages in MATRIX.items()
    for page, status in pages.items()
]


@pytest.mark.parametrize(("visitor", "page", "status"), CASES)
def test_who_may_open_which_page_of_an_expert(cast, client_of, request, visitor, page, status):
    client = client_of(request.getfixturevalue(visitor))

    response = client.get(OBJECT_PAGES[page](cast))

    assert response.status_code == status


@pytest.mark.parametrize("page", list(OBJECT_PAGES))
def test_logged_out_visitors_are_sent_to_log_in(cast, page):
    url = OBJECT_PAGES[page](cast)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next={url}")


OWN_PAGES = [
    ("get", reverse("experts:profile")),
    ("post", reverse("experts:profile")),
    ("post", reverse("experts:profile-create")),
    ("post", reverse("experts:document-upload", args=["cv"])),
    ("post", reverse("experts:document-delete", args=[1])),
    ("get", reverse("experts:export-json")),
    ("get", reverse("experts:erase")),
    ("post", reverse("experts:erase")),
    ("get", reverse("experts:claim", args=["some-token"])),
]


@pytest.mark.parametrize(("method", "url"), OWN_PAGES, ids=[f"{m}-{u}" for m, u in OWN_PAGES])
def test_the_experts_own_pages_need_a_login(db, method, url):
    response = getattr(Client(), method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("visitor", ["frank", "pierre", "sam"])
def test_only_the_expert_removes_their_documents(cast, client_of, request, visitor):
    client = client_of(request.getfixturevalue(visitor))

    response = client.post(reverse("experts:document-delete", args=[cast["cv"].pk]))

    assert response.status_code == 404
    assert cast["profile"].documents.count() == 2


@pytest.mark.parametrize("visitor", ["frank", "pierre"])
def test_the_own_pages_of_someone_else_show_nothing_of_the_expert(
    cast, client_of, request, visitor
):
    client = client_of(request.getfixturevalue(visitor))

    for url in (reverse("experts:profile"), reverse("experts:export-json")):
        page = client.get(url).content.decode()
        assert "Erin" not in page
        assert "erin@example.org" not in page


def test_an_expert_cannot_upload_into_another_profile(cast, client_of, pierre):
    """Pierre has no profile: an upload finds none to add to."""

    response = client_of(pierre).post(
        reverse("experts:document-upload", args=["cv"]), {"cv-file": pdf_file()}
    )

    assert response.status_code == 404
    assert cast["profile"].documents.count() == 2


def test_every_download_is_logged_and_refusals_are_not(cast, client_of, erin, pierre, sam, frank):
    url = OBJECT_PAGES["cv-download"](cast)
    for user in (erin, pierre, sam, frank):
        client_of(user).get(url)

    assert sorted(a.user.email for a in DocumentAccess.objects.select_related("user")) == [
        "erin@example.org",
        "pierre@example.org",
        "sam@example.org",
    ]


def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(cast, client_of, gina):
    client = client_of(gina)

    for page in OBJECT_PAGES.values():
        response = client.get(page(cast))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    assert not DocumentAccess.objects.exists()


def test_a_host_commune_loses_access_when_the_shortlist_is_withdrawn(cast, client_of, pierre):
    client = client_of(pierre)
    url = OBJECT_PAGES["cv-download"](cast)
    assert client.get(url).status_code == 200

    cast["application"].shared_with_commune = False
    cast["application"].save(update_fields=["shared_with_commune"])

    assert client.get(url).status_code == 404
