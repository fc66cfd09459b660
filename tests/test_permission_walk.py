"""The permission walk: every URL pattern of the project, for every role, GET and POST,
against the explicit table EXPECTED below.

The patterns come from ``django.urls.get_resolver()`` walked recursively, so a page added
anywhere without an entry in EXPECTED fails ``test_every_url_pattern_has_an_entry``. Left out,
on purpose:

- allauth's own account pages (login, sign-up, password reset, e-mail management): allauth's
  views, tested by allauth and by tests/stemnet/test_accounts.py; the MFA pages (allauth.mfa)
  ARE walked, because the staff flow depends on them.
- the admin's per-model pages (``admin:<app>_<model>_*``): every one of them passes
  ``AdminSite.admin_view``, which asks ``admin.site.has_permission`` — the very gate walked
  here on the admin index, app list, password change and catch-all pages; which models staff
  may touch is tested in tests/stemnet/test_staff_rights.py and tests/subsidies/test_pages.py.
  One reference-data page (the municipalities list) is walked as a sample.

Every refused POST (login redirect, MFA step, 403, 404, 405) is checked to have written
nothing to the database except the session and the cache.

Codes: ``LOGIN`` a redirect to the login page, ``MFA`` a redirect to the MFA step (set TOTP
up or enter the code), ``302`` a redirect elsewhere (the page did its work), numbers are
status codes.
"""

import os
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from academies.imports import import_attendance
from academies.models import (
    ApplicationState,
    Invitation,
    Participant,
    SchoolHoliday,
    Session,
)
from academies.services import recognition as recognition_services
from academies.services.periods import submit_period_report
from stemnet.roles import grant_staff
from subsidies import services as subsidy_services
from subsidies.models import AwardLetter, CalculationRun, PeriodStatus
from tests.factories import (
    PASSWORD,
    AcademyFactory,
    UserFactory,
    application_in_state,
    make_admin,
    make_member,
    make_partnership_lead,
    make_staff,
    municipality,
    pdf_bytes,
)
from tests.factories.activities import recognised_academy, register_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]

LOGIN, MFA = "LOGIN", "MFA"
REFUSED = {LOGIN, MFA, 403, 404, 405}

ROLES = (
    "anonymous",
    "no_academy",  # signed in, no academy yet
    "other",  # admin of another academy
    "member",
    "admin",  # admin of the academy
    "lead",  # lead of the partnership walked
    "other_lead",  # lead of another partnership
    "staff_no_mfa",  # staff group, no TOTP set up
    "staff",  # staff, session passed TOTP
    "admin_login",  # staff with TOTP who signed in through /admin/login/ (password only)
)

# Patterns that sign the session out when POSTed: the walk signs the role in again after.
LOGS_OUT = {"admin:logout"}

# URL name (or route, for unnamed patterns) -> {method: per-role codes in ROLES order}.
# fmt: off
EXPECTED = {
    # per role: anonymous, no_academy, other, member, admin, lead, other_lead,
    #           staff_no_mfa, staff, admin_login
    "academies:accept_invitation": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, LOGIN),
    },
    "academies:activities": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:activity": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:activity_edit": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:application": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:attachment": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
    },
    "academies:attachment_delete": {
        "get": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 403, 302, 404, 404, 404, 403, LOGIN),
    },
    "academies:attendance_toggle": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:current_period": {
        "get": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "academies:dashboard": {
        "get": (LOGIN, 302, 200, 200, 200, 302, 302, 302, 302, LOGIN),
        "post": (LOGIN, 302, 200, 200, 200, 302, 302, 302, 302, LOGIN),
    },
    "academies:detail": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
    },
    "academies:edit": {
        "get": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:export_csv": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
    },
    "academies:export_xlsx": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
    },
    "academies:import": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:members": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:participant_edit": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:participant_unenrol": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 302, 302, 404, 404, 404, 403, LOGIN),
    },
    "academies:period": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:register": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
    },
    "academies:series": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "academies:series_add_participant": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:series_add_session": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:series_copy_participants": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:session_all_present": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 302, 302, 404, 404, 404, 403, LOGIN),
    },
    "academies:series_edit": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:session_delete": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 302, 302, 404, 404, 404, 403, LOGIN),
    },
    "academies:session_edit": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
    },
    "academies:start": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
    },
    "academies:switch": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 302, 302, 404, 404, 404, 404, LOGIN),
    },
    "academies_staff:decide": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 400, LOGIN),
    },
    "academies_staff:holiday_delete": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "academies_staff:holidays": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "academies_staff:queue": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "academies_staff:report_reopen": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "academies_staff:reports": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "academies_staff:review": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "admin/(?P<url>.*)$": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 404, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 404, LOGIN),
    },
    "admin:app_list": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
    },
    "admin:autocomplete": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 403, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 405, LOGIN),
    },
    "admin:index": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
    },
    "admin:jsi18n": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 405, LOGIN),
    },
    "admin:login": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "admin:logout": {
        "get": (302, 302, 302, 302, 302, 302, 302, MFA, 405, 302),
        "post": (302, 302, 302, 302, 302, 302, 302, MFA, 200, 302),
    },
    "admin:password_change": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
    },
    "admin:password_change_done": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 405, LOGIN),
    },
    "admin:stemnet_municipality_changelist": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 200, LOGIN),
    },
    "admin:view_on_site": {
        "get": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 404, LOGIN),
        "post": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MFA, 404, LOGIN),
    },
    "healthz": {
        "get": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "home": {
        "get": (200, 302, 302, 302, 302, 302, 302, 302, 302, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "mfa_activate_totp": {
        "get": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, LOGIN),
        "post": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, LOGIN),
    },
    "mfa_authenticate": {
        "get": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 200),
        "post": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, 200),
    },
    "mfa_deactivate_totp": {
        "get": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 302, LOGIN),
        "post": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 302, LOGIN),
    },
    "mfa_download_recovery_codes": {
        "get": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, LOGIN),
        "post": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, LOGIN),
    },
    "mfa_generate_recovery_codes": {
        "get": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, LOGIN),
        "post": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302, LOGIN),
    },
    "mfa_index": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "mfa_reauthenticate": {
        "get": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 200, LOGIN),
        "post": (LOGIN, 302, 302, 302, 302, 302, 302, 302, 200, LOGIN),
    },
    "mfa_view_recovery_codes": {
        "get": (LOGIN, 404, 404, 404, 404, 404, 404, 404, 404, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "partnerships:detail": {
        "get": (LOGIN, 404, 404, 404, 404, 200, 404, 404, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "partnerships:home": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:audit_log": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "reporting:staff_home": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "reporting:statistics": {  # moved to the dashboard
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 301, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 301, LOGIN),
    },
    "set_language": {
        "get": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
        "post": (302, 302, 302, 302, 302, 302, 302, 302, 302, 302),
    },
    "subsidies:award": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "subsidies:award_municipality": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "subsidies:award_session": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "subsidies:objection_new": {
        "get": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 403, LOGIN),
    },
    "subsidies:objection": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 403, 403, 404, 404, 404, 403, LOGIN),
    },
    "subsidies:objection_attachment": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "subsidies:correction_letter": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "subsidies:letter": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 200, LOGIN),
    },
    "subsidies:letters": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
    },
    "subsidies_staff:objection_days": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "subsidies_staff:objections": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "subsidies_staff:budget": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "subsidies_staff:correction_new": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "subsidies_staff:corrections_csv": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "subsidies_staff:corrections_xlsx": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "subsidies_staff:export_csv": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "subsidies_staff:export_xlsx": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "subsidies_staff:letters_zip": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "subsidies_staff:period": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "subsidies_staff:periods": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "subsidies_staff:progress": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "subsidies_staff:retry_letters": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "subsidies_staff:send_letters": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "subsidies_staff:start_run": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "subsidies_staff:transition": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "subsidies_staff:what_if": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "academies/catalogus/": {
        "get": (301, 301, 301, 301, 301, 301, 301, 301, 301, 301),
        "post": (301, 301, 301, 301, 301, 301, 301, 301, 301, 301),
    },
    "academies:import_job": {
        "get": (LOGIN, 404, 404, 200, 200, 404, 404, 404, 403, LOGIN),
        "post": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
    },
    "partnerships:add_member": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 404, 404, 400, 404, 404, 400, LOGIN),
    },
    "partnerships:budget": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 404, 404, 404, 302, 404, 404, 302, LOGIN),
    },
    "partnerships:decide_offer": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 403, 403, 403, 403, 404, 404, 302, LOGIN),
    },
    "partnerships:new_request": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200, LOGIN),
    },
    "partnerships:remove_member": {
        "get": (LOGIN, 404, 404, 404, 404, 200, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 404, 404, 302, 404, 404, 302, LOGIN),
    },
    "partnerships:request": {
        "get": (LOGIN, 404, 200, 200, 200, 200, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 200, 200, 200, 403, 404, 404, 403, LOGIN),
    },
    "partnerships:requests": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "partnerships:withdraw_request": {
        "get": (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405, LOGIN),
        "post": (LOGIN, 404, 403, 403, 403, 403, 404, 404, 302, LOGIN),
    },
    "partnerships_staff:create": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "partnerships_staff:edit": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "reporting:catalogue": {
        "get": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:catalogue_academy": {
        "get": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:catalogue_activity": {
        "get": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:coverage_csv": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, MFA, 405, 405),
    },
    "reporting:coverage_flanders": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, MFA, 405, 405),
    },
    "reporting:coverage_flanders_municipality": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, MFA, 405, 405),
    },
    "reporting:coverage_priorities": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "reporting:coverage_region": {
        "get": (LOGIN, 404, 404, 404, 404, 200, 404, 404, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:coverage_region_csv": {
        "get": (LOGIN, 404, 404, 404, 404, 200, 404, 404, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:coverage_region_municipality": {
        "get": (LOGIN, 404, 404, 404, 404, 200, 404, 404, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:coverage_region_xlsx": {
        "get": (LOGIN, 404, 404, 404, 404, 200, 404, 404, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:coverage_xlsx": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, MFA, 405, 405),
    },
    "reporting:dashboard": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "reporting:dashboard_list": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "reporting:download": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 404, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "reporting:downloads": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "reporting:downloads_status": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "reporting:start_export": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "reporting:uitdatabank_activity": {
        "get": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:uitdatabank_bulk": {
        "get": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:academy_directory": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "notifications:mine": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "notifications:preferences": {
        "get": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
        "post": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, LOGIN),
    },
    "notifications:detail": {
        "get": (LOGIN, 404, 404, 404, 200, 404, 404, 404, 200, LOGIN),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "notifications_staff:log": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
    },
    "notifications_staff:resend": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 302, LOGIN),
    },
    "academies_staff:recognition_end_date": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 405, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 400, LOGIN),
    },
    "reporting:retention": {
        "get": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
        "post": (LOGIN, 403, 403, 403, 403, 403, 403, MFA, 200, LOGIN),
    },
    "reporting:privacy": {
        "get": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
    "reporting:academy_export": {
        "get": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 200, LOGIN),
        "post": (LOGIN, 404, 404, 403, 200, 404, 404, 404, 200, LOGIN),
    },
    "favicon": {
        "get": (301, 301, 301, 301, 301, 301, 301, 301, 301, 301),
        "post": (405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    },
}
# fmt: on


# --- Discovering the patterns -----------------------------------------------------------


def _walk(resolver, prefix="", namespace=None, module=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns:
                ns = f"{namespace}:{ns}" if namespace else ns
            else:
                ns = namespace
            name = getattr(entry.urlconf_module, "__name__", module)
            yield from _walk(entry, prefix + str(entry.pattern), ns, name)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            route = prefix + str(entry.pattern)
            yield name or route, route, module


def _model_page_prefixes() -> tuple[str, ...]:
    from django.contrib import admin

    return tuple(
        f"admin/{model._meta.app_label}/{model._meta.model_name}/" for model in admin.site._registry
    )


def _left_out(key, route, module) -> bool:
    if module.startswith("allauth.account"):
        return True
    return (
        route.startswith(_model_page_prefixes()) and key != "admin:stemnet_municipality_changelist"
    )


def walked_patterns() -> list[str]:
    return sorted(
        key for key, route, module in _walk(get_resolver()) if not _left_out(key, route, module)
    )


def test_every_url_pattern_has_an_entry():
    missing = [key for key in walked_patterns() if key not in EXPECTED]
    stale = [key for key in EXPECTED if key not in walked_patterns()]
    assert (missing, stale) == ([], [])


# --- The world the walk runs in ---------------------------------------------------------


@pytest.fixture
def world(monkeypatch, django_capture_on_commit_callbacks):
    """One academy with its people, activities, attendance, a submitted period report, an
    approved subsidy period with a sent letter, a partnership; every other role too."""
    monkeypatch.setattr("subsidies.letters.render_pdf", lambda html: pdf_bytes("Brief"))
    academy = recognised_academy(name="Walk-academie")
    other_academy = AcademyFactory(name="Andere academie")
    users = {
        "no_academy": UserFactory(),
        "other": make_admin(other_academy),
        "member": make_member(academy),
        "admin": make_admin(academy),
        "lead": make_partnership_lead(),
        "other_lead": make_partnership_lead(),
        "staff_no_mfa": make_staff(mfa=False),
        "staff": make_staff(),
        "admin_login": make_staff(),
    }
    for role in ("staff_no_mfa", "staff", "admin_login"):
        grant_staff(actor=None, user=users[role])  # as operators do: reference data in the admin
    staff = users["staff"]
    partnership = users["lead"].led_partnerships.get()
    partnership.municipalities.add(municipality("44021"))

    # Spring sessions give the academy an award in 2026-1 (reported, closed, approved); the
    # autumn sessions of the same series (open period 2026-2) are the ones the walk edits.
    rows = register_rows(3, 3) + register_rows(3, 3, start=date(2026, 9, 5))
    import_attendance(actor=None, academy=academy, rows=rows)
    autumn = Session.objects.filter(academy=academy, date__gte=date(2026, 7, 1)).order_by("date")
    session, spare_session = autumn.first(), autumn.last()
    series = session.series
    participant = Participant.objects.filter(academy=academy).order_by("pk").first()
    enrolled = Participant.objects.filter(academy=academy).order_by("pk").last()
    report = submit_period_report(actor=users["admin"], academy=academy, code="2026-1")

    draft = application_in_state(ApplicationState.DRAFT, academy)
    attachment = recognition_services.add_attachment(
        actor=users["admin"],
        application=draft,
        upload=_upload(),
    )
    submitted = application_in_state(ApplicationState.SUBMITTED)
    invitation = Invitation.objects.create(academy=other_academy, email="gast@example.org")
    holiday = SchoolHoliday.objects.create(
        name="Krokusvakantie", start_date=date(2026, 2, 16), end_date=date(2026, 2, 22)
    )

    period = subsidy_services.ensure_period("2026-1")
    period.budget_cents = 100_000
    period.save()
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_services.transition(actor=staff, period=period, to=PeriodStatus.CLOSED)
        run = subsidy_services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        subsidy_services.send_letters(actor=staff, period=period)
    letter = AwardLetter.objects.get(award__academy=academy)
    open_period = subsidy_services.ensure_period("2026-2")
    run = CalculationRun.objects.get(pk=run.pk)

    a = academy.pk
    args = {
        "academies:accept_invitation": {"token": invitation.token},
        "academies:detail": {"pk": a},
        "academies:edit": {"pk": a},
        "academies:members": {"pk": a},
        "academies:switch": {"pk": a},
        "academies:application": {"pk": a},
        "academies:attachment": {"pk": a, "attachment_pk": attachment.pk},
        "academies:attachment_delete": {"pk": a, "attachment_pk": attachment.pk},
        "academies:session_all_present": {"academy_id": a, "pk": session.pk},
        "academies:activities": {"academy_id": a},
        "academies:activity": {"academy_id": a, "pk": series.activity_id},
        "academies:activity_edit": {"academy_id": a, "pk": series.activity_id},
        "academies:series": {"academy_id": a, "pk": series.pk},
        "academies:series_edit": {"academy_id": a, "pk": series.pk},
        "academies:series_add_participant": {"academy_id": a, "pk": series.pk},
        "academies:series_add_session": {"academy_id": a, "pk": series.pk},
        "academies:series_copy_participants": {"academy_id": a, "pk": series.pk},
        "academies:participant_unenrol": {
            "academy_id": a,
            "series_pk": series.pk,
            "participant_pk": enrolled.pk,
        },
        "academies:session_edit": {"academy_id": a, "pk": session.pk},
        "academies:session_delete": {"academy_id": a, "pk": spare_session.pk},
        "academies:participant_edit": {"academy_id": a, "pk": participant.pk},
        "academies:attendance_toggle": {
            "academy_id": a,
            "session_id": session.pk,
            "participant_id": participant.pk,
        },
        "academies:current_period": {"academy_id": a},
        "academies:period": {"academy_id": a, "code": "2026-1"},
        "academies:import": {"academy_id": a},
        "academies:export_csv": {"academy_id": a},
        "academies:export_xlsx": {"academy_id": a},
        "academies_staff:review": {"pk": submitted.pk},
        "academies_staff:decide": {"pk": submitted.pk},
        "academies_staff:holiday_delete": {"pk": holiday.pk},
        "academies_staff:report_reopen": {"pk": report.pk},
        "subsidies:letter": {"pk": letter.pk},
        "subsidies_staff:period": {"code": period.code},
        "subsidies_staff:transition": {"code": open_period.code, "to": PeriodStatus.CLOSED},
        "subsidies_staff:start_run": {"code": period.code},
        "subsidies_staff:progress": {"code": period.code},
        "subsidies_staff:retry_letters": {"code": period.code},
        "subsidies_staff:what_if": {"code": period.code},
        "subsidies_staff:send_letters": {"code": period.code},
        "subsidies_staff:letters_zip": {"code": period.code},
        "subsidies_staff:export_csv": {"code": period.code},
        "subsidies_staff:export_xlsx": {"code": period.code},
        "subsidies_staff:corrections_csv": {"code": period.code},
        "subsidies_staff:objection_days": {"code": period.code},
        "subsidies_staff:corrections_xlsx": {"code": period.code},
        "partnerships:detail": {"pk": partnership.pk},
        "admin:app_list": {"app_label": "stemnet"},
        "admin:view_on_site": {"content_type_id": "1", "object_id": "1"},
    }
    # Pages added with partnerships, coverage, the dashboard, exports and import jobs.
    from academies.models import ImportJob
    from partnerships.models import MunicipalRequest, Offer, PartnershipMember
    from reporting.models import ExportJob

    gent = municipality("44021")
    member = PartnershipMember.objects.create(
        partnership=partnership,
        kind="company",
        organisation="Bedrijf NV",
        municipality=gent,
        contact_name="Contact",
        contact_email="contact@example.org",
    )
    request = MunicipalRequest.objects.create(
        municipality=gent,
        stem_domain="technology",
        period_code="2027-1",
        place="Bibliotheek",
        description="Een codeerclub graag.",
    )
    offer = Offer.objects.create(request=request, academy=other_academy, message="Wij komen graag.")
    import_job = ImportJob.objects.create(
        academy=academy, created_by=users["admin"], filename="register.csv"
    )
    # Someone else's export: the walked staff may not fetch it (404).
    export = ExportJob.objects.create(owner=make_staff(), table="sessions", format="csv")
    activity_pk = series.activity_id
    args |= {
        "academies:import_job": {"academy_id": a, "pk": import_job.pk},
        "partnerships:add_member": {"pk": partnership.pk},
        "partnerships:budget": {"pk": partnership.pk},
        "partnerships:remove_member": {"pk": partnership.pk, "member_pk": member.pk},
        "partnerships:request": {"pk": request.pk},
        "partnerships:withdraw_request": {"pk": request.pk},
        "partnerships:decide_offer": {"pk": offer.pk},
        "partnerships_staff:edit": {"pk": partnership.pk},
        "reporting:coverage_region": {"pk": partnership.pk},
        "reporting:coverage_region_csv": {"pk": partnership.pk},
        "reporting:coverage_region_xlsx": {"pk": partnership.pk},
        "reporting:coverage_region_municipality": {"pk": partnership.pk, "refnis": "44021"},
        "reporting:coverage_flanders_municipality": {"refnis": "44021"},
        "reporting:catalogue_academy": {"pk": a},
        "reporting:catalogue_activity": {"pk": activity_pk},
        "reporting:uitdatabank_activity": {"pk": activity_pk},
        "reporting:dashboard_list": {"figure": "academies"},
        "reporting:download": {"pk": export.pk},
    }
    from stemnet.models import Message, MessageStatus

    failed_message = Message.objects.create(
        user=users["admin"],
        to_email=users["admin"].email,
        kind="recognition",
        subject="Mislukt",
        body="x",
        status=MessageStatus.FAILED,
    )
    recognised = application_in_state(ApplicationState.RECOGNISED)
    args |= {
        "notifications:detail": {"pk": failed_message.pk},
        "notifications_staff:resend": {"pk": failed_message.pk},
        "academies_staff:recognition_end_date": {"pk": recognised.recognition.pk},
        "reporting:academy_export": {"pk": a},
    }
    # Award pages, an objection with an attachment and a correction (issue 10).
    from subsidies import objections as objection_services
    from subsidies.models import Award, AwardSession

    award = Award.objects.get(run=run, academy=academy)
    objection = objection_services.file_objection(
        actor=users["admin"], award=award, reason="Een sessie ontbreekt.", uploads=[_upload()]
    )
    correction = objection_services.issue_correction(
        actor=staff, period=period, academy=academy, amount_cents=-100, reason="Rechtzetting"
    )
    traced = AwardSession.objects.filter(award=award).first()
    args |= {
        "subsidies:award": {"pk": award.pk},
        "subsidies:award_municipality": {"pk": award.pk, "refnis": traced.municipality_id},
        "subsidies:award_session": {"pk": award.pk, "session_id": traced.session_id},
        "subsidies:objection_new": {"pk": award.pk},
        "subsidies:objection": {"pk": objection.pk},
        "subsidies:objection_attachment": {
            "pk": objection.pk,
            "attachment_pk": objection.attachments.get().pk,
        },
        "subsidies:correction_letter": {"pk": correction.pk},
        "subsidies_staff:correction_new": {"pk": award.pk},
    }
    literal = {
        "admin/(?P<url>.*)$": "/admin/geen-pagina/",
        "academies/catalogus/": "/academies/catalogus/",
    }
    return users, args, literal


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("verslag.pdf", pdf_bytes(), content_type="application/pdf")


def _url(key, args, literal):
    if key in literal:
        return literal[key]
    return reverse(key, kwargs=args.get(key, {}))


def _sign_in(client, role, user):
    if role == "anonymous":
        return
    if role == "admin_login":
        # The attack of issue 8: e-mail and password on the admin's login page. It now only
        # leads to allauth's login, whose password step ends at the TOTP prompt.
        response = client.post(
            reverse("admin:login"), {"username": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        response = client.post(response.url, {"login": user.email, "password": PASSWORD})
        assert response.url == reverse("mfa_authenticate")
        return
    client.force_login(user)


def _code(response) -> str | int:
    if response.status_code != 302:
        return response.status_code
    # The admin's own login page only forwards to allauth's: a redirect there is a login.
    if response.url.startswith((reverse("account_login"), reverse("admin:login"))):
        return LOGIN
    if response.url.startswith((reverse("mfa_activate_totp"), reverse("mfa_reauthenticate"))):
        return MFA
    return 302


_DATA_WRITE = ("INSERT", "UPDATE", "DELETE")
_BOOKKEEPING = ('"django_session"', '"stemnet_cache"')


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(_DATA_WRITE)
        and not any(table in q["sql"] for table in _BOOKKEEPING)
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(client, world, role):
    users, args, literal = world
    user = users.get(role)
    index = ROLES.index(role)
    _sign_in(client, role, user)
    observed, failures = {}, []
    for key in walked_patterns():
        for method in ("get", "post"):
            url = _url(key, args, literal)
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url)
            if response.streaming:
                b"".join(response.streaming_content)  # the test client closes the file
            code = _code(response)
            observed.setdefault(key, {})[method] = code
            expected = EXPECTED.get(key, {}).get(method, (None,) * len(ROLES))[index]
            if code != expected:
                failures.append((key, method.upper(), f"expected {expected}, got {code}"))
            if method == "post" and code in REFUSED and _writes(queries.captured_queries):
                failures.append((key, "POST", "refused but wrote", _writes(queries)))
            if key in LOGS_OUT and method == "post":
                _sign_in(client, role, user)
    if os.environ.get("WALK_RECORD"):
        with open(f"{os.environ['WALK_RECORD']}/walk-{role}.txt", "w") as out:
            out.write(repr(observed))
    assert failures == []
