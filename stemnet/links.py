"""Links written in bulk: one reverse() for a table's worth of URLs that differ by an id."""

from django.urls import reverse
from django.utils.html import escape


def url_around_id(viewname: str, *args) -> tuple[str, str]:
    """The URL of ``viewname`` with ``args`` and a last id, escaped and split around that
    id: ``head + str(id) + tail`` is the URL of any id, one reverse() for many links."""
    head, tail = reverse(viewname, args=[*args, 0]).rsplit("/0/", 1)
    return escape(head) + "/", "/" + escape(tail)
