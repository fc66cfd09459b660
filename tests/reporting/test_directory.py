"""The staff academy directory: every academy, searchable and filterable, with
recognition, members, KIND-uren and approved awards, in a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academies.models import Recognition
from reporting.directory import directory_academies, directory_rows, recent_periods
from subsidies import services
from subsidies.models import PeriodStatus
from tests.factories import (
    AcademyFactory,
    PartnershipFactory,
    make_member,
    make_staff,
    municipality,
)
from tests.factories.activities import recognised_academy
from tests.factories.subsidies import closed_period, network

pytestmark = pytest.mark.django_db
URL = reverse("reporting:academy_directory")


@pytest.fixture
def staff_client(client, municipalities):
    client.force_login(make_staff())
    return client


def test_staff_home_links_the_directory(staff_client):
    assert URL in staff_client.get(reverse("reporting:staff_home")).content.decode()


def test_directory_filters_by_recognition_state(staff_client):
    today = timezone.localdate()
    recognised = recognised_academy(name="Erkende club")
    lapsing = recognised_academy(name="Bijna verlopen club")
    Recognition.objects.filter(academy=lapsing).update(valid_until=today + timedelta(days=30))
    withdrawn = recognised_academy(name="Ingetrokken club")
    Recognition.objects.filter(academy=withdrawn).update(
        valid_until=today - timedelta(days=5), withdrawn_reason="Geen werking"
    )
    AcademyFactory(name="Nieuwe club")

    def names(**params):
        return {a.name for a in directory_academies(today=today, **params)}

    assert names() == {"Erkende club", "Bijna verlopen club", "Ingetrokken club", "Nieuwe club"}
    assert names(status="erkend") == {"Erkende club", "Bijna verlopen club"}
    assert names(status="verloopt") == {"Bijna verlopen club"}
    assert names(status="ingetrokken") == {"Ingetrokken club"}
    assert names(status="niet") == {"Ingetrokken club", "Nieuwe club"}
    assert names(search="verlopen") == {"Bijna verlopen club"}
    page = staff_client.get(URL, {"status": "verloopt"}).content.decode()
    assert "Bijna verlopen club" in page and "Erkende club" not in page
    assert recognised.name in staff_client.get(URL).content.decode()


def test_directory_filters_by_province_and_partnership(staff_client):
    gent = recognised_academy(name="Gentse club")  # 44021 Gent, Oost-Vlaanderen
    leuven = recognised_academy(name="Leuvense club", municipality=municipality("24062"))
    partnership = PartnershipFactory(name="Regio Leuven")
    partnership.municipalities.add(leuven.municipality)
    today = timezone.localdate()
    assert [a.name for a in directory_academies(today=today, province="20001")] == [leuven.name]
    assert [a.name for a in directory_academies(today=today, partnership=partnership)] == [
        leuven.name
    ]
    page = staff_client.get(URL, {"partnerschap": partnership.pk}).content.decode()
    assert "Leuvense club" in page and gent.name not in page


def test_directory_shows_kind_hours_awards_members_and_links(
    staff_client, django_capture_on_commit_callbacks
):
    academies = network(2, start=date(2026, 1, 3))
    make_member(academies[0])
    period, staff = closed_period(budget_cents=300_000)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(actor=staff, period=period)
    period.refresh_from_db()
    services.transition(actor=staff, period=period, to=PeriodStatus.APPROVED)
    rows = directory_rows(
        directory_academies(today=date(2026, 12, 1)),
        today=date(2026, 12, 1),
        periods=recent_periods(date(2026, 12, 1)),
    )
    first = next(r for r in rows if r.academy == academies[0])
    assert [p.code for p in first.periods] == ["2025-1", "2025-2", "2026-1", "2026-2"]
    figures = {p.code: p for p in first.periods}
    assert figures["2026-1"].child_minutes == 10 * 5 * 120  # 10 sessions, 5 children, 2 h
    assert figures["2026-1"].award_cents > 0 and figures["2025-2"].award_cents is None
    assert first.academy.member_count == 2  # the admin from network() and one member
    page = staff_client.get(URL).content.decode()
    assert reverse("academies:detail", args=[academies[0].pk]) in page
    assert reverse("academies:activities", args=[academies[0].pk]) in page


def test_directory_is_paginated_with_constant_queries(staff_client, django_assert_max_num_queries):
    for i in range(3):
        make_member(recognised_academy(name=f"Club {i:02d}"))
    with django_assert_max_num_queries(20) as few:
        staff_client.get(URL)
    for i in range(3, 40):
        make_member(recognised_academy(name=f"Club {i:02d}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(URL)
    page = response.content.decode()
    assert "Club 00" in page and "Club 30" not in page  # 25 per page
    assert "Club 30" in staff_client.get(URL, {"pagina": 2}).content.decode()


def test_directory_is_for_staff_only(client, municipalities):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(make_member())
    assert client.get(URL).status_code == 403


def test_directory_is_read_only(staff_client):
    assert staff_client.post(URL).status_code == 405
