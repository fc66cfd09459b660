"""Who may see or do what in the academies app. Outside your scope is 404 (selectors
scope querysets); these answer the finer questions with a reason for a 403."""

from stemnet.roles import is_staff_member

from .models import MemberRole, Membership


def _role(user, academy) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = user.__dict__.setdefault("_academy_roles", {})
    if academy.pk not in cache:
        cache[academy.pk] = (
            Membership.objects.filter(user=user, academy=academy)
            .values_list("role", flat=True)
            .first()
        )
    return cache[academy.pk]


def is_member(user, academy) -> bool:
    return _role(user, academy) is not None


def is_admin(user, academy) -> bool:
    return _role(user, academy) == MemberRole.ADMIN


def can_view_academy(user, academy) -> bool:
    return is_staff_member(user) or is_member(user, academy)


def can_edit_academy_data(user, academy) -> bool:
    """Members and admins register activities, sessions and attendance."""
    return is_member(user, academy)


def can_manage_academy(user, academy) -> bool:
    """Admins edit the profile, invite colleagues and apply for recognition."""
    return is_admin(user, academy)
