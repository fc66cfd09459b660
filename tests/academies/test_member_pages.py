"""What members see and can do on the register and recognition pages (issue 15, defects 2,
6, 7 and the grid part of 12): the series block is that series only, locked pages say so,
"iedereen aanwezig", attachments, the staff's request for changes, e-mails on reopening."""

from datetime import date, time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academies.imports import import_attendance
from academies.models import ApplicationState, ApplicationTransition, Attendance, Session
from academies.selectors.activities import period_summary, series_page
from academies.services import AcademyError
from academies.services import activities as services
from academies.services import recognition as recognition_services
from academies.services.periods import (
    close_reporting,
    get_or_create_reporting_period,
    reopen_period_report,
    reopen_reporting,
    submit_period_report,
)
from tests.factories import (
    CRITERIA,
    application_in_state,
    make_admin,
    make_member,
    make_staff,
    pdf_bytes,
)
from tests.factories.activities import recognised_academy, register_rows

pytestmark = pytest.mark.django_db


def _two_series(academy):
    """VJ26: 3 Saturdays × 4 children; ZO26: 2 Sundays × 5 other children (2026-1)."""
    import_attendance(actor=None, academy=academy, rows=register_rows(3, 4))
    sunday = [
        {**r, "series_code": "ZO26", "participant_ref": "Z" + r["participant_ref"]}
        for r in register_rows(2, 5, start=date(2026, 3, 8))
    ]
    import_attendance(actor=None, academy=academy, rows=sunday)
    return Session.objects.filter(series__code="VJ26").first().series


# --- defect 2 -------------------------------------------------------------------------


def test_the_series_page_counts_that_series_only(client, municipalities):
    academy = recognised_academy()
    series = _two_series(academy)
    page = series_page(academy, series)
    assert (page["summary"].sessions, page["summary"].attendance) == (3, 12)
    assert page["summary"].eligible == 12 * 120
    whole = period_summary(academy, date(2026, 1, 1), date(2026, 6, 30))
    assert (whole.sessions, whole.attendance) == (5, 22)
    client.force_login(make_member(academy))
    url = reverse("academies:series", args=[academy.pk, series.pk])
    body = client.get(url).content.decode()
    assert "KIND-uren van reeks VJ26" in body and "3 sessies, 12 aanwezigheden" in body
    assert f'hx-get="{url}?blok=kind-uren"' in body
    # the htmx refresh of the block answers with the series block, not the period's
    block = client.get(url, {"blok": "kind-uren"}, headers={"HX-Request": "true"})
    text = block.content.decode()
    assert "KIND-uren van reeks VJ26" in text and "3 sessies, 12 aanwezigheden" in text
    assert "<h1>" not in text


# --- defect 6 -------------------------------------------------------------------------


def test_a_locked_series_page_has_no_instructions_nor_add_forms(client, municipalities):
    academy = recognised_academy()
    series = _two_series(academy)
    member = make_member(academy)
    client.force_login(member)
    url = reverse("academies:series", args=[academy.pk, series.pk])
    open_page = client.get(url).content.decode()
    assert "Deelnemer toevoegen" in open_page and 'class="instructions"' in open_page
    submit_period_report(actor=member, academy=academy, code="2026-1")
    locked = client.get(url).content.decode()
    assert "Vergrendeld: deze reeks kan niet meer veranderen" in locked
    assert "Deelnemer toevoegen" not in locked and 'class="instructions"' not in locked
    assert "Iedereen aanwezig" not in locked and "uitschrijven" not in locked
    period = client.get(reverse("academies:period", args=[academy.pk, "2026-1"])).content
    assert "Vergrendeld: deze periode kan niet meer veranderen" in period.decode()


def test_the_staff_request_for_changes_comes_first_on_the_application_page(client, municipalities):
    application = application_in_state(ApplicationState.CHANGES_REQUESTED)
    ApplicationTransition.objects.create(
        application=application,
        from_state=ApplicationState.SUBMITTED,
        to_state=ApplicationState.CHANGES_REQUESTED,
        actor=make_staff(),
        reason="Voeg het werkingsverslag toe.",
    )
    client.force_login(make_admin(application.academy))
    body = client.get(reverse("academies:application", args=[application.academy_id]))
    text = body.content.decode()
    assert "VLAIO vraagt aanpassingen" in text
    assert text.index("Voeg het werkingsverslag toe.") < text.index("multipart/form-data")


def _upload(name="verslag.pdf", content=None):
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def test_a_resubmission_with_the_same_file_keeps_one_attachment(client, municipalities):
    application = application_in_state(ApplicationState.CHANGES_REQUESTED)
    admin = make_admin(application.academy)
    recognition_services.add_attachment(actor=admin, application=application, upload=_upload())
    client.force_login(admin)
    url = reverse("academies:application", args=[application.academy_id])
    response = client.post(url, {**CRITERIA, "submit_action": "resubmit", "attachment": _upload()})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.RESUBMITTED
    assert application.attachments.count() == 1


def test_the_academy_removes_an_attachment_after_confirming(
    client, municipalities, django_capture_on_commit_callbacks
):
    application = application_in_state(ApplicationState.DRAFT)
    admin = make_admin(application.academy)
    attachment = recognition_services.add_attachment(
        actor=admin, application=application, upload=_upload()
    )
    stored, storage = attachment.file.name, attachment.file.storage
    client.force_login(admin)
    page = client.get(reverse("academies:application", args=[application.academy_id]))
    delete_url = reverse(
        "academies:attachment_delete", args=[application.academy_id, attachment.pk]
    )
    assert delete_url in page.content.decode()
    confirm = client.get(delete_url)
    assert "Bijlage verwijderen?" in confirm.content.decode()
    assert application.attachments.count() == 1  # a GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url)
    assert response.status_code == 302
    assert application.attachments.count() == 0
    assert not storage.exists(stored)


def test_an_attachment_of_a_submitted_application_cannot_be_removed(municipalities):
    application = application_in_state(ApplicationState.DRAFT)
    admin = make_admin(application.academy)
    attachment = recognition_services.add_attachment(
        actor=admin, application=application, upload=_upload()
    )
    recognition_services.take_action(actor=admin, application=application, action="submit")
    with pytest.raises(AcademyError):
        recognition_services.remove_attachment(actor=admin, attachment=attachment)
    assert application.attachments.count() == 1


def test_reopening_a_report_e_mails_the_academy_admins_with_reason_and_link(
    municipalities, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_URL = "https://portaal.example.org"
    academy = recognised_academy()
    admin = make_admin(academy, email="beheer@example.org")
    make_member(academy, email="lid@example.org")
    report = submit_period_report(actor=admin, academy=academy, code="2026-1")
    with django_capture_on_commit_callbacks(execute=True):
        reopen_period_report(actor=make_staff(), report=report, reason="Sessie van 14/3 ontbreekt")
    [message] = mail.outbox
    assert message.to == ["beheer@example.org"]
    assert "2026-1" in message.subject
    assert "Sessie van 14/3 ontbreekt" in message.body
    assert f"https://portaal.example.org/academies/{academy.pk}/periodes/2026-1/" in message.body


def test_reopening_the_whole_period_e_mails_every_academy_concerned_once(
    municipalities, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    period = get_or_create_reporting_period("2026-1")
    submitted, with_sessions, idle = (recognised_academy() for _ in range(3))
    for academy, email in ((submitted, "a@example.org"), (with_sessions, "b@example.org")):
        make_admin(academy, email=email)
    make_admin(idle, email="c@example.org")
    import_attendance(actor=None, academy=with_sessions, rows=register_rows(2, 2))
    import_attendance(actor=None, academy=submitted, rows=register_rows(2, 2))
    submit_period_report(actor=None, academy=submitted, code="2026-1")
    staff = make_staff()
    close_reporting(actor=staff, period=period)
    with django_capture_on_commit_callbacks(execute=True):
        reopen_reporting(actor=staff, period=period, reason="Correctie van de schoolvakanties")
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all("Correctie van de schoolvakanties" in m.body for m in mail.outbox)


# --- defect 7 and the grid part of defect 12 -------------------------------------------


def test_all_present_marks_the_column_and_is_refused_in_a_locked_period(client, municipalities):
    academy = recognised_academy()
    series = _two_series(academy)
    session = series.sessions.order_by("date").first()
    Attendance.objects.filter(session=session).delete()
    member = make_member(academy)
    client.force_login(member)
    url = reverse("academies:session_all_present", args=[academy.pk, session.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "attendance-changed"
    assert "4 deelnemers aanwezig gezet." in body
    assert body.count('hx-swap-oob="true"') == 4 and body.count('aria-pressed="true"') == 4
    assert Attendance.objects.filter(session=session).count() == 4
    again = client.post(url, headers={"HX-Request": "true"})
    assert "0 deelnemers aanwezig gezet." in again.content.decode()
    submit_period_report(actor=member, academy=academy, code="2026-1")
    Attendance.objects.filter(session=session).delete()
    refused = client.post(url, headers={"HX-Request": "true"})
    assert "ingediend" in refused.content.decode() and "HX-Trigger" not in refused
    assert Attendance.objects.filter(session=session).count() == 0
    with pytest.raises(AcademyError):
        services.mark_all_present(actor=member, session=session)


def test_the_grid_refuses_a_child_at_two_overlapping_sessions_with_a_clear_message(
    client, municipalities
):
    academy = recognised_academy()
    import_attendance(actor=None, academy=academy, rows=register_rows(1, 1))  # Sat 10–12
    other = services.create_series(
        actor=None,
        activity=academy.activities.get(),
        code="NJ26",
        municipality=Session.objects.get().municipality,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
    )
    clash = services.add_session(
        actor=None, series=other, day=date(2026, 3, 7), start_time=time(11), end_time=time(13)
    )
    child = academy.participants.get()
    client.force_login(make_member(academy))
    response = client.post(
        reverse("academies:attendance_toggle", args=[academy.pk, clash.pk, child.pk]),
        {"present": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert 'role="alert"' in body and "tegelijk" in body and "VJ26" in body
    assert 'aria-pressed="false"' in body and "disabled" not in body  # not a lock: try again
    assert not Attendance.objects.filter(session=clash).exists()


def test_closing_the_period_tells_the_admins_concerned_with_a_link_to_the_period(
    municipalities, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portaal.example.be"
    period = get_or_create_reporting_period("2026-1")
    active, idle = recognised_academy(), recognised_academy()
    make_admin(active, email="actief@example.org")
    make_member(active, email="lid@example.org")
    make_admin(idle, email="stil@example.org")
    import_attendance(actor=None, academy=active, rows=register_rows(2, 2))
    with django_capture_on_commit_callbacks(execute=True):
        close_reporting(actor=make_staff(), period=period)
    [message] = mail.outbox
    assert message.to == ["actief@example.org"]
    assert "2026-1 is afgesloten" in message.subject
    assert f"https://portaal.example.be/academies/{active.pk}/periodes/2026-1/" in message.body


def test_a_members_home_period_and_series_pages_ask_few_queries(
    client, municipalities, django_assert_max_num_queries
):
    """Issue 12: the academy comes with the member's role, the home page reads the
    memberships once, and a period's KIND-uren come with its number of sessions."""
    academy = recognised_academy()
    series = _two_series(academy)
    client.force_login(make_member(academy))
    pages = {
        reverse("academies:dashboard"): 9,
        reverse("academies:period", args=[academy.pk, "2026-1"]): 8,
        reverse("academies:series", args=[academy.pk, series.pk]): 12,  # with its forms
    }
    for url, most in pages.items():
        client.get(url)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
