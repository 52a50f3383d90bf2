"""Approximate control areas: the ground between localities, by nearest locality.

Control is known at points (towns, villages, city districts). To show a front
line (east and west Aleppo in 2016, the Idlib pocket in 2020) the map colours
the ground around each locality by that locality's controller: the Voronoi
cell of its point (the ground nearer to it than to any other locality),
clipped to its country and to :data:`REACH_DEG` around the point. Localities
whose control is unknown that day still take their cells, which stay
undrawn, so a known town does not paint ground nearer to a town nobody has
a source for. This is an approximation and the map labels it so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import shapely

from geo.control import UNKNOWN, ControlTable

# How far a locality's cell reaches at most: 0.25 degrees (about 25 km of
# latitude, 20-23 km of longitude in Syria or Ukraine), a town's countryside.
# Beyond it the ground is left blank rather than extrapolated.
REACH_DEG = 0.25


@dataclass(frozen=True)
class ApproximateArea:
    """The ground nearest to one controller's localities, dissolved."""

    controller: str
    geometry: shapely.Geometry
    localities: tuple[str, ...]


# The dashboard redraws its map on every click: the areas of the last few
# (table, boundaries, day, countries) are kept, keyed by identity.
_CACHE: dict[tuple, tuple[ControlTable, gpd.GeoDataFrame, list]] = {}
_CACHE_SIZE = 32


def approximate_areas(
    control: ControlTable,
    day: dt.date,
    admin0: gpd.GeoDataFrame,
    country_codes: Iterable[str],
) -> list[ApproximateArea]:
    """Nearest-locality areas of each controller on one day.

    Parameters
    ----------
    control
        The control table; only theatre localities count.
    day
        The date whose control is drawn.
    admin0
        Country polygons with a ``country_code`` column (EPSG:4326).
    country_codes
        The countries to draw (ISO alpha-2).

    Returns
    -------
    list of ApproximateArea
        One per controller other than ``unknown``, largest area first; empty
        when no locality of those countries has a known controller that day.
    """
    codes = tuple(country_codes)
    key = (id(control), id(admin0), day, codes)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is control and hit[1] is admin0:
        return list(hit[2])
    areas = _areas(control, day, admin0, codes)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = (control, admin0, areas)
    return list(areas)


def _areas(control, day, admin0, codes) -> list[ApproximateArea]:
    held = control.localities_as_of(day, codes)
    if not any(controller != UNKNOWN for _, controller in held):
        return []
    countries = admin0[admin0["country_code"].isin(codes)]
    if countries.empty:
        return []
    land = shapely.union_all(list(countries.geometry))
    # Duplicate points would give one cell for two localities: the first wins.
    points: dict[tuple[float, float], tuple[str, str]] = {}
    for place, controller in held:
        # shapely order: x = lon, y = lat.
        points.setdefault((place.lon, place.lat), (place.name, controller))
    if len(points) < 2:
        cells = [shapely.box(*land.bounds)]
    else:
        cells = list(
            shapely.voronoi_polygons(
                shapely.MultiPoint(list(points)), extend_to=land.envelope
            ).geoms
        )
    by_controller: dict[str, list[shapely.Geometry]] = {}
    names: dict[str, list[str]] = {}
    tree = shapely.STRtree([shapely.Point(xy) for xy in points])
    keys = list(points)
    for cell in cells:
        # A Voronoi cell holds exactly one generating point.
        hits = tree.query(cell, predicate="contains")
        if len(hits) == 0:
            continue
        key = keys[int(hits[0])]
        name, controller = points[key]
        if controller == UNKNOWN:
            continue
        reach = shapely.Point(key).buffer(REACH_DEG, quad_segs=8)
        by_controller.setdefault(controller, []).append(
            shapely.intersection(cell, reach)
        )
        names.setdefault(controller, []).append(name)
    areas = []
    for controller, parts in by_controller.items():
        geometry = shapely.intersection(shapely.union_all(parts), land)
        if not geometry.is_empty:
            areas.append(
                ApproximateArea(controller, geometry, tuple(sorted(names[controller])))
            )
    return sorted(areas, key=lambda a: -a.geometry.area)
