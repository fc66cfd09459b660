"""An academy's data export (issue 11, GDPR): one ZIP with every table's rows about the
academy, its attachments and award letters, and nothing of any other academy."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from academies.models import ApplicationTransition, Erasure, Invitation, RecognitionReminder
from academies.services import recognition as recognition_services
from academies.services.periods import submit_period_report
from partnerships.models import MunicipalRequest, Offer
from reporting.academy_data import tables
from stemnet.models import AuditEvent
from subsidies import services as subsidy_services
from subsidies.models import PeriodStatus
from tests.factories import (
    AcademyFactory,
    application_in_state,
    make_admin,
    make_member,
    municipality,
    pdf_bytes,
)
from tests.factories.subsidies import closed_period, network

pytestmark = [pytest.mark.django_db]


def _populate(academy, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = application_in_state("draft", academy)
    recognition_services.add_attachment(
        actor=admin,
        application=draft,
        upload=SimpleUploadedFile("verslag.pdf", pdf_bytes(f"Verslag {academy.pk}")),
    )
    ApplicationTransition.objects.create(
        application=draft, from_state="draft", to_state="draft", actor=admin, reason="test"
    )
    recognition = academy.recognitions.first()
    RecognitionReminder.objects.create(
        recognition=recognition, days_before=60, sent_on="2026-05-01"
    )
    Invitation.objects.create(academy=academy, email=f"gast{academy.pk}@example.org")
    request = MunicipalRequest.objects.create(
        municipality=municipality("44021"),
        stem_domain="technology",
        period_code="2027-1",
        place="Bib",
        description="Graag.",
    )
    Offer.objects.create(request=request, academy=academy, message="Wij komen.")
    Erasure.objects.create(
        academy=academy,
        year=2019,
        erased_at="2026-01-02T03:00:00Z",
        participants=3,
        attendance=12,
        retention_years=5,
    )


@pytest.fixture
def two_academies(municipalities, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("subsidies.letters.render_pdf", lambda html: pdf_bytes("Brief"))
    mine, theirs = network(2)
    people = {}
    for academy in (mine, theirs):
        admin = academy.memberships.get().user
        make_member(academy)
        submit_period_report(actor=admin, academy=academy, code="2026-1")
        _populate(academy, admin)
        people[academy.pk] = admin
    period, staff = closed_period()
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        subsidy_services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
        subsidy_services.send_letters(actor=staff, period=period)
    return mine, theirs, people[mine.pk]


def _download(client, academy, admin):
    client.force_login(admin)
    response = client.post(reverse("reporting:academy_export", args=[academy.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _csv(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_the_zip_holds_every_tables_rows_and_nothing_of_another_academy(client, two_academies):
    mine, theirs, admin = two_academies
    archive = _download(client, mine, admin)
    mine_specs, theirs_specs = tables(mine), tables(theirs)
    for (name, queryset, _columns), (_n, other_queryset, _c) in zip(
        mine_specs, theirs_specs, strict=True
    ):
        rows = _csv(archive, name)
        ids = {row["id"] for row in rows}
        expected = {str(pk) for pk in queryset.values_list("pk", flat=True)}
        assert expected, f"{name}: the test network has no rows here"
        assert ids == expected, name
        others = {str(pk) for pk in other_queryset.values_list("pk", flat=True)}
        assert not ids & others, f"{name} holds another academy's rows"
    # The columns that name an academy name this one only.
    for name, _qs, columns in mine_specs:
        if "academy_id" in columns:
            assert {row["academy_id"] for row in _csv(archive, name)} == {str(mine.pk)}, name
    names = archive.namelist()
    assert any(n.startswith("bijlagen/") for n in names)
    [letter] = [n for n in names if n.startswith("brieven/")]
    assert archive.read(letter).startswith(b"%PDF")
    attachment = next(n for n in names if n.startswith("bijlagen/"))
    assert f"Verslag {mine.pk}".encode() in archive.read(attachment)
    assert "LEESMIJ.txt" in names
    assert {r["user__email"] for r in _csv(archive, "leden.csv")} == set(
        mine.memberships.values_list("user__email", flat=True)
    )
    assert "password" not in archive.read("leden.csv").decode()
    assert AuditEvent.objects.filter(action="academy.data_exported").count() == 1


def test_only_the_academys_admins_and_staff_may_download(client, two_academies):
    mine, theirs, admin = two_academies
    url = reverse("reporting:academy_export", args=[mine.pk])
    client.force_login(make_member(mine))
    assert client.post(url).status_code == 403
    client.force_login(make_admin(AcademyFactory()))
    assert client.post(url).status_code == 404
    assert not AuditEvent.objects.filter(action="academy.data_exported").exists()
    client.force_login(admin)
    page = client.get(url)
    assert page.status_code == 200
    assert "deelnemers.csv" in page.content.decode()


def test_award_letters_reach_every_admin_through_the_message_log(two_academies, settings):
    from stemnet.models import Message, MessageKind, MessageStatus

    mine, theirs, admin = two_academies
    letters = Message.objects.filter(kind=MessageKind.AWARD_LETTER)
    admins = {m.user.email for a in (mine, theirs) for m in a.memberships.filter(role="admin")}
    assert {m.to_email for m in letters} == admins
    assert {m.status for m in letters} == {MessageStatus.SENT}
    assert all(m.url == settings.PORTAL_URL + reverse("subsidies:letters") for m in letters)
