"""Reads for partnerships and municipal demand, scoped to the user."""

from datetime import date

from django.db.models import Count, Prefetch, Q

from academies.models import Academy
from stemnet.roles import has_staff_powers

from .geography import canton_neighbours
from .models import MunicipalRequest, Offer, Partnership, PartnershipMember, RequestStatus
from .permissions import academy_ids_of, municipalities_represented


def partnerships_for_user(user):
    qs = Partnership.objects.select_related("lead_academy").annotate(
        municipality_count=Count("municipalities", distinct=True)
    )
    if has_staff_powers(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(leads=user)


def partnership_for_page(user, pk):
    """One partnership with its members, budget academies and leads, or DoesNotExist."""
    return (
        partnerships_for_user(user)
        .prefetch_related(
            Prefetch("members", queryset=PartnershipMember.objects.select_related("municipality")),
            Prefetch("budget_academies", queryset=Academy.objects.order_by("name")),
            "leads",
        )
        .get(pk=pk)
    )


def is_partnership_lead(user) -> bool:
    return user.is_authenticated and Partnership.objects.filter(leads=user).exists()


def missing_kinds(partnership) -> list:
    """The helix kinds the partnership still lacks (uses the prefetched members)."""
    return partnership.missing_kinds(m.kind for m in partnership.members.all())


def region_refnis(partnership) -> set[str]:
    return set(partnership.municipalities.values_list("refnis", flat=True))


def region_coverage(partnership):
    """The partnership's municipalities with their number of sessions and academies;
    a municipality without sessions is a white spot."""
    return (
        partnership.municipalities.select_related("province")
        .annotate(
            session_count=Count("sessions", distinct=True),
            academy_count=Count("sessions__academy", distinct=True),
        )
        .order_by("name")
    )


# --- The exclusion rule ------------------------------------------------------------------


def _funded_overlapping(start: date, end: date):
    return Partnership.objects.filter(
        grant_cents__gt=0, starts_on__lte=end, ends_on__gte=start
    ).order_by("name", "id")


def academies_in_funded_budget(start: date, end: date) -> dict[int, str]:
    """Academies in the budget of a funded partnership whose project runs during (part of)
    ``start``–``end``: academy id -> the partnership's name. They get no seed-level subsidy
    for that period."""
    result: dict[int, str] = {}
    rows = _funded_overlapping(start, end).values_list("budget_academies", "name")
    for academy_id, name in rows:
        if academy_id is not None:
            result.setdefault(academy_id, name)
    return result


def funded_budget_exclusions(start: date, end: date) -> list[dict]:
    """The same, for a page: academy, partnership and project period, by academy name."""
    rows = (
        _funded_overlapping(start, end)
        .filter(budget_academies__isnull=False)
        .values(
            "budget_academies",
            "budget_academies__name",
            "name",
            "starts_on",
            "ends_on",
        )
    )
    seen, result = set(), []
    for row in sorted(rows, key=lambda r: (r["budget_academies__name"], r["name"])):
        if row["budget_academies"] in seen:
            continue
        seen.add(row["budget_academies"])
        result.append(
            {
                "academy_id": row["budget_academies"],
                "academy": row["budget_academies__name"],
                "partnership": row["name"],
                "starts_on": row["starts_on"],
                "ends_on": row["ends_on"],
            }
        )
    return result


# --- Municipal demand --------------------------------------------------------------------


def municipalities_near_academies(academy_ids) -> set[str]:
    """Where academies see requests: their own municipality, the municipalities sharing a
    canton with it, and the regions of the partnerships whose region holds it."""
    own = set(Academy.objects.filter(pk__in=academy_ids).values_list("municipality_id", flat=True))
    near = set()
    for refnis in own:
        near |= canton_neighbours(refnis)
    near |= set(
        Partnership.municipalities.through.objects.filter(
            partnership__municipalities__in=own
        ).values_list("municipality_id", flat=True)
    )
    return near


def visible_municipalities(user) -> set[str] | None:
    """REFNIS codes whose requests the user sees; None means all (staff)."""
    if has_staff_powers(user):
        return None
    if not user.is_authenticated:
        return set()
    codes = set(municipalities_represented(user))
    codes |= set(
        Partnership.municipalities.through.objects.filter(partnership__leads=user).values_list(
            "municipality_id", flat=True
        )
    )
    academies = academy_ids_of(user)
    if academies:
        codes |= municipalities_near_academies(academies)
    return codes


def requests_for_user(user):
    qs = (
        MunicipalRequest.objects.select_related("municipality")
        .annotate(offer_count=Count("offers", distinct=True))
        .order_by("-created_at", "-id")
    )
    codes = visible_municipalities(user)
    if codes is None:
        return qs
    return qs.filter(municipality_id__in=codes)


def filter_requests(qs, *, status="", municipality=""):
    if status:
        qs = qs.filter(status=status)
    if municipality:
        qs = qs.filter(Q(municipality__name__icontains=municipality) | Q(municipality=municipality))
    return qs


def request_for_page(user, pk):
    return (
        requests_for_user(user)
        .select_related("requested_by")
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.select_related("academy", "created_by"))
        )
        .get(pk=pk)
    )


def open_request_counts(refnis=None) -> dict[str, int]:
    qs = MunicipalRequest.objects.filter(status=RequestStatus.OPEN)
    if refnis is not None:
        qs = qs.filter(municipality_id__in=refnis)
    rows = qs.values("municipality_id").annotate(n=Count("id")).order_by()
    return {r["municipality_id"]: r["n"] for r in rows}


def requested_municipalities(*, since: date) -> set[str]:
    """Municipalities with an open request, or any request filed since ``since``."""
    return set(
        MunicipalRequest.objects.filter(
            Q(status=RequestStatus.OPEN) | Q(created_at__date__gte=since)
        ).values_list("municipality_id", flat=True)
    )
