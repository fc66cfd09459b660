"""Activity pages, locking after a period report, KIND-uren with reasons."""

from datetime import date, time

import pytest
from django.urls import reverse

from academies.eligibility import Reason
from academies.imports import import_attendance
from academies.models import Activity, Attendance, Recognition, Session
from academies.selectors.activities import period_summary
from academies.services import AcademyError
from academies.services import activities as services
from academies.services.periods import (
    close_reporting,
    get_or_create_reporting_period,
    reopen_period_report,
    submit_period_report,
)
from tests.factories import AcademyFactory, make_member, make_staff, municipality
from tests.factories.activities import recognised_academy, register_rows

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
    report = submit_period_report(actor=member, academy=academy, code="2026-1")
    period = report.period
    with pytest.raises(AcademyError, match="ingediend"):
        services.set_attendance(
            actor=member, session=session, participant=participant, present=False
        )
    with pytest.raises(Exception) as rejected:
        import_attendance(actor=member, academy=academy, rows=register_rows(3, 2))
    # The import uses the one lock rule (selectors.periods.locked_reason), its message too.
    assert "2026-1 is ingediend" in str(rejected.value.result.errors[0])
    # Every other write that touches the period is refused too.
    for attempt in (
        lambda: services.delete_session(actor=member, session=session),
        lambda: services.update_session(
            actor=member, session=session, day=session.date, start_time=time(9), end_time=time(11)
        ),
        lambda: services.unenrol(actor=member, series=session.series, participant=participant),
        lambda: services.update_participant(actor=member, participant=participant, birth_year=2011),
        lambda: services.add_session(
            actor=member,
            series=session.series,
            day=date(2026, 5, 2),
            start_time=time(10),
            end_time=time(12),
        ),
    ):
        with pytest.raises(AcademyError, match="ingediend"):
            attempt()
    assert Attendance.objects.filter(session__academy=academy).count() == 4
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
        # one child per series: a child cannot be at two sessions at the same time
        row["participant_ref"] = f"{row['participant_ref']}-{i % 40}"
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


def _series_with_children(academy, n_sessions=2, children=2):
    import_attendance(actor=None, academy=academy, rows=register_rows(n_sessions, children))
    return Session.objects.filter(academy=academy).first().series


def test_copy_a_participant_list_from_another_series(client, municipalities):
    academy = recognised_academy()
    source = _series_with_children(academy, 2, 3)
    activity = source.activity
    target = services.create_series(
        actor=None,
        activity=activity,
        code="NJ26",
        municipality=municipality("44021"),
        start_date=date(2026, 9, 1),
        end_date=date(2026, 12, 31),
    )
    member = make_member(academy)
    client.force_login(member)
    url = reverse("academies:series", args=[academy.pk, target.pk])
    page = client.get(url).content.decode()
    assert "Nog geen deelnemers in deze reeks" in page or "nog geen sessies" in page
    copy_url = reverse("academies:series_copy_participants", args=[academy.pk, target.pk])
    response = client.post(copy_url, {"c-source": source.pk}, follow=True)
    assert "3 deelnemers gekopieerd" in response.content.decode()
    assert set(target.participants.values_list("ref", flat=True)) == {"K0000", "K0001", "K0002"}
    # Copying again adds nobody; another academy's series cannot be chosen.
    assert services.copy_participants(actor=member, source=source, target=target) == 0
    foreign = _series_with_children(recognised_academy())
    response = client.post(copy_url, {"c-source": foreign.pk})
    assert response.status_code == 200 and target.participants.count() == 3
    with pytest.raises(AcademyError):
        services.copy_participants(actor=member, source=foreign, target=target)


def test_edit_pages_change_activity_series_session_and_participant(client, municipalities):
    academy = recognised_academy()
    series = _series_with_children(academy)
    client.force_login(make_member(academy))
    a = academy.pk
    response = client.post(
        reverse("academies:activity_edit", args=[a, series.activity_id]),
        {"title": "Robotica gevorderd", "min_age": 8, "max_age": 12, "format": "club"},
    )
    assert response.status_code == 302
    series.activity.refresh_from_db()
    assert (series.activity.title, series.activity.code) == ("Robotica gevorderd", "ROBOT")

    # Moving the series to Leuven moves its sessions (their municipality is denormalised).
    response = client.post(
        reverse("academies:series_edit", args=[a, series.pk]),
        {"place": "3000", "venue": "Bib", "start_date": "2026-03-01", "end_date": "2026-06-30"},
    )
    assert response.status_code == 302
    assert set(series.sessions.values_list("municipality_id", flat=True)) == {"24062"}
    # Dates that would leave a session outside the series are refused.
    response = client.post(
        reverse("academies:series_edit", args=[a, series.pk]),
        {"place": "3000", "venue": "", "start_date": "2026-03-10", "end_date": "2026-06-30"},
    )
    assert "sessies buiten deze data" in response.content.decode()

    session = series.sessions.order_by("date").first()
    response = client.post(
        reverse("academies:session_edit", args=[a, session.pk]),
        {"date": "2026-03-09", "start_time": "14:00", "end_time": "16:00"},  # a Monday
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.counted_minutes, session.school_minutes) == (30, 90)

    participant = academy.participants.get(ref="K0000")
    url = reverse("academies:participant_edit", args=[a, participant.pk])
    response = client.post(url, {"birth_year": "2099", "residence_postal_code": ""})
    assert "in de toekomst" in response.content.decode()
    client.post(url + "?terug=https://evil.example/", {"birth_year": "2014"})
    participant.refresh_from_db()
    assert participant.birth_year == 2014


def test_deleting_asks_for_confirmation_first(client, municipalities):
    academy = recognised_academy()
    series = _series_with_children(academy, 2, 2)
    client.force_login(make_member(academy))
    session = series.sessions.first()
    url = reverse("academies:session_delete", args=[academy.pk, session.pk])
    page = client.get(url).content.decode()
    assert "Sessie verwijderen?" in page and "2 aanwezigheden" in page
    assert Session.objects.filter(pk=session.pk).exists()
    client.post(url)
    assert not Session.objects.filter(pk=session.pk).exists()
    assert Attendance.objects.filter(session__series=series).count() == 2

    participant = series.participants.get(ref="K0001")
    url = reverse("academies:participant_unenrol", args=[academy.pk, series.pk, participant.pk])
    assert "Deelnemer uit de reeks halen?" in client.get(url).content.decode()
    assert series.participants.count() == 2
    client.post(url)
    assert list(series.participants.values_list("ref", flat=True)) == ["K0000"]
    assert not Attendance.objects.filter(participant=participant).exists()


def test_submitting_a_period_report_needs_an_explicit_confirmation(client, municipalities):
    academy = recognised_academy()
    _series_with_children(academy)
    client.force_login(make_member(academy))
    url = reverse("academies:period", args=[academy.pk, "2026-1"])
    response = client.post(url, {})
    assert "Vink aan dat u het rapport wilt indienen" in response.content.decode()
    assert not academy.period_reports.filter(submitted_at__isnull=False).exists()
    client.post(url, {"confirm": "on"})
    assert academy.period_reports.get().is_locked


def test_locked_cells_are_read_only_and_a_refused_toggle_says_why(client, municipalities):
    academy = recognised_academy()
    series = _series_with_children(academy)
    member = make_member(academy)
    client.force_login(member)
    submit_period_report(actor=member, academy=academy, code="2026-1")
    page = client.get(reverse("academies:series", args=[academy.pk, series.pk])).content.decode()
    assert page.count("disabled") == 4 and "hx-post" not in page
    session, participant = series.sessions.first(), series.participants.first()
    response = client.post(
        reverse("academies:attendance_toggle", args=[academy.pk, session.pk, participant.pk]),
        {"present": "0"},
    )
    assert response.status_code == 200 and "HX-Trigger" not in response
    body = response.content.decode()
    assert 'role="alert"' in body and "ingediend" in body and 'aria-pressed="true"' in body
    assert Attendance.objects.filter(session=session, participant=participant).exists()


def test_period_page_gives_each_session_its_kind_hours_and_reasons(client, municipalities):
    academy = recognised_academy()
    rows = register_rows(1, 2)  # Saturday 7 March 10–12: 2 children, counts fully
    rows += [
        _row(
            series_code="MA",
            session_date="2026-03-16",
            start_time="14:00",
            end_time="16:00",
            participant_ref="K9",
            birth_year="2022",
        )
    ]
    import_attendance(actor=None, academy=academy, rows=rows)
    client.force_login(make_member(academy))
    url = reverse("academies:period", args=[academy.pk, "2026-1"])
    page = client.get(url).content.decode()
    assert "4,00" in page  # 2 children × 2 h
    assert "90 min tijdens de schooluren" in page and "1 kind buiten 5–18 jaar" in page
    only_losses = client.get(url, {"verlies": "1"})
    sessions = list(only_losses.context["page"])
    assert [s.date for s in sessions] == [date(2026, 3, 16)]
    assert (sessions[0].earned, sessions[0].outside_age) == (0, 1)


def test_activity_list_filters_and_paginates(client, municipalities, django_assert_max_num_queries):
    academy = recognised_academy()
    for i in range(30):
        Activity.objects.create(
            academy=academy, code=f"C{i:02d}", title=f"Club {i:02d}", format="club"
        )
    Activity.objects.create(academy=academy, code="KAMP", title="Zomerkamp", format="camp")
    client.force_login(make_member(academy))
    url = reverse("academies:activities", args=[academy.pk])
    response = client.get(url)
    assert len(response.context["page"]) == 25 and response.context["page"].paginator.count == 31
    assert "pagina=2" in response.content.decode()
    assert [a.code for a in client.get(url, {"q": "zomer"}).context["page"]] == ["KAMP"]
    assert [a.code for a in client.get(url, {"vorm": "camp"}).context["page"]] == ["KAMP"]
    response = client.get(url, {"q": "niets"})
    assert "Geen activiteiten gevonden met deze filters" in response.content.decode()
    with django_assert_max_num_queries(12):
        client.get(url, {"vorm": "club", "pagina": "2"})


def test_holiday_page_asks_before_deleting_and_paginates(client, django_assert_max_num_queries):
    from academies.models import SchoolHoliday

    staff = make_staff()
    client.force_login(staff)
    holiday = SchoolHoliday.objects.create(
        name="Herfstvakantie", start_date=date(2026, 11, 2), end_date=date(2026, 11, 8)
    )
    url = reverse("academies_staff:holiday_delete", args=[holiday.pk])
    assert "Schoolvakantie verwijderen?" in client.get(url).content.decode()
    assert SchoolHoliday.objects.exists()
    list_url = reverse("academies_staff:holidays")
    client.get(list_url)
    with django_assert_max_num_queries(15) as few:
        client.get(list_url)
    SchoolHoliday.objects.bulk_create(
        SchoolHoliday(name=f"Vrije dag {i}", start_date=date(2025, 1, 1), end_date=date(2025, 1, 1))
        for i in range(80)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(list_url)
    assert len(response.context["page"]) == 50
    client.post(url)
    assert not SchoolHoliday.objects.filter(pk=holiday.pk).exists()


def test_staff_reopen_a_submitted_report_with_a_reason(
    client, municipalities, django_assert_max_num_queries
):
    period = get_or_create_reporting_period("2026-1")
    academies = [recognised_academy() for _ in range(3)]
    for academy in academies:
        submit_period_report(actor=make_member(academy), academy=academy, code=period.code)
    staff = make_staff()
    client.force_login(staff)
    url = reverse("academies_staff:reports")
    with django_assert_max_num_queries(15):
        response = client.get(url, {"periode": "2026-1"})
    assert len(response.context["page"]) == 3
    report = academies[0].period_reports.get()
    reopen_url = reverse("academies_staff:report_reopen", args=[report.pk])
    response = client.post(reopen_url, {"reason": ""})
    assert "Dit veld is verplicht" in response.content.decode()
    assert academies[0].period_reports.get().is_locked
    response = client.post(reopen_url, {"reason": "Sessie van 14 maart vergeten"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert not report.is_locked and report.reopen_reason == "Sessie van 14 maart vergeten"
    assert academies[1].period_reports.get().is_locked
    client.force_login(make_member(academies[0]))
    assert client.get(url).status_code == 403


def test_the_period_page_pages_its_sessions_in_order_with_their_kind_hours(client, municipalities):
    """Only the page's sessions are annotated (period_sessions_page): the second page holds
    the rest, in date order, with the same per-session figures as the whole list."""
    from academies.selectors.activities import sessions_in_period

    academy = recognised_academy()
    for code in ("S1", "S2", "S3", "S4"):  # four weekly series: 4 × 17 sessions in 2026-1
        rows = register_rows(17, 2)
        for row in rows:
            row["series_code"] = code
            row["participant_ref"] = f"{row['participant_ref']}-{code}"  # one place at a time
        import_attendance(actor=None, academy=academy, rows=rows)
    client.force_login(make_member(academy))
    url = reverse("academies:period", args=[academy.pk, "2026-1"])
    first = client.get(url).context["page"]
    second = client.get(url, {"pagina": "2"}).context["page"]
    everything = list(sessions_in_period(academy, date(2026, 1, 1), date(2026, 6, 30)))
    assert len(everything) > 50 and first.paginator.count == len(everything)
    shown = list(first) + list(second)
    assert [s.pk for s in shown] == [s.pk for s in everything]
    assert [(s.attendees, s.eligible_attendees, s.earned) for s in shown] == [
        (s.attendees, s.eligible_attendees, s.earned) for s in everything
    ]
