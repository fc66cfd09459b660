"""A small fixed network whose KIND-uren and awards are computed by hand in this file:
the calculation through the database must give exactly these numbers. And every path that
shows KIND-uren (period page, sessions list, statistics, calculation, letter) agrees on the
same academy to the child-minute."""

from datetime import date
from decimal import Decimal

import pytest

from academies.imports import import_attendance
from academies.models import Recognition
from academies.selectors.activities import period_summary, sessions_in_period
from reporting.selectors import network_statistics
from stemnet.models import Municipality
from subsidies.letters import letter_html
from subsidies.services import execute_run, render_letter, start_run, transition
from tests.factories import AcademyFactory
from tests.factories.subsidies import closed_period

pytestmark = pytest.mark.django_db

GENT, LEUVEN, BRUSSEL = "44021", "24062", "21004"


def _row(activity, series, day, start, end, place, ref, born):
    return {
        "activity_code": activity,
        "activity_title": activity.title(),
        "series_code": series,
        "session_date": day,
        "start_time": start,
        "end_time": end,
        "location_nis": place,
        "participant_ref": ref,
        "birth_year": str(born),
        "residence_postal_code": "",
    }


@pytest.fixture
def pinned(municipalities):
    """By hand:

    Academy A (recognised since 2020): two Saturdays 10:00–12:00 in Gent with K1 (12 in
    2026), K2 (4: too young), K3 (18: counts), K4 (19: too old) → 2 × 2 × 120 = 480
    child-minutes in Gent; one Wednesday 11:00–14:00 in Leuven with K1 and K3: school until
    12:00, so 120 minutes count → 2 × 120 = 240 in Leuven. K(A) = 720 (12 KIND-uren).

    Academy B (recognised 1 February – 14 March 2026): Saturdays 09:00–19:00 (600 minutes,
    480 count) with three children of 11, in Gent on 31 January (not yet recognised),
    14 March (the last day: counts) and 21 March (lapsed); on 14 March also in Brussels
    (outside Flanders). K(B) = 3 × 480 = 1,440 in Gent (24 KIND-uren).

    Academy C has no recognition: nothing counts.
    """
    a = AcademyFactory(name="Academie A", iban="BE71096123456769")
    Recognition.objects.create(academy=a, valid_from=date(2020, 1, 1))
    rows = [
        _row("ROBOT", "ZAT", day, "10:00", "12:00", GENT, ref, born)
        for day in ("2026-01-10", "2026-01-17")
        for ref, born in (("K1", 2014), ("K2", 2022), ("K3", 2008), ("K4", 2007))
    ] + [
        _row("ROBOT", "WOE", "2026-01-14", "11:00", "14:00", LEUVEN, ref, born)
        for ref, born in (("K1", 2014), ("K3", 2008))
    ]
    import_attendance(actor=None, academy=a, rows=rows)

    b = AcademyFactory(name="Academie B")
    Recognition.objects.create(
        academy=b, valid_from=date(2026, 2, 1), valid_until=date(2026, 3, 14)
    )
    rows = [
        _row("KAMP", f"S{place}", day, "09:00", "19:00", place, f"B{i}", 2015)
        for day, place in (
            ("2026-01-31", GENT),
            ("2026-03-14", GENT),
            ("2026-03-21", GENT),
            ("2026-03-14", BRUSSEL),
        )
        for i in range(3)
    ]
    # The Brussels session is in another series so the children are not in two places at
    # once on the same series; same hours, other city.
    rows = [r for r in rows if not (r["location_nis"] == BRUSSEL)] + [
        {**r, "start_time": "19:00", "end_time": "20:00"}
        for r in rows
        if r["location_nis"] == BRUSSEL
    ]
    import_attendance(actor=None, academy=b, rows=rows)

    c = AcademyFactory(name="Academie C")
    import_attendance(
        actor=None,
        academy=c,
        rows=[_row("CODE", "C1", "2026-01-10", "10:00", "12:00", GENT, "C1", 2014)],
    )
    return a, b, c


def test_kind_hours_per_academy_and_municipality_are_the_hand_computed_ones(pinned):
    a, b, c = pinned
    period, staff = closed_period(budget_cents=100_000)
    from subsidies.services import input_rows

    assert sorted(input_rows(period)) == [
        (a.pk, LEUVEN, 240),
        (a.pk, GENT, 480),
        (b.pk, GENT, 1440),
    ]


def test_awards_in_cents_are_the_hand_computed_ones(pinned):
    """Budget EUR 1,000.00; spread bonus 0.1 (max 0.5); Leuven a priority with weight 1.5.

    P(A) = (480/60 × 1 + 240/60 × 1.5) × (1 + 0.1 × 1) = (8 + 6) × 1.1 = 15.4
    P(B) = 1440/60 × 1 = 24;  total 39.4
    A: 100000 × 15.4 / 39.4 = 39086.29… → 39086 (remainder .29)
    B: 100000 × 24 / 39.4 = 60913.70… → 60913 (remainder .71) + the one cent left → 60914
    A per municipality, by weighted KIND-uren 8 : 6:
      Gent 39086 × 8/14 = 22334.86 → 22334 + 1 (larger remainder) = 22335
      Leuven 39086 × 6/14 = 16751.14 → 16751
    """
    a, b, c = pinned
    period, staff = closed_period(
        budget_cents=100_000,
        spread_bonus=Decimal("0.1"),
        spread_cap=Decimal("0.5"),
        priority_weight=Decimal("1.5"),
    )
    period.priority_municipalities.set([Municipality.objects.get(refnis=LEUVEN)])
    run = start_run(actor=staff, period=period, enqueue=False)
    execute_run(run.pk)
    run.refresh_from_db()
    awards = {aw.academy_id: aw for aw in run.awards.prefetch_related("lines")}
    assert set(awards) == {a.pk, b.pk}
    assert awards[a.pk].amount_cents == 39_086
    assert awards[b.pk].amount_cents == 60_914
    assert run.total_cents == 100_000 and run.unspent_cents == 0
    assert awards[a.pk].child_minutes == 720 and awards[b.pk].child_minutes == 1440
    lines = {
        (ln.municipality_id, ln.child_minutes, ln.amount_cents) for ln in awards[a.pk].lines.all()
    }
    assert lines == {(GENT, 480, 22_335), (LEUVEN, 240, 16_751)}
    assert {(ln.municipality_id, ln.amount_cents) for ln in awards[b.pk].lines.all()} == {
        (GENT, 60_914)
    }


def test_every_path_shows_the_same_child_minutes(pinned):
    """Period page summary, its sessions list, the network statistics, the calculation
    and the letter: the same child-minutes for the same academy."""
    a, b, c = pinned
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    for academy, expected in ((a, 720), (b, 1440), (c, 0)):
        summary = period_summary(academy, start, end)
        sessions = sessions_in_period(academy, start, end)
        assert summary.eligible == expected
        assert sum(s.earned for s in sessions) == expected
    # B's losses, by reason: 31 Jan and 21 Mar not recognised (3 × 600 each), Brussels
    # outside Flanders (3 × 60), and 120 minutes over the 8-hour maximum × 3 on 14 March.
    lost = {reason.name: m for reason, m in period_summary(b, start, end).lost.items()}
    assert lost == {"NOT_RECOGNISED": 3600, "OUTSIDE_FLANDERS": 180, "OVER_MAXIMUM": 360}
    assert network_statistics(2026).child_minutes == 720 + 1440

    period, staff = closed_period(budget_cents=100_000)
    run = start_run(actor=staff, period=period, enqueue=False)
    execute_run(run.pk)
    transition(actor=staff, period=period, to="approved")
    run.refresh_from_db()
    award = run.awards.get(academy=a)
    assert award.child_minutes == 720
    assert sum(line.child_minutes for line in award.lines.all()) == 720
    html = letter_html(award)
    assert "12,00 KIND-uren" in html  # 720 child-minutes


def test_payment_export_carries_each_academys_iban(pinned, client):
    """A has an IBAN, B has none: the export shows A's, leaves B's blank, and the period
    page names B as an academy without IBAN."""
    import csv
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    a, b, c = pinned
    period, staff = closed_period(budget_cents=100_000)
    run = start_run(actor=staff, period=period, enqueue=False)
    execute_run(run.pk)
    transition(actor=staff, period=period, to="approved")
    for award_id in run.awards.values_list("pk", flat=True):  # the export waits for them
        render_letter(award_id)
    client.force_login(staff)
    body = client.get(reverse("subsidies_staff:export_csv", args=[period.code])).content
    rows = {r[1]: r for r in csv.reader(io.StringIO(body.decode("utf-8")))}
    assert rows["Academie A"][2] == "BE71096123456769"
    assert rows["Academie B"][2] == ""
    body = client.get(reverse("subsidies_staff:export_xlsx", args=[period.code])).content
    sheet = load_workbook(io.BytesIO(body)).active
    ibans = {name: iban for _kbo, name, iban, *_rest in sheet.iter_rows(values_only=True)}
    assert ibans["Academie A"] == "BE71096123456769" and not ibans["Academie B"]
    page = client.get(period.get_absolute_url()).content.decode()
    assert "Zonder IBAN" in page and "Academie B" in page.split("Zonder IBAN", 1)[1]
