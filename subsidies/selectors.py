"""Reads for subsidy pages."""

from django.db.models import Count, F, Sum

from stemnet.roles import has_staff_powers

from .models import Award, AwardLetter, Period, RunStatus


def periods():
    return Period.objects.select_related("reporting_period", "approved_run").annotate(
        run_count=Count("runs")
    )


def awards_of(run):
    return (
        Award.objects.filter(run=run)
        .select_related("academy", "letter")
        .annotate(municipality_count=Count("lines"))
        .order_by("-amount_cents", "academy_id")
    )


def run_totals(run):
    return Award.objects.filter(run=run).aggregate(total=Sum("amount_cents"), academies=Count("id"))


def run_is_stale(period, run) -> bool:
    """A finished draft run whose parameters have changed since: it must be re-run."""
    from .services import parameters_changed_since

    return (
        run is not None
        and not period.is_frozen
        and run.status == RunStatus.SUCCEEDED
        and parameters_changed_since(period, run)
    )


def letters_done(period) -> int | None:
    """How many letters of the approved run exist (None before approval)."""
    if not period.is_frozen:
        return None
    return AwardLetter.objects.filter(award__run=period.approved_run_id).count()


def academies_without_iban(period, limit: int = 21):
    """Names of approved academies that cannot be paid yet (no IBAN)."""
    if not period.is_frozen:
        return ()
    return (
        Award.objects.filter(run=period.approved_run_id, academy__iban="")
        .values_list("academy__name", flat=True)
        .order_by("academy__name")[:limit]
    )


def letters_for_user(user):
    """Letters of approved runs the user may read: staff all, members their academy's."""
    qs = AwardLetter.objects.select_related(
        "award__academy", "award__run__period__reporting_period"
    )
    if has_staff_powers(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(award__academy__memberships__user=user)


def exclusions_of(period):
    """The academies the exclusion rule leaves out of the period, with the partnership
    (and its project period) whose budget they are in, for the period page."""
    from partnerships.selectors import funded_budget_exclusions

    rp = period.reporting_period
    return funded_budget_exclusions(rp.start_date, rp.end_date)


def approved_amounts_by_academy(academy_ids, codes) -> dict[tuple[int, str], int]:
    """Approved award amounts (cents) per (academy id, period code), for the periods of
    ``codes`` that have an approved run; one query."""
    rows = Award.objects.filter(
        academy_id__in=academy_ids,
        run__period__approved_run=F("run"),
        run__period__reporting_period__code__in=codes,
    ).values_list("academy_id", "run__period__reporting_period__code", "amount_cents")
    return {(academy_id, code): cents for academy_id, code, cents in rows}
