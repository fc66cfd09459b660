"""Activity pages, locking after a period report, KIND-uren with reasons."""

from datetime import date, time

import pytest
from django.urls import reverse

from academies.eligibility import Reason
from academies.imports import import_attendance
from academies.models import Activity, Attendance, Recognition, Session
from academies.selectors_activities import period_summary
from academies.services import AcademyError
from academies.services import activities as services
from academies.services.periods import (
    close_reporting,
    get_or_create_reporting_period,
    reopen_period_report,
    submit_period_report,
)
from tests.factories import AcademyFactory, make_member, make_staff, municipality
from tests.factories_activities import recognised_academy, register_rows

pytestmark = pytest.mark.django_db
H1 = (date(2026, 1, 1), date(2026, 6, 30))


def _row(**change):
    return {**register_rows(1, 1)[0], **change}


def test_period_summary_names_every_ineligible_part(municipalities):
    academy = AcademyFactory()
    Recognition.objects.create(academy=academy, valid_from=date(2026, 3, 10))
    rows = [
        # before recognition (Saturday 7 March): 2 h lost, not recognised
        _row(session_date="2026-03-07", participant_ref="A", birth_year="2015"),
        # Saturday 14 March, 10–12: counts, except for the 4-year-old
        _row(session_date="2026-03-14", participant_ref="A", birth_year="2015"),
        _row(session_date="2026-03-14", participant_ref="B", birth_year="2022"),
        # Monday 16 March 14:00–16:00: 90 min in school hours, 30 counted
        _row(
            series_code="MA",
            session_date="2026-03-16",
            start_time="14:00",
            end_time="16:00",
            participant_ref="A",
            birth_year="2015",
        ),
        # Brussels: outside Flanders
        _row(
            series_code="BXL",
            session_date="2026-03-21",
            location_nis="21004",
            participant_ref="A",
            birth_year="2015",
            residence_postal_code="",
        ),
    ]
    import_attendance(actor=None, academy=academy, rows=rows)
    summary = period_summary(academy, *H1)
    assert summary.eligible == 120 + 30
    assert summary.lost == {
        Reason.NOT_RECOGNISED: 120,
        Reason.AGE: 120,
        Reason.SCHOOL_HOURS: 90,
        Reason.OUTSIDE_FLANDERS: 120,
    }


def test_submitted_report_locks_the_period_until_staff_reopen_it(municipalities):
    academy = recognised_academy()
    member = make_member(academy)
    import_attendance(actor=None, academy=academy, rows=register_rows(2, 2))
    session = Session.objects.filter(academy=academy).first()
    participant = academy.participants.first()
    period = get_or_create_reporting_period("2026-1")
    report = submit_period_report(actor=member, academy=academy, period=period)
    with pytest.raises(AcademyError, match="ingediend"):
        services.set_attendance(
            actor=member, session=session, participant=participant, present=False
        )
    with pytest.raises(Exception) as rejected:
        import_attendance(actor=member, academy=academy, rows=register_rows(3, 2))
    assert "afgesloten of ingediende periode" in str(rejected.value.result.errors[0])
    with pytest.raises(AcademyError, match="reden"):
        reopen_period_report(actor=make_staff(), report=report, reason=" ")
    reopen_period_report(actor=make_staff(), report=report, reason="Sessie vergeten")
    services.set_attendance(actor=member, session=session, participant=participant, present=False)
    close_reporting(actor=make_staff(), period=period)
    with pytest.raises(AcademyError, match="afgesloten"):
        services.set_attendance(
            actor=member, session=session, participant=participant, present=True
        )


def test_weekly_schedule_generates_sessions_with_counted_minutes(municipalities):
    academy = recognised_academy()
    activity = Activity.objects.create(academy=academy, code="A", title="Techniek")
    series = services.create_series(
        actor=None,
        activity=activity,
        code="R",
        municipality=municipality("44021"),
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        weekdays=[2, 5],
        start_time=time(11),
        end_time=time(13),
    )
    sessions = list(series.sessions.order_by("date"))
    assert len(sessions) == 8  # 4 Wednesdays + 4 Saturdays in March 2026
    wednesday = sessions[0]
    assert wednesday.date.weekday() == 2
    assert (wednesday.counted_minutes, wednesday.school_minutes) == (60, 60)


def _pages(academy, series, session, participant):
    a = academy.pk
    return [
        ("get", reverse("academies:activities", args=[a])),
        ("get", reverse("academies:activity", args=[a, series.activity_id])),
        ("get", reverse("academies:series", args=[a, series.pk])),
        ("get", reverse("academies:period", args=[a, "2026-1"])),
        ("get", reverse("academies:import", args=[a])),
        ("get", reverse("academies:export_csv", args=[a])),
        ("post", reverse("academies:attendance_toggle", args=[a, session.pk, participant.pk])),
    ]


def test_pages_are_scoped_to_the_academy(client, municipalities):
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(2, 2))
    session = Session.objects.filter(academy=academy).first()
    participant = academy.participants.first()
    series = session.series
    pages = _pages(academy, series, session, participant)
    client.force_login(make_member(AcademyFactory()))
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 404, url
    client.force_login(make_member(academy))
    for method, url in pages:
        assert getattr(client, method)(url, {"present": "1"}).status_code == 200, url
    client.force_login(make_staff())
    assert client.get(pages[0][1]).status_code == 200
    assert client.post(pages[-1][1], {"present": "0"}).status_code == 403
    client.logout()
    assert client.get(pages[0][1]).status_code == 302


def test_list_pages_have_a_constant_number_of_queries(
    client, municipalities, django_assert_max_num_queries
):
    academy = recognised_academy()
    member = make_member(academy)
    client.force_login(member)
    import_attendance(actor=None, academy=academy, rows=register_rows(2, 2))
    urls = [
        reverse("academies:activities", args=[academy.pk]),
        reverse("academies:period", args=[academy.pk, "2026-1"]),
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(20) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    rows = register_rows(20, 30)
    for i, row in enumerate(rows):
        row["activity_code"] = f"A{i % 40}"
        row["series_code"] = f"S{i % 40}"
    import_attendance(actor=None, academy=academy, rows=rows)
    assert Attendance.objects.count() > 600
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_series_grid_queries_do_not_grow_with_children(
    client, municipalities, django_assert_max_num_queries
):
    academy = recognised_academy()
    client.force_login(make_member(academy))
    import_attendance(actor=None, academy=academy, rows=register_rows(3, 2))
    series = Session.objects.filter(academy=academy).first().series
    url = reverse("academies:series", args=[academy.pk, series.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    import_attendance(actor=None, academy=academy, rows=register_rows(10, 40))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["participants"]) == 40
