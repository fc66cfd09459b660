"""The attendance register exchange format: import (all or nothing, every error by row and
column, idempotent) and export (the same columns, so a file round-trips).

Parsing goes through django-import-export's formats (CSV, XLSX); validation and writing
are ours, in bulk, in one transaction.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

from stemnet.audit import record
from stemnet.models import FLEMISH_REGION, Municipality, PostalCode

from .eligibility import END_OF_DAY, clock, overlaps
from .models import Activity, Attendance, Participant, Series, Session
from .selectors.periods import locked_ranges
from .services.activities import apply_minutes

COLUMNS = [
    "activity_code",
    "activity_title",
    "series_code",
    "session_date",
    "start_time",
    "end_time",
    "location_nis",
    "participant_ref",
    "birth_year",
    "residence_postal_code",
]
REQUIRED = COLUMNS[:-1]
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:00)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_END_OF_DAY = re.compile(r"^24:00(:00)?$")  # an end time only: the end of the session's day


@dataclass(frozen=True)
class RowError:
    row: int  # as in the spreadsheet: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Rij %(row)s, kolom %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    def __init__(self, result: ImportResult):
        super().__init__(f"{len(result.errors)} errors")
        self.result = result


def read_file(content: bytes, filename: str) -> list[dict]:
    """Rows of a CSV (UTF-8) or XLSX file as dicts of text, keyed by the header."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        dataset = XLSX().create_dataset(content)
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(_("Het CSV-bestand is niet in UTF-8 gecodeerd.")) from error
        dataset = CSV().create_dataset(text)
    else:
        raise ValueError(_("Kies een CSV- of XLSX-bestand."))
    headers = [str(h or "").strip().lower() for h in dataset.headers or []]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise ValueError(_("Ontbrekende kolommen: %(cols)s.") % {"cols": ", ".join(missing)})
    return [
        {h: _text(value) for h, value in zip(headers, row, strict=False)}
        for row in dataset
        if any(v not in (None, "") for v in row)
    ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class _Row:
    number: int
    activity_code: str
    activity_title: str
    series_code: str
    day: date
    start: time
    end: time
    refnis: str
    ref: str
    birth_year: int
    postal_code: str


def _validate(rows: list[dict], academy, result: ImportResult) -> list[_Row]:
    municipalities = {m.refnis: m for m in Municipality.objects.all()}
    flemish_postal_codes = set(
        PostalCode.objects.filter(municipality__region=FLEMISH_REGION).values_list(
            "code", flat=True
        )
    )
    this_year = timezone.localdate().year
    locked = locked_ranges(academy.pk)
    existing_birth_years = dict(
        Participant.objects.filter(academy=academy).values_list("ref", "birth_year")
    )
    seen: dict[tuple, int] = {}
    birth_years: dict[str, tuple[int, int]] = {}
    series_places: dict[tuple[str, str], tuple[str, int]] = {}
    session_ends: dict[tuple, tuple[time, int]] = {}
    valid: list[_Row] = []

    for index, raw in enumerate(rows, start=2):
        errors_before = len(result.errors)

        def error(column: str, message: str, number=index) -> None:
            result.errors.append(RowError(number, column, message))

        for column in REQUIRED:
            if not raw.get(column):
                error(column, _("Dit veld is verplicht."))
        if len(result.errors) > errors_before:
            continue

        day = start = end = None
        if not _DATE.match(raw["session_date"]):
            error("session_date", _("Gebruik het formaat JJJJ-MM-DD."))
        else:
            try:
                day = date.fromisoformat(raw["session_date"])
            except ValueError:
                error("session_date", _("Deze datum bestaat niet."))
        for column in ("start_time", "end_time"):
            if column == "end_time" and _END_OF_DAY.match(raw[column]):
                end = END_OF_DAY
                continue
            match = _TIME.match(raw[column])
            if not match:
                error(column, _("Gebruik het formaat UU:MM (bv. 14:00)."))
            elif column == "start_time":
                start = time(int(match.group(1)), int(match.group(2)))
            else:
                end = time(int(match.group(1)), int(match.group(2)))
        if start and end and end <= start:
            error("end_time", _("Het einduur ligt niet na het beginuur."))
        refnis = raw["location_nis"]
        municipality = municipalities.get(refnis)
        if municipality is None:
            error("location_nis", _("Onbekende NIS-code %(code)s.") % {"code": refnis})
        else:
            refnis = municipality.resolve().refnis
        birth_year = None
        if not re.fullmatch(r"\d{4}", raw["birth_year"]):
            error("birth_year", _("Geef een geboortejaar van vier cijfers."))
        else:
            birth_year = int(raw["birth_year"])
            if birth_year > this_year:
                error("birth_year", _("Dit geboortejaar ligt in de toekomst."))
            elif birth_year < 1900:
                error("birth_year", _("Dit geboortejaar is niet geloofwaardig."))
        postal_code = raw.get("residence_postal_code", "")
        if postal_code and postal_code not in flemish_postal_codes:
            if re.fullmatch(r"\d{4}", postal_code):
                error(
                    "residence_postal_code",
                    _("Postcode %(code)s ligt niet in Vlaanderen.") % {"code": postal_code},
                )
            else:
                error("residence_postal_code", _("Een postcode heeft vier cijfers."))
        if day and any(first <= day <= last for first, last in locked):
            error(
                "session_date",
                _("Deze datum valt in een afgesloten of ingediende periode."),
            )
        if len(result.errors) > errors_before:
            continue

        key = (raw["activity_code"], raw["series_code"], day, start, raw["participant_ref"])
        if key in seen:
            error(
                "participant_ref",
                _("Dubbele rij: dezelfde deelnemer en sessie staan al op rij %(row)s.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = index
        ref = raw["participant_ref"]
        known = birth_years.get(ref) or (
            (existing_birth_years[ref], 0) if ref in existing_birth_years else None
        )
        if known and known[0] != birth_year:
            where = _("rij %(row)s") % {"row": known[1]} if known[1] else _("eerder geregistreerd")
            error(
                "birth_year",
                _("Deelnemer %(ref)s heeft geboortejaar %(year)s (%(where)s).")
                % {"ref": ref, "year": known[0], "where": where},
            )
            continue
        birth_years.setdefault(ref, (birth_year, index))
        session_end = session_ends.setdefault(
            (raw["activity_code"], raw["series_code"], day, start), (end, index)
        )
        if session_end[0] != end:
            error(
                "end_time",
                _("Dezelfde sessie heeft op rij %(row)s einduur %(end)s.")
                % {"row": session_end[1], "end": clock(session_end[0])},
            )
            continue
        place = series_places.setdefault(
            (raw["activity_code"], raw["series_code"]), (refnis, index)
        )
        if place[0] != refnis:
            error(
                "location_nis",
                _("Reeks %(series)s ligt in gemeente %(code)s (rij %(row)s).")
                % {"series": raw["series_code"], "code": place[0], "row": place[1]},
            )
            continue
        valid.append(
            _Row(
                index,
                raw["activity_code"],
                raw["activity_title"],
                raw["series_code"],
                day,
                start,
                end,
                refnis,
                ref,
                birth_year,
                postal_code,
            )
        )
    return valid


def import_attendance(*, actor, academy, rows: list[dict]) -> ImportResult:
    """Import register rows for one academy: everything or nothing.

    Raises ImportRejected with every error when any row is bad; creates only what is
    missing, so importing the same rows again changes nothing.
    """
    result = ImportResult(rows=len(rows))
    if not rows:
        result.errors.append(RowError(1, "-", _("Het bestand bevat geen rijen.")))
        raise ImportRejected(result)
    with transaction.atomic():
        valid = _validate(rows, academy, result)
        if not result.errors:
            _check_existing_sessions(academy, valid, result)
        if not result.errors:
            _check_overlaps(academy, valid, result)
        if result.errors:
            raise ImportRejected(result)
        result.created = _write(academy, valid)
        record(
            actor=actor,
            action="attendance.imported",
            obj=academy,
            payload={"rows": len(rows), "created": result.created},
        )
    return result


def _check_existing_sessions(academy, valid: list[_Row], result: ImportResult) -> None:
    """A session already stored with another end time or place is a conflict, not a copy."""
    stored = {
        (a, s, d, st): (en, m)
        for a, s, d, st, en, m in Session.objects.filter(academy=academy).values_list(
            "series__activity__code",
            "series__code",
            "date",
            "start_time",
            "end_time",
            "municipality_id",
        )
    }
    series_place = {
        (a, s): m
        for a, s, m in Series.objects.filter(activity__academy=academy).values_list(
            "activity__code", "code", "municipality_id"
        )
    }
    for row in valid:
        place = series_place.get((row.activity_code, row.series_code))
        if place and place != row.refnis:
            result.errors.append(
                RowError(
                    row.number,
                    "location_nis",
                    _("Reeks %(series)s ligt al in gemeente %(code)s.")
                    % {"series": row.series_code, "code": place},
                )
            )
            continue
        known = stored.get((row.activity_code, row.series_code, row.day, row.start))
        if known and known[0] != row.end:
            result.errors.append(
                RowError(
                    row.number,
                    "end_time",
                    _("Deze sessie bestaat al met einduur %(end)s.") % {"end": clock(known[0])},
                )
            )


def _check_overlaps(academy, valid: list[_Row], result: ImportResult) -> None:
    """A child cannot be present at two overlapping sessions of the same academy: each
    row that puts a child in a session overlapping another one of theirs (in the file or
    already registered) is an error naming both sessions."""
    # (ref, day) -> {session key: (start, end, row number or 0 when already registered)}
    attended: dict[tuple[str, date], dict[tuple, tuple[time, time, int]]] = defaultdict(dict)
    stored = Attendance.objects.filter(
        session__academy=academy,
        session__date__in={row.day for row in valid},
        participant__ref__in={row.ref for row in valid},
    ).values_list(
        "participant__ref",
        "session__series__activity__code",
        "session__series__code",
        "session__date",
        "session__start_time",
        "session__end_time",
    )
    for ref, activity_code, series_code, day, start, end in stored:
        attended[(ref, day)][(activity_code, series_code, start)] = (start, end, 0)
    for row in valid:
        attended[(row.ref, row.day)][(row.activity_code, row.series_code, row.start)] = (
            row.start,
            row.end,
            row.number,
        )
    for (ref, day), sessions in attended.items():
        items = sorted(sessions.items(), key=lambda item: (item[1][0], item[1][2]))
        for i, (key, (start, end, number)) in enumerate(items):
            for other_key, (other_start, other_end, other_number) in items[:i] + items[i + 1 :]:
                if not number or not overlaps((start, end), (other_start, other_end)):
                    continue
                if other_number and other_number > number:
                    continue  # reported on the later of two rows, naming the earlier
                where = (
                    _("rij %(row)s") % {"row": other_number}
                    if other_number
                    else _("al geregistreerd")
                )
                result.errors.append(
                    RowError(
                        number,
                        "participant_ref",
                        _(
                            "Deelnemer %(ref)s is op %(day)s al aanwezig op een sessie die "
                            "overlapt: reeks %(series)s %(start)s–%(end)s (%(where)s) en "
                            "reeks %(this_series)s %(this_start)s–%(this_end)s. Een kind kan "
                            "niet op twee sessies tegelijk aanwezig zijn."
                        )
                        % {
                            "ref": ref,
                            "day": day.isoformat(),
                            "series": other_key[1],
                            "start": clock(other_start),
                            "end": clock(other_end),
                            "where": where,
                            "this_series": key[1],
                            "this_start": clock(start),
                            "this_end": clock(end),
                        },
                    )
                )
    result.errors.sort(key=lambda error: error.row)


def _write(academy, valid: list[_Row]) -> dict[str, int]:
    created = {}
    activities = {a.code: a for a in Activity.objects.filter(academy=academy)}
    new = {}
    for row in valid:
        if row.activity_code not in activities and row.activity_code not in new:
            new[row.activity_code] = Activity(
                academy=academy, code=row.activity_code, title=row.activity_title
            )
    Activity.objects.bulk_create(new.values())
    created["activities"] = len(new)
    activities = {a.code: a for a in Activity.objects.filter(academy=academy)}

    spans: dict[tuple[str, str], list[date]] = defaultdict(list)
    places = {}
    for row in valid:
        spans[(row.activity_code, row.series_code)].append(row.day)
        places[(row.activity_code, row.series_code)] = row.refnis
    series = {
        (s.activity.code, s.code): s
        for s in Series.objects.filter(activity__academy=academy).select_related("activity")
    }
    new_series, changed = [], []
    for key, days in spans.items():
        first, last = min(days), max(days)
        existing = series.get(key)
        if existing is None:
            new_series.append(
                Series(
                    activity=activities[key[0]],
                    code=key[1],
                    municipality_id=places[key],
                    start_date=first,
                    end_date=last,
                )
            )
        elif first < existing.start_date or last > existing.end_date:
            existing.start_date = min(first, existing.start_date)
            existing.end_date = max(last, existing.end_date)
            changed.append(existing)
    Series.objects.bulk_create(new_series)
    Series.objects.bulk_update(changed, ["start_date", "end_date"])
    created["series"] = len(new_series)
    series = {
        (s.activity.code, s.code): s
        for s in Series.objects.filter(activity__academy=academy).select_related("activity")
    }

    sessions = {
        (s.series_id, s.date, s.start_time): s
        for s in Session.objects.filter(series__in=[s.pk for s in series.values()])
    }
    new_sessions = {}
    for row in valid:
        s = series[(row.activity_code, row.series_code)]
        key = (s.pk, row.day, row.start)
        if key not in sessions and key not in new_sessions:
            new_sessions[key] = Session(
                series=s,
                academy=academy,
                municipality_id=s.municipality_id,
                date=row.day,
                start_time=row.start,
                end_time=row.end,
            )
    Session.objects.bulk_create(apply_minutes(list(new_sessions.values())), batch_size=2000)
    created["sessions"] = len(new_sessions)
    if new_sessions:
        sessions = {
            (s.series_id, s.date, s.start_time): s
            for s in Session.objects.filter(series__in=[s.pk for s in series.values()])
        }

    participants = {p.ref: p for p in Participant.objects.filter(academy=academy)}
    new_participants = {}
    for row in valid:
        if row.ref not in participants and row.ref not in new_participants:
            new_participants[row.ref] = Participant(
                academy=academy,
                ref=row.ref,
                birth_year=row.birth_year,
                residence_postal_code=row.postal_code,
            )
    Participant.objects.bulk_create(new_participants.values(), batch_size=2000)
    created["participants"] = len(new_participants)
    if new_participants:
        participants = {p.ref: p for p in Participant.objects.filter(academy=academy)}

    wanted = {
        (
            sessions[(series[(r.activity_code, r.series_code)].pk, r.day, r.start)].pk,
            participants[r.ref].pk,
        )
        for r in valid
    }
    existing = set(
        Attendance.objects.filter(session__academy=academy).values_list(
            "session_id", "participant_id"
        )
    )
    missing = sorted(wanted - existing)
    Attendance.objects.bulk_create(
        [Attendance(session_id=s, participant_id=p) for s, p in missing], batch_size=5000
    )
    created["attendance"] = len(missing)
    enrolments = {
        (series[(r.activity_code, r.series_code)].pk, participants[r.ref].pk) for r in valid
    }
    Series.participants.through.objects.bulk_create(
        [Series.participants.through(series_id=s, participant_id=p) for s, p in enrolments],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return created


def export_rows(academy, *, start: date | None = None, end: date | None = None) -> list[list]:
    """The academy's attendance in the exchange format, one row per child per session."""
    qs = Attendance.objects.filter(session__academy=academy)
    if start:
        qs = qs.filter(session__date__gte=start)
    if end:
        qs = qs.filter(session__date__lte=end)
    rows = qs.order_by(
        "session__date", "session__start_time", "session__series__code", "participant__ref"
    ).values_list(
        "session__series__activity__code",
        "session__series__activity__title",
        "session__series__code",
        "session__date",
        "session__start_time",
        "session__end_time",
        "session__municipality_id",
        "participant__ref",
        "participant__birth_year",
        "participant__residence_postal_code",
    )
    return [
        [a, t, s, d.isoformat(), clock(st), clock(en), m, r, str(y), pc]
        for a, t, s, d, st, en, m, r, y, pc in rows
    ]


def export_file(academy, fmt: str, **kwargs) -> bytes:
    import tablib

    dataset = tablib.Dataset(*export_rows(academy, **kwargs), headers=COLUMNS)
    if fmt == "xlsx":
        return XLSX().export_data(dataset)
    return CSV().export_data(dataset).encode("utf-8")


def session_span(academy) -> tuple[date | None, date | None]:
    span = Session.objects.filter(academy=academy).aggregate(first=Min("date"), last=Max("date"))
    return span["first"], span["last"]
