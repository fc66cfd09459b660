"""Who may see or do what with partnerships and municipal demand. Outside your scope is
404 (the selectors scope querysets to the user); these answer the finer questions with a
reason, for a 403. Each ``can_<action>(user, obj)`` returns a ``stemnet.permissions.Decision``."""

from django.utils.translation import gettext as _

from academies.models import Membership
from stemnet.permissions import ALLOWED, Decision, refused
from stemnet.roles import has_staff_powers

from .models import MemberKind, OfferStatus, Partnership, PartnershipMember, RequestStatus


def is_lead(user, partnership) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = user.__dict__.setdefault("_partnership_leads", {})
    if partnership.pk not in cache:
        cache[partnership.pk] = partnership.leads.filter(pk=user.pk).exists()
    return cache[partnership.pk]


def is_any_lead(user) -> bool:
    return (
        getattr(user, "is_authenticated", False) and Partnership.objects.filter(leads=user).exists()
    )


def municipalities_represented(user) -> set[str]:
    """REFNIS codes of the municipalities whose local government this user represents."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = user.__dict__.get("_represented_municipalities")
    if cached is None:
        cached = set(
            PartnershipMember.objects.filter(
                user=user, kind=MemberKind.LOCAL_GOVERNMENT
            ).values_list("municipality_id", flat=True)
        )
        user.__dict__["_represented_municipalities"] = cached
    return cached


def academy_ids_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = user.__dict__.get("_academy_ids")
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("academy_id", flat=True))
        user.__dict__["_academy_ids"] = cached
    return cached


def _no(reason) -> Decision:
    return refused(reason)


OK = ALLOWED


def can_create_partnership(user, obj=None):
    if has_staff_powers(user):
        return OK
    return _no(_("Alleen VLAIO maakt partnerschappen aan."))


def can_edit_partnership(user, partnership):
    """Name, region, project period, grant and leads: staff only."""
    return can_create_partnership(user)


def can_manage_members(user, partnership):
    if has_staff_powers(user) or is_lead(user, partnership):
        return OK
    return _no(_("Alleen de verantwoordelijken van het partnerschap beheren de partners."))


def can_manage_budget(user, partnership):
    if has_staff_powers(user) or is_lead(user, partnership):
        return OK
    return _no(_("Alleen de verantwoordelijken van het partnerschap beheren het budget."))


def can_view_coverage(user, partnership):
    if has_staff_powers(user) or is_lead(user, partnership):
        return OK
    return _no(_("Alleen de verantwoordelijken van het partnerschap zien de dekking."))


def can_file_request(user, municipality=None):
    """Staff, or the contact person of a local government (for its own municipality)."""
    if has_staff_powers(user):
        return OK
    represented = municipalities_represented(user)
    if represented and (municipality is None or municipality.pk in represented):
        return OK
    return _no(_("Alleen een lokaal bestuur (of VLAIO) dient een vraag in voor zijn gemeente."))


def can_offer(user, request, academy=None):
    if request.status != RequestStatus.OPEN:
        return _no(_("Deze vraag is niet meer open."))
    mine = academy_ids_of(user)
    if not mine or (academy is not None and academy.pk not in mine):
        return _no(_("Alleen een academie doet een aanbod."))
    return OK


def can_decide_offer(user, offer):
    request = offer.request
    if offer.status != OfferStatus.PROPOSED or request.status != RequestStatus.OPEN:
        return _no(_("Over dit aanbod is al beslist."))
    if has_staff_powers(user) or request.municipality_id in municipalities_represented(user):
        return OK
    return _no(_("Alleen de gemeente die de vraag stelde, aanvaardt of weigert een aanbod."))


def can_withdraw_request(user, request):
    if request.status != RequestStatus.OPEN:
        return _no(_("Deze vraag is niet meer open."))
    if has_staff_powers(user) or request.municipality_id in municipalities_represented(user):
        return OK
    return _no(_("Alleen de gemeente die de vraag stelde, trekt ze in."))
