"""The attendance register exchange format: import (all or nothing, every error by row and
column, idempotent) and export (the same columns, so a file round-trips).

Files are streamed (the csv module; openpyxl in read-only mode, after the zip's sizes were
checked) and bounded (rows, field length, unpacked size); the rows are checked, then
written in bulk in one transaction. Exports go through ``stemnet.exports``.
"""

import contextlib
import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import BinaryIO

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.audit import record
from stemnet.exports import write_csv, write_xlsx
from stemnet.models import Municipality
from stemnet.permissions import require
from stemnet.reference import flemish_postal_codes
from stemnet.validation import has_control_characters

from .eligibility import END_OF_DAY, clock, overlaps
from .kind_hours import refresh_eligible_children
from .models import Activity, Attendance, Participant, Series, Session
from .permissions import can_edit_academy_data
from .selectors.periods import locked_reasons
from .services import AcademyError
from .services.activities import apply_minutes
from .validation import (
    MIN_BIRTH_YEAR,
    REF_MAX_LENGTH,
    date_problem,
    participant_problems,
    ref_personal_data_warning,
)

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
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(:00)?$", re.ASCII)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_YEAR = re.compile(r"\d{4}", re.ASCII)
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
    rows: int = 0  # data rows read (the header not counted)
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    #: References that look like a name or an e-mail address (imported, but flagged).
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    def __init__(self, result: ImportResult):
        super().__init__(f"{len(result.errors)} errors")
        self.result = result


# Bounds of one file: what a request (or a background job) may ask the server to hold.
MAX_ROWS = 100_000
MAX_FIELD_CHARS = 1_000  # no column holds more than 200; longer is not a register
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 100  # sheet XML compresses about 10:1; a zip bomb 200:1 and more
LENGTHS = {
    "activity_code": 50,
    "activity_title": 200,
    "series_code": 50,
    "participant_ref": REF_MAX_LENGTH,
}


class ImportFileError(ValueError):
    """The file cannot be read as a register at all (message in Dutch)."""


def read_file(content: bytes, filename: str) -> list[dict]:
    """Rows of a CSV (UTF-8) or XLSX file as dicts of text, keyed by the header."""
    return list(iter_file(io.BytesIO(content), filename))


def iter_file(stream: BinaryIO, filename: str) -> Iterator[dict]:
    """The rows of a register file one by one (streamed: the file is never held whole
    in memory), as dicts of text keyed by the header. Raises ImportFileError with a
    Dutch message for a file that is not a register, too big or broken."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(stream)
    elif name.endswith(".csv"):
        rows = _csv_rows(stream)
    else:
        raise ImportFileError(_("Kies een CSV- of XLSX-bestand."))
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("Het bestand bevat geen rijen."))
    headers = [_text(h).lower() for h in header]
    missing = [column for column in REQUIRED if column not in headers]
    if missing:
        raise ImportFileError(_("Ontbrekende kolommen: %(cols)s.") % {"cols": ", ".join(missing)})
    count = 0
    for row in rows:
        if not any(v not in (None, "") for v in row):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(
                _(
                    "Het bestand heeft meer dan %(max)s rijen. Splits het in kleinere "
                    "bestanden (bijvoorbeeld per periode)."
                )
                % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        yield {h: _text(value) for h, value in zip(headers, row, strict=False) if h}


def _csv_rows(stream: BinaryIO) -> Iterator[list]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    line = 0
    try:
        for line, row in enumerate(reader, start=1):  # noqa: B007 — ``line`` names the row in the error
            yield row
    except UnicodeDecodeError as error:
        raise ImportFileError(_("Het CSV-bestand is niet in UTF-8 gecodeerd.")) from error
    except csv.Error as error:
        raise ImportFileError(
            _(
                "Rij %(row)s van het CSV-bestand kan niet gelezen worden (bijvoorbeeld een "
                "veld van meer dan 131.072 tekens of een aanhalingsteken dat niet sluit)."
            )
            % {"row": line + 1}
        ) from error
    finally:
        # Leave the caller's stream open (the wrapper would close it when collected).
        with contextlib.suppress(ValueError):
            text.detach()


def _check_zip(stream: BinaryIO) -> None:
    """Refuse what is not an XLSX, and a zip bomb, before openpyxl decompresses anything:
    the sizes in the zip's directory bound what reading it may produce (zipfile stops at
    the declared size and fails the CRC check if a member lies)."""
    not_xlsx = _("Dit is geen geldig XLSX-bestand. Bewaar het opnieuw als Excel-werkmap (.xlsx).")
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(not_xlsx) from error
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        raise ImportFileError(not_xlsx)
    total = sum(m.file_size for m in members)
    too_dense = any(
        m.file_size > 1024 * 1024 and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if total > MAX_XLSX_UNCOMPRESSED or too_dense:
        raise ImportFileError(
            _(
                "Dit XLSX-bestand is uitgepakt te groot (meer dan %(mb)s MB of ongewoon sterk "
                "gecomprimeerd). Splits het of bewaar het als CSV."
            )
            % {"mb": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}
        )
    stream.seek(0)


def _xlsx_rows(stream: BinaryIO) -> Iterator[tuple]:
    from openpyxl import load_workbook

    _check_zip(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 — a broken workbook fails in any of openpyxl's layers
        raise ImportFileError(
            _("Dit XLSX-bestand kan niet gelezen worden. Bewaar het opnieuw als Excel-werkmap.")
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        yield from sheet.iter_rows(values_only=True)
    except Exception as error:  # noqa: BLE001 — as above, while streaming the sheet
        raise ImportFileError(
            _("Dit XLSX-bestand kan niet gelezen worden. Bewaar het opnieuw als Excel-werkmap.")
        ) from error
    finally:
        workbook.close()


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


@dataclass(frozen=True, slots=True)
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


def _validate(
    rows: Iterable[dict], result: ImportResult, progress: Callable[[int], None] | None = None
) -> list[_Row]:
    """Every check of a row that needs no stored register data (formats, lengths,
    reference data, the participant rule of ``academies.validation``, the file's own
    consistency). Counts the rows into ``result.rows``."""
    municipalities = {m.refnis: m for m in Municipality.objects.all()}
    flemish = flemish_postal_codes()
    this_year = timezone.localdate().year
    seen: dict[tuple, int] = {}
    birth_years: dict[str, tuple[int, int]] = {}
    series_places: dict[tuple[str, str], tuple[str, int]] = {}
    session_ends: dict[tuple, tuple[time, int]] = {}
    valid: list[_Row] = []

    for index, raw in enumerate(rows, start=2):
        result.rows += 1
        if progress and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
        errors_before = len(result.errors)

        def error(column: str, message: str, number=index) -> None:
            result.errors.append(RowError(number, column, message))

        for column in COLUMNS:
            value = raw.get(column, "")
            if len(value) > MAX_FIELD_CHARS:
                raw[column] = ""
                error(column, _("Dit veld is te lang."))
            elif has_control_characters(value):
                error(column, _("Dit veld bevat een onzichtbaar controleteken."))
            elif column in LENGTHS and len(value) > LENGTHS[column]:
                error(
                    column,
                    _("Dit veld heeft hoogstens %(n)s tekens.") % {"n": LENGTHS[column]},
                )
        if len(result.errors) > errors_before:
            continue
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
            else:
                problem = date_problem(day)
                if problem:
                    error("session_date", problem)
                    day = None
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
        postal_code = raw.get("residence_postal_code", "")
        if not _YEAR.fullmatch(raw["birth_year"]):
            error("birth_year", _("Geef een geboortejaar van vier cijfers."))
            birth_year = MIN_BIRTH_YEAR  # to check the other fields of the participant
        else:
            birth_year = int(raw["birth_year"])
        for problem in participant_problems(
            ref=raw["participant_ref"],
            birth_year=birth_year,
            postal_code=postal_code,
            this_year=this_year,
            is_flemish=flemish.__contains__,
        ):
            error(_COLUMN_OF[problem.field], problem.message)
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
        known = birth_years.get(ref)
        if known and known[0] != birth_year:
            error(
                "birth_year",
                _("Deelnemer %(ref)s heeft geboortejaar %(year)s (%(where)s).")
                % {"ref": ref, "year": known[0], "where": _("rij %(row)s") % {"row": known[1]}},
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


_COLUMN_OF = {
    "ref": "participant_ref",
    "birth_year": "birth_year",
    "residence_postal_code": "residence_postal_code",
}
PROGRESS_EVERY = 1_000


def import_attendance(
    *,
    actor,
    academy,
    rows: Iterable[dict],
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import register rows for one academy: everything or nothing.

    Raises ImportRejected with every error when any row is bad; creates only what is
    missing, so importing the same rows again changes nothing. ``rows`` may be a
    generator (``iter_file``): it is read once. ``progress(rows_checked)`` is called
    while the rows are checked, before the writing transaction opens (so that a status
    row it updates is visible to the page polling it). Refused with AcademyError when
    ``actor`` (None is the system) may not edit the academy's register.
    """
    if actor is not None:
        require(can_edit_academy_data(actor, academy), AcademyError)
    result = ImportResult()
    valid = _validate(rows, result, progress)
    if result.rows == 0:
        result.errors.append(RowError(1, "-", _("Het bestand bevat geen rijen.")))
    if result.errors:
        raise ImportRejected(result)
    with transaction.atomic():
        _check_against_stored(academy, valid, result)
        if not result.errors:
            _check_overlaps(academy, valid, result)
        if result.errors:
            result.errors.sort(key=lambda e: e.row)
            raise ImportRejected(result)
        result.created = _write(academy, valid)
        flagged = sorted({row.ref for row in valid if ref_personal_data_warning(row.ref)})
        result.warnings = [ref_personal_data_warning(ref) for ref in flagged]
        record(
            actor=actor,
            action="attendance.imported",
            obj=academy,
            payload={"rows": result.rows, "created": result.created},
        )
    return result


def _check_against_stored(academy, valid: list[_Row], result: ImportResult) -> None:
    """The checks against what is stored, inside the writing transaction: the period
    lock (the one rule, ``selectors.periods.locked_reason``), birth years already
    registered, and sessions already stored with another end time or place."""
    locked = locked_reasons(academy.pk, {row.day for row in valid})
    existing_birth_years = dict(
        Participant.objects.filter(academy=academy).values_list("ref", "birth_year")
    )
    clean = []
    for row in valid:
        if row.day in locked:
            result.errors.append(RowError(row.number, "session_date", locked[row.day]))
        elif existing_birth_years.get(row.ref, row.birth_year) != row.birth_year:
            result.errors.append(
                RowError(
                    row.number,
                    "birth_year",
                    _("Deelnemer %(ref)s heeft geboortejaar %(year)s (%(where)s).")
                    % {
                        "ref": row.ref,
                        "year": existing_birth_years[row.ref],
                        "where": _("eerder geregistreerd"),
                    },
                )
            )
        else:
            clean.append(row)
    _check_existing_sessions(academy, clean, result)


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
    refresh_eligible_children({s for s, _p in missing})
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
    """The register as CSV or XLSX, every cell neutralised (``stemnet.exports``)."""
    rows = export_rows(academy, **kwargs)
    if fmt == "xlsx":
        return write_xlsx(rows, COLUMNS, "aanwezigheden")
    return write_csv(rows, COLUMNS)


def session_span(academy) -> tuple[date | None, date | None]:
    span = Session.objects.filter(academy=academy).aggregate(first=Min("date"), last=Max("date"))
    return span["first"], span["last"]
