"""Programme staff ask the communes for more information from the expression of interest's page,
through the case workflow: only the roles the workflow names, only while the case allows it."""

import pytest
from django.urls import reverse

from placements.models import Case
from portal import roles
from tests.conftest import make_user

MESSAGE = "How is the site financed after 2029?"


def staff(role):
    return make_user(f"{role.split()[0]}-{len(role)}@example.org", role=role, staff=True, mfa=True)


@pytest.mark.parametrize(
    "who", ["anonymous", "alice", "pierre", "erin", "giz", "coordinator", "finance"]
)
def test_only_skew_may_send_the_request_back(client, case, who, alice, pierre, erin):
    users = {
        "alice": alice,
        "pierre": pierre,
        "erin": erin,
        "giz": lambda: staff(roles.GIZ),
        "coordinator": lambda: staff(roles.COORDINATOR),
        "finance": lambda: staff(roles.FINANCE),
    }
    if who != "anonymous":
        user = users[who]
        client.force_login(user() if callable(user) else user)
    url = reverse("placements:request-information", args=[case.pk])

    response = client.post(url, {"message": MESSAGE})

    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED
    assert not case.eoi.comments.exists()
    assert MESSAGE not in client.get(case.eoi.get_absolute_url()).content.decode()


def test_skew_sends_it_back_and_the_communes_read_why(client, case, sam, alice):
    client.force_login(sam)
    page = client.get(case.eoi.get_absolute_url()).content.decode()
    assert "Send back to the communes" in page

    response = client.post(
        reverse("placements:request-information", args=[case.pk]), {"message": MESSAGE}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.INFO_REQUESTED
    client.force_login(alice)
    assert MESSAGE in client.get(case.eoi.get_absolute_url()).content.decode()


def test_an_empty_message_changes_nothing_and_says_why(client, case, sam):
    client.force_login(sam)

    response = client.post(
        reverse("placements:request-information", args=[case.pk]), {"message": " "}, follow=True
    )

    assert "Please say what information is missing." in response.content.decode()
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED


def test_the_form_is_gone_once_the_case_has_moved_on(client, case, sam):
    Case.objects.filter(pk=case.pk).update(state=Case.State.APPROVED)
    client.force_login(sam)

    assert (
        "Send back to the communes" not in client.get(case.eoi.get_absolute_url()).content.decode()
    )
