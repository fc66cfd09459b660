"""Objections ("bezwaar") and corrections ("herziening"): the workflow table, every state
× action, the deadline, and corrections as new decisions that leave the approved run alone."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from stemnet.models import AuditEvent
from subsidies import objections
from subsidies.correction_letters import correction_pdf
from subsidies.models import (
    Award,
    AwardLine,
    AwardSession,
    Correction,
    Objection,
    ObjectionState,
)
from subsidies.objections import ACTIONS, OBJECTION_STEPS, NeedsConfirmation
from subsidies.services import SubsidyError
from tests.factories import make_admin, make_member, pdf_bytes
from tests.factories.awards import approved_period

pytestmark = pytest.mark.django_db
OS = ObjectionState


@pytest.fixture
def approved(municipalities, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("subsidies.letters.render_pdf", lambda html: pdf_bytes("Brief"))
    period, staff, academies, award = approved_period(
        django_capture_on_commit_callbacks, letters=True, academy_cap_cents=300_000
    )
    award = Award.objects.select_related("letter", "run__period").get(pk=award.pk)
    admin = make_admin(award.academy, email="beheer@example.org")
    return period, staff, award, admin


def _objection(award, admin, state=OS.SUBMITTED):
    objection = objections.file_objection(actor=admin, award=award, reason="Sessies ontbreken")
    if state != OS.SUBMITTED:
        Objection.objects.filter(pk=objection.pk).update(state=state)
    return Objection.objects.get(pk=objection.pk)


def test_the_table_holds_the_workflow():
    assert set(OBJECTION_STEPS) == {
        (OS.SUBMITTED, "ask"),
        (OS.QUESTIONED, "answer"),
        *((s, d) for s in (OS.SUBMITTED, OS.QUESTIONED) for d in ("grant", "partly", "refuse")),
    }


@pytest.mark.parametrize("state", OS.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action(approved, django_capture_on_commit_callbacks, state, action):
    _period, staff, award, admin = approved
    objection = _objection(award, admin, state)
    actor = admin if action == "answer" else staff
    step = OBJECTION_STEPS.get((state, action))
    mail.outbox.clear()
    if step is None:
        with pytest.raises(SubsidyError):
            objections.objection_step(actor=actor, objection=objection, action=action, text="x")
        assert Objection.objects.get(pk=objection.pk).state == state
        return
    with django_capture_on_commit_callbacks(execute=True):
        objections.objection_step(actor=actor, objection=objection, action=action, text="Uitleg")
    assert Objection.objects.get(pk=objection.pk).state == step.to
    assert AuditEvent.objects.filter(action=f"objection.{action}", object_id=objection.pk).exists()
    if action != "answer":  # staff's steps tell the academy's admins
        assert mail.outbox and "beheer@example.org" in mail.outbox[0].to
        assert f"/subsidies/bezwaren/{objection.pk}/" in mail.outbox[0].body


def test_the_wrong_side_cannot_take_a_step(approved):
    _period, staff, award, admin = approved
    objection = _objection(award, admin)
    member = make_member(award.academy)
    with pytest.raises(SubsidyError):
        objections.objection_step(actor=admin, objection=objection, action="grant", text="x")
    objections.objection_step(actor=staff, objection=objection, action="ask", text="Welke?")
    with pytest.raises(SubsidyError):
        objections.objection_step(actor=staff, objection=objection, action="answer", text="x")
    with pytest.raises(SubsidyError):
        objections.objection_step(actor=member, objection=objection, action="answer", text="x")
    with pytest.raises(SubsidyError):  # a decision needs a motivation
        objections.objection_step(actor=staff, objection=objection, action="refuse", text=" ")


def test_filing_is_audited_with_attachments_and_refused_after_the_deadline(approved):
    period, _staff, award, admin = approved
    sent = objections.letter_sent_on(award)
    deadline = sent + timedelta(days=period.objection_days)
    assert objections.deadline_of(award) == deadline
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(SubsidyError):
        objections.file_objection(actor=admin, award=award, reason="r", uploads=[bad])
    with pytest.raises(SubsidyError):
        objections.file_objection(
            actor=admin, award=award, reason="Te laat", today=deadline + timedelta(days=1)
        )
    with pytest.raises(SubsidyError):
        objections.file_objection(actor=make_member(award.academy), award=award, reason="r")
    good = SimpleUploadedFile("bewijs.pdf", pdf_bytes(), content_type="application/pdf")
    objection = objections.file_objection(
        actor=admin, award=award, reason="Op tijd", uploads=[good], today=deadline
    )
    assert objection.deadline == deadline
    assert objection.attachments.get().content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="objection.filed", object_id=objection.pk).exists()
    with pytest.raises(SubsidyError):  # one open objection per award
        objections.file_objection(actor=admin, award=award, reason="Nog eens")


def test_the_deadline_is_set_per_period(approved):
    period, _staff, award, admin = approved
    period.__class__.objects.filter(pk=period.pk).update(objection_days=0)
    award = Award.objects.select_related("letter", "run__period").get(pk=award.pk)
    sent = objections.letter_sent_on(award)
    assert objections.deadline_of(award) == sent
    with pytest.raises(SubsidyError):
        objections.file_objection(
            actor=admin, award=award, reason="r", today=sent + timedelta(days=1)
        )


def _snapshot(run_id):
    return (
        list(Award.objects.filter(run=run_id).order_by("pk").values()),
        list(AwardLine.objects.filter(award__run=run_id).order_by("pk").values()),
        list(AwardSession.objects.filter(award__run=run_id).order_by("pk").values()),
    )


def test_a_correction_leaves_the_approved_run_untouched_and_has_its_own_letter(
    approved, django_capture_on_commit_callbacks, monkeypatch
):
    period, staff, award, admin = approved
    monkeypatch.undo()  # the real WeasyPrint renderer for this letter
    objection = _objection(award, admin)
    objections.objection_step(actor=staff, objection=objection, action="partly", text="Deels")
    before = _snapshot(period.approved_run_id)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        correction = objections.issue_correction(
            actor=staff,
            period=period,
            academy=award.academy,
            amount_cents=-12_345,
            reason="Dubbel geteld",
            objection=objection,
        )
    assert _snapshot(period.approved_run_id) == before
    assert correction.reference == f"STEM-{period.code}-{award.academy_id:05d}-H1"
    assert mail.outbox and "Herziening" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="correction.issued").count() == 1
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(correction_pdf(correction))).pages
    )
    from subsidies.templatetags.cents import euro

    assert "Herziening" in text
    assert "-123,45" in text
    assert euro(award.amount_cents - 12_345) in text  # the new total
    assert euro(award.amount_cents) in text
    # the database refuses to change or delete the decision
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.filter(pk=correction.pk).update(amount_cents=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Correction.objects.filter(pk=correction.pk).delete()


def test_below_zero_or_above_budget_needs_a_confirmation(approved):
    period, staff, award, _admin = approved
    with pytest.raises(NeedsConfirmation):
        objections.issue_correction(
            actor=staff,
            period=period,
            academy=award.academy,
            amount_cents=-(award.amount_cents + 1),
            reason="Terugvordering",
        )
    spare = period.budget_cents - period.approved_run.total_cents
    with pytest.raises(NeedsConfirmation):
        objections.issue_correction(
            actor=staff, period=period, academy=award.academy, amount_cents=spare + 1, reason="r"
        )
    assert not Correction.objects.exists()
    correction = objections.issue_correction(
        actor=staff,
        period=period,
        academy=award.academy,
        amount_cents=spare + 1,
        reason="r",
        confirm_reason="Extra middelen vrijgemaakt",
    )
    assert correction.override_reason == "Extra middelen vrijgemaakt"
    with pytest.raises(SubsidyError):  # only staff decide
        objections.issue_correction(
            actor=_admin, period=period, academy=award.academy, amount_cents=1, reason="r"
        )


def test_the_corrections_export_holds_only_corrections(approved, client):
    period, staff, award, _admin = approved
    objections.issue_correction(
        actor=staff, period=period, academy=award.academy, amount_cents=2_500, reason="Vergeten"
    )
    objections.issue_correction(
        actor=staff, period=period, academy=award.academy, amount_cents=-705, reason="=Te veel"
    )
    client.force_login(staff)
    response = client.get(reverse("subsidies_staff:corrections_csv", args=[period.code]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["kbo", "naam", "iban", "verschil_eur"]
    assert len(rows) == 3  # the two corrections, none of the approved awards
    assert [r[3] for r in rows[1:]] == ["25.00", "-7.05"]
    assert [r[4][-3:] for r in rows[1:]] == ["-H1", "-H2"]
    assert rows[2][6] == "'=Te veel"  # text goes through safe_cell
    xlsx = client.get(reverse("subsidies_staff:corrections_xlsx", args=[period.code]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [float(v) for v in values] == [25.0, -7.05]


def test_totals_show_approved_plus_corrections(approved, client):
    period, staff, award, admin = approved
    objections.issue_correction(
        actor=staff, period=period, academy=award.academy, amount_cents=1_000, reason="r"
    )
    from subsidies.templatetags.cents import euro

    client.force_login(admin)
    page = client.get(reverse("subsidies:award", args=[award.pk])).content.decode()
    assert euro(award.amount_cents) in page
    assert "+10,00" in page
    assert euro(award.amount_cents + 1_000) in page
    client.force_login(staff)
    period_page = client.get(reverse("subsidies_staff:period", args=[period.code])).content.decode()
    assert "Herzieningen (1): EUR +10,00" in period_page
    assert euro(period.approved_run.total_cents + 1_000) in period_page
    assert reverse("subsidies:award", args=[award.pk]) in period_page
    budget = client.get(reverse("subsidies_staff:budget") + "?jaar=2026").content.decode()
    assert euro(period.approved_run.total_cents) in budget
    assert euro(period.approved_run.total_cents + 1_000) in budget
