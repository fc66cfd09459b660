"""The answer every ``permissions.py`` gives: allowed or not, and why not.

``can_<action>(user, obj)`` returns a ``Decision``; it is true or false like a bool, and
unpacks as ``allowed, reason``. Services call ``require`` so that a refused action raises
the app's domain error with the reason, whatever view or command called them.
"""

from typing import NamedTuple


class Decision(NamedTuple):
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def refused(reason) -> Decision:
    return Decision(False, str(reason))


def require(decision: Decision, error: type[Exception]) -> None:
    if not decision:
        raise error(decision.reason)
