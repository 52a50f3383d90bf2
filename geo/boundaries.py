"""Admin-0/1 boundaries: the embedded Natural Earth files or a user's own.

Everything comes back as a GeoDataFrame in EPSG:4326 with our column names
(``admin1_code``, ``name``, ``country_code``, ``gn_a1_code``), whatever the
file called them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

DEFAULT_BOUNDARY_DIR = Path(__file__).resolve().parent.parent / "data" / "boundaries"
ADMIN1_FILE = DEFAULT_BOUNDARY_DIR / "ne_10m_admin1.geojson"
ADMIN0_FILE = DEFAULT_BOUNDARY_DIR / "ne_10m_admin0.geojson"
# Column names other boundary sets use, most specific first.
CODE_COLUMNS = (
    "admin1_code",
    "iso_3166_2",
    "shapeISO",
    "ADM1_PCODE",
    "HASC_1",
    "GID_1",
)
NAME_COLUMNS = ("name_en", "name", "ADM1_EN", "shapeName", "NAME_1", "NAME")
COUNTRY_COLUMNS = ("country_code", "iso_a2", "ISO2", "ADM0_PCODE")
# Metric CRS for nearest-polygon distances (World Equidistant Cylindrical is
# poor at high latitudes; Web Mercator's scale error near 36°N is ~24 %, so
# distances are divided by the local scale factor below).
METRIC = "EPSG:3857"


class BoundaryError(ValueError):
    """A boundary file is missing, unreadable or lacks what we need."""


def _read(path: str | Path) -> gpd.GeoDataFrame:
    path = Path(path)
    if not path.exists():
        raise BoundaryError(f"boundary file {path}: no such file")
    source = f"zip://{path}" if path.suffix.lower() == ".zip" else path
    try:
        frame = gpd.read_file(source)
    except Exception as exc:  # pyogrio/GDAL raise many types; name the file
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BoundaryError(
            f"boundary file {path}: cannot be read ({detail})"
        ) from None
    if frame.empty:
        raise BoundaryError(f"boundary file {path}: has no features")
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            frame = frame.set_crs(4326)  # unlabelled but plainly lon/lat degrees
        else:
            raise BoundaryError(
                f"boundary file {path}: has no CRS and its coordinates are not "
                "longitude/latitude degrees; add a .prj or save it as EPSG:4326"
            )
    else:
        frame = _to_degrees(frame, path)
    kinds = set(frame.geometry.geom_type.dropna())
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        raise BoundaryError(
            f"boundary file {path}: expected polygons, found {', '.join(sorted(kinds))}"
        )
    return frame


def _to_degrees(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """``frame`` in EPSG:4326, refusing coordinates its CRS cannot describe.

    A wrong label is the usual fault: metres labelled as degrees land outside
    the globe; degrees labelled as metres shrink to a speck off West Africa.
    """
    declared = frame.crs.to_string()
    if frame.crs.is_geographic:
        minx, miny, maxx, maxy = frame.total_bounds
        if not (-180.5 <= minx <= maxx <= 360.5 and -90.5 <= miny <= maxy <= 90.5):
            raise BoundaryError(
                f"boundary file {path}: coordinates ({minx:.0f}, {miny:.0f}) to "
                f"({maxx:.0f}, {maxy:.0f}) are not degrees, but the file says "
                f"{declared}; fix its CRS (.prj) or reproject it"
            )
    else:
        minx, miny, maxx, maxy = frame.total_bounds
        if max(maxx - minx, maxy - miny) < 1000 and max(abs(maxx), abs(maxy)) <= 360:
            raise BoundaryError(
                f"boundary file {path}: coordinates ({minx:.2f}, {miny:.2f}) to "
                f"({maxx:.2f}, {maxy:.2f}) look like degrees, but the file says "
                f"{declared} (metres); fix its CRS (.prj) or save it as EPSG:4326"
            )
    return frame if frame.crs.to_epsg() == 4326 else frame.to_crs(4326)


def _pick(
    frame: gpd.GeoDataFrame, given: str | None, options: Sequence[str], what: str, path
) -> str:
    if given is not None:
        if given not in frame.columns:
            raise BoundaryError(
                f"boundary file {path}: no column {given!r} for {what}; "
                f"columns are {', '.join(map(str, frame.columns))}"
            )
        return given
    for column in options:
        if column in frame.columns:
            return column
    raise BoundaryError(
        f"boundary file {path}: no {what} column (looked for {', '.join(options)}); "
        f"columns are {', '.join(map(str, frame.columns))}; name one explicitly"
    )


def load_admin1(
    path: str | Path | None = None,
    *,
    code_column: str | None = None,
    name_column: str | None = None,
    country_code: str | None = None,
) -> gpd.GeoDataFrame:
    """First-level admin units.

    Parameters
    ----------
    path
        GeoJSON, GeoPackage, Shapefile (``.shp`` or a ``.zip`` holding one);
        default: the embedded Natural Earth file.
    code_column, name_column
        Columns holding the unit code and name, if not one of the usual ones.
    country_code
        Keep only this country's units (ISO alpha-2).

    Returns
    -------
    GeoDataFrame
        ``admin1_code, name, country_code, gn_a1_code, geometry`` (EPSG:4326),
        plus the file's other columns.
    """
    path = ADMIN1_FILE if path is None else path
    frame = _read(path)
    code = _pick(frame, code_column, CODE_COLUMNS, "unit code", path)
    name = _pick(frame, name_column, NAME_COLUMNS, "unit name", path)
    out = frame.copy()
    out["admin1_code"] = frame[code].astype(str)
    out["name"] = frame[name].astype(str)
    country = next((c for c in COUNTRY_COLUMNS if c in frame.columns), None)
    out["country_code"] = (
        frame[country].astype(str).str[:2] if country else out["admin1_code"].str[:2]
    )
    if "gn_a1_code" not in out.columns:
        out["gn_a1_code"] = None
    if country_code is not None:
        out = out[out["country_code"] == country_code]
    out = _merge_duplicate_codes(out)
    first = ["admin1_code", "name", "country_code", "gn_a1_code"]
    rest = [c for c in out.columns if c not in first and c != "geometry"]
    return gpd.GeoDataFrame(
        out[first + rest + ["geometry"]].reset_index(drop=True), geometry="geometry"
    )


def _merge_duplicate_codes(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per code: parts sharing a code become one (multi)polygon.

    The code is the unit's identity everywhere downstream. Natural Earth
    gives one code to several features (Parwan in two pieces, Lord Howe Island
    under AU-NSW, ten cantons under BA-BIH); the merged unit keeps the largest
    part's attributes and lists the other parts' names.
    """
    duplicated = units["admin1_code"].duplicated(keep=False)
    if not duplicated.any():
        return units
    keep = units[~duplicated]
    merged = []
    for _code, group in units[duplicated].groupby("admin1_code", sort=False):
        # Largest part first (areas in square degrees suffice for ranking).
        group = group.iloc[shapely.area(group.geometry.values).argsort()[::-1]]
        row = group.iloc[0].copy()
        others = [n for n in dict.fromkeys(group["name"]) if n != row["name"]]
        if others:
            row["name"] = (
                f"{row['name']} (with {', '.join(others[:2])}"
                + (f" and {len(others) - 2} more" if len(others) > 2 else "")
                + ")"
            )
        row["geometry"] = shapely.union_all(group.geometry.values)
        merged.append(row)
    together = pd.concat([keep, gpd.GeoDataFrame(merged, crs=units.crs)])
    return gpd.GeoDataFrame(together, geometry="geometry", crs=units.crs)


def load_admin0(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Countries: ``country_code, adm0_a3, name, geometry`` (EPSG:4326)."""
    path = ADMIN0_FILE if path is None else path
    frame = _read(path)
    missing = {"country_code", "name"} - set(frame.columns)
    if missing:
        raise BoundaryError(
            f"boundary file {path}: missing column(s) {', '.join(sorted(missing))}"
        )
    return frame


def admin1_for_points(
    admin1: gpd.GeoDataFrame,
    lats: Sequence[float],
    lons: Sequence[float],
    *,
    max_km: float = 5.0,
    prefer_country: str | Sequence[str | None] | None = None,
) -> list[str | None]:
    """The admin-1 code each point falls in (``None`` if none within ``max_km``).

    Points outside every polygon take the nearest one within ``max_km``.
    With ``prefer_country`` (one code, or one per point), a point within
    ``max_km`` of that country's units joins to them even when a neighbour's
    coarse polygon contains it: Natural Earth puts Tell Abyad and Kobani, on
    the Syrian side of the border, inside Turkey.
    """
    if len(lats) != len(lons):
        raise ValueError(f"lats ({len(lats)}) and lons ({len(lons)}) differ in length")
    if not len(lats):
        return []
    # shapely/geopandas points are (x=lon, y=lat).
    points = gpd.GeoDataFrame(
        {"i": range(len(lats))}, geometry=gpd.points_from_xy(lons, lats), crs=4326
    )
    units = admin1[["admin1_code", "country_code", "geometry"]]
    within = gpd.sjoin(points, units, how="left", predicate="within")
    within = within[~within.index.duplicated(keep="first")]
    result: list[str | None] = [
        None if pd.isna(c) else str(c) for c in within.sort_values("i")["admin1_code"]
    ]
    if isinstance(prefer_country, str) or prefer_country is None:
        prefer = [prefer_country] * len(lats)
    else:
        prefer = list(prefer_country)
    countries = [
        None if pd.isna(c) else str(c) for c in within.sort_values("i")["country_code"]
    ]
    redo = [
        i
        for i in range(len(lats))
        if result[i] is None or (prefer[i] and countries[i] != prefer[i])
    ]
    if not redo:
        return result
    metric_units = units.to_crs(METRIC)
    for i in redo:
        candidates = metric_units
        if prefer[i]:
            candidates = metric_units[metric_units["country_code"] == prefer[i]]
            if candidates.empty:
                continue
        point = points.iloc[[i]].to_crs(METRIC)
        nearest = gpd.sjoin_nearest(point, candidates, distance_col="dist_m")
        if nearest.empty:
            continue
        # Web Mercator stretches distances by 1/cos(lat).
        dist_km = nearest["dist_m"].iloc[0] * math.cos(math.radians(lats[i])) / 1000
        if dist_km <= max_km:
            result[i] = str(nearest["admin1_code"].iloc[0])
    return result
