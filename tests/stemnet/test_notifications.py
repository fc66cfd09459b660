"""The message log and notification preferences (issue 11): every portal e-mail goes through
stemnet.notifications, is logged, honours the user's choice per kind, is retried by the
worker when sending fails, and can be re-sent by staff."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from stemnet import notifications
from stemnet.celery import app as celery_app
from stemnet.models import Delivery, Message, MessageKind, MessageStatus, NotificationPreference
from tests.factories import UserFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

SWITCHABLE = [k.value for k in notifications.SWITCHABLE]


def _send(user, kind, subject="Onderwerp", path="/academies/", capture=None):
    with capture(execute=True):
        return notifications.notify(
            kind=kind,
            recipients=[user],
            subject=subject,
            body="Tekst.",
            path=path,
            label="De pagina",
        )


@pytest.mark.parametrize("kind", SWITCHABLE)
def test_immediately_sends_now_with_an_absolute_link(
    kind, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portaal.example.be"
    user = UserFactory(email="an@example.org")
    [row] = _send(
        user, kind, path="/academies/7/erkenning/", capture=django_capture_on_commit_callbacks
    )
    [message] = mail.outbox
    assert message.to == ["an@example.org"]
    assert "https://portaal.example.be/academies/7/erkenning/" in message.body
    row.refresh_from_db()
    assert (row.status, row.kind, row.attempts) == (MessageStatus.SENT, kind, 1)
    assert row.sent_at is not None


@pytest.mark.parametrize("kind", SWITCHABLE)
def test_digest_waits_for_the_daily_mail(kind, django_capture_on_commit_callbacks):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind=kind, delivery=Delivery.DIGEST)
    [row] = _send(user, kind, capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == MessageStatus.WAITING_DIGEST
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests(day=timezone.localdate()) == 1
    [digest] = mail.outbox
    assert "Onderwerp" in digest.body
    row.refresh_from_db()
    assert row.status == MessageStatus.IN_DIGEST


@pytest.mark.parametrize("kind", [k for k in SWITCHABLE if k != MessageKind.AWARD_LETTER])
def test_off_sends_nothing_but_logs_it(kind, django_capture_on_commit_callbacks):
    user = UserFactory()
    NotificationPreference.objects.create(user=user, kind=kind, delivery=Delivery.OFF)
    [row] = _send(user, kind, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_digests(day=timezone.localdate())
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == MessageStatus.OFF


def test_an_award_letter_ignores_off(django_capture_on_commit_callbacks):
    user = UserFactory()
    # Stored directly (the page and the service refuse it): even then it is sent.
    NotificationPreference.objects.create(
        user=user, kind=MessageKind.AWARD_LETTER, delivery=Delivery.OFF
    )
    [row] = _send(user, MessageKind.AWARD_LETTER, capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


def test_off_for_an_award_letter_is_refused():
    user = UserFactory()
    with pytest.raises(notifications.NotificationError):
        notifications.set_preferences(actor=user, choices={MessageKind.AWARD_LETTER: Delivery.OFF})
    assert not NotificationPreference.objects.exists()


def _at(day: date, hour: int):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_a_digest_holds_exactly_the_days_messages_and_runs_once(
    django_capture_on_commit_callbacks,
):
    day = date(2026, 5, 12)
    user, other = UserFactory(email="a@example.org"), UserFactory(email="b@example.org")
    for person in (user, other):
        for kind in SWITCHABLE:
            NotificationPreference.objects.create(user=person, kind=kind, delivery=Delivery.DIGEST)
    NotificationPreference.objects.filter(user=user, kind=MessageKind.PERIOD).update(
        delivery=Delivery.IMMEDIATE
    )
    made = {}
    for subject, person, kind, when in [
        ("Erkend", user, MessageKind.RECOGNITION, _at(day, 9)),
        ("Aanbod", user, MessageKind.PARTNERSHIP, _at(day, 23)),
        ("Heropend meteen", user, MessageKind.PERIOD, _at(day, 10)),
        ("Van morgen", user, MessageKind.REMINDER, _at(day + timedelta(days=1), 0)),
        ("Voor een ander", other, MessageKind.RECOGNITION, _at(day, 11)),
    ]:
        [row] = _send(person, kind, subject=subject, capture=django_capture_on_commit_callbacks)
        Message.objects.filter(pk=row.pk).update(created_at=when)
        made[subject] = row.pk
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests(day=day) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_digests(day=day) == 0  # a re-run sends nothing
    digest = next(m for m in mail.outbox if m.to == ["a@example.org"])
    assert len(mail.outbox) == 2
    listed = [line[2:] for line in digest.body.splitlines() if line.startswith("- ")]
    assert listed == ["Erkend", "Aanbod"]
    row = Message.objects.get(kind=MessageKind.DIGEST, user=user)
    assert row.digest_day == day
    assert set(row.carried.values_list("pk", flat=True)) == {made["Erkend"], made["Aanbod"]}
    assert Message.objects.get(pk=made["Van morgen"]).status == MessageStatus.WAITING_DIGEST


class FailsOnce(EmailBackend):
    failed = False

    def send_messages(self, messages):
        if not FailsOnce.failed:
            FailsOnce.failed = True
            raise ConnectionRefusedError("SMTP server not reachable")
        return super().send_messages(messages)


def test_a_failed_send_is_logged_retried_and_the_row_updated(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.EMAIL_BACKEND = "tests.stemnet.test_notifications.FailsOnce"
    FailsOnce.failed = False
    seen = []
    real = notifications.deliver

    def observe(message_id):
        try:
            return real(message_id)
        finally:
            row = Message.objects.get(pk=message_id)
            seen.append((row.status, row.attempts, row.error))

    monkeypatch.setattr(notifications, "deliver", observe)
    # As in the worker: a failure is retried, not raised to the caller.
    celery_app.conf.task_eager_propagates = False  # the autouse fixture resets it
    user = UserFactory()
    [row] = _send(user, MessageKind.RECOGNITION, capture=django_capture_on_commit_callbacks)
    assert seen[0] == (
        MessageStatus.FAILED,
        1,
        "ConnectionRefusedError: SMTP server not reachable",
    )
    assert seen[1][:2] == (MessageStatus.SENT, 2)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (MessageStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_message_already_sent_is_not_sent_twice(django_capture_on_commit_callbacks):
    [row] = _send(UserFactory(), MessageKind.PERIOD, capture=django_capture_on_commit_callbacks)
    assert notifications.deliver(row.pk) is False
    assert len(mail.outbox) == 1


def test_a_user_sees_only_their_own_messages(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    me, other = UserFactory(), UserFactory()
    _send(
        me, MessageKind.RECOGNITION, subject="Voor mij", capture=django_capture_on_commit_callbacks
    )
    [theirs] = _send(
        other,
        MessageKind.RECOGNITION,
        subject="Voor iemand anders",
        capture=django_capture_on_commit_callbacks,
    )
    for n in range(30):
        Message.objects.create(user=me, to_email=me.email, kind="period", subject=f"P{n}", body="x")
    client.force_login(me)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("notifications:mine")).content.decode()
    assert "Voor mij" in page
    assert "Voor iemand anders" not in page
    assert client.get(reverse("notifications:detail", args=[theirs.pk])).status_code == 404


def test_the_preferences_page_saves_a_choice(client):
    user = UserFactory()
    client.force_login(user)
    data = {kind: Delivery.IMMEDIATE for kind in SWITCHABLE} | {
        MessageKind.REMINDER: Delivery.DIGEST
    }
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert notifications.delivery_for(user, MessageKind.REMINDER) == Delivery.DIGEST
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="off"' in page
    # No "off" offered for award letters.
    assert f'name="{MessageKind.AWARD_LETTER}" value="off"' not in page


def test_staff_filter_the_log_and_resend_a_failed_message(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    staff = make_staff()
    user = UserFactory(email="fout@example.org")
    failed = Message.objects.create(
        user=user,
        to_email=user.email,
        kind=MessageKind.RECOGNITION,
        subject="Mislukt bericht",
        body="x",
        status=MessageStatus.FAILED,
        attempts=6,
        error="SMTPServerDisconnected",
    )
    for n in range(60):
        Message.objects.create(
            to_email=f"p{n}@example.org",
            kind=MessageKind.PERIOD,
            subject=f"Periode {n}",
            body="x",
            status=MessageStatus.SENT,
        )
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notifications_staff:log"), {"status": "failed"})
    assert "Mislukt bericht" in page.content.decode()
    assert "Periode 1" not in page.content.decode()
    paged = client.get(reverse("notifications_staff:log"), {"kind": "period", "pagina": 2})
    assert paged.context["page"].number == 2
    assert len(paged.context["page"].object_list) == 10
    confirm = client.get(reverse("notifications_staff:resend", args=[failed.pk]))
    assert confirm.status_code == 200
    failed.refresh_from_db()
    assert failed.status == MessageStatus.FAILED  # the GET changed nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications_staff:resend", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["fout@example.org"]]


def test_a_member_cannot_resend(client):
    user = UserFactory()
    row = Message.objects.create(
        user=user,
        to_email=user.email,
        kind="period",
        subject="x",
        body="x",
        status=MessageStatus.FAILED,
    )
    client.force_login(user)
    assert client.post(reverse("notifications_staff:resend", args=[row.pk])).status_code == 403
    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED


def test_account_mails_are_logged_without_their_links(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="vergeten@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    [sent] = mail.outbox
    row = Message.objects.get(kind=MessageKind.ACCOUNT)
    assert (row.user, row.to_email, row.status, row.body) == (
        user,
        "vergeten@example.org",
        MessageStatus.SENT,
        "",
    )
    assert row.subject == sent.subject
    assert not notifications.can_resend(make_staff(), row)
