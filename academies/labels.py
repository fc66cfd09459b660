"""Words shown to people for the pure rules' codes: ``eligibility.Reason`` values are
Dutch identifiers of the rules (the module stays free of Django), translated here at
display time."""

from django.utils.translation import gettext_lazy as _

from .eligibility import Reason

REASON_LABELS = {
    Reason.SCHOOL_HOURS: _("tijdens de schooluren"),
    Reason.OVER_MAXIMUM: _("boven het maximum van 8 uur per sessie"),
    Reason.AGE: _("leeftijd buiten 5–18 jaar"),
    Reason.NOT_RECOGNISED: _("academie niet erkend op die dag"),
    Reason.OUTSIDE_FLANDERS: _("buiten Vlaanderen"),
}


def reason_label(reason) -> str:
    """The label of a Reason (or of its value) in the active language."""
    try:
        return str(REASON_LABELS[Reason(reason)])
    except ValueError:
        return str(reason)
