"""Staff must set up two-factor authentication (TOTP) before reaching staff pages."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from .roles import is_staff_member

STAFF_PREFIXES = ("/staff/", "/admin/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(STAFF_PREFIXES)
            and is_staff_member(request.user)
            and not is_mfa_enabled(request.user, ["totp"])
        ):
            messages.warning(
                request,
                _(
                    "Stel eerst tweestapsverificatie in: medewerkers hebben die nodig "
                    "voor de personeelspagina's."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose another language with the switcher (cookie).

    Django's own middleware follows the browser's Accept-Language; a Flemish government
    portal speaks Dutch first, whatever the browser says.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
