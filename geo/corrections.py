"""A user's corrections to a parse: "not a place", or "this place instead".

Corrections are kept in the store by span (start, end) and applied to a fresh
parse, so they survive re-parsing with a new parser as long as the span is
still found. A chosen place travels whole (name, kind, coordinates, codes),
so it does not depend on the gazetteer that offered it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace

import geopandas as gpd

from geo.control import ControlTable
from geo.gazetteer import Gazetteer, Place
from geo.join import join_mentions
from geo.pipeline import ParseResult
from geo.resolve import Rejected, Resolved

USER_EVIDENCE = "chosen by the user (correction)"
NOT_A_PLACE = "marked not a place by the user (correction)"


def place_record(place: Place) -> dict:
    """The fields of a gazetteer place a correction keeps."""
    record = asdict(place)
    record.pop("id", None)
    return record


def candidate_places(gazetteer: Gazetteer, text: str, limit: int = 12) -> list[Place]:
    """Places a span's text could name, most populous first."""
    return gazetteer.candidates(text)[:limit]


def apply_corrections(
    result: ParseResult,
    corrections: Sequence[dict],
    admin1: gpd.GeoDataFrame,
    admin0: gpd.GeoDataFrame,
    control: ControlTable,
) -> ParseResult:
    """``result`` with the corrections applied and everything re-joined.

    A correction whose span no mention has any more is ignored (the article
    text is fixed, so this only happens when the parser stops finding it).
    """
    if not corrections:
        return result
    by_span = {(c["start"], c["end"]): c for c in corrections}
    kept: list[Resolved] = []
    rejected = list(result.rejected)
    for jm in result.mentions:
        m = jm.mention
        fix = by_span.get((m.start, m.end))
        if fix is None:
            kept.append(m)
        elif fix["action"] == "not_place":
            rejected.append(Rejected(m.start, m.end, m.text, (NOT_A_PLACE,)))
        else:
            place = fix.get("place") or {}
            kept.append(
                replace(
                    m,
                    kind=place.get("kind", m.kind),
                    name=place.get("name", m.name),
                    lat=place.get("lat", m.lat),
                    lon=place.get("lon", m.lon),
                    country_code=place.get("country_code", m.country_code),
                    admin1_code=place.get("admin1_code"),
                    geonameid=place.get("geonameid", fix.get("geonameid")),
                    confidence=1.0,
                    evidence=(USER_EVIDENCE,),
                    direction=None,
                    reference_kind=None,
                )
            )
    joined, regions = join_mentions(kept, admin1, admin0, control, result.day)
    return replace(
        result,
        mentions=tuple(joined),
        regions=tuple(regions),
        rejected=tuple(sorted(rejected, key=lambda r: r.start)),
    )
