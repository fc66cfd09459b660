"""Recognition terms (issue 11): provisional for one year, then three-year terms; the end
date's effect on KIND-uren; reminders 60 and 14 days before; renewal through the same
workflow as a first application; staff changing an end date with a reason."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from academies.kind_hours import child_minutes_by_academy_and_municipality
from academies.models import (
    ApplicationState as S,
)
from academies.models import (
    Recognition,
    RecognitionApplication,
    RecognitionReminder,
    RecognitionTerm,
)
from academies.services import recognition as services
from academies.services import terms
from stemnet.models import AuditEvent, Message, MessageKind
from tests.factories import CRITERIA, academy_roles, application_in_state, make_admin
from tests.factories.activities import stored_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data", "fast_passwords")]


@pytest.fixture
def people():
    return academy_roles()


@pytest.fixture
def today(monkeypatch):
    """Set the portal's calendar: ``today.set(date)``."""

    class Clock:
        day = date(2026, 3, 2)

        def set(self, day):
            self.day = day

    clock = Clock()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: clock.day)
    return clock


def _apply_and_recognise(people, capture):
    application = services.create_application(
        actor=people.admin, academy=people.academy, **CRITERIA
    )
    with capture(execute=True):
        services.take_action(actor=people.admin, application=application, action="submit")
        services.take_action(actor=people.staff, application=application, action="recognise")
    application.refresh_from_db()
    return application


def test_provisional_then_full_then_renewed(people, today, django_capture_on_commit_callbacks):
    first = _apply_and_recognise(people, django_capture_on_commit_callbacks)
    assert not first.is_renewal
    assert (
        first.recognition.term,
        first.recognition.valid_from,
        first.recognition.valid_until,
    ) == (
        RecognitionTerm.PROVISIONAL,
        date(2026, 3, 2),
        date(2027, 3, 1),
    )
    today.set(date(2027, 1, 20))  # renewal decided before the provisional one ends
    second = _apply_and_recognise(people, django_capture_on_commit_callbacks)
    assert second.is_renewal
    assert (
        second.recognition.term,
        second.recognition.valid_from,
        second.recognition.valid_until,
    ) == (
        RecognitionTerm.FULL,
        date(2027, 3, 2),  # the day after: no gap, no overlap
        date(2030, 3, 1),
    )
    today.set(date(2030, 5, 1))  # renewal decided after the full one lapsed
    third = _apply_and_recognise(people, django_capture_on_commit_callbacks)
    assert (
        third.recognition.term,
        third.recognition.valid_from,
        third.recognition.valid_until,
    ) == (
        RecognitionTerm.RENEWED,
        date(2030, 5, 1),
        date(2033, 4, 30),
    )
    # The renewals took the very same steps as the first application.
    for application in (first, second, third):
        assert list(application.transitions.values_list("from_state", "to_state")) == [
            (S.DRAFT, S.SUBMITTED),
            (S.SUBMITTED, S.RECOGNISED),
        ]


def test_the_end_date_earns_kind_hours_and_the_day_after_does_not(people):
    end = date(2026, 5, 9)
    Recognition.objects.create(
        academy=people.academy, valid_from=date(2025, 5, 10), valid_until=end
    )
    stored_session(people.academy, end, children=(2015,))
    [row] = child_minutes_by_academy_and_municipality(end, end)
    assert (row.academy_id, row.child_minutes) == (people.academy.pk, 120)
    stored_session(people.academy, end + timedelta(days=1), children=(2015,))
    after = end + timedelta(days=1)
    assert child_minutes_by_academy_and_municipality(after, after) == []


def _ending_on(people, end, term=RecognitionTerm.FULL):
    return Recognition.objects.create(
        academy=people.academy, valid_from=end - timedelta(days=1000), valid_until=end, term=term
    )


def test_reminders_at_60_and_14_days_are_sent_once_each(people, django_capture_on_commit_callbacks):
    second_admin = make_admin(people.academy)
    day = date(2026, 6, 1)
    recognition = _ending_on(people, day + timedelta(days=60))
    for _ in range(2):  # the job runs twice the same day
        with django_capture_on_commit_callbacks(execute=True):
            terms.send_reminders(today=day)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people.admin.email, second_admin.email])
    assert "KIND-uren" in mail.outbox[0].body
    assert reverse("academies:application", args=[people.academy.pk]) in mail.outbox[0].body
    for later in (day + timedelta(days=1), day + timedelta(days=30)):  # nothing new in between
        with django_capture_on_commit_callbacks(execute=True):
            assert terms.send_reminders(today=later) == 0
    fourteen = day + timedelta(days=46)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            terms.send_reminders(today=fourteen)
    assert len(mail.outbox) == 4
    assert list(recognition.reminders.values_list("days_before", "sent_on")) == [
        (60, day),
        (14, fourteen),
    ]
    assert Message.objects.filter(kind=MessageKind.REMINDER).count() == 4
    assert AuditEvent.objects.filter(action="recognition.reminder_sent").count() == 2


def test_a_late_recognition_gets_only_the_14_day_reminder(
    people, django_capture_on_commit_callbacks
):
    day = date(2026, 6, 1)
    recognition = _ending_on(people, day + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert terms.send_reminders(today=day) == 1
        assert terms.send_reminders(today=day + timedelta(days=1)) == 0
    assert list(recognition.reminders.values_list("days_before", flat=True)) == [14]


def test_no_reminder_once_renewed_or_for_an_open_ended_recognition(
    people, django_capture_on_commit_callbacks
):
    day = date(2026, 6, 1)
    end = day + timedelta(days=14)
    _ending_on(people, end)
    Recognition.objects.create(
        academy=people.academy,
        valid_from=end + timedelta(days=1),
        valid_until=end + timedelta(days=1095),
        term=RecognitionTerm.RENEWED,
    )
    other = academy_roles()
    Recognition.objects.create(academy=other.academy, valid_from=date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert terms.send_reminders(today=day) == 0
    assert mail.outbox == []
    assert not RecognitionReminder.objects.exists()


def test_the_renewal_form_is_prefilled_and_goes_through_the_same_review(
    client, people, today, django_capture_on_commit_callbacks
):
    today.set(date(2026, 11, 1))
    previous = application_in_state(S.RECOGNISED, people.academy, since=date(2025, 12, 1))
    previous.recognition.valid_until = date(2026, 11, 30)
    previous.recognition.save()
    client.force_login(people.admin)
    page = client.get(reverse("academies:application", args=[people.academy.pk]))
    assert page.context["renewing"] is True
    assert page.context["form"]["explains_stem"].value() == previous.explains_stem
    assert page.context["form"]["confirms_stem"].value() in (None, False)
    data = {name: value for name, value in CRITERIA.items() if not isinstance(value, bool) or value}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("academies:application", args=[people.academy.pk]),
            data | {"submit_action": "submit"},
        )
    assert response.status_code == 302
    renewal = RecognitionApplication.objects.exclude(pk=previous.pk).get()
    assert (renewal.is_renewal, renewal.state) == (True, S.SUBMITTED)
    client.force_login(people.staff)
    queue = client.get(reverse("academies_staff:queue")).content.decode()
    assert reverse("academies_staff:review", args=[renewal.pk]) in queue
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("academies_staff:decide", args=[renewal.pk]), {"action": "recognise"})
    renewal.refresh_from_db()
    assert renewal.state == S.RECOGNISED
    assert (renewal.recognition.valid_from, renewal.recognition.term) == (
        date(2026, 12, 1),
        RecognitionTerm.FULL,
    )


def test_staff_change_an_end_date_with_a_reason(client, people):
    application = application_in_state(S.RECOGNISED, people.academy)
    recognition = application.recognition
    client.force_login(people.staff)
    url = reverse("academies_staff:recognition_end_date", args=[recognition.pk])
    refused = client.post(url, {"end-valid_until": "2027-06-30", "end-reason": ""})
    assert refused.status_code == 400
    assert 'value="2027-06-30"' in refused.content.decode()  # what was typed stays
    recognition.refresh_from_db()
    assert recognition.valid_until is None
    response = client.post(
        url, {"end-valid_until": "2027-06-30", "end-reason": "Verlengd na overleg"}
    )
    assert response.status_code == 302
    recognition.refresh_from_db()
    assert recognition.valid_until == date(2027, 6, 30)
    event = AuditEvent.objects.get(action="recognition.end_date_changed")
    assert event.payload == {"from": None, "to": "2027-06-30", "reason": "Verlengd na overleg"}
    client.force_login(people.admin)
    assert client.post(url, {"end-valid_until": "2030-01-01", "end-reason": "x"}).status_code == 403


def test_the_dashboard_says_when_the_recognition_lapses_and_lapsed(client, people, today):
    today.set(date(2026, 6, 1))
    recognition = _ending_on(people, date(2026, 7, 1))
    client.force_login(people.admin)
    text = " ".join(client.get(reverse("academies:dashboard")).content.decode().split())
    assert "Uw erkenning loopt af op 1 juli 2026, over 30 dagen." in text
    assert "sessies vanaf 2 juli 2026 niet meer" in text
    recognition.valid_until = date(2026, 5, 15)
    recognition.save()
    text = " ".join(client.get(reverse("academies:dashboard")).content.decode().split())
    assert "Uw erkenning is afgelopen op 15 mei 2026." in text
    assert "Sessies vanaf 16 mei 2026 leveren geen KIND-uren op" in text
