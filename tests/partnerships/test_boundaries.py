"""``load_municipal_boundaries``: Statbel-like statistical sectors (a small generated
GeoJSON) dissolved per municipality; the map then draws municipalities."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerships.models import MunicipalBoundary
from reporting import maps
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

CODES = ["44021", "44019", "44013"]  # Gent, Evergem, Destelbergen


def _square(x, y, size=0.05):
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


def sectors_file(tmp_path, *, field="CNIS5_2025", extra=()):
    """Two sectors per municipality, side by side, around Gent (WGS 84)."""
    features = []
    for i, code in enumerate([*CODES, *extra]):
        for j in range(2):
            features.append(
                {
                    "type": "Feature",
                    "properties": {field: code, "CS01012025": f"{code}A0{j}"},
                    "geometry": _square(3.6 + 0.1 * i + 0.05 * j, 51.0),
                }
            )
    path = tmp_path / "sectors.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_sectors_are_dissolved_per_municipality_and_drawn(municipalities, tmp_path, client):
    out = io.StringIO()
    call_command(
        "load_municipal_boundaries", str(sectors_file(tmp_path, extra=["99999"])), stdout=out
    )
    assert "3 municipal boundaries loaded" in out.getvalue() and "99999" in out.getvalue()
    boundaries = {b.municipality_id: b for b in MunicipalBoundary.objects.all()}
    assert set(boundaries) == set(CODES)
    gent = boundaries["44021"]
    assert gent.geographic and gent.geometry["type"] in ("Polygon", "MultiPolygon")
    # the two sectors became one municipality of 0.1 x 0.05 degrees
    from shapely.geometry import shape

    assert shape(gent.geometry).area == pytest.approx(0.005, rel=0.02)

    client.force_login(make_staff())
    response = client.get(reverse("reporting:coverage_flanders"))
    base = response.context["map"]
    assert base.kind == "municipalities" and {s.key for s in base.shapes} == set(CODES)
    html = response.content.decode()
    assert html.count("gebied=44021#panel") == 1

    # Loading again replaces; --clear returns to the canton map.
    call_command("load_municipal_boundaries", str(sectors_file(tmp_path)), stdout=io.StringIO())
    assert MunicipalBoundary.objects.count() == 3
    call_command("load_municipal_boundaries", "-", "--clear", stdout=io.StringIO())
    assert not MunicipalBoundary.objects.exists()
    assert client.get(reverse("reporting:coverage_flanders")).context["map"].kind == "cantons"


def test_an_unknown_property_name_is_explained(municipalities, tmp_path):
    with pytest.raises(CommandError, match="refnis-field"):
        call_command("load_municipal_boundaries", str(sectors_file(tmp_path, field="code")))
    call_command(
        "load_municipal_boundaries",
        str(sectors_file(tmp_path, field="code")),
        "--refnis-field",
        "code",
        stdout=io.StringIO(),
    )
    assert MunicipalBoundary.objects.count() == 3


def test_the_canton_map_covers_flanders_with_every_municipality_in_one_area():
    base = maps.canton_map()
    codes = [code for s in base.shapes for code in s.refnis]
    assert len(codes) == len(set(codes)) == 285
    assert len({c for s in base.shapes for c in s.cantons}) == 86
    assert all(s.d.startswith("M") and s.d.endswith("Z") for s in base.shapes)
    assert base.province_lines and base.width == 1000 and 300 < base.height < 500


def test_classify_gives_white_spots_their_own_class():
    classes, legend = maps.classify({"a": 0, "b": 1, "c": 2, "d": 50})
    assert classes["a"] == "c0" and classes["b"] != classes["d"]
    assert legend[0].css == "c0" and legend[-1].high == 50
