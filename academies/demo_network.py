"""A realistic, deterministic demo network shaped like the 2016 STEM-academy network.

At scale 1 one year has 130 academies of which 93 recognised, 662 activities, 1,227
series, about 11,600 sessions, 144,000 attendance rows, 210,000 KIND-uren and 26,000
children, spread over real Flemish municipalities, with the usual Flemish school holidays
entered as staff would, and the messy parts of real data: weekday clubs that start before
school is out, 4- and 19-year-olds, a recognition that starts mid-year, academies without
recognition, a session in Brussels. Attendance goes through the same import as academies'
spreadsheets; scale 10 is the network the benchmarks use.
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import connection, transaction

from stemnet.models import Municipality, PostalCode

from .imports import import_attendance
from .models import (
    Academy,
    Activity,
    ActivityFormat,
    Attendance,
    LegalForm,
    Participant,
    Recognition,
    SchoolHoliday,
    Series,
    Session,
    StemDomain,
)
from .services.holidays import import_holidays

ACADEMIES, ACTIVITIES, SERIES = 93, 662, 1227
UNRECOGNISED = 37  # per scale: applied, refused or lapsed (130 academies in all, like 2019)
KINDS = [
    "TechniekClub",
    "CoderDojo",
    "Wetenschapsclub",
    "Robotica-atelier",
    "MakerSpace",
    "Wiskundeclub",
    "STEM-kamp",
    "Natuurlabo",
    "Elektronicaclub",
    "Ruimtevaartclub",
]
TOPICS = [
    "Robots bouwen",
    "Programmeren met Scratch",
    "Proefjes in het labo",
    "3D-printen",
    "Elektronica solderen",
    "Bruggen bouwen",
    "Sterrenkunde",
    "Minecraft Education",
    "Wiskunde-uitdagingen",
    "Duurzame energie",
    "Drones",
    "Chemie in de keuken",
]


@dataclass
class NetworkSummary:
    academies: int
    recognised: int
    activities: int
    series: int
    sessions: int
    attendance: int


def _kbo(n: int) -> str:
    base = f"0{3_000_000 + n:07d}"
    return f"{base}{97 - int(base) % 97:02d}"


def _series_plan(rng: random.Random, year: int):
    """(format, first day, number of sessions, start hour, hours per session, days between
    sessions, chance that an enrolled child attends a session)."""
    kind = rng.random()
    if kind < 0.55:  # weekly one-hour club for a school term, children drop in and out
        weekday = rng.choice([2, 5, 5])
        hour = 14 if weekday == 2 else 10
        if rng.random() < 0.08:  # messy: a weekday club starting before school is out
            weekday, hour = rng.choice([0, 1, 3, 4]), 15
        start = date(year, rng.choice([1, 2, 3, 9, 10]), 1)
        start += timedelta(days=(weekday - start.weekday()) % 7)
        return ActivityFormat.CLUB, start, rng.randint(12, 18), hour, 1, 7, 0.5
    if kind < 0.85:  # workshop on one to three Saturdays
        start = date(year, rng.randint(1, 12), rng.randint(1, 28))
        start += timedelta(days=(5 - start.weekday()) % 7)
        return ActivityFormat.WORKSHOP, start, rng.randint(1, 3), 13, 3, 7, 0.85
    # holiday camp: consecutive weekdays in July or August, five hours a day
    start = date(year, rng.choice([7, 8]), rng.randint(1, 20))
    start += timedelta(days=(0 - start.weekday()) % 7)
    return ActivityFormat.CAMP, start, rng.randint(3, 5), 9, 5, 1, 0.85


HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "school_holidays_flanders.csv"


def school_holidays(first: date, last: date) -> list[tuple[str, date, date]]:
    """The Flemish school holidays (autumn, Christmas, carnival, Easter, summer) of every
    school year that touches ``first``..``last``, from the published calendar kept as data
    (``academies/data/school_holidays_flanders.csv``)."""
    with HOLIDAYS_FILE.open(encoding="utf-8") as handle:
        rows = [
            (r["name"], date.fromisoformat(r["start_date"]), date.fromisoformat(r["end_date"]))
            for r in csv.DictReader(handle)
        ]
    years = {(day.year if day.month >= 9 else day.year - 1) for day in (first, last)}
    first_year, last_year = min(years), max(years)
    return [
        row
        for row in rows
        if first_year <= (row[1].year if row[1].month >= 9 else row[1].year - 1) <= last_year
    ]


def enter_school_holidays(first: date, last: date) -> int:
    """Enter the school holidays covering ``first``..``last`` as staff would, through the
    same import service; holidays already entered are left alone. Returns how many were
    added."""
    existing = set(SchoolHoliday.objects.values_list("name", "start_date", "end_date"))
    missing = [row for row in school_holidays(first, last) if row not in existing]
    if not missing:
        return 0
    content = io.StringIO()
    writer = csv.writer(content)
    writer.writerow(["name", "start_date", "end_date"])
    writer.writerows((name, a.isoformat(), b.isoformat()) for name, a, b in missing)
    return import_holidays(actor=None, content=content.getvalue())


def generate_network(*, scale: int = 1, seed: int = 2016, year: int = 2016) -> NetworkSummary:
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    flemish = list(Municipality.objects.flemish().order_by("refnis"))
    if not flemish:
        raise RuntimeError("Load the municipalities first: manage.py load_municipalities")
    postal = {}
    for code, refnis in PostalCode.objects.order_by("code").values_list("code", "municipality"):
        postal.setdefault(refnis, code)
    n_academies = ACADEMIES * scale
    offset = Academy.objects.count()
    enter_school_holidays(date(year, 1, 1), date(year, 12, 31))

    taken = set(Academy.objects.values_list("name", flat=True))

    def unique(name: str) -> str:
        # Two clubs of the same kind in one municipality get a number, as in real life.
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name} {n}"
        taken.add(candidate)
        return candidate

    with transaction.atomic():
        academies = Academy.objects.bulk_create(
            Academy(
                name=unique(f"{rng.choice(KINDS)} {place.name}"),
                enterprise_number=_kbo(offset + i),
                legal_form=rng.choice([LegalForm.VZW, LegalForm.VZW, LegalForm.FV]),
                street=f"Schoolstraat {rng.randint(1, 120)}",
                postal_code=postal.get(place.refnis, "9000"),
                municipality=place,
                email=f"info{offset + i}@academie.example.org",
                stem_domains=rng.sample([d.value for d in StemDomain], 2),
                public_description="Buitenschoolse STEM-activiteiten voor kinderen en jongeren.",
            )
            for i, place in enumerate(
                rng.choice(flemish) for _ in range(n_academies + UNRECOGNISED * scale)
            )
        )
        recognised = academies[:n_academies]
        Recognition.objects.bulk_create(
            Recognition(
                academy=academy,
                # Most were recognised before the year; a few mid-year (messy on purpose).
                valid_from=date(year, 4, 1) if i % 31 == 7 else date(year - 2, 9, 1),
            )
            for i, academy in enumerate(recognised)
        )

    activities_per_academy = _spread(rng, ACTIVITIES * scale, n_academies)
    series_budget = _spread(rng, SERIES * scale, ACTIVITIES * scale)
    sessions = attendance = activity_index = child_counter = 0
    for academy, n_activities in zip(recognised, activities_per_academy, strict=True):
        rows = []
        home = academy.municipality_id
        places = [home] + [rng.choice(flemish).refnis for _ in range(2)]
        formats: dict[str, list[str]] = {}  # the format of an activity's first series
        for a in range(n_activities):
            code = f"ACT{a + 1:02d}"
            title = rng.choice(TOPICS)
            for s in range(series_budget[activity_index]):
                series_rows, child_counter, fmt = _series_rows(
                    rng,
                    year=year,
                    code=code,
                    title=title,
                    series_code=f"R{s + 1:02d}",
                    places=places,
                    postal=postal,
                    child_counter=child_counter,
                )
                rows += series_rows
                if s == 0:
                    formats.setdefault(fmt, []).append(code)
            activity_index += 1
        if rows:
            result = import_attendance(actor=None, academy=academy, rows=rows)
            attendance += result.created["attendance"]
            sessions += result.created["sessions"]
        Activity.objects.filter(academy=academy).update(min_age=6, max_age=14)
        for fmt, codes in formats.items():
            Activity.objects.filter(academy=academy, code__in=codes).update(format=fmt)

    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk load, before autovacuum gets round to it: without
        # them the planner estimates one row per join and picks nested loops (~30% slower).
        with connection.cursor() as cursor:
            for model in (
                Academy,
                Recognition,
                Activity,
                Series,
                Series.participants.through,
                Session,
                Participant,
                Attendance,
            ):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    return NetworkSummary(
        academies=len(academies),
        recognised=len(recognised),
        activities=ACTIVITIES * scale,
        series=SERIES * scale,
        sessions=sessions,
        attendance=attendance,
    )


def _series_rows(
    rng: random.Random,
    *,
    year: int,
    code: str,
    title: str,
    series_code: str,
    places: list[str],
    postal: dict,
    child_counter: int,
    ref_prefix: str = "K",
    until: date | None = None,
) -> tuple[list[dict], int, str]:
    """The register rows of one series in ``year`` (none after ``until``), with its own
    children."""
    rows = []
    fmt, first, count, hour, hours, step, presence = _series_plan(rng, year)
    place = rng.choice(places)
    if rng.random() < 0.002:
        place = "21004"  # Brussels: outside Flanders, never counted
    size = rng.randint(14, 32)
    children = []
    for _ in range(size):
        child_counter += 1
        age = rng.choice([4] * 2 + list(range(6, 15)) * 10 + [19] * 2)
        children.append((f"{ref_prefix}{child_counter:06d}", year - age))
    for k in range(count):
        day = first + timedelta(days=k * step)
        if day.year != year or (until is not None and day > until):
            break
        for ref, birth_year in children:
            if rng.random() > presence:
                continue
            rows.append(
                {
                    "activity_code": code,
                    "activity_title": title,
                    "series_code": series_code,
                    "session_date": day.isoformat(),
                    "start_time": f"{hour:02d}:00",
                    "end_time": f"{hour + hours:02d}:00",
                    "location_nis": place,
                    "participant_ref": ref,
                    "birth_year": str(birth_year),
                    "residence_postal_code": postal.get(place, "") if place != "21004" else "",
                }
            )
    return rows, child_counter, fmt


def _spread(rng: random.Random, total: int, buckets: int) -> list[int]:
    """``total`` items over ``buckets``, each at least one, unevenly like real life."""
    counts = [1] * buckets
    for _ in range(total - buckets):
        counts[rng.randrange(buckets)] += 1
    return counts


@dataclass
class RecentSummary:
    academies: int
    sessions: int
    attendance: int


def generate_recent_years(
    *, academies, first: date, today: date, seed: int = 2026, activities_per_academy: int = 2
) -> RecentSummary:
    """Recent activity of some recognised academies, from ``first`` up to ``today``, so the
    demo has current periods next to the 2016-like year: one or two series per activity
    per year, their school holidays entered first. Idempotent per academy: an academy that
    already has sessions in the range is left alone."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    flemish = list(
        Municipality.objects.flemish().order_by("refnis").values_list("refnis", flat=True)
    )
    postal = {}
    for code, refnis in PostalCode.objects.order_by("code").values_list("code", "municipality"):
        postal.setdefault(refnis, code)
    enter_school_holidays(first, today)
    sessions = attendance = 0
    for academy in academies:
        if Session.objects.filter(academy=academy, date__gte=first).exists():
            continue
        places = [academy.municipality_id] + [rng.choice(flemish) for _ in range(2)]
        rows, child_counter = [], 0
        for a in range(activities_per_academy):
            code, title = f"N{a + 1:02d}", rng.choice(TOPICS)
            for year in range(first.year, today.year + 1):
                for s in range(rng.randint(1, 2)):
                    series_rows, child_counter, _fmt = _series_rows(
                        rng,
                        year=year,
                        code=code,
                        title=title,
                        series_code=f"{year}-R{s + 1}",
                        places=places,
                        postal=postal,
                        child_counter=child_counter,
                        ref_prefix=f"N{year}-",
                        until=today,
                    )
                    rows += [r for r in series_rows if r["session_date"] >= first.isoformat()]
        if rows:
            result = import_attendance(actor=None, academy=academy, rows=rows)
            attendance += result.created["attendance"]
            sessions += result.created["sessions"]
        Activity.objects.filter(academy=academy, code__startswith="N").update(min_age=6, max_age=14)
    return RecentSummary(academies=len(academies), sessions=sessions, attendance=attendance)
