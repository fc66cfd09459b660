"""No GET writes (issue 8, finding 11): every page of the project, for every role, is read
with the SQL captured; an INSERT, UPDATE or DELETE outside the session table fails.

The table below names the URL arguments of every route of the project's URL modules
(allauth's and the admin's own pages aside): a new route without an entry fails too.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from academies.models import Attendance, ImportJob, PeriodReport, SchoolHoliday, Session
from academies.services.periods import submit_period_report
from subsidies import services as subsidy_services
from tests.factories import (
    AcademyFactory,
    PartnershipFactory,
    application_in_state,
    make_admin,
    make_member,
    make_partnership_lead,
    make_staff,
)
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("accounts/", "admin/")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def _routes():
    def walk(resolver, prefix="", namespace=None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(pattern, prefix + str(pattern.pattern), full)
            else:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                # An unnamed route (an old address that redirects) is known by its path.
                yield prefix + str(pattern.pattern), name or prefix + str(pattern.pattern)

    return [
        (path, name) for path, name in walk(get_resolver()) if not path.startswith(SKIPPED_PREFIXES)
    ]


def _kwargs(w):
    a, code, p = w["academy"].pk, w["code"], w["partnership"].pk
    return {
        "home": {},
        "healthz": {},
        "set_language": {},
        "academies:dashboard": {},
        "academies:start": {},
        "academies:register": {},
        "academies:accept_invitation": {"token": "no-such-token"},
        "academies:detail": {"pk": a},
        "academies:edit": {"pk": a},
        "academies:members": {"pk": a},
        "academies:switch": {"pk": a},
        "academies:application": {"pk": a},
        "academies:attachment": {"pk": a, "attachment_pk": 999_999},
        "academies:attachment_delete": {"pk": a, "attachment_pk": 999_999},
        "academies:activities": {"academy_id": a},
        "academies:activity": {"academy_id": a, "pk": w["activity"].pk},
        "academies:activity_edit": {"academy_id": a, "pk": w["activity"].pk},
        "academies:series": {"academy_id": a, "pk": w["series"].pk},
        "academies:series_edit": {"academy_id": a, "pk": w["series"].pk},
        "academies:series_add_participant": {"academy_id": a, "pk": w["series"].pk},
        "academies:series_add_session": {"academy_id": a, "pk": w["series"].pk},
        "academies:series_copy_participants": {"academy_id": a, "pk": w["series"].pk},
        "academies:participant_unenrol": {
            "academy_id": a,
            "series_pk": w["series"].pk,
            "participant_pk": w["participant"].pk,
        },
        "academies:session_edit": {"academy_id": a, "pk": w["session"].pk},
        "academies:session_delete": {"academy_id": a, "pk": w["session"].pk},
        "academies:attendance_toggle": {
            "academy_id": a,
            "session_id": w["session"].pk,
            "participant_id": w["participant"].pk,
        },
        "academies:session_all_present": {"academy_id": a, "pk": w["session"].pk},
        "academies:participant_edit": {"academy_id": a, "pk": w["participant"].pk},
        "academies:current_period": {"academy_id": a},
        "academies:period": {"academy_id": a, "code": "2027-1"},  # a period never stored
        "academies:import": {"academy_id": a},
        "academies:import_job": {"academy_id": a, "pk": w["job"].pk},
        "academies:export_csv": {"academy_id": a},
        "academies:export_xlsx": {"academy_id": a},
        "academies_staff:queue": {},
        "academies_staff:review": {"pk": w["application"].pk},
        "academies_staff:decide": {"pk": w["application"].pk},
        "academies_staff:holidays": {},
        "academies_staff:holiday_delete": {"pk": w["holiday"].pk},
        "academies_staff:reports": {},
        "academies_staff:report_reopen": {"pk": w["report"].pk},
        "subsidies:letters": {},
        "subsidies:letter": {"pk": 999_999},
        "subsidies_staff:periods": {},
        "subsidies_staff:period": {"code": code},
        "subsidies_staff:transition": {"code": code, "to": "open"},
        "subsidies_staff:start_run": {"code": code},
        "subsidies_staff:progress": {"code": code},
        "subsidies_staff:retry_letters": {"code": code},
        "subsidies_staff:what_if": {"code": code},
        "subsidies_staff:send_letters": {"code": code},
        "subsidies_staff:letters_zip": {"code": code},
        "subsidies_staff:export_csv": {"code": code},
        "subsidies_staff:export_xlsx": {"code": code},
        "subsidies:award": {"pk": w["award"].pk},
        "subsidies:award_municipality": {"pk": w["award"].pk, "refnis": "44021"},
        "subsidies:award_session": {"pk": w["award"].pk, "session_id": w["session"].pk},
        "subsidies:objection_new": {"pk": w["award"].pk},
        "subsidies:objection": {"pk": 999_999},
        "subsidies:objection_attachment": {"pk": 999_999, "attachment_pk": 999_999},
        "subsidies:correction_letter": {"pk": 999_999},
        "subsidies_staff:objections": {},
        "subsidies_staff:budget": {},
        "subsidies_staff:correction_new": {"pk": w["award"].pk},
        "subsidies_staff:corrections_csv": {"code": code},
        "subsidies_staff:objection_days": {"code": code},
        "subsidies_staff:corrections_xlsx": {"code": code},
        "partnerships:home": {},
        "partnerships:detail": {"pk": w["partnership"].pk},
        "reporting:staff_home": {},
        "reporting:statistics": {},
        "reporting:audit_log": {},
        "favicon": {},
        "notifications:mine": {},
        "notifications:preferences": {},
        "notifications:detail": {"pk": 999_999},
        "notifications_staff:log": {},
        "notifications_staff:resend": {"pk": 999_999},
        "academies_staff:recognition_end_date": {"pk": 999_999},
        "reporting:privacy": {},
        "reporting:retention": {},
        "reporting:academy_export": {"pk": a},
        "academies/catalogus/": None,  # a redirect to the catalogue, by path
        "partnerships:add_member": {"pk": p},
        "partnerships:remove_member": {"pk": p, "member_pk": 999_999},
        "partnerships:budget": {"pk": p},
        "partnerships:requests": {},
        "partnerships:new_request": {},
        "partnerships:request": {"pk": 999_999},
        "partnerships:withdraw_request": {"pk": 999_999},
        "partnerships:decide_offer": {"pk": 999_999},
        "partnerships_staff:create": {},
        "partnerships_staff:edit": {"pk": p},
        "reporting:academy_directory": {},
        "reporting:dashboard": {},
        "reporting:dashboard_list": {"figure": "academies"},
        "reporting:downloads": {},
        "reporting:downloads_status": {},
        "reporting:start_export": {},
        "reporting:download": {"pk": 999_999},
        "reporting:catalogue": {},
        "reporting:catalogue_academy": {"pk": a},
        "reporting:catalogue_activity": {"pk": w["activity"].pk},
        "reporting:uitdatabank_activity": {"pk": w["activity"].pk},
        "reporting:uitdatabank_bulk": {},
        "reporting:coverage_flanders": {},
        "reporting:coverage_csv": {},
        "reporting:coverage_xlsx": {},
        "reporting:coverage_flanders_municipality": {"refnis": "44021"},
        "reporting:coverage_priorities": {},
        "reporting:coverage_region": {"pk": p},
        "reporting:coverage_region_csv": {"pk": p},
        "reporting:coverage_region_xlsx": {"pk": p},
        "reporting:coverage_region_municipality": {"pk": p, "refnis": "44021"},
    }


@pytest.fixture
def world(municipalities, django_capture_on_commit_callbacks):
    academy = network(1)[0]
    period, staff = closed_period(budget_cents=100_000)
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_services.start_run(actor=staff, period=period)
    session = Session.objects.filter(academy=academy).select_related("series__activity").first()
    member = make_member(academy)
    submit_period_report(actor=member, academy=academy, code="2026-2")
    partnership = PartnershipFactory()
    return {
        "academy": academy,
        "code": period.code,
        "activity": session.series.activity,
        "series": session.series,
        "session": session,
        "participant": Attendance.objects.filter(session=session).first().participant,
        "job": ImportJob.objects.create(academy=academy, filename="r.csv", status="succeeded"),
        "application": application_in_state("submitted", academy),
        "holiday": SchoolHoliday.objects.create(
            name="Krokus", start_date="2026-02-16", end_date="2026-02-20"
        ),
        "report": PeriodReport.objects.get(academy=academy),
        "run": period.runs.first(),
        "award": period.runs.first().awards.get(academy=academy),
        "partnership": partnership,
        "users": {
            "anonymous": None,
            "member": member,
            "admin": make_admin(academy),
            "other": make_admin(AcademyFactory()),
            "lead": make_partnership_lead(partnership),
            "staff": staff,
            "staff_without_mfa": make_staff(mfa=False),
        },
    }


def test_every_route_has_an_entry(world):
    table = _kwargs(world)
    missing = [name for _path, name in _routes() if name not in table]
    assert not missing, f"add these routes to the table of this test: {missing}"


def test_no_get_of_any_page_writes_for_any_role(client, world):
    table = _kwargs(world)
    urls = [
        "/" + path if table[name] is None else reverse(name, kwargs=table[name])
        for path, name in _routes()
    ]
    pages = 0
    for role, user in world["users"].items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code < 500, (role, url)
            writes = [
                q["sql"]
                for q in captured.captured_queries
                if WRITE.match(q["sql"])
                # the session, and the cache (the dashboard keeps computed figures there)
                and not any(t in q["sql"] for t in ("django_session", "stemnet_cache"))
            ]
            assert not writes, (role, url, writes)
            pages += 1
    assert pages == len(urls) * len(world["users"])
