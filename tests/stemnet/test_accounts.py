"""Accounts: sign-up with e-mail verification, log in, MFA for staff, role home pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    AcademyFactory,
    UserFactory,
    make_member,
    make_partnership_lead,
    make_staff,
)

pytestmark = pytest.mark.django_db


def test_signup_sends_verification_mail_and_verified_user_can_log_in(
    client, django_capture_on_commit_callbacks
):
    # The mail goes through the worker once the transaction commits (eager in tests).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "nieuw@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nieuw@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)

    # Before verification, logging in only leads to the "verify your e-mail" page.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "nieuw@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302

    response = client.post(
        reverse("account_login"), {"login": "nieuw@example.org", "password": PASSWORD}, follow=True
    )
    assert response.wsgi_request.user.is_authenticated
    # A user without an academy lands on the "get started" page.
    assert response.redirect_chain[-1][0] == reverse("academies:start")


def test_wrong_password_is_refused_with_a_dutch_message(client):
    UserFactory(email="iemand@example.org")
    response = client.post(
        reverse("account_login"), {"login": "iemand@example.org", "password": "fout"}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "wachtwoord is niet correct" in response.content.decode()


def test_password_reset_mail_is_sent(client, django_capture_on_commit_callbacks):
    UserFactory(email="vergeten@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "vergeten@example.org"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_staff_without_mfa_are_sent_to_set_it_up_before_staff_pages(client):
    make_staff(mfa=False, email="nieuwe.medewerker@example.org")
    client.post(
        reverse("account_login"), {"login": "nieuwe.medewerker@example.org", "password": PASSWORD}
    )
    response = client.get(reverse("reporting:staff_home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # Setting up MFA asks to confirm the password once more, then shows the QR code.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(response.url, {"password": PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "data:image/svg+xml" in setup.content.decode()


def test_staff_with_mfa_reach_staff_home(client):
    client.force_login(make_staff(mfa=True))
    response = client.get(reverse("reporting:staff_home"))
    assert response.status_code == 200
    assert "Startpagina medewerkers" in response.content.decode()


def test_login_of_staff_with_totp_asks_for_the_code(client):
    make_staff(mfa=True, email="medewerker@example.org")
    response = client.post(
        reverse("account_login"), {"login": "medewerker@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_staff_pages_are_closed_to_anonymous_and_non_staff(client):
    response = client.get(reverse("reporting:staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(make_member())
    assert client.get(reverse("reporting:staff_home")).status_code == 403


@pytest.mark.parametrize(
    ("make_user", "expected"),
    [
        (lambda: make_staff(), "reporting:staff_home"),
        (lambda: make_partnership_lead(), "partnerships:home"),
        (lambda: make_member(AcademyFactory()), "academies:dashboard"),
        (lambda: UserFactory(), "academies:start"),
    ],
    ids=["staff", "partnership-lead", "academy-member", "no-role-yet"],
)
def test_each_role_has_its_own_home_page(client, make_user, expected):
    client.force_login(make_user())
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(expected)
    assert client.get(response.url).status_code == 200


def test_anonymous_home_is_the_public_landing_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="nl-be"' in body
    assert 'href="#main"' in body  # skip link
    assert "<main" in body and "<nav" in body


def test_dutch_by_default_english_when_chosen(client):
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert 'lang="nl-be"' in body
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body


def test_healthz_checks_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}
