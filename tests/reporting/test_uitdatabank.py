"""UiTdatabank event JSON, checked against the rules of UiTdatabank's published event models
(cultuurnet/stoplight-docs-uitdatabank, models/event-*.json and the common-* models they use):
calendarType single (exactly 1 subEvent) / multiple (2+ subEvents) / periodic (startDate and
endDate, optional openingHours with opens, closes and 1+ unique dayOfWeek), subEvent items
with startDate, endDate and status; ISO-8601 date-times; typicalAgeRange matching
``\\A[\\d]*-[\\d]*\\z``; terms with exactly one eventtype; an address with streetAddress,
postalCode, addressLocality (non-blank) and a 2-letter addressCountry; mainLanguage one of
nl/fr/de/en with a name in it."""

import json
import re
from datetime import date, datetime, time

import pytest
from django.urls import reverse

from academies.models import Activity, Recognition, Series, Session
from reporting import uitdatabank
from tests.factories import AcademyFactory, municipality

pytestmark = pytest.mark.django_db

LANGUAGES = {"nl", "fr", "de", "en"}
CALENDAR_TYPES = {"single", "multiple", "periodic", "permanent"}
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
AGE_RANGE = re.compile(r"[\d]*-[\d]*")
TIME = re.compile(r"\d{2}:\d{2}")
ISO_WITH_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def _datetime(value):
    assert ISO_WITH_OFFSET.fullmatch(value), value
    return datetime.fromisoformat(value)


def _address(address):
    for language, fields in address.items():
        assert language in LANGUAGES
        for key in ("streetAddress", "postalCode", "addressLocality"):
            assert isinstance(fields[key], str) and re.search(r"\S", fields[key]), key
        assert re.fullmatch(r"[A-Z]{2}", fields["addressCountry"])


def validate_event(event):
    """Every rule the event models state, as assertions."""
    assert event["mainLanguage"] in LANGUAGES
    assert event["name"][event["mainLanguage"]].strip()
    assert set(event["name"]) <= LANGUAGES
    kind = event["calendarType"]
    assert kind in CALENDAR_TYPES
    subs = event.get("subEvent", [])
    if kind == "single":
        assert len(subs) == 1
    if kind == "multiple":
        assert len(subs) >= 2
    if kind in ("single", "multiple", "periodic"):
        assert _datetime(event["startDate"]) <= _datetime(event["endDate"])
    if kind in ("single", "multiple"):
        assert "openingHours" not in event
    for sub in subs:
        assert {"startDate", "endDate", "status"} <= set(sub)
        assert _datetime(sub["startDate"]) <= _datetime(sub["endDate"])
        assert sub["status"]["type"] in {"Available", "TemporarilyUnavailable", "Unavailable"}
    for hours in event.get("openingHours", []):
        assert kind in ("periodic", "permanent")
        assert TIME.fullmatch(hours["opens"]) and TIME.fullmatch(hours["closes"])
        days = hours["dayOfWeek"]
        assert len(days) >= 1 and len(set(days)) == len(days) and set(days) <= DAYS
    assert AGE_RANGE.fullmatch(event["typicalAgeRange"])
    terms = event["terms"]
    assert len(terms) >= 1 and all("id" in t for t in terms)
    assert sum(t.get("domain") == "eventtype" for t in terms) == 1
    _address(event["location"]["address"])
    assert event["location"]["name"]["nl"].strip()
    organizer = event["organizer"]
    assert organizer["name"]["nl"].strip()
    _address(organizer["address"])
    assert re.fullmatch(r"[01]\d{3}\.\d{3}\.\d{3}", organizer["kbo"])


def _series(activity, code, days, *, start=time(14), end=time(16), refnis="44021"):
    series = Series.objects.create(
        activity=activity,
        code=code,
        municipality=municipality(refnis),
        venue="Sporthal" if refnis != "44021" else "",
        start_date=days[0] if days else date(2026, 9, 1),
        end_date=days[-1] if days else date(2026, 12, 20),
    )
    for day in days:
        Session.objects.create(
            series=series,
            academy=activity.academy,
            municipality=series.municipality,
            date=day,
            start_time=start,
            end_time=end,
        )
    return series


@pytest.fixture
def activity(municipalities):
    academy = AcademyFactory(municipality=municipality("44021"), postal_code="9000")
    Recognition.objects.create(academy=academy, valid_from=date(2015, 1, 1))
    activity = Activity.objects.create(
        academy=academy, code="A1", title="Robots bouwen", min_age=6, max_age=12, format="club"
    )
    _series(activity, "single", [date(2016, 3, 5)])  # winter time
    _series(activity, "multiple", [date(2016, 7, 4), date(2016, 7, 5)], refnis="44064")
    weekly = [date(2016, 10, 5), date(2016, 10, 12), date(2016, 10, 19), date(2016, 10, 26)]
    _series(activity, "periodic", weekly)
    _series(activity, "planned", [])
    return activity


def _events(client, activity):
    response = client.get(reverse("reporting:uitdatabank_activity", args=[activity.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return {e["@id"].rsplit("-", 1)[1]: e for e in json.loads(response.content)}


def test_every_calendar_type_follows_the_schema_rules(client, activity):
    events = _events(client, activity)
    by_code = {s.code: events[str(s.pk)] for s in activity.series.all()}
    for event in by_code.values():
        validate_event(event)
    single, multiple = by_code["single"], by_code["multiple"]
    periodic, planned = by_code["periodic"], by_code["planned"]
    assert single["calendarType"] == "single"
    assert single["subEvent"][0]["startDate"] == "2016-03-05T14:00:00+01:00"  # winter
    assert multiple["calendarType"] == "multiple" and len(multiple["subEvent"]) == 2
    assert multiple["subEvent"][1]["endDate"] == "2016-07-05T16:00:00+02:00"  # summer
    assert multiple["location"]["address"]["nl"]["addressLocality"] == "Sint-Martens-Latem"
    assert multiple["location"]["address"]["nl"]["postalCode"] == "9830"
    assert periodic["calendarType"] == "periodic" and "subEvent" not in periodic
    assert periodic["openingHours"] == [
        {"opens": "14:00", "closes": "16:00", "dayOfWeek": ["wednesday"]}
    ]
    assert periodic["startDate"].startswith("2016-10-05") and periodic["endDate"].startswith(
        "2016-10-26"
    )
    assert planned["calendarType"] == "periodic" and "openingHours" not in planned
    assert single["typicalAgeRange"] == "6-12"
    assert single["organizer"]["kbo"] == activity.academy.enterprise_number_display
    assert single["terms"] == [
        {"id": "0.3.1.0.0", "label": "Cursus of workshop", "domain": "eventtype"}
    ]


def test_age_range_is_written_as_uitdatabank_does():
    assert uitdatabank.age_range(6, 12) == "6-12"
    assert uitdatabank.age_range(6, 18) == "6-"
    assert uitdatabank.age_range(12, 18) == "12-"
    for value in ("6-12", "6-", "12-"):
        assert AGE_RANGE.fullmatch(value)


def test_bulk_export_per_academy_and_for_everyone(client, activity):
    other = AcademyFactory()
    Recognition.objects.create(academy=other, valid_from=date(2015, 1, 1))
    camp = Activity.objects.create(academy=other, code="K", title="Kamp", format="camp")
    _series(camp, "K1", [date(2016, 8, 1), date(2016, 8, 2), date(2016, 8, 3)])
    Activity.objects.create(academy=other, code="X", title="Intern", is_public=False)
    everything = json.loads(client.get(reverse("reporting:uitdatabank_bulk")).content)
    assert len(everything) == 5
    for event in everything:
        validate_event(event)
    camp_event = next(e for e in everything if e["name"]["nl"] == "Kamp")
    assert camp_event["terms"][0]["id"] == "0.57.0.0.0" and camp_event["typicalAgeRange"] == "5-"
    one = client.get(reverse("reporting:uitdatabank_bulk"), {"academie": other.pk})
    assert [e["name"]["nl"] for e in json.loads(one.content)] == ["Kamp"]
    hidden = Activity.objects.get(code="X")
    assert (
        client.get(reverse("reporting:uitdatabank_activity", args=[hidden.pk])).status_code == 404
    )
