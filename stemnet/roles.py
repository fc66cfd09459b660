"""Who is VLAIO staff. Academy membership and partnership leadership live in their apps."""

from django.conf import settings


def is_staff_member(user) -> bool:
    """VLAIO staff: members of the staff group (superusers count too)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_is_staff_member", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=settings.STAFF_GROUP_NAME).exists()
        user._is_staff_member = cached
    return cached
