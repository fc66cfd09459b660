from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academies.imports import import_attendance
from academies.models import SchoolHoliday, Session
from tests.factories import make_member, make_staff
from tests.factories.activities import recognised_academy, register_rows

pytestmark = pytest.mark.django_db


def _monday_session(academy):
    rows = register_rows(1, 1, start=date(2026, 2, 16))  # a Monday
    rows[0].update(start_time="14:00", end_time="16:00")
    import_attendance(actor=None, academy=academy, rows=rows)
    return Session.objects.get(academy=academy)


def test_adding_and_deleting_a_holiday_recomputes_sessions(client, municipalities):
    session = _monday_session(recognised_academy())
    assert (session.counted_minutes, session.school_minutes) == (30, 90)
    client.force_login(make_staff())
    url = reverse("academies_staff:holidays")
    response = client.post(
        url, {"h-name": "Krokusvakantie", "h-start_date": "2026-02-16", "h-end_date": "2026-02-20"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.counted_minutes, session.school_minutes) == (120, 0)
    holiday = SchoolHoliday.objects.get()
    client.post(reverse("academies_staff:holiday_delete", args=[holiday.pk]))
    session.refresh_from_db()
    assert session.counted_minutes == 30


def test_holiday_csv_import_is_all_or_nothing(client):
    client.force_login(make_staff())
    url = reverse("academies_staff:holidays")
    bad = (
        b"name,start_date,end_date\n"
        b"Paasvakantie,2026-04-06,2026-04-19\n"
        b"Fout,2026-13-01,2026-13-02\n"
    )
    response = client.post(url, {"i-file": SimpleUploadedFile("v.csv", bad)}, follow=True)
    assert "Rij 3: ongeldige datum" in response.content.decode()
    assert SchoolHoliday.objects.count() == 0
    good = b"name,start_date,end_date\nPaasvakantie,2026-04-06,2026-04-19\n"
    client.post(url, {"i-file": SimpleUploadedFile("v.csv", good)})
    assert SchoolHoliday.objects.get().name == "Paasvakantie"


def test_holiday_page_is_staff_only(client):
    client.force_login(make_member())
    assert client.get(reverse("academies_staff:holidays")).status_code == 403
