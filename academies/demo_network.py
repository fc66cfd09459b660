"""A realistic, deterministic demo network shaped like the 2016 STEM-academy network.

At scale 1 one year has 130 academies of which 93 recognised, 662 activities, 1,227
series, about 11,600 sessions, 144,000 attendance rows, 210,000 KIND-uren and 26,000
children, spread over real Flemish municipalities, with the usual Flemish school holidays
entered as staff would, and the messy parts of real data: weekday clubs that start before
school is out, 4- and 19-year-olds, a recognition that starts mid-year, academies without
recognition, a session in Brussels. Attendance goes through the same import as academies'
spreadsheets; scale 10 is the network the benchmarks use.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter
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
from .services.holidays import add_holiday

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


def school_holidays(year: int) -> list[tuple[str, date, date]]:
    """The usual Flemish school holidays of a year, as staff would enter them."""
    easter_sunday = easter(year)
    carnival = easter_sunday - timedelta(days=47)  # Shrove Tuesday
    krokus = carnival - timedelta(days=carnival.weekday())
    paas = (
        easter_sunday - timedelta(days=6)
        if easter_sunday.month == 4
        else easter_sunday + timedelta(days=1)
    )
    november = date(year, 11, 1)
    herfst = november - timedelta(days=november.weekday())
    return [
        ("Kerstvakantie", date(year, 1, 1), date(year, 1, 3 + (6 - date(year, 1, 3).weekday()))),
        ("Krokusvakantie", krokus, krokus + timedelta(days=6)),
        ("Paasvakantie", paas, paas + timedelta(days=13)),
        ("Zomervakantie", date(year, 7, 1), date(year, 8, 31)),
        ("Herfstvakantie", herfst, herfst + timedelta(days=6)),
        ("Kerstvakantie", date(year, 12, 24), date(year, 12, 31)),
    ]


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
    if not SchoolHoliday.objects.filter(start_date__year=year).exists():
        for name, first, last in school_holidays(year):
            add_holiday(actor=None, name=name, start_date=first, end_date=last)

    with transaction.atomic():
        academies = Academy.objects.bulk_create(
            Academy(
                name=f"{rng.choice(KINDS)} {place.name}",
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
                fmt, first, count, hour, hours, step, presence = _series_plan(rng, year)
                if s == 0:
                    formats.setdefault(fmt, []).append(code)
                place = rng.choice(places)
                if rng.random() < 0.002:
                    place = "21004"  # Brussels: outside Flanders, never counted
                size = rng.randint(14, 32)
                children = []
                for _ in range(size):
                    child_counter += 1
                    age = rng.choice([4] * 2 + list(range(6, 15)) * 10 + [19] * 2)
                    children.append((f"K{child_counter:06d}", year - age))
                start_hour = hour
                for k in range(count):
                    day = first + timedelta(days=k * step)
                    if day.year != year:
                        break
                    for ref, birth_year in children:
                        if rng.random() > presence:
                            continue
                        rows.append(
                            {
                                "activity_code": code,
                                "activity_title": title,
                                "series_code": f"R{s + 1:02d}",
                                "session_date": day.isoformat(),
                                "start_time": f"{start_hour:02d}:00",
                                "end_time": f"{start_hour + hours:02d}:00",
                                "location_nis": place,
                                "participant_ref": ref,
                                "birth_year": str(birth_year),
                                "residence_postal_code": postal.get(place, "")
                                if place != "21004"
                                else "",
                            }
                        )
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
            for model in (Academy, Recognition, Activity, Series, Session, Participant, Attendance):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    return NetworkSummary(
        academies=len(academies),
        recognised=len(recognised),
        activities=ACTIVITIES * scale,
        series=SERIES * scale,
        sessions=sessions,
        attendance=attendance,
    )


def _spread(rng: random.Random, total: int, buckets: int) -> list[int]:
    """``total`` items over ``buckets``, each at least one, unevenly like real life."""
    counts = [1] * buckets
    for _ in range(total - buckets):
        counts[rng.randrange(buckets)] += 1
    return counts
