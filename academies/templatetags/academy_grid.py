from decimal import Decimal

from django import template

from ..kind_hours import as_kind_hours

register = template.Library()


@register.simple_tag
def is_present(present: set, session, participant) -> bool:
    """Whether (session, participant) is in the grid's set of present pairs."""
    return (session.pk, participant.pk) in present


@register.simple_tag
def is_locked(locked_sessions: set, session) -> bool:
    """Whether the session lies in a closed or submitted period (its cells are read-only)."""
    return session.pk in locked_sessions


@register.filter
def kind_uren(child_minutes) -> Decimal:
    """Child-minutes as KIND-uren with two decimals (exact input, rounded half up)."""
    return as_kind_hours(child_minutes)


@register.filter
def clock(moment) -> str:
    """A session time as HH:MM, with 24:00 for the end of the day."""
    from ..eligibility import clock as as_clock

    return as_clock(moment) if moment else ""
