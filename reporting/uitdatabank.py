"""Public activities as UiTdatabank event JSON, so academies need not enter them twice.

One event per series (a series has one place). Calendar type: ``single`` for one session,
``periodic`` (start and end date with weekly opening hours) for four or more sessions all on
the same weekday and hours, ``multiple`` (one subEvent per session) otherwise; a series
without sessions yet is ``periodic`` over its dates. Times carry the Brussels offset of their
own day. ``typicalAgeRange`` is written as UiTdatabank does: ``"6-12"``, or ``"12-"`` when the
activity runs up to 18 (the network's upper age: "and older"). Pure: takes model instances
with their series and sessions loaded, returns dicts.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVENT_TYPES = {  # UiTdatabank eventtype terms
    "camp": ("0.57.0.0.0", "Kamp of vakantie"),
    "club": ("0.3.1.0.0", "Cursus of workshop"),
    "workshop": ("0.3.1.0.0", "Cursus of workshop"),
    "other": ("0.3.1.0.0", "Cursus of workshop"),
}
NETWORK_MAX_AGE = 18
PERIODIC_MIN_SESSIONS = 4


def age_range(min_age: int, max_age: int) -> str:
    return f"{min_age}-" if max_age >= NETWORK_MAX_AGE else f"{min_age}-{max_age}"


def _moment(day, at) -> str:
    return datetime.combine(day, at, tzinfo=BRUSSELS).isoformat(timespec="seconds")


def _day_end(day) -> str:
    """End of a calendar day, in Brussels time."""
    return (
        datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=BRUSSELS)
        - timedelta(seconds=1)
    ).isoformat(timespec="seconds")


def _day_start(day) -> str:
    return datetime.combine(day, datetime.min.time(), tzinfo=BRUSSELS).isoformat(timespec="seconds")


def calendar(series, sessions) -> dict:
    """The calendar part of an event for a series and its sessions (date order)."""
    if len(sessions) == 1:
        s = sessions[0]
        start, end = _moment(s.date, s.start_time), _moment(s.date, s.end_time)
        return {
            "calendarType": "single",
            "startDate": start,
            "endDate": end,
            "subEvent": [{"startDate": start, "endDate": end, "status": {"type": "Available"}}],
        }
    same_slot = {(s.date.weekday(), s.start_time, s.end_time) for s in sessions}
    if not sessions or (len(sessions) >= PERIODIC_MIN_SESSIONS and len(same_slot) == 1):
        first = sessions[0].date if sessions else series.start_date
        last = sessions[-1].date if sessions else series.end_date
        result = {
            "calendarType": "periodic",
            "startDate": _day_start(first),
            "endDate": _day_end(last),
        }
        if sessions:
            weekday, opens, closes = same_slot.pop()
            result["openingHours"] = [
                {
                    "opens": opens.strftime("%H:%M"),
                    "closes": closes.strftime("%H:%M"),
                    "dayOfWeek": [DAYS[weekday]],
                }
            ]
        return result
    subs = [
        {
            "startDate": _moment(s.date, s.start_time),
            "endDate": _moment(s.date, s.end_time),
            "status": {"type": "Available"},
        }
        for s in sessions
    ]
    return {
        "calendarType": "multiple",
        "startDate": subs[0]["startDate"],
        "endDate": subs[-1]["endDate"],
        "subEvent": subs,
    }


def _address(street, postal_code, locality) -> dict:
    return {
        "nl": {
            "streetAddress": street,
            "postalCode": postal_code,
            "addressLocality": locality,
            "addressCountry": "BE",
        }
    }


def event(activity, series, sessions, *, url: str, academy_url: str, postal_code: str) -> dict:
    """One series of a public activity as a UiTdatabank event."""
    academy = activity.academy
    at_home = series.municipality_id == academy.municipality_id
    street = series.venue or (academy.street if at_home else "") or series.municipality.name
    place_postal = academy.postal_code if at_home else postal_code
    code, label = EVENT_TYPES.get(activity.format, EVENT_TYPES["other"])
    result = {
        "@id": f"{url}#reeks-{series.pk}",
        "mainLanguage": "nl",
        "name": {"nl": f"{activity.title}"},
        **calendar(series, sessions),
        "status": {"type": "Available"},
        "typicalAgeRange": age_range(activity.min_age, activity.max_age),
        "terms": [{"id": code, "label": label, "domain": "eventtype"}],
        "location": {
            "name": {"nl": series.venue or series.municipality.name},
            "address": _address(street, place_postal, series.municipality.name),
        },
        "organizer": {
            "@id": academy_url,
            "mainLanguage": "nl",
            "name": {"nl": academy.name},
            "address": _address(academy.street, academy.postal_code, academy.municipality.name),
            # Not a field of UiTdatabank's organizer model: the KBO number identifies the
            # academy for whoever imports the file.
            "kbo": academy.enterprise_number_display,
        },
        "audience": {"audienceType": "everyone"},
    }
    if activity.description:
        result["description"] = {"nl": activity.description}
    if academy.website:
        result["organizer"]["url"] = academy.website
    return result
