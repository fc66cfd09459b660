"""Every register URL that names an object under an academy: a member of academy B who
puts B's own id in the URL with an object of academy A gets 404, GET and POST, and
nothing of A changes."""

import pytest
from django.urls import reverse

from academies.models import Activity, Attendance, Participant, Series, Session
from tests.factories import make_member
from tests.factories.activities import recognised_academy, register_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]


@pytest.fixture
def two_academies(municipalities):
    from academies.imports import import_attendance

    a, b = recognised_academy(name="A"), recognised_academy(name="B")
    for academy in (a, b):
        import_attendance(actor=None, academy=academy, rows=register_rows(2, 2))
    return a, b, make_member(b, email="b@example.org")


def _objects_of(academy):
    series = Series.objects.filter(activity__academy=academy).first()
    session = Session.objects.filter(academy=academy).first()
    participant = Participant.objects.filter(academy=academy).first()
    activity = Activity.objects.filter(academy=academy).first()
    return activity, series, session, participant


def _nested_urls(own, foreign_objects):
    activity, series, session, participant = foreign_objects
    k = own.pk
    return [
        reverse("academies:activity", args=[k, activity.pk]),
        reverse("academies:activity_edit", args=[k, activity.pk]),
        reverse("academies:series", args=[k, series.pk]),
        reverse("academies:series_edit", args=[k, series.pk]),
        reverse("academies:series_add_participant", args=[k, series.pk]),
        reverse("academies:series_add_session", args=[k, series.pk]),
        reverse("academies:series_copy_participants", args=[k, series.pk]),
        reverse("academies:participant_unenrol", args=[k, series.pk, participant.pk]),
        reverse("academies:session_edit", args=[k, session.pk]),
        reverse("academies:session_delete", args=[k, session.pk]),
        reverse("academies:participant_edit", args=[k, participant.pk]),
        reverse("academies:attendance_toggle", args=[k, session.pk, participant.pk]),
    ]


def test_own_academy_id_with_another_academys_object_is_404(client, two_academies):
    a, b, member_b = two_academies
    before = (
        Session.objects.filter(academy=a).count(),
        Attendance.objects.filter(session__academy=a).count(),
        list(Participant.objects.filter(academy=a).values_list("birth_year", flat=True)),
    )
    client.force_login(member_b)
    answers = {}
    for url in _nested_urls(b, _objects_of(a)):
        answers[url] = (client.get(url).status_code, client.post(url, {"present": "0"}).status_code)
    # 405 where the view takes only the other method; the method it takes answers 404.
    allowed = {(404, 404), (404, 405), (405, 404)}
    assert {url: codes for url, codes in answers.items() if codes not in allowed} == {}
    after = (
        Session.objects.filter(academy=a).count(),
        Attendance.objects.filter(session__academy=a).count(),
        list(Participant.objects.filter(academy=a).values_list("birth_year", flat=True)),
    )
    assert after == before


def test_the_same_urls_answer_for_the_own_objects(client, two_academies):
    """The 404s above come from the object filter, not from a broken URL."""
    a, b, member_b = two_academies
    client.force_login(member_b)
    for url in _nested_urls(b, _objects_of(b)):
        if "toevoegen" in url or url.endswith(("/deelnemers/", "/sessies/", "/kopieren/")):
            continue  # POST-only views
        if "/sessies/" in url and "/deelnemers/" in url:
            continue  # the attendance toggle is POST-only
        assert client.get(url).status_code == 200, url
