"""The coverage pages run a constant number of queries, whatever the size of the network."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_partnership_lead, make_staff
from tests.partnerships.network import approve, generated_network

pytestmark = pytest.mark.django_db

LIMIT = 20


def _count(client, url, django_assert_max_num_queries, **params):
    client.get(url, params)  # warm up the session, the user and the map cache
    with django_assert_max_num_queries(LIMIT) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_flanders_and_region_coverage_do_not_grow_with_the_data(
    municipalities, client, django_assert_max_num_queries
):
    partnership, _ = generated_network(seed=1, n_academies=2, n_series=2)
    approve()
    staff, lead = make_staff(), make_partnership_lead(partnership)
    flanders = reverse("reporting:coverage_flanders")
    region = reverse("reporting:coverage_region", args=[partnership.pk])

    client.force_login(staff)
    small_flanders, _ = _count(
        client, flanders, django_assert_max_num_queries, periode="2026", maat="children"
    )
    client.force_login(lead)
    small_region, _ = _count(
        client, region, django_assert_max_num_queries, periode="2026", gebied="gent-1"
    )

    generated_network(seed=2, n_academies=8, n_series=4, start=date(2026, 7, 6))  # 4x
    client.force_login(staff)
    big_flanders, response = _count(
        client, flanders, django_assert_max_num_queries, periode="2026", maat="children"
    )
    assert response.context["coverage"].reached > 0
    client.force_login(lead)
    big_region, _ = _count(
        client, region, django_assert_max_num_queries, periode="2026", gebied="gent-1"
    )
    print("queries", small_flanders, big_flanders, small_region, big_region)
    assert big_flanders == small_flanders and big_region == small_region
