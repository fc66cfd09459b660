"""The demo network at scale 1 has the published 2016 orders of magnitude (±10%)."""

from datetime import date

import pytest

from academies.demo_network import generate_network
from academies.eligibility import Reason
from academies.models import Academy, Participant, Recognition, SchoolHoliday, Session
from academies.selectors.activities import period_summary
from reporting.selectors import network_statistics

PUBLISHED_2016 = {
    "recognised_academies": 93,
    "activities": 662,
    "series": 1227,
    "kind_hours": 209_996,
    "children": 26_354,
}


@pytest.mark.django_db
def test_scale_1_matches_the_published_2016_figures_within_10_percent(municipalities):
    summary = generate_network(scale=1, seed=2016, year=2016)
    stats = network_statistics(2016)
    for figure, published in PUBLISHED_2016.items():
        measured = getattr(stats, figure)
        assert abs(measured - published) <= published * 0.10, (figure, measured, published)
    assert summary.academies > summary.recognised  # some still wait for recognition
    # The messy parts are there: partly school-time sessions and sessions in Brussels.
    assert Session.objects.filter(school_minutes__gt=0).exists()
    assert Session.objects.exclude(municipality__region="02000").exists()
    assert stats.municipalities > 100
    # School holidays are staff data: summer camps on weekdays count in full.
    assert SchoolHoliday.objects.filter(name="Zomervakantie 2016").exists()
    camp_days = Session.objects.filter(date__month=7, date__week_day__in=[2, 3, 4, 5, 6])
    assert camp_days.exists() and not camp_days.filter(school_minutes__gt=0).exists()
    # 4- and 19-year-olds attend (and do not count), and one recognition starts mid-period.
    ages = {2016 - y for y in Participant.objects.values_list("birth_year", flat=True).distinct()}
    assert {4, 19} <= ages
    assert Recognition.objects.filter(valid_from=date(2016, 4, 1)).exists()
    late = Recognition.objects.filter(valid_from=date(2016, 4, 1)).first().academy
    assert Session.objects.filter(academy=late, date__lt=date(2016, 4, 1)).exists()
    summary_h1 = period_summary(late, date(2016, 1, 1), date(2016, 6, 30))
    assert Reason.NOT_RECOGNISED in summary_h1.lost
    # Every academy has a name of its own (two "CoderDojo Horebeke" confused testers).
    names = list(Academy.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
    # Deterministic: the same seed gives the same network shape.
    assert Session.objects.count() == summary.sessions
