"""Operators make an account VLAIO staff with `manage.py grant_staff`: the staff pages and
the admin for reference data open up; everything else stays on the portal's own pages."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from stemnet.models import AuditEvent
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.django_db


def _grant(*args) -> str:
    out = io.StringIO()
    call_command("grant_staff", *args, stdout=out)
    return out.getvalue()


def test_granted_staff_reach_staff_pages_and_reference_data_in_the_admin(client):
    user = UserFactory(email="nieuw@vlaio.example.org")
    enable_totp(user)
    client.force_login(user)
    assert client.get(reverse("reporting:staff_home")).status_code == 403

    assert "is now VLAIO staff" in _grant("NIEUW@vlaio.example.org")

    assert client.get(reverse("reporting:staff_home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:stemnet_municipality_changelist")).status_code == 200
    assert client.get(reverse("admin:academies_schoolholiday_changelist")).status_code == 200
    # Awards, periods and runs have their own staff pages; the admin does not offer them.
    assert client.get(reverse("admin:subsidies_award_changelist")).status_code == 403
    assert AuditEvent.objects.filter(action="staff.granted", object_id=str(user.pk)).exists()


def test_revoking_closes_the_staff_pages_again(client):
    user = UserFactory()
    enable_totp(user)
    _grant(user.email)
    _grant(user.email, "--revoke")
    client.force_login(user)
    assert client.get(reverse("reporting:staff_home")).status_code == 403
    user.refresh_from_db()
    assert not user.is_staff
    assert AuditEvent.objects.filter(action="staff.revoked").count() == 1


def test_an_unknown_address_is_refused():
    with pytest.raises(CommandError, match="sign up first"):
        _grant("niemand@example.org")
