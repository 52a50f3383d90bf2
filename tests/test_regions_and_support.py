"""Named regions and continents; the article-wide support rules of the
resolver (candidate-set support, towns beside the article's places, a name's
own unit, primary names)."""

from __future__ import annotations

import pytest

from geo.extract import extract_mentions, mentions_for_spans
from geo.gazetteer import build_gazetteer, read_table
from geo.resolve import resolve_mentions

from .conftest import TINY_ALIASES, TINY_CITIES, TINY_COUNTRIES, TINY_UNITS, city, unit

REGIONS = [
    {
        "name": "Golan Heights",
        "alternatenames": "Golan",
        "latitude": 32.9817,
        "longitude": 35.7494,
        "country_codes": "SY|IL",
    }
]
CONTINENTS = [
    {
        "name": "Africa",
        "lat": 7.1881,
        "lng": 21.09375,
        "geonameId": 6255146,
        "population": 1031833000,
    }
]
UNITS = [
    unit("US-GA", "Georgia", "US", "US.GA", 32.75, -83.5),
    unit("US-FL", "Florida", "US", "US.FL", 28.6, -82.4),
    unit("US-MN", "Minnesota", "US", "US.MN", 46.25, -94.25),
]
CITIES = [
    city(4156404, "Gainesville", 29.65163, -82.32483, "US", "FL", 133857),
    city(4195701, "Gainesville", 34.29788, -83.82407, "US", "GA", 40819),
    city(4199148, "Flowery Branch", 34.18510, -83.92518, "US", "GA", 8039),
    city(5032051, "Jordan", 44.66691, -93.62690, "US", "MN", 6318),
    city(5046997, "Shakopee", 44.79802, -93.52690, "US", "MN", 41570),
    city(5037811, "Minneota", 44.55885, -95.98559, "US", "MN", 1363, "Minnesota"),
    city(2337639, "Africa", 6.5, 3.3, "NG", "05", 900),
]
COUNTRIES = TINY_COUNTRIES + [
    {"geonameid": 248816, "name": "Jordan", "iso": "JO", "population": 9956011},
]
COUNTIES = [
    {
        "name": "Hall County",
        "short_name": "Hall",
        "admin1_code": "US-GA",
        "latitude": 34.3168,
        "longitude": -83.8187,
        "population": 140000,
    },
    {
        "name": "Hall County",
        "short_name": "Hall",
        "admin1_code": "US-NE",
        "latitude": 40.8722,
        "longitude": -98.5034,
        "population": 60000,
    },
]


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(
        TINY_CITIES + CITIES,
        COUNTRIES,
        TINY_UNITS + UNITS,
        TINY_ALIASES,
        counties=COUNTIES,
        regions=REGIONS,
        continents=CONTINENTS,
        country_points={"JO": (31.0, 36.0)},
    )


def resolve_spans(text, names, gazetteer):
    spans = []
    for name in names:
        start = text.index(name)
        spans.append((start, start + len(name)))
    extraction = mentions_for_spans(text, spans, gazetteer)
    resolution = resolve_mentions(extraction, gazetteer, accept_all=True)
    return {r.text: r for r in resolution.resolved}


def test_named_region_is_a_region_with_a_point(gazetteer, nlp):
    resolution = resolve_mentions(
        extract_mentions(
            "Israeli jets struck targets on the Golan Heights near Syria.",
            gazetteer,
            nlp,
        ),
        gazetteer,
    )
    golan = next(r for r in resolution.resolved if r.text == "Golan Heights")
    assert golan.kind == "region" and golan.direction is None
    assert (golan.lat, golan.lon) == (32.9817, 35.7494)
    assert golan.country_code == "SY"
    assert golan.evidence[0].startswith("named region or natural feature")


def test_continent_beats_a_same_named_village(gazetteer):
    got = resolve_spans("Cases rose across Africa.", ["Africa"], gazetteer)
    assert got["Africa"].kind == "region"
    assert got["Africa"].country_code == ""
    assert got["Africa"].geonameid == 6255146


def test_other_names_candidates_support_their_shared_unit(gazetteer):
    # Each name alone is ambiguous (Gainesville FL is bigger; Hall County is
    # in Georgia and Nebraska), but Georgia is the unit all three can share.
    text = "Gainesville police and Hall County deputies met in Flowery Branch."
    got = resolve_spans(
        text, ["Gainesville", "Hall County", "Flowery Branch"], gazetteer
    )
    assert got["Gainesville"].admin1_code == "US-GA"
    assert got["Hall County"].admin1_code == "US-GA"
    assert any("support" in e for e in got["Gainesville"].evidence)


def test_without_context_the_bigger_namesake_wins(gazetteer):
    got = resolve_spans("Gainesville police said so.", ["Gainesville"], gazetteer)
    assert got["Gainesville"].admin1_code == "US-FL"


def test_town_beside_the_articles_places_beats_the_country(gazetteer):
    text = "A crash between Shakopee and Jordan closed the highway."
    got = resolve_spans(text, ["Shakopee", "Jordan"], gazetteer)
    assert got["Jordan"].kind == "city" and got["Jordan"].admin1_code == "US-MN"
    # No town of the name near the article's places: the country keeps it
    # (Jordan, Minnesota is 190 km from Minneota)
    text = "Minneota sent aid to Jordan."
    got = resolve_spans(text, ["Minneota", "Jordan"], gazetteer)
    assert got["Jordan"].kind == "country" and got["Jordan"].country_code == "JO"


def test_state_name_is_not_a_town_in_that_state(gazetteer):
    # Minneota's alternate name is "Minnesota"; the article's Minnesota
    # towns support the state's unit, which speaks for the state itself.
    text = "Shakopee and Jordan, in Minnesota, voted."
    got = resolve_spans(text, ["Shakopee", "Jordan", "Minnesota"], gazetteer)
    assert got["Minnesota"].kind == "admin1"
    assert got["Minnesota"].admin1_code == "US-MN"


def test_embedded_regions_table_has_a_source_on_every_row():
    rows = read_table(
        __import__("geo.gazetteer", fromlist=["REGIONS_FILE"]).REGIONS_FILE
    )
    assert len(rows) >= 20
    for row in rows:
        assert row["source"].strip(), row["name"]
        assert row["confidence"] in ("high", "medium", "low"), row["name"]
        if row["latitude"]:
            assert -90 <= float(row["latitude"]) <= 90
            assert -180 <= float(row["longitude"]) <= 180
        else:  # made of admin-1 units or of countries, which give its point
            assert row["admin1_codes"].strip() or row["member_countries"], row["name"]
    names = {row["name"] for row in rows}
    assert {"Golan Heights", "Bekaa Valley", "Euphrates", "Darfur", "Donbas"} <= names


def test_a_region_made_of_units_stands_at_their_mean_label_point():
    from geo.gazetteer import build_gazetteer

    units = [
        unit(code, name, "SD", "", lat, lon)
        for code, name, lat, lon in [
            ("SD-DN", "North Darfur", 16.0, 25.0),
            ("SD-DS", "South Darfur", 11.0, 24.0),
            ("SD-KH", "Khartoum", 15.7, 33.0),
        ]
    ]
    region = {
        "name": "Darfur",
        "alternatenames": "Darfour",
        "latitude": "",
        "longitude": "",
        "country_codes": "SD",
        "admin1_codes": "SD-DN|SD-DS",
    }
    gazetteer = build_gazetteer([], [], units, regions=[region])
    (darfur,) = gazetteer.candidates("Darfour")
    assert (darfur.kind, darfur.lat, darfur.lon) == ("region", 13.5, 24.5)
    assert gazetteer.units_of(darfur.id) == ("SD-DN", "SD-DS")
    with pytest.raises(ValueError, match="Nowhere"):
        build_gazetteer(
            [],
            [],
            units,
            regions=[{**region, "name": "Nowhere", "admin1_codes": "XX-1"}],
        )


def test_a_region_made_of_countries_stands_at_the_centre_of_their_union():
    from shapely.geometry import box

    region = {
        "name": "West Africa",
        "alternatenames": "Western Africa",
        "latitude": "",
        "longitude": "",
        "country_codes": "",
        "member_countries": "AA|BB",
    }
    # Two countries side by side, and an island of the second far away: the
    # point is the middle of the mainland they make together.
    shapes = {
        "AA": box(0, 0, 2, 2),
        "BB": box(2, 0, 4, 2).union(box(30, 30, 30.5, 30.5)),
        "CC": box(4, 0, 9, 2),
    }
    gazetteer = build_gazetteer([], [], [], regions=[region], country_shapes=shapes)
    (place,) = gazetteer.candidates("Western Africa")
    assert (place.kind, place.lat, place.lon) == ("region", 1.0, 2.0)
    # No country to stand on: the row is broken, and says so.
    with pytest.raises(ValueError, match="West Africa.*member_countries"):
        build_gazetteer([], [], [], regions=[region], country_shapes={})


def test_units_that_share_a_name_after_a_compass_word_make_its_region():
    from geo.gazetteer import build_gazetteer

    units = [
        unit("CD-NK", "North Kivu", "CD", "", -0.8, 29.0),
        unit("CD-SK", "South Kivu", "CD", "", -3.0, 28.0),
        unit("SO-JD", "Middle Juba", "SO", "", 1.0, 42.0),
        unit("SO-JH", "Lower Juba", "SO", "", -0.5, 41.5),
        unit("ZA-WC", "Western Cape", "ZA", "", -33.0, 20.0),
        unit("ZA-NC", "Northern Cape", "ZA", "", -29.0, 21.0),
        unit("CZ-JC", "South Bohemian", "CZ", "", 49.0, 14.5),
        unit("CZ-ST", "Central Bohemian", "CZ", "", 50.0, 14.5),
        unit("BE-VOV", "East Flanders", "BE", "", 51.0, 3.8),
        unit("BE-VWV", "West Flanders", "BE", "", 51.0, 3.0),
        unit("NI-AN", "North Caribbean Coast", "NI", "", 14.0, -84.0),
        unit("NI-AS", "South Caribbean Coast", "NI", "", 12.3, -84.0),
    ]
    juba = city(373303, "Juba", 4.85165, 31.58247, "SS", "", 300000)
    flanders = city(5097017, "Flanders", 40.84, -74.71, "US", "NJ", 4472)
    gazetteer = build_gazetteer([juba, flanders], [], units)
    (kivu,) = gazetteer.candidates("Kivu")
    assert (kivu.kind, kivu.country_code) == ("region", "CD")
    assert gazetteer.units_of(kivu.id) == ("CD-NK", "CD-SK")
    assert (kivu.lat, kivu.lon) == (-1.9, 28.5)  # the mean of its units'
    # A large town keeps its name; no generic word or adjective is a region.
    assert [p.kind for p in gazetteer.candidates("Juba")] == ["city"]
    assert gazetteer.candidates("Cape") == []
    assert gazetteer.candidates("Bohemian") == []
    assert gazetteer.candidates("Caribbean Coast") == []
    # A town abroad keeps its name: Flanders, New Jersey is no Belgian region.
    assert [p.kind for p in gazetteer.candidates("Flanders")] == ["city"]


def test_a_regions_adjective_and_people_name_the_region():
    from geo.gazetteer import build_gazetteer

    region = {
        "name": "Abkhazia",
        "alternatenames": "",
        "latitude": "43.0",
        "longitude": "41.0",
        "country_codes": "GE",
    }
    gazetteer = build_gazetteer([], [], [], regions=[region])
    for word in ("Abkhazian", "Abkhazians", "Abkhaz"):
        (place,) = gazetteer.candidates(word)
        assert place.name == "Abkhazia"
        assert gazetteer.is_demonym(word)
    assert not gazetteer.is_demonym("Abkhazia")
