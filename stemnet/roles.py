"""Who is VLAIO staff. Academy membership and partnership leadership live in their apps.

Two questions, kept apart on purpose:

- ``in_staff_group(user)``: is the account in the staff group? Only for steering (the home
  page, the nav, sending someone to set up or pass the second factor).
- ``has_staff_powers(user)``: does this user act with staff powers *now*? The staff group
  AND a session that passed the second factor (TOTP). Every selector, permission, service
  check and decorator asks this one, wherever the page lives.

The session's MFA state is attached to ``request.user`` by ``stemnet.middleware`` (so
selectors and services stay free of the request). A user object that did not come from a
request (a management command, a task) has no staff powers unless the caller marks it with
``act_with_verified_session``.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .audit import record

# Attribute on a user object: True when the session it came from passed MFA.
SESSION_MFA_ATTRIBUTE = "session_passed_mfa"


def in_staff_group(user) -> bool:
    """Member of the staff group (superusers count too), whatever the session."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_in_staff_group", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=settings.STAFF_GROUP_NAME).exists()
        user._in_staff_group = cached
    return cached


def session_passed_mfa(request) -> bool:
    """Did this session authenticate with a second factor (allauth's session records)?"""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(entry.get("method") == "mfa" for entry in records)


def act_with_verified_session(user, verified: bool = True):
    """Mark a user object with its session's MFA state (the middleware does this per request)."""
    setattr(user, SESSION_MFA_ATTRIBUTE, verified)
    return user


def has_staff_powers(user) -> bool:
    """Staff powers: the staff group AND a session that passed MFA. Fails closed: a user
    object without a recorded session state has none."""
    return getattr(user, SESSION_MFA_ATTRIBUTE, False) is True and in_staff_group(user)


# Reference data staff keep in the Django admin; every other staff task has its own page.
REFERENCE_DATA = {
    "stemnet": ["province", "municipality", "postalcode"],
    "academies": ["schoolholiday"],
}


@transaction.atomic
def grant_staff(*, actor, user, revoke: bool = False):
    """Make a user VLAIO staff (the staff group, admin access for reference data) or undo it."""
    group, _created = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    wanted = Q()
    for app_label, models in REFERENCE_DATA.items():
        wanted |= Q(content_type__app_label=app_label, content_type__model__in=models)
    group.permissions.add(*Permission.objects.filter(wanted))
    if revoke:
        user.groups.remove(group)
    else:
        user.groups.add(group)
    user.is_staff = not revoke
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("_in_staff_group", None)
    record(actor=actor, action="staff.revoked" if revoke else "staff.granted", obj=user)
    return user
