"""In development (DEBUG) a page that does not exist shows the portal's own Dutch 404
page, as in production; staff keep Django's technical 404, which lists the URL patterns."""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, is_valid_path
from django.views.defaults import page_not_found

from .roles import in_staff_group


class FriendlyNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _applies(self, request) -> bool:
        return settings.DEBUG and not in_staff_group(request.user)

    def __call__(self, request):
        # An unknown URL never reaches a view (nor process_exception): resolve it here,
        # leaving alone what CommonMiddleware's APPEND_SLASH will redirect.
        urlconf = getattr(request, "urlconf", None)
        path = request.path_info
        if (
            self._applies(request)
            and not is_valid_path(path, urlconf)
            and not (settings.APPEND_SLASH and is_valid_path(f"{path}/", urlconf))
        ):
            return page_not_found(request, Resolver404({"path": path}))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and self._applies(request):
            return page_not_found(request, exception)
        return None
