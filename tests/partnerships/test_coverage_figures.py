"""Acceptance: every coverage figure of a region, recomputed independently in plain Python
over the stored rows (not through academies.kind_hours), equals what the page shows; the
awarded amounts equal the approved award lines to the cent."""

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from academies.models import Attendance, Recognition
from partnerships.models import MunicipalRequest
from stemnet.models import Municipality, PostalCode
from subsidies.models import AwardLine
from subsidies.templatetags.cents import euro
from tests.factories import make_partnership_lead, make_staff, municipality
from tests.partnerships.network import REGION, approve, generated_network

pytestmark = pytest.mark.django_db


def _recognised(recognitions, academy_id, day):
    return any(
        a == academy_id and start <= day and (end is None or end >= day)
        for a, start, end in recognitions
    )


def independent_figures(start: date, end: date, region, approved_run_ids):
    """The domain rules of eligible KIND-uren, applied row by row."""
    flemish = set(Municipality.objects.filter(region="02000").values_list("refnis", flat=True))
    recognitions = list(Recognition.objects.values_list("academy_id", "valid_from", "valid_until"))
    residence = {}
    for code, refnis in (
        PostalCode.objects.filter(
            municipality__region="02000", municipality__successor__isnull=True
        )
        .order_by("code", "municipality_id")
        .values_list("code", "municipality_id")
    ):
        residence.setdefault(code, refnis)
    sets = defaultdict(lambda: defaultdict(set))
    minutes = defaultdict(int)
    for a in Attendance.objects.select_related("session__series", "participant"):
        s, p = a.session, a.participant
        if not (start <= s.date <= end) or s.municipality_id not in flemish:
            continue
        if s.counted_minutes <= 0 or not 5 <= s.date.year - p.birth_year <= 18:
            continue
        if not _recognised(recognitions, s.academy_id, s.date):
            continue
        here = sets[s.municipality_id]
        here["academies"].add(s.academy_id)
        here["activities"].add(s.series.activity_id)
        here["series"].add(s.series_id)
        here["sessions"].add(s.pk)
        here["children"].add(p.pk)
        minutes[s.municipality_id] += s.counted_minutes
        home = residence.get(p.residence_postal_code)
        if home:
            sets[home]["residents"].add(p.pk)
    awarded = defaultdict(int)
    for line in AwardLine.objects.filter(award__run_id__in=approved_run_ids):
        awarded[line.municipality_id] += line.amount_cents
    requests = defaultdict(int)
    for r in MunicipalRequest.objects.filter(status="open"):
        requests[r.municipality_id] += 1
    return {
        code: (
            len(sets[code]["academies"]),
            len(sets[code]["activities"]),
            len(sets[code]["series"]),
            len(sets[code]["sessions"]),
            minutes[code],
            len(sets[code]["children"]),
            len(sets[code]["residents"]),
            awarded[code],
            requests[code],
        )
        for code in region
    }


def _page_figures(rows):
    return {
        r.refnis: (
            r.academies,
            r.activities,
            r.series,
            r.sessions,
            r.child_minutes,
            r.children,
            r.children_by_residence,
            r.awarded_cents,
            r.open_requests,
        )
        for r in rows
    }


def _cells(html: str, refnis: str) -> list[str]:
    row = re.search(rf'<tr[^>]*data-refnis="{refnis}">(.*?)</tr>', html, re.S).group(1)
    return [
        re.sub(r"<[^>]+>|\s+", " ", c).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    ]


def _hours(child_minutes: int) -> str:
    value = (Decimal(child_minutes) / 60).quantize(Decimal("0.01"))
    whole, cents = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


@pytest.fixture
def region_and_period(municipalities):
    partnership, academies = generated_network(seed=9, n_academies=6, n_series=5)
    period, staff = approve()
    MunicipalRequest.objects.create(
        municipality=municipality("43005"),
        stem_domain="technology",
        period_code="2026-2",
        place="Bibliotheek",
        description="Een programmeerclub voor 10- tot 12-jarigen",
    )
    return partnership, period


def test_every_region_figure_equals_an_independent_recomputation(region_and_period, client):
    partnership, period = region_and_period
    expected = independent_figures(
        date(2026, 1, 1), date(2026, 6, 30), REGION, [period.approved_run_id]
    )
    # The dataset is not trivial: reached and white-spot municipalities, real amounts.
    assert any(v[4] for v in expected.values()) and sum(v[7] for v in expected.values()) > 0
    assert sum(v[6] for v in expected.values()) > 0

    client.force_login(make_partnership_lead(partnership))
    response = client.get(
        reverse("reporting:coverage_region", args=[partnership.pk]), {"periode": "2026-1"}
    )
    assert response.status_code == 200
    assert _page_figures(response.context["rows"]) == expected

    html = response.content.decode()
    for refnis, (acad, act, ser, ses, mins, kids, residents, cents, req) in expected.items():
        cells = _cells(html, refnis)
        assert cells[2:11] == [
            str(acad),
            str(act),
            str(ser),
            str(ses),
            _hours(mins),
            str(kids),
            str(residents),
            euro(cents),
            str(req),
        ], refnis
    reached = sum(1 for v in expected.values() if v[4])
    assert f"{reached} van {len(REGION)} gemeenten bereikt in 2026-1" in html

    # Awarded amounts: the approved award lines, to the cent, for the whole region.
    lines = AwardLine.objects.filter(
        award__run=period.approved_run, municipality_id__in=REGION
    ).values_list("amount_cents", flat=True)
    assert response.context["coverage"].totals.awarded_cents == sum(lines)


def test_the_year_adds_both_periods_and_flanders_counts_every_municipality(
    region_and_period, client
):
    partnership, period = region_and_period
    everywhere = list(Municipality.objects.flemish().values_list("refnis", flat=True))
    expected = independent_figures(
        date(2026, 1, 1), date(2026, 12, 31), everywhere, [period.approved_run_id]
    )
    client.force_login(make_staff())
    response = client.get(reverse("reporting:coverage_flanders"), {"periode": "2026"})
    assert _page_figures(response.context["rows"]) == expected
    assert response.context["coverage"].total == 285
    reached = sum(1 for v in expected.values() if v[4])
    assert f"{reached} van 285 gemeenten bereikt in 2026" in response.content.decode()


def test_the_municipality_page_lists_its_academies_and_requests(region_and_period, client):
    partnership, period = region_and_period
    client.force_login(make_partnership_lead(partnership))
    response = client.get(
        reverse("reporting:coverage_region_municipality", args=[partnership.pk, "44021"]),
        {"periode": "2026-1"},
    )
    academies = response.context["academies"]
    row = response.context["row"]
    assert sum(a.child_minutes for a in academies) == row.child_minutes
    assert sum(a.awarded_cents for a in academies) == row.awarded_cents
    eeklo = client.get(
        reverse("reporting:coverage_region_municipality", args=[partnership.pk, "43005"])
    ).content.decode()
    assert "Een programmeerclub" in eeklo
    outside = reverse("reporting:coverage_region_municipality", args=[partnership.pk, "24062"])
    assert client.get(outside).status_code == 404


def test_the_municipality_page_lists_the_series_its_figures_count(region_and_period, client):
    """Every figure links to the list it counts: the series list of a municipality adds up
    to its sessions, KIND-uren and activities, and the region table links each count there."""
    partnership, period = region_and_period
    client.force_login(make_partnership_lead(partnership))
    response = client.get(
        reverse("reporting:coverage_region_municipality", args=[partnership.pk, "44021"]),
        {"periode": "2026-1"},
    )
    row = response.context["row"]
    series = list(response.context["series_page"])
    assert len(series) == row.series > 0
    assert sum(s.sessions for s in series) == row.sessions
    assert sum(s.child_minutes for s in series) == row.child_minutes
    assert len({(s.academy_name, s.activity_code) for s in series}) == row.activities
    assert max(s.children for s in series) <= row.children <= sum(s.children for s in series)
    html = response.content.decode()
    assert 'href="#reeksen-titel"' in html and 'id="reeksen-titel"' in html
    region = client.get(
        reverse("reporting:coverage_region", args=[partnership.pk]), {"periode": "2026-1"}
    ).content.decode()
    assert "gemeente/44021/?periode=2026-1#reeksen-titel" in region
    assert "gemeente/44021/?periode=2026-1#academies-titel" in region


def test_exports_hold_the_table_and_neutralise_formulas(region_and_period, client):
    partnership, period = region_and_period
    partnership.name = "=HYPERLINK(1)"
    partnership.save()
    client.force_login(make_partnership_lead(partnership))
    csv_response = client.get(
        reverse("reporting:coverage_region_csv", args=[partnership.pk]), {"periode": "2026-1"}
    )
    text = csv_response.content.decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("nis_code,gemeente,provincie")
    assert len(lines) == 1 + len(REGION)
    xlsx = client.get(
        reverse("reporting:coverage_region_xlsx", args=[partnership.pk]), {"periode": "2026-1"}
    )
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_neutralise():
    from reporting.views.coverage import neutralise

    for value in ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(value) == "'" + value
    assert neutralise("Gent") == "Gent" and neutralise(-2) == -2


def test_the_table_filters_keep_the_map_and_headline(region_and_period, client):
    partnership, period = region_and_period
    client.force_login(make_partnership_lead(partnership))
    url = reverse("reporting:coverage_region", args=[partnership.pk])
    everything = client.get(url, {"periode": "2026-1"}).context
    spots = client.get(url, {"periode": "2026-1", "toon": "witte_vlekken"}).context
    assert [r.refnis for r in spots["rows"]] == [
        r.refnis for r in everything["rows"] if r.white_spot
    ]
    assert spots["coverage"].reached == everything["coverage"].reached
    asked = client.get(url, {"periode": "2026-1", "toon": "vragen"}).context
    assert [r.refnis for r in asked["rows"]] == ["43005"]


def test_the_attendance_figures_are_kept_until_the_data_they_read_changes(
    region_and_period, client
):
    """Coverage keeps what it read from attendance per period (reporting.figure_cache); a
    new session with children shows at the next request, not when the cache expires."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from academies.models import Academy
    from tests.factories.activities import stored_session

    partnership, _period = region_and_period
    client.force_login(make_partnership_lead(partnership))
    url = reverse("reporting:coverage_region_municipality", args=[partnership.pk, "44021"])
    with CaptureQueriesContext(connection) as first:
        before = client.get(url, {"periode": "2026-1"}).context["row"]
    with CaptureQueriesContext(connection) as second:
        again = client.get(url, {"periode": "2026-1"}).context["row"]
    assert again.child_minutes == before.child_minutes
    assert len(second) < len(first)  # the attendance scans came from the cache
    academy = Academy.objects.filter(recognitions__isnull=False).first()
    stored_session(academy, date(2026, 3, 14), refnis="44021", minutes=90, children=(2014, 2015))
    after = client.get(url, {"periode": "2026-1"}).context["row"]
    assert after.child_minutes == before.child_minutes + 2 * 90
    assert after.sessions == before.sessions + 1


def test_the_flanders_table_shows_fifty_municipalities_a_page_in_the_chosen_order(
    region_and_period, client
):
    """All of Flanders is 285 rows: the table pages them by 50, and a page link keeps the
    period, measure, filters and order; the headline, map and exports still count all."""
    client.force_login(make_staff())
    url = reverse("reporting:coverage_flanders")
    query = {"periode": "2026", "maat": "children", "sorteer": "kind_uren"}
    first = client.get(url, query)
    html = first.content.decode()
    rows = first.context["rows"]
    assert (
        len(rows) == 285
        and html.count("<tr data-refnis=") + html.count('<tr class="white-spot" data-refnis=') == 50
    )
    assert "285 gemeenten in de tabel" in html and "Pagina 1 van 6" in html
    assert (
        "periode=2026&amp;maat=children&amp;provincie=&amp;toon=&amp;sorteer=kind_uren&amp;pagina=2"
        in html
    )
    last = client.get(url, {**query, "pagina": "6"})
    shown = [r.refnis for r in last.context["page"]]
    assert shown == [r.refnis for r in rows[250:]]


def test_a_repeated_flanders_page_reads_its_table_from_the_figure_cache(
    region_and_period, client, django_assert_max_num_queries
):
    """The whole table of 285 municipalities is kept (reporting.figure_cache): a repeated
    page only takes the fingerprint, and a request withdrawn through its service shows at
    once (the fingerprint sees the audit row)."""
    from partnerships import services

    staff = make_staff()
    client.force_login(staff)
    url = reverse("reporting:coverage_flanders")
    query = {"periode": "2026-1", "toon": "vragen"}
    assert [r.refnis for r in client.get(url, query).context["rows"]] == ["43005"]
    # session, user, staff and MFA checks, fingerprint, cache, map state, period choices
    with django_assert_max_num_queries(8):
        again = client.get(url, query)
    assert [r.refnis for r in again.context["rows"]] == ["43005"]
    services.withdraw_request(actor=staff, request=MunicipalRequest.objects.get())
    assert client.get(url, query).context["rows"] == []
