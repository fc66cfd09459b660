"""The academies hear once that a half-year period is open (a daily beat job), as each
admin chose for period messages."""

from datetime import date

import pytest
from django.core import mail

from academies.models import Recognition, ReportingPeriod
from academies.services.periods import announce_open_period
from stemnet.models import AuditEvent, Delivery, Message, MessageKind, NotificationPreference
from tests.factories import AcademyFactory, make_admin, make_member
from tests.factories.activities import recognised_academy

pytestmark = pytest.mark.django_db


@pytest.fixture
def academies(municipalities):
    active = recognised_academy(name="Erkend")
    admin = make_admin(active, email="beheer@erkend.example.org")
    make_member(active, email="lid@erkend.example.org")  # a plain member hears nothing
    lapsed = AcademyFactory(name="Verlopen")
    Recognition.objects.create(
        academy=lapsed, valid_from=date(2020, 1, 1), valid_until=date(2026, 12, 31)
    )
    make_admin(lapsed, email="beheer@verlopen.example.org")
    return active, admin


def test_the_admins_of_recognised_academies_hear_once_that_the_period_opened(
    academies, django_capture_on_commit_callbacks
):
    active, _admin = academies
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_open_period(date(2027, 1, 4)) == 1
    (message,) = mail.outbox
    assert message.to == ["beheer@erkend.example.org"]
    assert message.subject == "[STEM-academies] Periode 2027-1 is geopend"
    assert "01-01-2027 tot en met 30-06-2027" in message.body
    assert f"/academies/{active.pk}/periodes/2027-1/" in message.body
    assert message.body.count("http://") + message.body.count("https://") >= 1
    period = ReportingPeriod.objects.get(code="2027-1")
    assert period.announced_at is not None
    assert AuditEvent.objects.filter(action="period.announced").count() == 1

    # The next days' runs send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_open_period(date(2027, 1, 5)) == 0
    assert len(mail.outbox) == 1


def test_not_announced_late_or_when_closed(academies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_open_period(date(2027, 2, 1)) == 0  # more than two weeks in
        ReportingPeriod.objects.create(
            code="2027-2",
            start_date=date(2027, 7, 1),
            end_date=date(2027, 12, 31),
            closed_at="2027-07-02T10:00:00Z",
        )
        assert announce_open_period(date(2027, 7, 3)) == 0
    assert mail.outbox == []


def test_the_admin_s_preference_for_period_messages_applies(
    academies, django_capture_on_commit_callbacks
):
    _active, admin = academies
    NotificationPreference.objects.create(
        user=admin, kind=MessageKind.PERIOD, delivery=Delivery.DIGEST
    )
    with django_capture_on_commit_callbacks(execute=True):
        announce_open_period(date(2027, 1, 4))
    assert mail.outbox == []  # collected for tomorrow's digest
    logged = Message.objects.get(to_email="beheer@erkend.example.org")
    assert logged.kind == MessageKind.PERIOD
