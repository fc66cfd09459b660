"""Writes for partnerships and municipal demand: every change goes through here and leaves
an audit row. Services take the acting user and raise ``PartnershipError`` with a Dutch
message; permissions are checked by the views (``permissions.py``) and again here where a
wrong actor would change someone else's data."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record
from stemnet.models import MessageKind
from stemnet.notifications import notify
from stemnet.periods import HalfYear
from stemnet.permissions import require

from . import permissions
from .models import (
    MAX_GRANT_CENTS,
    MemberKind,
    MunicipalRequest,
    Offer,
    OfferStatus,
    Partnership,
    PartnershipMember,
    RequestStatus,
)


class PartnershipError(Exception):
    """A domain error with a Dutch message for the user."""


def _check(decision):
    require(decision, PartnershipError)


def _validate(partnership: Partnership) -> None:
    if not 0 <= partnership.grant_cents <= MAX_GRANT_CENTS:
        raise PartnershipError(_("Het subsidiebedrag ligt tussen 0 en 200.000 euro."))
    if (
        partnership.starts_on
        and partnership.ends_on
        and partnership.ends_on < partnership.starts_on
    ):
        raise PartnershipError(_("Het project eindigt na de start."))


@transaction.atomic
def save_partnership(
    *, actor, partnership: Partnership | None = None, values: dict, municipalities, lead_emails=()
) -> Partnership:
    """Create or edit a partnership (staff): its data, region and leads."""
    _check(permissions.can_create_partnership(actor))
    created = partnership is None
    partnership = partnership or Partnership()
    for name, value in values.items():
        setattr(partnership, name, value)
    _validate(partnership)
    partnership.save()
    partnership.municipalities.set(municipalities)
    added = []
    for email in lead_emails:
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise PartnershipError(
                _("Geen account met e-mailadres %(email)s: laat de persoon eerst registreren.")
                % {"email": email}
            )
        partnership.leads.add(user)
        added.append(user.pk)
    record(
        actor=actor,
        action="partnership.created" if created else "partnership.changed",
        obj=partnership,
        payload={
            **{k: str(v) for k, v in values.items()},
            "municipalities": sorted(m.pk for m in municipalities),
            "leads_added": added,
        },
    )
    return partnership


@transaction.atomic
def remove_lead(*, actor, partnership: Partnership, user) -> None:
    _check(permissions.can_edit_partnership(actor, partnership))
    partnership.leads.remove(user)
    record(
        actor=actor, action="partnership.lead_removed", obj=partnership, payload={"user": user.pk}
    )


@transaction.atomic
def add_member(
    *,
    actor,
    partnership: Partnership,
    kind: str,
    organisation: str,
    contact_name: str,
    contact_email: str,
    municipality=None,
) -> PartnershipMember:
    """Add a partner. A local government names its municipality; when its contact person
    has an account, that account may file requests for the municipality."""
    _check(permissions.can_manage_members(actor, partnership))
    if kind == MemberKind.LOCAL_GOVERNMENT and municipality is None:
        raise PartnershipError(_("Kies de gemeente van het lokaal bestuur."))
    user = get_user_model().objects.filter(email__iexact=contact_email.strip()).first()
    member = PartnershipMember.objects.create(
        partnership=partnership,
        kind=kind,
        organisation=organisation,
        contact_name=contact_name,
        contact_email=contact_email,
        municipality=municipality if kind == MemberKind.LOCAL_GOVERNMENT else None,
        user=user,
    )
    record(
        actor=actor,
        action="partnership.member_added",
        obj=partnership,
        payload={"member": member.pk, "kind": kind, "organisation": organisation},
    )
    return member


@transaction.atomic
def remove_member(*, actor, member: PartnershipMember) -> None:
    _check(permissions.can_manage_members(actor, member.partnership))
    payload = {"member": member.pk, "kind": member.kind, "organisation": member.organisation}
    partnership = member.partnership
    member.delete()
    record(actor=actor, action="partnership.member_removed", obj=partnership, payload=payload)


@transaction.atomic
def set_budget_academy(*, actor, partnership: Partnership, academy, included: bool) -> None:
    """Put an academy in the partnership's budget, or take it out. While the project runs
    with a grant, such an academy gets no seed-level subsidy (the exclusion rule)."""
    _check(permissions.can_manage_budget(actor, partnership))
    if included:
        partnership.budget_academies.add(academy)
    else:
        partnership.budget_academies.remove(academy)
    record(
        actor=actor,
        action="partnership.budget_added" if included else "partnership.budget_removed",
        obj=partnership,
        payload={"academy": academy.pk},
    )


# --- Municipal demand --------------------------------------------------------------------


@transaction.atomic
def file_request(
    *,
    actor,
    municipality,
    stem_domain: str,
    period_code: str,
    place: str,
    description: str,
    min_age: int = 5,
    max_age: int = 18,
) -> MunicipalRequest:
    _check(permissions.can_file_request(actor, municipality))
    try:
        period_code = HalfYear.parse(period_code).code
    except ValueError as error:
        raise PartnershipError(_("Geef de periode als JJJJ-1 of JJJJ-2.")) from error
    if not 5 <= min_age <= max_age <= 18:
        raise PartnershipError(_("De leeftijden liggen tussen 5 en 18 jaar."))
    request = MunicipalRequest.objects.create(
        municipality=municipality,
        requested_by=actor,
        stem_domain=stem_domain,
        period_code=period_code,
        place=place,
        description=description,
        min_age=min_age,
        max_age=max_age,
    )
    record(
        actor=actor,
        action="request.filed",
        obj=request,
        payload={"municipality": municipality.pk, "period": period_code},
    )
    return request


@transaction.atomic
def withdraw_request(*, actor, request: MunicipalRequest) -> MunicipalRequest:
    request = MunicipalRequest.objects.select_for_update().get(pk=request.pk)
    _check(permissions.can_withdraw_request(actor, request))
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    record(actor=actor, action="request.withdrawn", obj=request)
    return request


@transaction.atomic
def make_offer(*, actor, request: MunicipalRequest, academy, message: str) -> Offer:
    request = MunicipalRequest.objects.select_for_update().get(pk=request.pk)
    _check(permissions.can_offer(actor, request, academy))
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                request=request, academy=academy, created_by=actor, message=message
            )
    except IntegrityError as error:
        raise PartnershipError(_("Uw academie deed al een aanbod op deze vraag.")) from error
    record(
        actor=actor,
        action="offer.made",
        obj=offer,
        payload={"request": request.pk, "academy": academy.pk},
    )
    if request.requested_by_id:
        notify(
            kind=MessageKind.PARTNERSHIP,
            recipients=[request.requested_by],
            subject=_("[STEM-academies] Nieuw aanbod op uw vraag in %(place)s")
            % {"place": request.municipality.name},
            body=_("Beste,\n\n%(academy)s doet een aanbod op uw vraag naar STEM-aanbod.\n")
            % {"academy": academy.name},
            path=reverse("partnerships:request", args=[request.pk]),
            label=_("Uw vraag"),
            obj=offer,
        )
    return offer


@transaction.atomic
def decide_offer(*, actor, offer: Offer, accept: bool) -> Offer:
    """The requester accepts or declines an offer; accepting one fulfils the request."""
    offer = Offer.objects.select_for_update().select_related("request").get(pk=offer.pk)
    _check(permissions.can_decide_offer(actor, offer))
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.decided_at = timezone.now()
    offer.decided_by = actor
    offer.save(update_fields=["status", "decided_at", "decided_by"])
    if accept:
        request = offer.request
        request.status = RequestStatus.FULFILLED
        request.save(update_fields=["status"])
    record(
        actor=actor,
        action="offer.accepted" if accept else "offer.declined",
        obj=offer,
        payload={"request": offer.request_id},
    )
    from academies.models import MemberRole

    admins = get_user_model().objects.filter(
        memberships__academy=offer.academy_id, memberships__role=MemberRole.ADMIN
    )
    notify(
        kind=MessageKind.PARTNERSHIP,
        recipients=admins.order_by("email"),
        subject=(
            _("[STEM-academies] Uw aanbod werd aanvaard")
            if accept
            else _("[STEM-academies] Uw aanbod werd niet aanvaard")
        ),
        body=_("Beste,\n\nUw aanbod op de vraag in %(place)s werd %(outcome)s.\n")
        % {
            "place": offer.request.municipality.name,
            "outcome": _("aanvaard") if accept else _("niet aanvaard"),
        },
        path=reverse("partnerships:request", args=[offer.request_id]),
        label=_("De vraag"),
        obj=offer,
    )
    return offer
