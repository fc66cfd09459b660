"""Reads for subsidy pages."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext

from stemnet.roles import has_staff_powers
from stemnet.subqueries import count_per_row

from .models import Award, AwardLetter, AwardLine, CalculationRun, LetterFailure, Period, RunStatus


def periods():
    return Period.objects.select_related("reporting_period", "approved_run").annotate(
        run_count=Count("runs")
    )


def awards_of(run):
    """The run's awards, largest first, with how many municipalities each covers (counted
    per row shown: a page of 50 does not group every line of the run)."""
    return (
        Award.objects.filter(run=run)
        .select_related("academy", "letter", "letter_failure")
        .annotate(municipality_count=count_per_row(AwardLine, "award_id"))
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


# --- What the period page shows about its background jobs --------------------------------


@dataclass(frozen=True)
class RunView:
    """A calculation run as the page shows it: 'interrupted' when its worker is gone."""

    run: CalculationRun
    state: str  # queued, running, interrupted, succeeded, failed

    @property
    def is_active(self) -> bool:
        return self.state in ("queued", "running")

    @property
    def label(self) -> str:
        if self.state == "interrupted":
            return gettext("Onderbroken")
        return self.run.get_status_display()


def run_view(run) -> RunView | None:
    from .services import run_was_interrupted

    if run is None:
        return None
    state = "interrupted" if run_was_interrupted(run) else run.status
    return RunView(run=run, state=state)


@dataclass(frozen=True)
class LettersProgress:
    """The letters of the approved run: how many exist, failed, are still to come."""

    requested: bool
    total: int
    done: int
    failures: list  # LetterFailure rows with their award's academy
    last_activity: object

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed

    @property
    def missing(self) -> int:
        return self.total - self.done

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def is_active(self) -> bool:
        """Letters are still being made: some are to come and the worker did something
        within the heartbeat timeout."""
        from .services import heartbeat_timeout

        return (
            self.requested
            and self.pending > 0
            and self.last_activity is not None
            and self.last_activity >= timezone.now() - heartbeat_timeout()
        )

    @property
    def interrupted(self) -> bool:
        return self.requested and self.pending > 0 and not self.is_active


def letters_progress(period) -> LettersProgress | None:
    """None before approval."""
    if not period.is_frozen or period.approved_run_id is None:
        return None
    run_id = period.approved_run_id
    letters = AwardLetter.objects.filter(award__run=run_id).aggregate(
        n=Count("id"), last=Max("rendered_at")
    )
    failures = list(
        LetterFailure.objects.filter(award__run=run_id)
        .select_related("award__academy")
        .order_by("award__academy__name", "pk")
    )
    moments = [
        m
        for m in [period.letters_requested_at, letters["last"]] + [f.failed_at for f in failures]
        if m is not None
    ]
    return LettersProgress(
        requested=period.letters_requested_at is not None,
        total=Award.objects.filter(run=run_id).count(),
        done=letters["n"],
        failures=failures,
        last_activity=max(moments) if moments else None,
    )


def academies_without_letter(period, limit: int = 21):
    """Names of approved academies whose letter does not exist (yet)."""
    if period.approved_run_id is None:
        return ()
    return (
        Award.objects.filter(run=period.approved_run_id, letter__isnull=True)
        .values_list("academy__name", flat=True)
        .order_by("academy__name")[:limit]
    )


def period_reports(period):
    """Recognised academies of the period with their period report's submission (if any),
    not submitted first."""
    from academies.selectors.periods import recognised_with_report

    return recognised_with_report(period.reporting_period)


def period_reports_page(period, number, per_page: int = 50):
    """One page of :func:`period_reports` and how many of all of them submitted: the
    paginator's count and the submitted count from one aggregate instead of two."""
    from django.core.paginator import Paginator

    recognised = period_reports(period)
    counts = recognised.order_by().aggregate(
        recognised=Count("pk"), submitted=Count("report_submitted_at")
    )
    # The page shows the name and the submission only.
    paginator = Paginator(recognised.select_related(None).only("pk", "name"), per_page)
    paginator.count = counts["recognised"]  # a cached property: the query is not run again
    return paginator.get_page(number), counts["submitted"]
