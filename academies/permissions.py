"""Who may see or do what in the academies app. Outside your scope is 404 (selectors
scope querysets); these answer the finer questions, each with a reason (a 403 in a view,
a refusal in a service)."""

from django.utils.translation import gettext_lazy as _

from stemnet.permissions import ALLOWED, Decision, refused
from stemnet.roles import has_staff_powers

from .models import MemberRole, Membership


def _role(user, academy) -> str | None:
    """The user's role in the academy (an academy or its id), cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return None
    academy_id = getattr(academy, "pk", academy)
    cache = user.__dict__.setdefault("_academy_roles", {})
    if academy_id not in cache:
        cache[academy_id] = (
            Membership.objects.filter(user=user, academy_id=academy_id)
            .values_list("role", flat=True)
            .first()
        )
    return cache[academy_id]


def remember_role(user, academy, role: str | None) -> None:
    """Record the user's role in the academy (an academy or its id; None: not a member),
    read along with something else (the academy of a page, the user's memberships): the
    checks of the same request then ask no query for it."""
    if getattr(user, "is_authenticated", False):
        academy_id = getattr(academy, "pk", academy)
        user.__dict__.setdefault("_academy_roles", {})[academy_id] = role


def is_member(user, academy) -> bool:
    return _role(user, academy) is not None


def is_admin(user, academy) -> bool:
    return _role(user, academy) == MemberRole.ADMIN


def can_view_academy(user, academy) -> Decision:
    if has_staff_powers(user) or is_member(user, academy):
        return ALLOWED
    return refused(_("U bent geen lid van deze academie."))


def can_edit_academy_data(user, academy) -> Decision:
    """Members and admins register activities, sessions and attendance."""
    if is_member(user, academy):
        return ALLOWED
    return refused(_("Enkel leden van de academie kunnen haar activiteiten registreren."))


def can_manage_academy(user, academy) -> Decision:
    """Admins edit the profile, invite colleagues and apply for recognition."""
    if is_admin(user, academy):
        return ALLOWED
    return refused(_("Enkel een beheerder van de academie kan dit doen."))


def can_take_recognition_action(user, application, role: str) -> Decision:
    """Academy actions (submit, resubmit, withdraw a draft) are for the academy's admins;
    decisions are for staff who are not members of that academy."""
    from .workflow import ACADEMY

    if role == ACADEMY:
        if is_admin(user, application.academy):
            return ALLOWED
        return refused(_("Enkel een beheerder van de academie kan dit doen."))
    if not has_staff_powers(user):
        return refused(
            _("Enkel VLAIO-medewerkers beslissen over een erkenning, niet de academie zelf.")
        )
    if is_member(user, application.academy):
        return refused(_("U bent lid van deze academie en kunt niet over haar aanvraag beslissen."))
    return ALLOWED
