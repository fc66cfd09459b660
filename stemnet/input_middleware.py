"""Control characters in the query string or in posted fields never reach a query.

PostgreSQL refuses NUL in text (a raw English error, a 500), and a page filter has no use
for control characters: they are removed from query parameters, and a POST with NUL in a
field is refused with a Dutch 400 page. Forms refuse every other control character
themselves (``stemnet.forms.SafeInputMixin``).
"""

import re

from django.http import QueryDict
from django.shortcuts import render

from .validation import has_control_characters

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cleaned(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(_CONTROL.sub("", key), [_CONTROL.sub("", v) for v in values])
    cleaned._mutable = False
    return cleaned


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            has_control_characters(key) or any(has_control_characters(v) for v in values)
            for key, values in request.GET.lists()
        ):
            request.GET = _cleaned(request.GET)
        if request.method == "POST" and any(
            "\x00" in key or any("\x00" in v for v in values)
            for key, values in request.POST.lists()
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)
