"""Recognition applications: the one function that moves them through the workflow, and
attachments."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record
from stemnet.models import MessageKind
from stemnet.notifications import notify
from stemnet.permissions import require

from ..models import (
    ApplicationState,
    ApplicationTransition,
    Attachment,
    MemberRole,
    Membership,
    Recognition,
    RecognitionApplication,
)
from ..models.recognition import CLOSED_STATES
from ..permissions import can_take_recognition_action, is_admin
from ..workflow import ACTIONS
from . import AcademyError, terms

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
#: The academy may change its application (and add attachments) only in these states.
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.CHANGES_REQUESTED)
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def sniff_content_type(head: bytes) -> str | None:
    """The real type of an upload from its first bytes (PDF, PNG or JPEG), else None."""
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


@transaction.atomic
def create_application(*, actor, academy, **fields) -> RecognitionApplication:
    if not is_admin(actor, academy):
        raise AcademyError(_("Enkel een beheerder van de academie kan een erkenning aanvragen."))
    if academy.applications.exclude(state__in=CLOSED_STATES).exists():
        raise AcademyError(_("Er loopt al een aanvraag voor deze academie."))
    # A recognised academy's new application is its renewal: the same workflow.
    fields.setdefault("is_renewal", academy.recognitions.exists())
    application = RecognitionApplication.objects.create(academy=academy, created_by=actor, **fields)
    record(actor=actor, action="recognition.created", obj=application)
    return application


@transaction.atomic
def update_application(*, actor, application, **fields) -> RecognitionApplication:
    if not is_admin(actor, application.academy):
        raise AcademyError(_("Enkel een beheerder van de academie kan de aanvraag wijzigen."))
    if application.state not in EDITABLE_STATES:
        raise AcademyError(_("Een ingediende aanvraag kunt u niet meer wijzigen."))
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    record(actor=actor, action="recognition.updated", obj=application)
    return application


@transaction.atomic
def add_attachment(*, actor, application, upload) -> Attachment:
    if not is_admin(actor, application.academy):
        raise AcademyError(_("Enkel een beheerder van de academie kan bijlagen toevoegen."))
    if application.state not in EDITABLE_STATES:
        raise AcademyError(_("Bijlagen toevoegen kan enkel bij een aanvraag in opmaak."))
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise AcademyError(
            _("Een aanvraag heeft hoogstens %(n)s bijlagen.") % {"n": MAX_ATTACHMENTS}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise AcademyError(_("Een bijlage mag hoogstens 5 MB groot zijn."))
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise AcademyError(_("Enkel PDF-, PNG- of JPEG-bestanden zijn toegelaten."))
    same = _same_attachment(application, upload)
    if same is not None:
        return same  # the same file sent again (e.g. with a resubmission): keep one copy
    attachment = Attachment(
        application=application,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    record(
        actor=actor,
        action="recognition.attachment_added",
        obj=application,
        payload={"name": attachment.original_name},
    )
    return attachment


def _same_attachment(application, upload) -> Attachment | None:
    """An attachment of the application with the same name and the same bytes, if any."""
    for existing in application.attachments.filter(
        original_name=upload.name[:255], size=upload.size
    ):
        try:
            with existing.file.open("rb") as stored:
                equal = stored.read() == upload.read()
        except OSError:
            equal = False
        upload.seek(0)
        if equal:
            return existing
    return None


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    """The academy takes an attachment off its application while it may still change it."""
    application = RecognitionApplication.objects.select_for_update().get(
        pk=attachment.application_id
    )
    if not is_admin(actor, application.academy):
        raise AcademyError(_("Enkel een beheerder van de academie kan bijlagen verwijderen."))
    if application.state not in EDITABLE_STATES:
        raise AcademyError(
            _(
                "Bijlagen verwijderen kan enkel bij een aanvraag in opmaak of met gevraagde "
                "aanpassingen."
            )
        )
    name, stored = attachment.original_name, attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    record(
        actor=actor,
        action="recognition.attachment_removed",
        obj=application,
        payload={"name": name},
    )
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def take_action(
    *,
    actor,
    application: RecognitionApplication,
    action: str,
    reason: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> RecognitionApplication:
    """Move an application; refuses illegal moves with a clear message and changes nothing."""
    application = RecognitionApplication.objects.select_for_update().get(pk=application.pk)
    step = ACTIONS.get(action)
    if step is None:
        raise AcademyError(_("Onbekende actie."))
    # Who first: a member "deciding" their own application hears that only VLAIO decides,
    # whatever the state; then whether the step is legal from the current state.
    require(can_take_recognition_action(actor, application, step.role), AcademyError)
    if application.state not in step.sources:
        raise AcademyError(
            _("'%(action)s' kan niet bij een aanvraag met status '%(state)s'.")
            % {"action": step.label, "state": ApplicationState(application.state).label}
        )
    if step.needs_reason and not reason.strip():
        raise AcademyError(_("Geef een reden op."))
    today = timezone.localdate()
    if action in ("submit", "resubmit"):
        missing = [
            label
            for flag, label in [
                (application.confirms_stem, _("STEM-inhoud")),
                (application.confirms_outside_school, _("buiten de schooluren")),
                (application.confirms_ages, _("5 tot 18 jaar")),
                (application.confirms_flanders, _("actief in Vlaanderen")),
            ]
            if not flag
        ]
        if missing or not application.motivation.strip():
            raise AcademyError(
                _(
                    "Bevestig alle criteria en geef een motivering voordat u indient. "
                    "Ontbreekt: %(m)s"
                )
                % {"m": ", ".join(str(m) for m in missing) or _("motivering")}
            )
        application.submitted_at = timezone.now()
    recognised_from = until = None
    if action == "recognise":
        # An end date is optional: a provisional recognition runs one year, a full one three.
        # The term follows the academy's history (provisional 1 year, then 3 years); the
        # end date follows from the start unless staff set one.
        term = terms.next_term(application.academy)
        recognised_from = valid_from or terms.term_start(application.academy, today)
        valid_until = valid_until or terms.term_end(recognised_from, term)
        if valid_until < recognised_from:
            raise AcademyError(_("De einddatum ligt voor de start van de erkenning."))
        Recognition.objects.create(
            academy=application.academy,
            application=application,
            valid_from=recognised_from,
            valid_until=valid_until,
            term=term,
        )
        application.decided_at = timezone.now()
    elif action == "refuse":
        application.decided_at = timezone.now()
    elif action == "withdraw":
        recognition = application.recognition
        until = valid_until or today
        if until < recognition.valid_from:
            raise AcademyError(_("De einddatum ligt voor de start van de erkenning."))
        recognition.valid_until = until
        recognition.withdrawn_reason = reason
        recognition.save(update_fields=["valid_until", "withdrawn_reason"])
    ApplicationTransition.objects.create(
        application=application,
        from_state=application.state,
        to_state=step.target,
        actor=actor,
        reason=reason,
    )
    previous, application.state = application.state, step.target
    application.save()
    record(
        actor=actor,
        action=f"recognition.{action}",
        obj=application,
        payload={"from": previous, "to": step.target, "reason": reason}
        | ({"valid_from": recognised_from.isoformat()} if recognised_from else {})
        | ({"valid_until": (until or valid_until).isoformat()} if until or valid_until else {}),
    )
    _notify_admins(application, reason, recognised_from=recognised_from)
    return application


def _notify_admins(application, reason: str, *, recognised_from: date | None = None) -> None:
    """One message to each of the academy's admins, sent once the transition is committed."""
    admins = [
        m.user
        for m in Membership.objects.filter(
            academy=application.academy, role=MemberRole.ADMIN
        ).select_related("user")
    ]
    state = ApplicationState(application.state).label
    text = _("Beste,\n\nDe erkenningsaanvraag van %(academy)s heeft nu de status: %(state)s.\n") % {
        "academy": application.academy.name,
        "state": state,
    }
    if recognised_from:
        text += _("Uw academie is erkend sinds %(date)s.\n") % {
            "date": recognised_from.strftime("%d-%m-%Y")
        }
    if reason:
        text += _("Toelichting: %(reason)s\n") % {"reason": reason}
    text += _("\nU vindt de aanvraag en haar geschiedenis in het portaal.\n\nVLAIO – Team STEM\n")
    subject = _("[STEM-academies] Erkenningsaanvraag: %(state)s") % {"state": state}
    notify(
        kind=MessageKind.RECOGNITION,
        recipients=admins,
        subject=subject,
        body=text,
        path=reverse("academies:application", args=[application.academy_id]),
        label=_("De erkenningsaanvraag"),
        obj=application,
    )
