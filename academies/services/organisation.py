"""Academies and their members: registration, profile changes, invitations."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record
from stemnet.models import MessageKind
from stemnet.notifications import notify

from ..models import Academy, Invitation, MemberRole, Membership
from ..permissions import is_admin
from . import AcademyError


@transaction.atomic
def register_academy(*, actor, **fields) -> Academy:
    """A signed-up user registers an academy and becomes its admin."""
    academy = Academy.objects.create(**fields)
    Membership.objects.create(user=actor, academy=academy, role=MemberRole.ADMIN)
    record(
        actor=actor,
        action="academy.registered",
        obj=academy,
        payload={"enterprise_number": academy.enterprise_number},
    )
    return academy


@transaction.atomic
def update_academy(*, actor, academy: Academy, **fields) -> Academy:
    if not is_admin(actor, academy):
        raise AcademyError(_("Enkel een beheerder kan het profiel wijzigen."))
    # Compare with the stored row: a ModelForm has already copied the new values onto
    # ``academy`` by the time a view calls this.
    stored = Academy.objects.select_for_update().get(pk=academy.pk)
    changed = {k: str(v) for k, v in fields.items() if getattr(stored, k) != v}
    for name, value in fields.items():
        setattr(academy, name, value)
    academy.save()
    record(actor=actor, action="academy.updated", obj=academy, payload=changed)
    return academy


@transaction.atomic
def invite(*, actor, academy: Academy, email: str, role: str, accept_url) -> Invitation:
    if not is_admin(actor, academy):
        raise AcademyError(_("Enkel een beheerder kan collega's uitnodigen."))
    email = email.strip().lower()
    if Membership.objects.filter(academy=academy, user__email__iexact=email).exists():
        raise AcademyError(_("%(email)s is al lid van deze academie.") % {"email": email})
    if Invitation.objects.filter(academy=academy, email=email, accepted_at__isnull=True).exists():
        raise AcademyError(_("%(email)s is al uitgenodigd.") % {"email": email})
    invitation = Invitation.objects.create(
        academy=academy, email=email, role=role, invited_by=actor
    )
    link = accept_url(invitation.token)
    record(actor=actor, action="academy.invited", obj=academy, payload={"email": email})
    notify(
        kind=MessageKind.INVITATION,
        recipients=[email],
        subject=_("[STEM-academies] Uitnodiging voor %(academy)s") % {"academy": academy.name},
        body=_(
            "Beste,\n\n%(who)s nodigt u uit om mee te werken aan %(academy)s in het portaal "
            "van de STEM-academies.\nVolg deze link om u aan te melden of een account te "
            "maken en de uitnodiging te aanvaarden:\n%(link)s\n"
        )
        % {"who": actor.email, "academy": academy.name, "link": link},
        path=link,
        label=_("De uitnodiging"),
        obj=invitation,
    )
    return invitation


@transaction.atomic
def accept_invitation(*, actor, token: str) -> Academy:
    from allauth.account.models import EmailAddress

    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or invitation.accepted_at:
        raise AcademyError(_("Deze uitnodiging bestaat niet of werd al gebruikt."))
    # The link was sent to one address: a forwarded link does not let someone else join.
    if not EmailAddress.objects.filter(
        user=actor, email__iexact=invitation.email, verified=True
    ).exists():
        raise AcademyError(
            _(
                "Deze uitnodiging is voor %(email)s. Meld u aan met dat e-mailadres om ze "
                "te aanvaarden."
            )
            % {"email": invitation.email}
        )
    Membership.objects.get_or_create(
        user=actor, academy=invitation.academy, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        actor=actor,
        action="academy.joined",
        obj=invitation.academy,
        payload={"invitation": invitation.pk},
    )
    return invitation.academy
