"""Counts read right in Dutch and English: "1 fout", "1 nieuwe sessie", never "1 fouten"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academies.models import Attendance
from tests.factories import make_member
from tests.factories.activities import recognised_academy, register_rows, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, municipalities):
    academy = recognised_academy()
    client.force_login(make_member(academy))
    return client, academy


def test_one_error_and_one_new_session_are_singular(member_client):
    client, academy = member_client
    url = reverse("academies:import", args=[academy.pk])
    bad = register_rows(1, 1)
    bad[0] = {**bad[0], "location_nis": "99999"}
    page = client.post(url, {"file": SimpleUploadedFile("r.csv", to_csv(bad))}).content.decode()
    assert "Het bestand bevat 1 fout." in page and "1 fouten" not in page
    response = client.post(
        url, {"file": SimpleUploadedFile("r.csv", to_csv(register_rows(1, 1)))}, follow=True
    )
    page = response.content.decode()
    assert "1 rij ingelezen: 1 nieuwe sessie, 1 nieuwe deelnemer, 1 nieuwe aanwezigheid." in page
    response = client.post(
        url, {"file": SimpleUploadedFile("r.csv", to_csv(register_rows(2, 3)))}, follow=True
    )
    assert "6 rijen ingelezen: 1 nieuwe sessie, 2 nieuwe deelnemers, 5 nieuwe aanwezigheden." in (
        response.content.decode()
    )


def test_deleting_a_session_with_one_attendance_says_so(member_client):
    client, academy = member_client
    client.post(
        reverse("academies:import", args=[academy.pk]),
        {"file": SimpleUploadedFile("r.csv", to_csv(register_rows(1, 1)))},
    )
    session = Attendance.objects.get().session
    url = reverse("academies:session_delete", args=[academy.pk, session.pk])
    page = client.get(url).content.decode()
    assert "met haar 1 aanwezigheid." in page and "1 aanwezigheden" not in page


def test_english_uses_the_plural_forms_too(member_client):
    from django.utils import translation

    from academies.views.imports import _import_summary

    with translation.override("en"):
        text = _import_summary(1, {"sessions": 1, "participants": 2, "attendance": 1})
    if text.startswith("1 rij"):
        pytest.skip("the catalogue is not compiled")
    assert text == "1 row imported: 1 new session, 2 new participants, 1 new attendance."
