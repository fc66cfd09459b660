"""Reporting periods: create on demand, close for reporting, reopen with a reason."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record
from stemnet.models import MessageKind
from stemnet.notifications import notify
from stemnet.periods import HalfYear

from ..kind_hours import valid_on
from ..models import MemberRole, Membership, PeriodReport, Recognition, ReportingPeriod
from . import AcademyError


def get_or_create_reporting_period(code: str) -> ReportingPeriod:
    half = HalfYear.parse(code)
    period, _created = ReportingPeriod.objects.get_or_create(
        code=half.code, defaults={"start_date": half.start, "end_date": half.end}
    )
    return period


@transaction.atomic
def close_reporting(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.closed_at:
        raise AcademyError(_("Periode %(code)s is al afgesloten.") % {"code": period.code})
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])
    record(actor=actor, action="period.reporting_closed", obj=period)
    _notify_closed(period, _concerned_academies(period))
    return period


@transaction.atomic
def reopen_reporting(*, actor, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    if not reason.strip():
        raise AcademyError(_("Geef een reden om de periode te heropenen."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.closed_at:
        raise AcademyError(_("Periode %(code)s is niet afgesloten.") % {"code": period.code})
    period.closed_at = None
    period.save(update_fields=["closed_at"])
    PeriodReport.objects.filter(period=period, submitted_at__isnull=False).update(
        reopened_at=timezone.now(), reopen_reason=reason, submitted_at=None
    )
    record(actor=actor, action="period.reporting_reopened", obj=period, payload={"reason": reason})
    # Every academy with a report or sessions in the period may change its data again.
    _notify_reopened(period, reason, _concerned_academies(period))
    return period


def _concerned_academies(period: ReportingPeriod):
    """The academies with a report or sessions in the period."""
    return (
        Membership.objects.filter(
            Q(academy__period_reports__period=period)
            | Q(
                academy__sessions__date__gte=period.start_date,
                academy__sessions__date__lte=period.end_date,
            )
        )
        .values_list("academy_id", flat=True)
        .distinct()
    )


@transaction.atomic
def submit_period_report(*, actor, academy, code: str) -> PeriodReport:
    """The academy declares its data for the period (``2026-1``) complete; it is locked
    from now on."""
    period = get_or_create_reporting_period(code)
    if period.closed_at:
        raise AcademyError(_("Periode %(code)s is al afgesloten.") % {"code": period.code})
    report, _created = PeriodReport.objects.select_for_update().get_or_create(
        academy=academy, period=period
    )
    if report.submitted_at:
        raise AcademyError(_("Het rapport voor %(code)s is al ingediend.") % {"code": period.code})
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.save(update_fields=["submitted_at", "submitted_by"])
    record(
        actor=actor, action="period_report.submitted", obj=report, payload={"period": period.code}
    )
    return report


@transaction.atomic
def reopen_period_report(*, actor, report: PeriodReport, reason: str) -> PeriodReport:
    """Staff reopen one academy's report (before the period is closed), with a reason."""
    if not reason.strip():
        raise AcademyError(_("Geef een reden om het rapport te heropenen."))
    report = PeriodReport.objects.select_for_update().get(pk=report.pk)
    if not report.submitted_at:
        raise AcademyError(_("Dit rapport is niet ingediend."))
    report.submitted_at = None
    report.reopened_at = timezone.now()
    report.reopen_reason = reason
    report.save(update_fields=["submitted_at", "reopened_at", "reopen_reason"])
    record(actor=actor, action="period_report.reopened", obj=report, payload={"reason": reason})
    _notify_reopened(report.period, reason, [report.academy_id])
    return report


def _admins_of(academy_ids):
    """The admin memberships of those academies (ids or a subquery), with academy and user."""
    return (
        Membership.objects.filter(academy_id__in=academy_ids, role=MemberRole.ADMIN)
        .select_related("academy", "user")
        .order_by("academy_id", "user__email")
    )


def _tell_admins(period: ReportingPeriod, admins, subject: str, body: str, **values) -> int:
    """One period message to each admin in ``admins``: ``body`` filled in with the period's
    code, the admin's academy and ``values``, with a link to that academy's period page;
    sent once the caller's transaction commits. Returns the number of messages."""
    sent = 0
    for membership in admins:
        text = body % {"code": period.code, "academy": membership.academy.name, **values}
        sent += len(
            notify(
                kind=MessageKind.PERIOD,
                recipients=[membership.user],
                subject=subject,
                body=text,
                path=reverse("academies:period", args=[membership.academy_id, period.code]),
                label=_("De periode"),
                obj=period,
            )
        )
    return sent


def _notify_reopened(period: ReportingPeriod, reason: str, academy_ids) -> None:
    """Each admin of the academies concerned hears that the period is open again, and why."""
    _tell_admins(
        period,
        _admins_of(list(academy_ids)),
        _("[STEM-academies] Periode %(code)s is heropend") % {"code": period.code},
        _(
            "Beste,\n\nVLAIO heeft periode %(code)s heropend voor %(academy)s. U kunt de "
            "sessies, deelnemers en aanwezigheden van die periode weer aanpassen en het "
            "perioderapport daarna opnieuw indienen.\n\nReden: %(reason)s\n\n"
            "VLAIO – Team STEM\n"
        ),
        reason=reason,
    )


def _notify_closed(period: ReportingPeriod, academy_ids) -> None:
    """Each admin of the academies concerned hears that the period is closed for reporting."""
    _tell_admins(
        period,
        _admins_of(list(academy_ids)),
        _("[STEM-academies] Periode %(code)s is afgesloten") % {"code": period.code},
        _(
            "Beste,\n\nVLAIO heeft periode %(code)s afgesloten voor rapportering. De "
            "sessies, deelnemers en aanwezigheden van %(academy)s in die periode liggen nu "
            "vast; VLAIO berekent de subsidies.\n\nVLAIO – Team STEM\n"
        ),
    )


#: A period is announced in its first two weeks only: a portal started mid-period (or a
#: worker down for weeks) does not tell academies late that a period "opened".
ANNOUNCE_WITHIN = timedelta(days=14)


def announce_open_period(today=None) -> int:
    """Daily job: in the first two weeks of a half-year, the admins of every academy
    recognised that day hear once that the period is open for reporting, until when, and
    where to register (``ReportingPeriod.announced_at`` makes a re-run send nothing).
    Returns the number of messages."""
    today = today or timezone.localdate()
    half = HalfYear.containing(today)
    if today > half.start + ANNOUNCE_WITHIN:
        return 0
    with transaction.atomic():
        period = get_or_create_reporting_period(half.code)
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.announced_at or period.closed_at:
            return 0
        period.announced_at = timezone.now()
        period.save(update_fields=["announced_at"])
        recognised = Recognition.objects.filter(valid_on(today)).values("academy_id")
        sent = _tell_admins(
            period,
            _admins_of(recognised),
            _("[STEM-academies] Periode %(code)s is geopend") % {"code": period.code},
            _(
                "Beste,\n\nPeriode %(code)s is geopend. Registreer de activiteiten, "
                "sessies en aanwezigheden van %(academy)s van %(start)s tot en met "
                "%(end)s in het portaal en dien daarna het perioderapport in; VLAIO "
                "sluit de periode na afloop voor rapportering.\n\nVLAIO – Team STEM\n"
            ),
            start=f"{period.start_date:%d-%m-%Y}",
            end=f"{period.end_date:%d-%m-%Y}",
        )
        record(
            actor=None,
            action="period.announced",
            obj=period,
            payload={"count": sent},
        )
    return sent
