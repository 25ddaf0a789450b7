"""Signing up, logging in and out, passwords, two-factor authentication for staff, rate limits and
the limits on how long a session lives."""

import re
import time
from datetime import timedelta

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal import roles, services
from portal.auth_backends import user_cache_key
from portal.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from portal.models import User
from tests.conftest import PASSWORD, TOTP_SECRET, make_user, totp_code

NEW_PASSWORD = "a-brand-new-passphrase-2026"
DASHBOARD = "/dashboard/"
LOGIN = "/accounts/login/"


def log_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def link_in(email, path):
    """The first link in an email's body whose path starts with ``path``."""
    match = re.search(rf"{re.escape(settings.SITE_URL)}({re.escape(path)}\S*)", email.body)
    assert match, f"no link to {path} in:\n{email.body}"
    return match.group(1)


def is_sent_to_login(response):
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def set_session_time(client, key, age):
    """Pretend that the session's timestamp ``key`` was written ``age`` ago."""
    session = client.session
    session[key] = (timezone.now() - age).isoformat()
    session.save()


# Sign-up and email verification


def test_signing_up_sends_a_link_that_verifies_the_address_and_logs_in(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "full_name": "Nina Neumann",
                "email": "nina@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert is_sent_to_login(client.get(DASHBOARD))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nina@example.org"]
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")

    assert client.get(link).status_code == 200
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    assert EmailAddress.objects.get(email="nina@example.org").verified


def test_the_verification_email_names_the_portal_and_links_to_the_configured_address(
    client, db, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "nina@example.org",
                "full_name": "Nina Neumann",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            HTTP_HOST="localhost",
        )

    body = mailoutbox[0].body
    assert body.startswith("Hello from Experts for Partners!")
    assert "Thank you for using Experts for Partners!\nportal.example.org" in body
    assert re.search(r"\shttps://portal\.example\.org/accounts/confirm-email/\S+/\s", body)
    assert "localhost" not in body


def test_the_site_name_comes_from_the_configuration_and_is_translated_otherwise(
    client, db, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "nina@example.org",
                "full_name": "Nina Neumann",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            HTTP_ACCEPT_LANGUAGE="fr",
        )
        settings.SITE_NAME = "Partner Portal"
        client.post("/accounts/password/reset/", {"email": "nina@example.org"})

    assert mailoutbox[0].body.startswith(
        "Bonjour, c'est Fonds d'expert·e·s pour les partenariats communaux dans le monde entier !"
    )
    assert mailoutbox[1].body.startswith("Hello from Partner Portal!")


def test_a_user_whose_address_is_not_verified_cannot_log_in(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    user = User.objects.create_user(email="uma@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = log_in(client, "uma@example.org")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert is_sent_to_login(client.get(DASHBOARD))
    # They are sent a fresh link instead.
    assert [m.to for m in mailoutbox] == [["uma@example.org"]]


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("Sh0rt-pw!x", "This password is too short"),
        ("password1234", "This password is too common"),
    ],
)
def test_sign_up_refuses_short_and_common_passwords(client, db, password, error):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "Nina Neumann",
            "email": "nina@example.org",
            "password1": password,
            "password2": password,
        },
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not User.objects.filter(email="nina@example.org").exists()


# Logging in and out


def test_a_verified_user_logs_in_with_email_and_password_and_sees_the_dashboard(client, alice):
    response = log_in(client, "ALICE@example.org")

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert "Welcome, Alice" in client.get(DASHBOARD).content.decode()


def test_a_wrong_password_does_not_log_in(client, alice):
    response = log_in(client, alice.email, "not-the-password-at-all")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert is_sent_to_login(client.get(DASHBOARD))


def test_logging_out_ends_the_session_for_whoever_holds_its_cookie(client, alice):
    log_in(client, alice.email)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    # A link (GET) alone does not log out: it could be triggered by another site.
    client.get("/accounts/logout/")
    assert client.get(DASHBOARD).status_code == 200

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert is_sent_to_login(other.get(DASHBOARD))
    assert is_sent_to_login(client.get(DASHBOARD))


def test_after_repeated_failed_logins_the_address_is_locked_with_429(client, alice, bob):
    for _ in range(5):
        assert log_in(client, alice.email, "guessing-the-password").status_code == 200

    response = log_in(client, alice.email, "guessing-the-password")

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the lock lasts...
    assert log_in(client, alice.email).status_code == 429
    assert is_sent_to_login(client.get(DASHBOARD))
    # ...but only for that address.
    assert log_in(Client(), bob.email).status_code == 302


# Passwords


def test_a_password_reset_link_sets_a_new_password_and_works_only_once(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": alice.email})
    assert [m.to for m in mailoutbox] == [[alice.email]]
    link = link_in(mailoutbox[0], "/accounts/password/reset/key/")

    form = client.get(link)
    assert form.status_code == 302
    response = client.post(form["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert log_in(Client(), alice.email, NEW_PASSWORD).status_code == 302

    for again in (client, Client()):
        page = again.get(link, follow=True)
        assert "The password reset link was invalid" in page.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_password_reset_link_starts_with_the_configured_address(
    client, alice, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": alice.email}, HTTP_HOST="localhost")

    body = mailoutbox[0].body
    assert re.search(r"\shttps://portal\.example\.org/accounts/password/reset/key/\S+/\s", body)
    assert "localhost" not in body


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response["Location"] == reverse("account_reset_password_done")
    # allauth tells unknown addresses that they have no account, which the address's owner reads
    # and nobody else.
    assert all("/accounts/password/reset/key/" not in m.body for m in mailoutbox)


def test_changing_the_password_needs_the_current_one(client, alice):
    log_in(client, alice.email)
    assert client.get("/accounts/password/change/").status_code == 200

    refused = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "someone-elses-guess",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    alice.refresh_from_db()
    assert refused.status_code == 200
    assert "Please type your current password." in refused.content.decode()
    assert alice.check_password(PASSWORD)

    accepted = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    alice.refresh_from_db()
    assert accepted.status_code == 302
    assert alice.check_password(NEW_PASSWORD)


def test_sensitive_account_changes_ask_for_the_password_again_unless_given_recently(client, alice):
    """allauth 65 protects the password change with the current password (above); adding an email
    address or setting up two-factor authentication asks for reauthentication, which lasts
    ACCOUNT_REAUTHENTICATION_TIMEOUT seconds."""
    log_in(client, alice.email)
    add_address = {"action_add": "", "email": "alice.private@example.org"}

    response = client.post("/accounts/email/", add_address)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="alice.private@example.org").exists()

    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200

    # The same session, with the reauthentication dated back beyond the timeout.
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT - 1
    session.save()

    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_users_see_where_they_are_logged_in_and_only_their_own_sessions(alice, bob):
    laptop = Client(headers={"User-Agent": "Laptop-Firefox/140"})
    phone = Client(headers={"User-Agent": "Phone-Safari/26"})
    other = Client(headers={"User-Agent": "Bobs-Browser/1"})
    log_in(laptop, alice.email)
    log_in(phone, alice.email)
    log_in(other, bob.email)

    page = laptop.get("/accounts/sessions/").content.decode()

    assert "Laptop-Firefox/140" in page
    assert "Phone-Safari/26" in page
    assert "Bobs-Browser/1" not in page


# Programme staff and the admin


def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(client, gina):
    log_in(client, gina.email)

    for path in ("/admin/", "/admin/portal/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")

    page = client.get("/admin/", follow=True).content.decode()
    assert "must set up two-factor authentication" in page


def test_staff_with_two_factor_authentication_enter_their_code_before_the_admin_opens(client, sam):
    response = log_in(client, sam.email)

    assert response["Location"] == reverse("mfa_authenticate")
    # The password alone does not log in.
    assert is_sent_to_login(client.get(DASHBOARD))
    # The admin sends them back to the pending code step.
    assert client.get("/admin/", follow=True).redirect_chain[-1][0] == reverse("mfa_authenticate")

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert response["Location"] == DASHBOARD
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "Site administration" in admin.content.decode()


def test_the_admin_has_no_login_form_of_its_own(client, alice):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    # Posting credentials to the admin's address does not log anyone in.
    client.post("/admin/login/", {"username": alice.email, "password": PASSWORD})
    assert is_sent_to_login(client.get(DASHBOARD))


@pytest.mark.parametrize("person", ["alice", "erin"])
def test_applicants_and_experts_are_refused_from_the_admin(client, person, request):
    log_in(client, request.getfixturevalue(person).email)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    assert client.get("/admin/portal/user/", follow=True).status_code == 403


# Ending sessions


def test_deactivating_a_user_ends_their_sessions_at_once(client, alice):
    log_in(client, alice.email)
    assert client.get(DASHBOARD).status_code == 200
    key = client.session.session_key

    services.deactivate_user(user=alice)

    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=alice).exists()
    assert is_sent_to_login(client.get(DASHBOARD))
    assert log_in(Client(), alice.email)["Location"] == reverse("account_inactive")


def test_staff_deactivating_a_user_in_the_admin_ends_the_users_sessions(client, alice, sam):
    alices = Client()
    log_in(alices, alice.email)
    client.force_login(sam)

    client.post(
        "/admin/portal/user/",
        {"action": "deactivate", "_selected_action": [alice.pk]},
    )

    alice.refresh_from_db()
    assert not alice.is_active
    assert is_sent_to_login(alices.get(DASHBOARD))


def test_a_session_idle_for_longer_than_the_limit_is_logged_out(client, alice):
    log_in(client, alice.email)
    assert client.get(DASHBOARD).status_code == 200
    set_session_time(
        client, SESSION_LAST_SEEN, settings.SESSION_IDLE_LIMITS["user"] + timedelta(minutes=1)
    )

    response = client.get(DASHBOARD)

    assert response["Location"] == "/accounts/login/?next=/dashboard/"
    page = client.get(response["Location"]).content.decode()
    assert "Your session has expired" in page
    assert is_sent_to_login(client.get(DASHBOARD))


def test_a_session_in_use_stays_logged_in(client, alice):
    log_in(client, alice.email)
    client.get(DASHBOARD)
    set_session_time(
        client, SESSION_LAST_SEEN, settings.SESSION_IDLE_LIMITS["user"] - timedelta(minutes=1)
    )

    assert client.get(DASHBOARD).status_code == 200
    # That request counts as activity: the idle time starts again.
    last_seen = client.session[SESSION_LAST_SEEN]
    assert timezone.now() - timezone.datetime.fromisoformat(last_seen) < timedelta(minutes=1)


def test_a_session_older_than_the_absolute_limit_is_logged_out_even_when_active(client, alice):
    log_in(client, alice.email)
    client.get(DASHBOARD)
    set_session_time(
        client, SESSION_STARTED, settings.SESSION_ABSOLUTE_LIMITS["user"] + timedelta(minutes=1)
    )

    assert is_sent_to_login(client.get(DASHBOARD))
    assert is_sent_to_login(client.get(DASHBOARD))


def test_staff_sessions_end_sooner_than_those_of_other_users(alice, gina):
    assert settings.SESSION_IDLE_LIMITS["staff"] < settings.SESSION_IDLE_LIMITS["user"]
    assert settings.SESSION_ABSOLUTE_LIMITS["staff"] < settings.SESSION_ABSOLUTE_LIMITS["user"]
    idle = settings.SESSION_IDLE_LIMITS["staff"] + timedelta(minutes=1)
    age = settings.SESSION_ABSOLUTE_LIMITS["staff"] + timedelta(minutes=1)

    for key, since in ((SESSION_LAST_SEEN, idle), (SESSION_STARTED, age)):
        staff, user = Client(), Client()
        log_in(staff, gina.email)
        log_in(user, alice.email)
        for client in (staff, user):
            client.get(DASHBOARD)
            set_session_time(client, key, since)

        assert is_sent_to_login(staff.get(DASHBOARD)), key
        assert user.get(DASHBOARD).status_code == 200, key


# The user of a logged-in request comes from the cache (portal.auth_backends); every change of
# the user's row must reach the next request all the same.


def test_a_logged_in_request_reads_the_user_from_the_cache(client, db, django_assert_num_queries):
    user = make_user("cached@example.org")
    log_in(client, "cached@example.org")
    client.get(DASHBOARD)
    with django_assert_num_queries(0):
        response = client.get(reverse("set_language"))  # a view that reads nothing itself
    assert response.status_code in (302, 405)
    assert client.get(DASHBOARD).context["user"] == user


def test_a_deactivated_user_is_logged_out_at_the_next_request(client, db):
    user = make_user("leaving@example.org")
    log_in(client, "leaving@example.org")
    assert client.get(DASHBOARD).status_code == 200
    user.is_active = False
    user.save()
    assert is_sent_to_login(client.get(DASHBOARD))


def test_a_password_changed_elsewhere_ends_the_other_sessions(client, db):
    user = make_user("moved@example.org")
    log_in(client, "moved@example.org")
    assert client.get(DASHBOARD).status_code == 200
    user.set_password(NEW_PASSWORD)
    user.save()
    assert is_sent_to_login(client.get(DASHBOARD))


def test_a_changed_name_shows_at_the_next_request(client, db):
    user = make_user("renamed@example.org", name="Old")
    log_in(client, "renamed@example.org")
    assert client.get(DASHBOARD).context["user"].full_name == "Old"
    user.full_name = "Nouvelle Personne"
    user.save()
    assert client.get(DASHBOARD).context["user"].full_name == "Nouvelle Personne"


def test_an_erased_user_is_logged_out_at_the_next_request(client, db):
    user = make_user("gone@example.org")
    log_in(client, "gone@example.org")
    assert client.get(DASHBOARD).status_code == 200
    user.delete()
    assert is_sent_to_login(client.get(DASHBOARD))


def test_a_role_given_or_taken_shows_at_the_next_request(client, db):
    user = make_user("roles@example.org")
    log_in(client, "roles@example.org")
    assert not client.get(DASHBOARD).context["is_expert"]
    experts = Group.objects.get(name=roles.EXPERT)
    user.groups.add(experts)
    assert client.get(DASHBOARD).context["is_expert"]
    user.groups.remove(experts)
    assert not client.get(DASHBOARD).context["is_expert"]
    user.groups.set([experts])
    assert client.get(DASHBOARD).context["is_expert"]
    user.groups.clear()
    assert not client.get(DASHBOARD).context["is_expert"]


def test_a_second_factor_set_up_or_removed_counts_at_the_next_request(client, gina):
    client.force_login(gina)
    assert client.get(reverse("placements:staff-dashboard"))["Location"] == reverse(
        "mfa_activate_totp"
    )
    TOTP.activate(gina, TOTP_SECRET)
    assert client.get(reverse("placements:staff-dashboard")).status_code == 200
    Authenticator.objects.filter(user=gina).delete()
    assert client.get(reverse("placements:staff-dashboard"))["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_a_role_given_or_taken_from_the_groups_side_shows_at_the_next_request(client, db):
    user = make_user("members@example.org")
    log_in(client, "members@example.org")
    experts = Group.objects.get(name=roles.EXPERT)
    assert not client.get(DASHBOARD).context["is_expert"]
    recorded = user.history.count()
    experts.user_set.add(user)
    assert client.get(DASHBOARD).context["is_expert"]
    experts.user_set.remove(user)
    assert not client.get(DASHBOARD).context["is_expert"]
    experts.user_set.add(user)
    assert client.get(DASHBOARD).context["is_expert"]
    experts.user_set.clear()
    assert not client.get(DASHBOARD).context["is_expert"]
    # Each change is in the user's history, the role with it or without it.
    changes = list(user.history.order_by("history_id"))[recorded:]
    assert [[g.group.name for g in change.groups.all()] for change in changes] == [
        [roles.EXPERT],
        [],
        [roles.EXPERT],
        [],
    ]


def test_a_deleted_group_takes_its_role_at_the_next_request(client, db):
    user = make_user("grouped@example.org")
    log_in(client, "grouped@example.org")
    experts = Group.objects.get(name=roles.EXPERT)
    user.groups.add(experts)
    assert client.get(DASHBOARD).context["is_expert"]
    experts.delete()
    assert not client.get(DASHBOARD).context["is_expert"]


def test_what_a_page_works_out_for_one_request_is_not_kept_with_the_cached_user(client, alice):
    # The latest EOIs a page remembers on request.user are for that request only; the user's
    # communes are kept with it (registries.user_facts), and forgotten when they change
    # (tests/partnerships/test_user_facts.py).
    client.force_login(alice)
    assert client.get(DASHBOARD).status_code == 200
    cached = cache.get(user_cache_key(alice.pk))
    assert cached is not None and cached.pk == alice.pk
    assert hasattr(cached, "_own_communes")
    assert not hasattr(cached, "_latest_eois")
    assert not hasattr(cached, "_kept_for_member")
    assert not hasattr(cached, "_placements_dashboard_rows")


def test_permissions_given_or_taken_count_at_the_next_admin_page(client, db):
    """A member of staff's permissions are cached with the user (the admin checks them on every
    page) and forgotten whenever they change, from either side of either relation."""
    user = make_user("keeper@example.org", staff=True, mfa=True)
    client.force_login(user)
    themes = reverse("admin:catalogue_theme_changelist")
    view = Permission.objects.get(codename="view_theme", content_type__app_label="catalogue")
    keepers = Group.objects.create(name="Theme keepers")
    assert client.get(themes).status_code == 403

    user.user_permissions.add(view)
    assert client.get(themes).status_code == 200
    view.user_set.remove(user)
    assert client.get(themes).status_code == 403

    user.groups.add(keepers)
    assert client.get(themes).status_code == 403
    keepers.permissions.add(view)
    assert client.get(themes).status_code == 200
    view.group_set.remove(keepers)
    assert client.get(themes).status_code == 403
    view.group_set.add(keepers)
    assert client.get(themes).status_code == 200
    view.group_set.clear()
    assert client.get(themes).status_code == 403
    keepers.permissions.set([view])
    assert client.get(themes).status_code == 200
    keepers.permissions.clear()
    assert client.get(themes).status_code == 403


def test_a_staff_members_kept_permissions_cost_no_query(client, sam):
    client.force_login(sam)
    themes = reverse("admin:catalogue_theme_changelist")
    client.get(themes)
    cached = cache.get(user_cache_key(sam.pk))

    assert "catalogue.view_theme" in cached._perm_cache


def test_an_address_verified_or_a_second_factor_set_up_shows_on_the_next_dashboard(client, db):
    """Both are kept with the cached user (auth_backends.security_facts)."""
    user = make_user("unverified@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    client.force_login(user)
    before = client.get(DASHBOARD).content.decode()
    assert "Your email address is not verified yet." in before
    assert "Two-factor authentication is off." in before

    address = EmailAddress.objects.get(user=user)
    address.verified = True
    address.save()
    TOTP.activate(user, TOTP_SECRET)

    after = client.get(DASHBOARD).content.decode()
    assert "Your email address is verified." in after
    assert "Two-factor authentication is on." in after
