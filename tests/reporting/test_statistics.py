from datetime import date, time

import pytest
from django.urls import reverse

from academies.models import Activity, Attendance, Participant, Recognition, Series, Session
from tests.factories import AcademyFactory, make_member, make_staff, municipality

pytestmark = pytest.mark.django_db


def _session(academy, day, refnis="44021", minutes=120, children=(2010,)):
    activity, _ = Activity.objects.get_or_create(
        academy=academy, code="A1", defaults={"title": "Robotica"}
    )
    series, _ = Series.objects.get_or_create(
        activity=activity,
        code="R1",
        defaults={
            "municipality": municipality(refnis),
            "start_date": date(day.year, 1, 1),
            "end_date": date(day.year, 12, 31),
        },
    )
    session = Session.objects.create(
        series=series,
        academy=academy,
        municipality=municipality(refnis),
        date=day,
        start_time=time(14),
        end_time=time(16),
        counted_minutes=minutes,
    )
    for i, birth_year in enumerate(children):
        participant, _ = Participant.objects.get_or_create(
            academy=academy, ref=f"K{i}", defaults={"birth_year": birth_year}
        )
        Attendance.objects.create(session=session, participant=participant)
    return session


def test_network_figures_for_a_year(client):
    academy = AcademyFactory()
    Recognition.objects.create(academy=academy, valid_from=date(2016, 1, 1))
    _session(academy, date(2016, 3, 2), children=(2008, 2009, 2011))  # 3 × 2 h
    _session(academy, date(2016, 3, 9), children=(2008, 2009, 2011, 2012))  # + a 4-year-old
    _session(academy, date(2017, 1, 4))  # other year
    client.force_login(make_staff())
    response = client.get(reverse("reporting:statistics"), {"jaar": "2016"}, follow=True)
    stats = response.context["board"].figures
    assert (stats.activities, stats.series, stats.sessions) == (1, 1, 2)
    assert stats.kind_hours == 12
    assert stats.children == 3  # the 4-year-old does not count
    assert stats.municipalities == 1
    assert stats.recognised_academies == 1


def test_statistics_page_is_for_staff_only(client):
    client.force_login(make_member())
    assert client.get(reverse("reporting:statistics")).status_code == 403


def test_statistics_page_with_no_data_says_what_happens_next(client):
    client.force_login(make_staff())
    body = client.get(reverse("reporting:statistics"), follow=True).content.decode()
    assert "nog geen sessies" in body
