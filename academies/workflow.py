"""The recognition workflow as data: which action moves an application from which state to
which, who may take it, and whether a reason is required."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ApplicationState as S

ACADEMY, STAFF = "academy_admin", "staff"


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str
    role: str
    needs_reason: bool = False


ACTIONS = {
    a.code: a
    for a in [
        Action("submit", _("Indienen"), (S.DRAFT,), S.SUBMITTED, ACADEMY),
        Action("resubmit", _("Opnieuw indienen"), (S.CHANGES_REQUESTED,), S.RESUBMITTED, ACADEMY),
        Action(
            "request_changes",
            _("Aanpassingen vragen"),
            (S.SUBMITTED, S.RESUBMITTED),
            S.CHANGES_REQUESTED,
            STAFF,
            needs_reason=True,
        ),
        Action("recognise", _("Erkennen"), (S.SUBMITTED, S.RESUBMITTED), S.RECOGNISED, STAFF),
        Action(
            "refuse",
            _("Weigeren"),
            (S.SUBMITTED, S.RESUBMITTED),
            S.REFUSED,
            STAFF,
            needs_reason=True,
        ),
        Action(
            "withdraw",
            _("Erkenning intrekken"),
            (S.RECOGNISED,),
            S.WITHDRAWN,
            STAFF,
            needs_reason=True,
        ),
    ]
}


#: Who decides what, for the history page: the academy's own steps and VLAIO's decisions.
STAFF_TARGETS = frozenset(a.target for a in ACTIONS.values() if a.role == STAFF)


def actions_from(state: str, role: str) -> list[Action]:
    """The actions a role may take on an application in ``state`` (in table order)."""
    return [a for a in ACTIONS.values() if state in a.sources and a.role == role]
