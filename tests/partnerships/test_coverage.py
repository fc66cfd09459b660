from datetime import date, time

import pytest
from django.urls import reverse

from academies.models import Activity, Series, Session
from stemnet.models import Municipality
from tests.factories import (
    AcademyFactory,
    PartnershipFactory,
    make_partnership_lead,
    make_staff,
    municipality,
)

pytestmark = pytest.mark.django_db


def _sessions(academy, refnis, n):
    activity = Activity.objects.create(academy=academy, code=f"A{refnis}", title="Techniek")
    series = Series.objects.create(
        activity=activity,
        code="R",
        municipality=municipality(refnis),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
    )
    for day in range(1, n + 1):
        Session.objects.create(
            series=series,
            academy=academy,
            municipality=series.municipality,
            date=date(2026, 3, day),
            start_time=time(14),
            end_time=time(16),
        )


def _partnership(refnis_codes):
    partnership = PartnershipFactory()
    partnership.municipalities.add(*[municipality(code) for code in refnis_codes])
    return partnership


def test_lead_sees_coverage_and_white_spots_of_their_region(client):
    partnership = _partnership(["44021", "24062", "11002"])  # Gent, Leuven, Antwerpen
    _sessions(AcademyFactory(), "44021", 3)
    client.force_login(make_partnership_lead(partnership))
    response = client.get(reverse("partnerships:detail", args=[partnership.pk]))
    rows = {m.refnis: (m.session_count, m.academy_count) for m in response.context["coverage"]}
    assert rows["44021"] == (3, 1)
    assert sum(1 for counts in rows.values() if counts == (0, 0)) == 2
    assert response.content.decode().count('class="white-spot"') == 2


def test_coverage_page_query_count_does_not_grow_with_municipalities(
    client, django_assert_max_num_queries
):
    small = _partnership(["44021"])
    large = _partnership(
        list(Municipality.objects.flemish().values_list("refnis", flat=True)[:200])
    )
    lead = make_partnership_lead(small)
    large.leads.add(lead)
    client.force_login(lead)
    client.get(reverse("partnerships:detail", args=[small.pk]))  # warm up session/user caches
    with django_assert_max_num_queries(12):
        client.get(reverse("partnerships:detail", args=[small.pk]))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partnerships:detail", args=[large.pk]))
    assert len(response.context["coverage"]) == 200


def test_other_partnerships_are_not_found_and_staff_see_all(client):
    mine, other = _partnership(["44021"]), _partnership(["24062"])
    client.force_login(make_partnership_lead(mine))
    assert client.get(reverse("partnerships:detail", args=[other.pk])).status_code == 404
    client.force_login(make_staff())
    assert client.get(reverse("partnerships:detail", args=[other.pk])).status_code == 200
