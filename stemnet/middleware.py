"""Staff powers need a session that passed the second factor (TOTP).

``SessionMFAMiddleware`` records on ``request.user`` whether this session passed MFA, so that
``stemnet.roles.has_staff_powers`` (used by every selector and permission) can answer without
the request. For the staff pages and the admin it also sends staff whose session did not pass
MFA to the right step: set TOTP up, or enter the code.
"""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .roles import act_with_verified_session, in_staff_group, session_passed_mfa

STAFF_PREFIXES = ("/staff/", "/admin/")


def mfa_step_for(request):
    """Where a staff member whose session lacks MFA goes: TOTP setup, or the code prompt."""
    if not is_mfa_enabled(request.user, ["totp"]):
        messages.warning(
            request,
            _(
                "Stel eerst tweestapsverificatie in: medewerkers hebben die nodig "
                "voor de personeelspagina's."
            ),
        )
        return redirect("mfa_activate_totp")
    messages.info(
        request,
        _("Bevestig uw aanmelding met de code uit uw authenticator-app."),
    )
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")


class SessionMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            verified = session_passed_mfa(request)
            if verified and in_staff_group(user) and not is_mfa_enabled(user, ["totp"]):
                verified = False  # TOTP was removed after this session passed it
            act_with_verified_session(user, verified)
            if (
                not verified
                and request.path_info.startswith(STAFF_PREFIXES)
                and in_staff_group(user)
            ):
                return mfa_step_for(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; files never kept in any cache.

    Every file the portal sends (attendance exports, payment exports, award letters and
    their ZIP, recognition attachments) holds personal or financial data, so any response
    sent as a download (``Content-Disposition``) gets ``Cache-Control: private, no-store``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if response.has_header("Content-Disposition"):
            patch_cache_control(response, private=True, no_store=True)
        return response


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
