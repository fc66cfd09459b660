"""Children's data kept only as long as needed (issue 11): a year's participants and
attendance are erased once both its periods are approved and the retention period has
passed; statistics, coverage, dashboard and award figures of that year stay the same, the
erasure is audited and shown to the academy, and running it again erases nothing more."""

from dataclasses import asdict
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from academies import kind_hours
from academies.imports import import_attendance
from academies.models import (
    Attendance,
    ErasedSpan,
    Erasure,
    MemberRole,
    Participant,
    Recognition,
    Session,
)
from reporting import coverage, dashboard, retention
from reporting.selectors import network_statistics
from reporting.tasks import erase_expired_children_data
from stemnet.models import AuditEvent
from subsidies import awards
from subsidies.models import Award
from tests.factories import AcademyFactory, make_member, make_staff
from tests.partnerships.network import approve

PLACES = ["44021", "41002", "46021", "24062", "21004"]  # Gent … Leuven, Brussels
SLOTS = [("10:00", "12:00"), ("13:30", "16:00"), ("09:00", "11:00"), ("15:00", "17:30")]
CODES = ["2025", "2025-1", "2025-2"]


def _rows(children, first_day: date, *, series: int, weeks: int, place: str, slot: int):
    start, end = SLOTS[slot % len(SLOTS)]
    return [
        {
            "activity_code": f"ACT{series % 2}",
            "activity_title": f"Activiteit {series % 2}",
            "series_code": f"R{first_day:%y%m}{series}",
            "session_date": (first_day + timedelta(weeks=week)).isoformat(),
            "start_time": start,
            "end_time": end,
            "location_nis": place,
            "participant_ref": ref,
            "birth_year": str(birth_year),
            "residence_postal_code": postal_code,
        }
        for week in range(weeks)
        for n, (ref, birth_year, postal_code) in enumerate(children)
        if (week + n) % 5  # some absences
    ]


@pytest.fixture
def erased_network(municipalities, settings):
    """Four academies with sessions in both halves of 2025 (children of every age, one
    academy recognised halfway, one never, sessions outside Flanders and in school hours)
    and, for two of them, in 2026-1 with some of the same children; 2025-1 and 2025-2
    approved."""
    settings.DASHBOARD_CACHE_SECONDS = 0  # compare what is computed, not a cached copy
    academies = []
    for i in range(4):
        academy = AcademyFactory(name=f"Academie {i}")
        make_member(academy, role=MemberRole.ADMIN, email=f"admin{i}@example.org")
        if i == 2:
            Recognition.objects.create(academy=academy, valid_from=date(2025, 3, 1))
        elif i != 3:
            Recognition.objects.create(academy=academy, valid_from=date(2020, 1, 1))
        children = [
            (f"K{i}-{c:02d}", 2004 + (3 * c + i) % 20, ["9000", "3000", "", "9300"][c % 4])
            for c in range(8 + i)
        ]
        rows = []
        for s in range(3):
            rows += _rows(
                children[s:],
                date(2025, 1, 4) + timedelta(days=s),
                series=s,
                weeks=4 + s,
                place=PLACES[(i + s) % 5],
                slot=s + i,
            )
            rows += _rows(
                children[: 6 + s],
                date(2025, 9, 6) + timedelta(days=s),
                series=s,
                weeks=3,
                place=PLACES[(i + 2 * s) % 5],
                slot=s,
            )
        if i < 2:
            rows += _rows(
                children[3:] + [(f"N{i}", 2015, "9000")],
                date(2026, 2, 7),
                series=9,
                weeks=3,
                place="44021",
                slot=0,
            )
        import_attendance(actor=None, academy=academy, rows=rows)
        academies.append(academy)
    approve("2025-1")
    approve("2025-2")
    return academies


def _figures():
    """Every figure of 2025 (and 2026) that children's data feeds, as plain values."""
    result = {"statistics": [network_statistics(2025), network_statistics(2026)]}
    bounds = dashboard.data_bounds()
    result["trends"] = dashboard.trends(bounds)
    for code in [*CODES, "2026-1"]:
        span = dashboard.Span.parse(code)
        result[f"figures {code}"] = dashboard.figures(span)
        result[f"breakdowns {code}"] = dashboard.breakdowns(span)
        cspan = coverage.span_of(code)
        result[f"coverage {code}"] = [asdict(r) for r in coverage.coverage(cspan).rows]
        result[f"region {code}"] = [asdict(r) for r in coverage.coverage(cspan, PLACES[:3]).rows]
        for refnis in PLACES:
            result[f"academies {code} {refnis}"] = coverage.academies_in(cspan, refnis)
            result[f"series {code} {refnis}"] = coverage.series_in(cspan, refnis)
        result[f"kind-uren {code}"] = kind_hours.child_minutes_by_academy_and_municipality(
            span.start, span.end
        )
    for award in Award.objects.order_by("pk"):
        result[f"award {award.pk}"] = (
            award.amount_cents,
            sorted((line.municipality_id, line.child_minutes) for line in award.lines.all()),
            sorted(asdict(r).items().__repr__() for r in awards.session_rows(award)),
            awards.trace_totals(award),
        )
    return result


def _due(now_offset_days: int = 1):
    later = max(s.approved_at for s in retention.year_statuses() if s.year == 2025)
    return later + timedelta(days=365 * 5 + 2 + now_offset_days)


def test_a_retention_run_erases_old_years_and_keeps_their_figures(erased_network):
    before = _figures()
    assert before["statistics"][0].children > 0 and before["statistics"][1].children > 0
    sessions_2025 = Session.objects.filter(date__year=2025)
    old_rows = Attendance.objects.filter(session__in=sessions_2025).count()
    new_rows = set(Attendance.objects.filter(session__date__year=2026).values_list("pk", flat=True))
    later = set(
        Participant.objects.filter(attendances__session__date__year=2026).values_list(
            "pk", flat=True
        )
    )
    only_2025 = set(Participant.objects.values_list("pk", flat=True)) - later
    assert old_rows > 0 and new_rows and later and only_2025

    # Not before the retention period has passed.
    assert retention.run_retention(now=_due(-30)) == []
    assert Attendance.objects.filter(session__in=sessions_2025).count() == old_rows

    assert retention.run_retention(now=_due()) == [2025]

    assert not Attendance.objects.filter(session__in=sessions_2025).exists()
    assert set(Attendance.objects.values_list("pk", flat=True)) == new_rows
    assert set(Participant.objects.values_list("pk", flat=True)) == later
    assert set(ErasedSpan.objects.values_list("code", flat=True)) == set(CODES)
    erasures = Erasure.objects.order_by("academy__name")
    assert sum(e.participants for e in erasures) == len(only_2025)
    assert sum(e.attendance for e in erasures) == old_rows
    assert AuditEvent.objects.filter(action="retention.erased").count() == erasures.count() == 4

    after = _figures()
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key

    # The stored counts still add up for every session that has attendance left.
    call_command("check_kind_hours")
    # Idempotent: a second run (the daily job) erases nothing more and records nothing.
    events = AuditEvent.objects.count()
    assert retention.run_retention(now=_due(2)) == []
    assert retention.erase_year(2025, now=_due(2)) == []
    assert AuditEvent.objects.count() == events
    assert _figures() == before


def test_an_open_objection_or_an_unapproved_period_keeps_the_year(erased_network):
    from subsidies.models import Objection

    award = Award.objects.filter(run__period__reporting_period__code="2025-2").first()
    Objection.objects.create(
        award=award, academy=award.academy, reason="Klopt niet", deadline=date(2026, 12, 31)
    )
    (status,) = [s for s in retention.year_statuses(_due()) if s.year == 2025]
    assert not status.is_due and "bezwaar" in str(status.waiting_for)
    (unapproved,) = [s for s in retention.year_statuses(_due()) if s.year == 2026]
    assert unapproved.approved_at is None and not unapproved.is_due
    assert retention.run_retention(now=_due()) == []
    assert Attendance.objects.filter(session__date__year=2025).exists()


def test_the_daily_job_uses_the_policy_and_the_academy_sees_what_was_erased(erased_network, client):
    staff = make_staff()
    retention.set_policy(actor=staff, years=1, reason="Beslissing van de leidend ambtenaar")
    assert retention.policy().years == 1
    # The periods were approved today: with one year of retention the job erases nothing now,
    erase_expired_children_data.apply().get()
    assert not ErasedSpan.objects.exists()
    # and the year once that year has passed.
    later = max(s.approved_at for s in retention.year_statuses() if s.year == 2025)
    assert retention.run_retention(now=later + timedelta(days=367)) == [2025]

    academy = erased_network[0]
    admin = academy.memberships.get(role=MemberRole.ADMIN).user
    client.force_login(admin)
    page = client.get(reverse("academies:detail", args=[academy.pk])).content.decode()
    assert "Gewiste gegevens over kinderen" in page
    erasure = Erasure.objects.get(academy=academy)
    assert f"{erasure.participants} deelnemers, {erasure.attendance} aanwezigheden" in page
    assert "bewaartermijn 1 jaar" in page


def test_staff_set_the_retention_period_with_a_reason(municipalities, client):
    staff = make_staff()
    client.force_login(staff)
    url = reverse("reporting:retention")
    page = client.get(url)
    assert page.status_code == 200 and "5 jaar" in page.content.decode()
    refused = client.post(url, {"years": "0", "reason": "te kort"})
    assert refused.status_code == 200
    assert 'value="0"' in refused.content.decode()  # what was typed is kept
    assert retention.policy().years == 5
    done = client.post(url, {"years": "7", "reason": "Archiefregel"}, follow=True)
    assert "Bewaartermijn bewaard" in done.content.decode()
    assert retention.policy().years == 7
    event = AuditEvent.objects.get(action="retention.policy_changed")
    assert event.payload == {"from": 5, "to": 7, "reason": "Archiefregel"}
    assert "7 jaar" in client.get(reverse("reporting:privacy")).content.decode()


def test_the_dashboard_lists_of_an_erased_year_say_so(erased_network, client):
    retention.run_retention(now=_due())
    client.force_login(make_staff())
    url = reverse("reporting:dashboard_list", args=["children"])
    erased = client.get(url, {"periode": "2025-2"}).content.decode()
    assert "gewist na de bewaartermijn" in erased
    kept = client.get(url, {"periode": "2026-1"}).content.decode()
    assert "gewist na de bewaartermijn" not in kept
