"""Who may see or do what in the subsidies app, each answer with a reason."""

from django.utils.translation import gettext_lazy as _

from stemnet.permissions import ALLOWED, Decision, refused
from stemnet.roles import has_staff_powers


def can_manage_periods(user) -> Decision:
    """Periods, parameters, calculations, approval, letters and payment exports: staff."""
    if has_staff_powers(user):
        return ALLOWED
    return refused(_("Enkel VLAIO-medewerkers beheren de subsidieperiodes."))


def can_file_objection(user, academy) -> Decision:
    """Objections are filed and answered by an admin of the academy."""
    from academies.permissions import is_admin

    if is_admin(user, academy):
        return ALLOWED
    return refused(_("Enkel een beheerder van de academie kan bezwaar indienen of antwoorden."))
