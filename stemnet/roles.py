"""Who is VLAIO staff. Academy membership and partnership leadership live in their apps."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .audit import record


def is_staff_member(user) -> bool:
    """VLAIO staff: members of the staff group (superusers count too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_is_staff_member", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=settings.STAFF_GROUP_NAME).exists()
        user._is_staff_member = cached
    return cached


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
    user.__dict__.pop("_is_staff_member", None)
    record(actor=actor, action="staff.revoked" if revoke else "staff.granted", obj=user)
    return user
