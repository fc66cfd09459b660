from django import template

register = template.Library()


@register.simple_tag
def is_present(present: set, session, participant) -> bool:
    """Whether (session, participant) is in the grid's set of present pairs."""
    return (session.pk, participant.pk) in present
