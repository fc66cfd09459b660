"""The staff dashboard: figures per year and period, changes, trends, breakdowns, lists."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academies.demo_network import generate_network
from academies.models import Recognition, Session
from reporting import charts
from reporting.dashboard import Span, dashboard, figures
from tests.factories import AcademyFactory, make_member, make_staff
from tests.factories.activities import stored_session

pytestmark = pytest.mark.django_db

PUBLISHED_2016 = {
    "activities": 662,
    "series": 1227,
    "kind_hours": 209_996,
    "children": 26_354,
}


def _small_network():
    academy = AcademyFactory(stem_domains=["digital"])
    Recognition.objects.create(academy=academy, valid_from=date(2016, 1, 1))
    stored_session(academy, date(2016, 3, 2), children=(2008, 2009, 2011))  # 3 children × 2 h
    stored_session(academy, date(2016, 9, 7), children=(2008, 2009))  # the same K0 and K1
    stored_session(academy, date(2015, 10, 7), children=(2008,))  # before the recognition
    return academy


def test_figures_per_year_and_period_with_change(client):
    _small_network()
    year, first, second = (figures(Span.parse(c)) for c in ("2016", "2016-1", "2016-2"))
    assert (year.sessions, first.sessions, second.sessions) == (2, 1, 1)
    assert (year.kind_hours, first.kind_hours, second.kind_hours) == (10, 6, 4)
    # The same children in both periods: unique children do not add up over periods.
    assert (year.children, first.children, second.children) == (3, 3, 2)
    assert year.activities == year.series == 1 and year.recognised_academies == 1
    assert year.new_academies == 1 and figures(Span.parse("2015")).new_academies == 0
    client.force_login(make_staff())
    response = client.get(reverse("reporting:dashboard"), {"periode": "2016-2"})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.span.previous().code == "2016-1"
    assert board.changes["kind_hours"].difference == -2
    assert board.changes["kind_hours"].percent == pytest.approx(-33.3)
    assert [p.code for p in board.trends] == ["2015-2", "2016-1", "2016-2"]
    assert [p.kind_hours for p in board.trends] == [0, 6, 4]
    assert [p.sessions for p in board.trends] == [1, 1, 1]
    page = response.content.decode()
    assert "<svg" in page and "style=" not in page and "<script>" not in page
    list_url = reverse("reporting:dashboard_list", args=["kind_hours"]) + "?periode=2016-2"
    assert list_url in page
    ages = {row.key: row for row in board.breakdowns.age_groups}
    assert ages["5-8"].children == 2 and ages["5-8"].kind_hours == 4  # 8 and 7 in 2016
    assert ages["9-12"].children == 0
    assert board.breakdowns.priority_age_group.children == 1  # born 2008: 8 in 2016
    assert board.breakdowns.priority_age_group.kind_hours == 2
    domains = {row.key: row.kind_hours for row in board.breakdowns.domains}
    assert domains["digital"] == 4 and domains["science"] == 0  # the academy's domain


def test_every_figure_links_to_a_list_that_counts_it(client):
    _small_network()
    client.force_login(make_staff())
    board = dashboard("2016")
    expected = {
        "academies": board.figures.recognised_academies,
        "new_academies": board.figures.new_academies,
        "activities": board.figures.activities,
        "series": board.figures.series,
        "sessions": board.figures.sessions,
        "children": board.figures.children,
        "municipalities": board.figures.municipalities,
    }
    for figure, count in expected.items():
        url = reverse("reporting:dashboard_list", args=[figure])
        response = client.get(url, {"periode": "2016"})
        assert response.status_code == 200, figure
        assert response.context["page"].paginator.count == count, figure
    kind = client.get(reverse("reporting:dashboard_list", args=["kind_hours"]), {"periode": "2016"})
    assert sum(r["minutes"] for r in kind.context["page"]) == board.figures.child_minutes
    aged = client.get(
        reverse("reporting:dashboard_list", args=["children"]),
        {"periode": "2016", "leeftijd": "8-14"},
    )
    assert aged.context["page"].paginator.count == 1
    by_domain = client.get(
        reverse("reporting:dashboard_list", args=["sessions"]),
        {"periode": "2016", "domein": "digital"},
    )
    assert by_domain.context["page"].paginator.count == 2
    none = client.get(
        reverse("reporting:dashboard_list", args=["sessions"]),
        {"periode": "2016", "domein": "science"},
    )
    assert none.context["page"].paginator.count == 0
    assert "Niets gevonden" in none.content.decode()


def test_dashboard_is_for_staff_only(client):
    assert client.get(reverse("reporting:dashboard")).status_code == 302
    client.force_login(make_member())
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    lst = reverse("reporting:dashboard_list", args=["sessions"])
    assert client.get(lst, {"periode": "2016"}).status_code == 403


def test_unknown_period_and_figure_are_404(client):
    client.force_login(make_staff())
    assert client.get(reverse("reporting:dashboard"), {"periode": "2016-3"}).status_code == 404
    assert client.get(reverse("reporting:dashboard_list", args=["nope"])).status_code == 404


def test_old_statistics_page_redirects_to_the_dashboard(client):
    client.force_login(make_staff())
    response = client.get(reverse("reporting:statistics"), {"jaar": "2016"})
    assert response.status_code == 301
    assert response["Location"] == reverse("reporting:dashboard") + "?periode=2016"


def _sql(query, params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


ELIGIBLE_SQL = """
    FROM academies_attendance a
    JOIN academies_session s ON s.id = a.session_id
    JOIN academies_participant p ON p.id = a.participant_id
    JOIN stemnet_municipality m ON m.refnis = s.municipality_id
    WHERE s.date BETWEEN %s AND %s AND m.region = '02000' AND s.counted_minutes > 0
      AND {year} - p.birth_year BETWEEN 5 AND 18
      AND EXISTS (SELECT 1 FROM academies_recognition r WHERE r.academy_id = s.academy_id
                  AND r.valid_from <= s.date AND (r.valid_until IS NULL OR r.valid_until >= s.date))
"""


def _independent(start, end):
    year = (
        "CAST(strftime('%%Y', s.date) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "EXTRACT(YEAR FROM s.date)"
    )
    eligible = ELIGIBLE_SQL.format(year=year)
    between = "FROM academies_session WHERE date BETWEEN %s AND %s"
    return {
        "sessions": _sql(f"SELECT COUNT(*) {between}", [start, end]),
        "series": _sql(f"SELECT COUNT(DISTINCT series_id) {between}", [start, end]),
        "activities": _sql(
            "SELECT COUNT(DISTINCT se.activity_id) FROM academies_session s "
            "JOIN academies_series se ON se.id = s.series_id WHERE s.date BETWEEN %s AND %s",
            [start, end],
        ),
        "child_minutes": _sql(f"SELECT SUM(s.counted_minutes) {eligible}", [start, end]),
        "children": _sql(f"SELECT COUNT(DISTINCT a.participant_id) {eligible}", [start, end]),
        "municipalities": _sql(
            f"SELECT COUNT(DISTINCT s.municipality_id) {eligible}", [start, end]
        ),
        "recognised_academies": _sql(
            "SELECT COUNT(DISTINCT academy_id) FROM academies_recognition "
            "WHERE valid_from <= %s AND (valid_until IS NULL OR valid_until >= %s)",
            [end, start],
        ),
    }


def test_scale_1_network_figures_equal_sql_and_published_2016(client, municipalities):
    small = AcademyFactory()
    Recognition.objects.create(academy=small, valid_from=date(2016, 1, 1))
    stored_session(small, date(2016, 3, 2))
    client.force_login(staff := make_staff())
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reporting:dashboard"), {"periode": "2016"}).status_code == 200
    Session.objects.all().delete()
    Recognition.objects.all().delete()

    generate_network(scale=1, seed=2016, year=2016)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reporting:dashboard"), {"periode": "2016"})
    assert response.status_code == 200
    assert len(many) == len(few), "the dashboard's query count grows with the network"

    spans = {code: Span.parse(code) for code in ("2016", "2016-1", "2016-2")}
    measured = {code: figures(span) for code, span in spans.items()}
    for code, span in spans.items():
        expected = _independent(span.start, span.end)
        for name, value in expected.items():
            assert getattr(measured[code], name) == value, (code, name)
    year = measured["2016"]
    for name, published in PUBLISHED_2016.items():
        value = getattr(year, name)
        assert abs(value - published) <= published * 0.10, (name, value, published)
    halves = measured["2016-1"], measured["2016-2"]
    assert sum(h.child_minutes for h in halves) == year.child_minutes
    assert sum(h.sessions for h in halves) == year.sessions
    assert sum(h.children for h in halves) > year.children  # children in both halves


def test_bar_chart_is_escaped_and_has_no_inline_style():
    svg = charts.bar_chart(
        [("2016-1", 1200), ("<b>", 3400.5)], title="KIND-uren & co", description="x", chart_id="c"
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&amp; co" in svg
    assert "style" not in svg and 'role="img"' in svg
    assert "3.400,5" in svg  # Dutch separators by default
    assert svg.count("<rect") == 2
    assert charts._nice_ceiling(3401) == 5000 and charts._nice_ceiling(0) == 1


def test_dashboard_figures_are_cached_until_the_data_changes(client, django_assert_max_num_queries):
    academy = _small_network()
    client.force_login(make_staff())
    url = reverse("reporting:dashboard")
    first = client.get(url, {"periode": "2016"}).context["board"]
    with django_assert_max_num_queries(12):  # the fingerprint and the session, not the figures
        again = client.get(url, {"periode": "2016"}).context["board"]
    assert again.computed_at == first.computed_at
    stored_session(academy, date(2016, 11, 9), children=(2008,))
    changed = client.get(url, {"periode": "2016"}).context["board"]
    assert changed.figures.sessions == first.figures.sessions + 1
    refreshed = client.get(url, {"periode": "2016", "vernieuwen": "1"}).context["board"]
    assert refreshed.computed_at > changed.computed_at


def test_dashboard_and_catalogue_in_english(client):
    from pathlib import Path

    if not (Path(__file__).parents[2] / "reporting/locale/en/LC_MESSAGES/django.mo").exists():
        pytest.skip("the catalogue is not compiled (./dev.sh compiles it when gettext is there)")
    _small_network()
    client.force_login(make_staff())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("reporting:dashboard"), {"periode": "2016-1"}).content.decode()
    assert "Network figures 2016, period 1" in page and "Child-hours per period" in page
    assert "Netwerkcijfers" not in page
    catalogue = client.get(reverse("reporting:catalogue"), {"waar": "Atlantis"}).content.decode()
    assert (
        "Find STEM activities" in catalogue and "We cannot find a Flemish municipality" in catalogue
    )
