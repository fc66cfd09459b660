"""The public catalogue: search by place, postal code, canton, age, domain and format; a page
per academy and per activity; empty results say what to try next; constant queries."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academies.models import Activity, Recognition, Series, Session
from tests.factories import AcademyFactory, municipality

pytestmark = pytest.mark.django_db


def _activity(academy, title, refnis, *, ages=(6, 12), fmt="club", domains=(), public=True):
    activity = Activity.objects.create(
        academy=academy,
        code=f"A{Activity.objects.count() + 1}",
        title=title,
        min_age=ages[0],
        max_age=ages[1],
        format=fmt,
        stem_domains=list(domains),
        is_public=public,
    )
    start = timezone.localdate() + timedelta(days=7)
    series = Series.objects.create(
        activity=activity,
        code="R1",
        municipality=municipality(refnis),
        venue="Bibliotheek",
        start_date=start,
        end_date=start + timedelta(days=14),
    )
    for k in range(3):
        Session.objects.create(
            series=series,
            academy=academy,
            municipality=series.municipality,
            date=start + timedelta(days=7 * k),
            start_time=time(14),
            end_time=time(16),
        )
    return activity


def _recognised(**kwargs):
    academy = AcademyFactory(**kwargs)
    Recognition.objects.create(academy=academy, valid_from=date(2020, 1, 1))
    return academy


@pytest.fixture
def offer(municipalities):
    gent = _recognised(municipality=municipality("44021"), stem_domains=["science"])
    zemst = _recognised(municipality=municipality("23096"), stem_domains=["digital"])
    unrecognised = AcademyFactory(municipality=municipality("23088"))
    return {
        "robots": _activity(gent, "Robots bouwen", "44021", ages=(8, 12), fmt="club"),
        "lab": _activity(gent, "Proefjes", "44064", ages=(13, 18), fmt="workshop"),
        "code": _activity(zemst, "Scratch", "23096", ages=(6, 12), fmt="camp"),
        "vilvoorde": _activity(zemst, "Drones", "23088", ages=(10, 14), domains=["engineering"]),
        "hidden": _activity(zemst, "Intern", "23096", public=False),
        "not_recognised": _activity(unrecognised, "Niet erkend", "23088"),
    }


def _found(client, **query):
    response = client.get(reverse("reporting:catalogue"), query)
    assert response.status_code == 200
    return {a.title for a in response.context["page"]}


def test_a_postal_code_finds_all_its_municipalities(client, offer):
    assert _found(client, waar="1804") == {"Scratch", "Drones"}  # Zemst and Vilvoorde
    assert _found(client, waar="vilvoorde") == {"Drones"}


def test_age_matches_inside_the_range(client, offer):
    assert _found(client, waar="1804", leeftijd="8") == {"Scratch"}
    assert _found(client, leeftijd="13") == {"Proefjes", "Drones"}
    assert _found(client, leeftijd="12") == {"Robots bouwen", "Scratch", "Drones"}


def test_domain_and_format(client, offer):
    assert _found(client, domein="engineering") == {"Drones"}  # the activity's own domain
    assert _found(client, domein="digital") == {"Scratch"}  # the academy's domain
    assert _found(client, vorm="camp") == {"Scratch"}


def test_near_me_widens_to_the_canton(client, offer):
    # Gent's series are in Gent itself and in Sint-Martens-Latem (44064), which shares a canton.
    assert _found(client, waar="9000") == {"Robots bouwen", "Proefjes"}  # academy in Gent
    assert _found(client, waar="Sint-Martens-Latem") == {"Proefjes"}
    assert _found(client, waar="Sint-Martens-Latem", buurt="1") == {"Robots bouwen", "Proefjes"}
    assert _found(client, kanton="gent-2") == {"Robots bouwen", "Proefjes"}


def test_hidden_and_unrecognised_activities_are_never_listed(client, offer):
    assert "Intern" not in _found(client) and "Niet erkend" not in _found(client)
    for key in ("hidden", "not_recognised"):
        url = reverse("reporting:catalogue_activity", args=[offer[key].pk])
        assert client.get(url).status_code == 404
    other = offer["not_recognised"].academy
    assert client.get(reverse("reporting:catalogue_academy", args=[other.pk])).status_code == 404


def test_an_empty_result_says_what_to_try_next(client, offer):
    response = client.get(
        reverse("reporting:catalogue"), {"waar": "Sint-Martens-Latem", "leeftijd": "6"}
    )
    page = response.content.decode()
    assert response.context["page"].paginator.count == 0
    tips = dict((label, query) for query, label in response.context["suggestions"])
    assert "buurt=1" in tips["Zoek ook in de buurt (hetzelfde kanton)"]
    assert "leeftijd" not in tips["Zoek zonder leeftijd"]
    assert "Probeer:" in page
    unknown = client.get(reverse("reporting:catalogue"), {"waar": "Atlantis"}).content.decode()
    assert "We vinden geen Vlaamse gemeente of postcode" in unknown


def test_academy_and_activity_pages_say_where_and_when(client, offer):
    activity = offer["robots"]
    page = client.get(reverse("reporting:catalogue_activity", args=[activity.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Bibliotheek, Gent" in body and "14:00–16:00" in body
    first = activity.series.get().sessions.order_by("date").first().date
    assert first.strftime("%Y") in body
    academy = client.get(reverse("reporting:catalogue_academy", args=[activity.academy_id]))
    assert "Robots bouwen" in academy.content.decode() and "Proefjes" in academy.content.decode()


def test_catalogue_pages_render_in_a_constant_number_of_queries(
    client, offer, django_assert_num_queries
):
    def count(url, query=None):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query or {}).status_code == 200
        return len(queries)

    search = reverse("reporting:catalogue")
    few = count(search, {"waar": "1804", "leeftijd": "8"})
    academy = offer["robots"].academy
    few_academy = count(reverse("reporting:catalogue_academy", args=[academy.pk]))
    few_activity = count(reverse("reporting:catalogue_activity", args=[offer["robots"].pk]))
    for i in range(30):  # many more activities, series and sessions
        _activity(offer["code"].academy, f"Extra {i}", "23096" if i % 2 else "23088")
        _activity(academy, f"Gent {i}", "44021")
    assert count(search, {"waar": "1804", "leeftijd": "8"}) == few
    count(search)  # the unfiltered search keeps its ordered ids (reporting.figure_cache)
    # no postal-code lookup, the ids and their count kept; their fingerprint and cache read
    assert count(search) == few - 3 + 2
    assert count(reverse("reporting:catalogue_academy", args=[academy.pk])) == few_academy
    assert count(reverse("reporting:catalogue_activity", args=[offer["robots"].pk])) == few_activity
    with django_assert_num_queries(few_academy):
        client.get(reverse("reporting:catalogue_academy", args=[academy.pk]))


def test_old_catalogue_address_redirects(client, offer):
    response = client.get("/academies/catalogus/?waar=1804")
    assert response.status_code == 301
    assert response["Location"] == reverse("reporting:catalogue") + "?waar=1804"


def test_the_province_filter_leaves_out_other_provinces(client, offer):
    # Oost-Vlaanderen (40000): Gent's two activities; Vlaams-Brabant (20001): Zemst's.
    assert _found(client, provincie="40000") == {"Robots bouwen", "Proefjes"}
    assert _found(client, provincie="20001") == {"Scratch", "Drones"}
    assert _found(client, provincie="40000", leeftijd="13") == {"Proefjes"}


def test_the_unfiltered_catalogue_keeps_its_ids_until_the_activities_change(
    client, offer, settings
):
    """The landing page's ordered ids are kept (reporting.figure_cache): the same pages as
    computed afresh, and an activity hidden through its service or a new recognition
    shows at the next request."""
    from academies.services.activities import update_activity
    from tests.factories import make_admin

    def titles(**query):
        response = client.get(reverse("reporting:catalogue"), query)
        assert response.status_code == 200
        return response.context["page"].paginator.count, [a.title for a in response.context["page"]]

    for i in range(25):  # two pages
        _activity(offer["code"].academy, f"Extra {i:02d}", "23096")
    kept = [titles(), titles(), titles(pagina="2")]
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert kept == [titles(), titles(), titles(pagina="2")]
    settings.DASHBOARD_CACHE_SECONDS = 300
    robots = offer["robots"]
    update_activity(actor=make_admin(robots.academy), activity=robots, is_public=False)
    count, first = titles()
    assert count == kept[0][0] - 1 and "Robots bouwen" not in first + titles(pagina="2")[1]
    Recognition.objects.create(academy=offer["not_recognised"].academy, valid_from=date(2020, 1, 1))
    count, first = titles()
    assert count == kept[0][0] and "Niet erkend" in first + titles(pagina="2")[1]
