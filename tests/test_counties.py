"""Second-level units (US counties) and country points in the gazetteer."""

from __future__ import annotations

import pytest

from geo.extract import extract_mentions, mentions_for_spans
from geo.gazetteer import build_gazetteer
from geo.resolve import resolve_mentions

from .conftest import TINY_ALIASES, TINY_CITIES, TINY_COUNTRIES, TINY_UNITS, city, unit

COUNTIES = [
    # name, short name, state, point, population (as scripts/build_us_counties.py
    # writes them)
    ("Walker County", "Walker", "US-GA", 34.7353, -85.301, 26471),
    ("Walker County", "Walker", "US-AL", 33.8025, -87.2958, 24175),
    ("Walker County", "Walker", "US-TX", 30.7393, -95.5720, 40000),
    ("Barrow County", "Barrow", "US-GA", 33.9931, -83.7128, 41000),
    ("Rapides Parish", "Rapides", "US-LA", 31.1978, -92.5329, 74022),
]
UNITS = [
    unit("US-GA", "Georgia", "US", "US.GA", 32.75, -83.5),
    unit("US-AL", "Alabama", "US", "US.AL", 32.8, -86.8),
    unit("US-TX", "Texas", "US", "US.TX", 31.2, -99.3),
    unit("US-LA", "Louisiana", "US", "US.LA", 31.0, -92.0),
    unit("US-AK", "Alaska", "US", "US.AK", 64.0, -150.0),
]
CITIES = [
    city(5880054, "Barrow", 71.2906, -156.7886, "US", "AK", 4212),
    city(4231874, "Athens", 33.9609, -83.3779, "US", "GA", 127315),
    city(4185657, "Winder", 33.9926, -83.7202, "US", "GA", 14099),
    city(4717560, "Huntsville", 30.7235, -95.5508, "US", "TX", 39795),
]


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(
        TINY_CITIES + CITIES,
        TINY_COUNTRIES,
        TINY_UNITS + UNITS,
        TINY_ALIASES,
        counties=[
            {
                "name": n,
                "short_name": s,
                "admin1_code": a1,
                "latitude": lat,
                "longitude": lon,
                "population": pop,
            }
            for n, s, a1, lat, lon, pop in COUNTIES
        ],
        country_points={"US": (39.8333, -98.5833)},
    )


def resolved(text, gazetteer, nlp):
    resolution = resolve_mentions(extract_mentions(text, gazetteer, nlp), gazetteer)
    return {r.text: r for r in resolution.resolved}


def test_county_is_a_gazetteer_place_of_its_own_kind(gazetteer):
    walkers = gazetteer.candidates("Walker County")
    assert {p.admin1_code for p in walkers} == {"US-GA", "US-AL", "US-TX"}
    assert all(p.kind == "admin2" and p.country_code == "US" for p in walkers)
    # The bare name finds the county too, next to same-named towns
    assert {p.kind for p in gazetteer.candidates("Barrow")} == {"city", "admin2"}


def test_county_takes_the_state_the_article_names(gazetteer, nlp):
    got = resolved(
        "Deputies in Walker County searched near Huntsville, Texas.", gazetteer, nlp
    )
    county = got["Walker County"]
    assert county.kind == "place" and county.admin1_code == "US-TX"
    assert county.evidence[0].startswith("second-level unit (county)")
    assert (county.lat, county.lon) == (30.7393, -95.5720)


def test_county_qualified_by_its_state(gazetteer, nlp):
    got = resolved("Rain flooded Walker County, Georgia, on Monday.", gazetteer, nlp)
    assert got["Walker County"].admin1_code == "US-GA"


def test_bare_county_name_needs_its_state_in_the_article(gazetteer):
    # "Barrow" alone is the Alaskan town (a bare county name weighs less);
    # next to Winder and Athens, Georgia, it is Barrow County.
    text = "Crews in Barrow worked late."
    start = text.index("Barrow")
    alone = resolve_mentions(
        mentions_for_spans(text, [(start, start + 6)], gazetteer),
        gazetteer,
        accept_all=True,
    ).resolved[0]
    assert alone.kind == "city" and alone.admin1_code == "US-AK"
    text = "Schools in Winder and Athens closed; Barrow opened a shelter."
    spans = [
        (text.index(n), text.index(n) + len(n)) for n in ("Winder", "Athens", "Barrow")
    ]
    got = {
        r.text: r
        for r in resolve_mentions(
            mentions_for_spans(text, spans, gazetteer), gazetteer, accept_all=True
        ).resolved
    }
    assert got["Barrow"].kind == "place" and got["Barrow"].admin1_code == "US-GA"


def test_a_parish_is_a_county_too(gazetteer, nlp):
    got = resolved("The storm hit Rapides Parish.", gazetteer, nlp)
    assert got["Rapides Parish"].admin1_code == "US-LA"
    assert got["Rapides Parish"].lat == 31.1978


def test_country_point_comes_from_the_points_table(gazetteer):
    us = gazetteer.country("US")
    assert (us.lat, us.lon) == (39.8333, -98.5833)
    # A country without a row keeps its capital (here: Syria, Damascus)
    assert gazetteer.country("SY").lat == pytest.approx(33.5102)


def test_embedded_tables_are_wired_in(full_parser):
    gazetteer = full_parser.gazetteer
    russia = gazetteer.country("RU")
    assert (russia.lat, russia.lon) == (60.0, 100.0)
    walkers = [p for p in gazetteer.candidates("Walker County") if p.kind == "admin2"]
    assert {"US-GA", "US-AL", "US-TX"} <= {p.admin1_code for p in walkers}


def test_county_builder_decodes_topojson_arcs():
    # A unit square in quantised, delta-encoded TopoJSON (scale 1, origin 10/20):
    # arc 0 runs (0,0)->(2,0)->(2,2), arc 1 back (2,2)->(0,2)->(0,0).
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_us_counties.py"
    spec = importlib.util.spec_from_file_location("build_us_counties", path)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    topology = {
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    }
    arcs = builder.decode_arcs(topology)
    assert arcs[0] == [(10, 20), (12, 20), (12, 22)]
    shape = builder.geometry_of(arcs, {"type": "Polygon", "arcs": [[0, 1]]})
    assert shape.area == 4
    assert builder.point_of(shape) == (21.0, 11.0)  # (lat, lon) of the centre
    # A reversed arc (~0 == -1) walks the other way
    assert builder.ring(arcs, [-1])[0] == (12, 22)
