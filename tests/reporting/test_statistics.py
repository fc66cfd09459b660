from datetime import date

import pytest
from django.urls import reverse

from academies.models import Recognition
from tests.factories import AcademyFactory, make_member, make_staff
from tests.factories.activities import stored_session

pytestmark = pytest.mark.django_db


def test_network_figures_for_a_year(client):
    academy = AcademyFactory()
    Recognition.objects.create(academy=academy, valid_from=date(2016, 1, 1))
    stored_session(academy, date(2016, 3, 2), children=(2008, 2009, 2011))  # 3 × 2 h
    stored_session(academy, date(2016, 3, 9), children=(2008, 2009, 2011, 2012))  # + a 4-year-old
    stored_session(academy, date(2017, 1, 4))  # other year
    client.force_login(make_staff())
    response = client.get(reverse("reporting:statistics"), {"jaar": "2016"}, follow=True)
    stats = response.context["board"].figures
    assert (stats.activities, stats.series, stats.sessions) == (1, 1, 2)
    assert stats.kind_hours == 12
    assert stats.children == 3  # the 4-year-old does not count
    assert stats.municipalities == 1
    assert stats.recognised_academies == 1


def test_statistics_page_is_for_staff_only(client):
    client.force_login(make_member())
    assert client.get(reverse("reporting:statistics")).status_code == 403


def test_statistics_page_with_no_data_says_what_happens_next(client):
    client.force_login(make_staff())
    body = client.get(reverse("reporting:statistics"), follow=True).content.decode()
    assert "nog geen sessies" in body
