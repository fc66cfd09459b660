"""Loading municipal boundaries for the coverage map (``load_municipal_boundaries``)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

from stemnet.models import Municipality

from .models import MunicipalBoundary

# Statbel's statistical sectors name the municipality's REFNIS code in one of these.
REFNIS_FIELDS = ("CNIS5_2025", "cd_munty_refnis", "CNIS5_2024", "CNIS5_2023", "refnis", "NIS5")


@dataclass
class LoadResult:
    loaded: int = 0
    unknown: list[str] = field(default_factory=list)


def _polygonal(geometry):
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    return MultiPolygon(
        [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]
    )


def dissolve_sectors(path, *, refnis_field: str | None = None) -> dict[str, dict]:
    """Statistical sectors dissolved per municipality: REFNIS -> GeoJSON geometry,
    simplified (as one coverage, so neighbours keep a shared border) relative to the extent.
    Coordinates stay in the file's reference system (WGS 84 or Belgian Lambert)."""
    data = json.loads(Path(path).read_text("utf-8"))
    features = data.get("features") or []
    if not features:
        raise ValueError(
            "Het bestand bevat geen features (verwacht: een GeoJSON FeatureCollection)."
        )
    properties = features[0].get("properties") or {}
    name = refnis_field or next((f for f in REFNIS_FIELDS if f in properties), None)
    if name is None or name not in properties:
        raise ValueError(
            "Geen eigenschap met de NIS-code gevonden; geef ze met --refnis-field "
            f"(verwacht een van {', '.join(REFNIS_FIELDS)})."
        )
    parts: dict[str, list] = {}
    for feature in features:
        code = str((feature.get("properties") or {}).get(name, "")).strip()
        if feature.get("geometry") and code:
            parts.setdefault(code.zfill(5), []).append(shape(feature["geometry"]).buffer(0))
    merged = {code: shapely.union_all(geoms) for code, geoms in parts.items()}
    minx, miny, maxx, maxy = shapely.union_all(list(merged.values())).bounds
    tolerance = max(maxx - minx, maxy - miny) / 4000
    codes = sorted(merged)
    simplified = shapely.coverage_simplify([merged[c] for c in codes], tolerance)
    return {
        code: mapping(_polygonal(g.buffer(0))) for code, g in zip(codes, simplified, strict=True)
    }


def is_geographic(geometry: dict) -> bool:
    """Longitude/latitude rather than metres (Lambert)."""
    minx, miny, maxx, maxy = shape(geometry).bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def load_boundaries(path, *, refnis_field=None, clear=False) -> LoadResult:
    """Replace the loaded boundaries by those of the file (idempotent). A code that merged
    into another municipality is stored under its successor, joined with it."""
    if clear:
        MunicipalBoundary.objects.all().delete()
        return LoadResult()
    dissolved = dissolve_sectors(path, refnis_field=refnis_field)
    municipalities = {m.refnis: m for m in Municipality.objects.select_related("successor")}
    by_current: dict[str, list] = {}
    result = LoadResult()
    for code, geometry in dissolved.items():
        municipality = municipalities.get(code)
        if municipality is None:
            result.unknown.append(code)
            continue
        by_current.setdefault(municipality.resolve().refnis, []).append(shape(geometry))
    MunicipalBoundary.objects.all().delete()
    MunicipalBoundary.objects.bulk_create(
        [
            MunicipalBoundary(
                municipality_id=code,
                geometry=mapping(_polygonal(shapely.union_all(geoms).buffer(0))),
                geographic=is_geographic(mapping(geoms[0])),
            )
            for code, geoms in sorted(by_current.items())
        ]
    )
    result.loaded = len(by_current)
    return result
