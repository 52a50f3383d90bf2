"""International news: lists of countries and states are lists, not
"Place, Unit" pairs; country names as news writes them; state and province
abbreviations outside the United States."""

from __future__ import annotations

import pytest

from geo.extract import extract_mentions, mentions_for_spans
from geo.gazetteer import build_gazetteer
from geo.resolve import resolve_mentions

from .conftest import TINY_CITIES, TINY_COUNTRIES, TINY_UNITS, city, country, unit

CITIES = [
    # GeoNames: a Japanese town named China, and Riverside, Missouri, once
    # called Illinois (an alternate name).
    city(1861416, "China", 27.33333, 128.56667, "JP", "46", 5976),
    city(4406831, "Riverside", 39.17750, -94.61301, "US", "MO", 2946, "Illinois"),
    city(4180439, "Athens", 33.96095, -83.37794, "US", "GA", 127315),
    city(264371, "Athens", 37.98376, 23.72784, "GR", "ESYE31", 664046),
]
UNITS = [
    unit("US-IL", "Illinois", "US", "US.IL", 40.0, -89.2),
    unit("US-MO", "Missouri", "US", "US.MO", 38.4, -92.5),
    unit("US-GA", "Georgia", "US", "US.GA", 32.7, -83.4),
    unit("US-AZ", "Arizona", "US", "US.AZ", 34.3, -111.7),
]
COUNTRIES = [
    country(1814991, "China", "CN", 1411778724),
    country(1861060, "Japan", "JP", 126529100),
    country(3996063, "Mexico", "MX", 126014024),
    country(3469034, "Brazil", "BR", 209469333),
    country(390903, "Greece", "GR", 10727668),
    country(6252001, "United States", "US", 327167434),
]


# The countries' points as in data/gazetteer/country_points.csv.
POINTS = {
    "CN": (35.0, 105.0),
    "JP": (36.0, 138.0),
    "MX": (23.0, -102.0),
    "BR": (-10.0, -55.0),
    "GR": (39.0, 22.0),
    "US": (39.8333, -98.5833),
}


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(
        CITIES,
        COUNTRIES,
        UNITS,
        [],
        admin1_aliases=[{"admin1_code": "US-GA", "alias": "Ga."}],
        country_points=POINTS,
    )


def parse_full(text, parser):
    """The real parser (embedded gazetteer and model) on ``text``."""
    return resolve_mentions(
        extract_mentions(text, parser.gazetteer, parser.nlp), parser.gazetteer
    )


def found(text, gazetteer, nlp):
    extraction = extract_mentions(text, gazetteer, nlp)
    return {r.text: r for r in resolve_mentions(extraction, gazetteer).resolved}


@pytest.mark.parametrize(
    "text",
    [
        "Mexico, China, Japan and Brazil report cases.",
        "Many countries, among them China, Japan, and Brazil, warned travellers.",
    ],
)
def test_a_country_in_a_list_of_countries_is_not_qualified_by_the_next(
    gazetteer, nlp, text
):
    places = found(text, gazetteer, nlp)
    assert places["China"].kind == "country"
    assert places["China"].country_code == "CN"


def test_a_state_in_a_list_of_states_is_not_qualified_by_the_next(gazetteer, nlp):
    text = "Cases were found in Arizona, Illinois, Missouri and Georgia."
    places = found(text, gazetteer, nlp)
    assert places["Illinois"].kind == "admin1"
    assert places["Illinois"].admin1_code == "US-IL"


def test_an_abbreviated_state_still_qualifies_its_town(gazetteer, nlp):
    places = found("The clinic in Athens, Ga. reopened.", gazetteer, nlp)
    assert places["Athens"].admin1_code == "US-GA"
    assert any("qualified" in e for e in places["Athens"].evidence)


@pytest.mark.parametrize(
    "text, name, iso",
    [
        (
            "Ebola spread in the Democratic Republic of Congo.",
            "Democratic Republic of Congo",
            "CD",
        ),
        ("Cases rose in Kinshasa, DR Congo, this week.", "DR Congo", "CD"),
        ("Nine died in the Republic of Congo this month.", "Republic of Congo", "CG"),
        ("Cases rose in Russia, Romania and Macedonia.", "Macedonia", "MK"),
    ],
)
def test_country_names_as_news_writes_them(full_parser, text, name, iso):
    place = found(text, full_parser.gazetteer, full_parser.nlp)[name]
    assert place.country_code == iso
    assert place.kind in ("country", "region")


def test_an_australian_state_abbreviation_is_the_state(full_parser):
    text = "Horses were quarantined in regional NSW on Friday."
    place = found(text, full_parser.gazetteer, full_parser.nlp)["NSW"]
    assert (place.kind, place.admin1_code, place.name) == (
        "admin1",
        "AU-NSW",
        "New South Wales",
    )


def test_a_province_code_qualifies_but_a_year_is_no_province(nlp):
    provinces = build_gazetteer(
        [city(6173331, "Vancouver", 49.24966, -123.11934, "CA", "02", 600000)],
        [],
        [unit("CA-BC", "British Columbia", "CA", "CA.02", 53.7, -127.6)],
        [],
        admin1_aliases=[{"admin1_code": "CA-BC", "alias": "BC"}],
    )
    text = "She left Vancouver, B.C. in 2009. The mound dates from 100 B.C. or so."
    extraction = extract_mentions(text, provinces, nlp)
    assert [m.text for m in extraction.mentions] == ["Vancouver", "B.C."]
    assert extraction.mentions[1].start == text.index("B.C.")


@pytest.fixture(scope="module")
def continents():
    # GeoNames: the continent Africa, a Philippine town called Asia, and
    # Los Angeles with its state.
    return build_gazetteer(
        [
            city(1730413, "Asia", 9.5506, 122.5164, "PH", "06", 3120),
            city(5368361, "Los Angeles", 34.05223, -118.24368, "US", "CA", 3971883),
        ],
        [],
        [unit("US-CA", "California", "US", "US.CA", 37.2, -119.4)],
        [],
        continents=[
            {
                "name": "Africa",
                "lat": "7.1881",
                "lng": "21.09375",
                "geonameId": 6255146,
                "population": 1031833000,
            },
            {
                "name": "Asia",
                "lat": "29.84064",
                "lng": "89.29688",
                "geonameId": 6255147,
                "population": 3812366000,
            },
        ],
    )


def test_part_of_a_continent_is_drawn_at_the_continent_not_a_town(continents, nlp):
    text = "Flu spread across West Africa and South Asia."
    places = found(text, continents, nlp)
    for phrase, name in [("West Africa", "Africa"), ("South Asia", "Asia")]:
        region = places[phrase]
        assert region.kind == "region"
        assert region.reference_kind == "region"
        assert region.name.endswith(name)
        assert region.country_code != "PH"


def test_part_of_a_town_is_the_town_not_its_state(continents, nlp):
    text = "Police in Los Angeles said shots were fired in South Los Angeles."
    region = found(text, continents, nlp)["South Los Angeles"]
    assert (region.reference_kind, region.lat) == ("city", 34.05223)


def test_a_given_span_with_a_compass_word_is_a_directional_region(continents):
    text = "Cases rose in West Africa."
    start = text.index("West Africa")
    extraction = mentions_for_spans(text, [(start, start + 11)], continents)
    (mention,) = extraction.mentions
    assert (mention.direction, mention.reference) == ("west", "Africa")
    (region,) = resolve_mentions(extraction, continents, accept_all=True).resolved
    assert (region.kind, region.lat, region.lon) == ("region", 7.1881, 21.09375)


def test_a_given_span_never_settles_on_a_generic_word_inside(nlp):
    lakes = build_gazetteer(
        [
            city(5188843, "Erie", 42.12922, -80.08506, "US", "PA", 101786),
            city(4907850, "National Park", 39.87, -75.18, "US", "NJ", 2946),
        ],
        [],
        [],
        [],
        counties=[
            {
                "name": "Lake County",
                "short_name": "Lake",
                "admin1_code": "US-OH",
                "latitude": 41.7,
                "longitude": -81.2,
                "population": 230000,
            }
        ],
    )
    text = "Birds died on Lake Erie, on Lake Titicaca and in Zion National Park."
    spans = [(text.index(name), text.index(name) + len(name)) for name in
             ("Lake Erie", "Lake Titicaca", "Zion National Park")]  # fmt: skip
    extraction = mentions_for_spans(text, spans, lakes, nlp)
    erie, titicaca, zion = extraction.mentions
    assert [lakes.place(i).name for i in erie.place_ids] == ["Erie"]
    assert titicaca.place_ids == ()
    assert zion.place_ids == ()  # not the town National Park, New Jersey


@pytest.fixture(scope="module")
def cairos():
    return build_gazetteer(
        [
            city(360630, "Cairo", 30.06263, 31.24967, "EG", "11", 9606916),
            city(4235193, "Cairo", 37.00533, -89.17646, "US", "IL", 1733),
            city(4245453, "Mound City", 37.08533, -89.16257, "US", "IL", 588),
            city(4887398, "Chicago", 41.85003, -87.65005, "US", "IL", 2720546),
            city(4250542, "Springfield", 39.80172, -89.64371, "US", "IL", 116565),
        ],
        [
            country(357994, "Egypt", "EG", 98423595),
            country(6252001, "United States", "US", 327167434),
        ],
        [
            unit("EG-C", "Cairo Governorate", "EG", "EG.11", 30.1, 31.4),
            unit("US-IL", "Illinois", "US", "US.IL", 40.0, -89.2),
            unit("US-TX", "Texas", "US", "US.TX", 31.4, -99.3),
        ],
        [],
        country_points={"EG": (27.0, 30.0), "US": (39.8333, -98.5833)},
    )


def test_a_world_city_beats_a_small_namesake_its_country_alone_supports(cairos, nlp):
    text = (
        "Flu cases rose in Illinois and Texas, the United States said, and "
        "Egypt closed schools. Staff check passengers arriving at Cairo airport."
    )
    assert found(text, cairos, nlp)["Cairo"].country_code == "EG"


@pytest.mark.parametrize(
    "text",
    [
        "In Egypt and Illinois the river rose at Mound City, and Cairo shut.",
        # Egypt named, but the article is about Illinois (three of its places).
        "Egypt shut schools. In Illinois, Chicago and Springfield, Cairo flooded.",
        # The world city's country is not in the article: no contest.
        "Flu cases rose in Illinois, Texas and Chicago. Cairo closed schools.",
    ],
)
def test_a_small_namesake_the_article_places_stays(cairos, nlp, text):
    assert found(text, cairos, nlp)["Cairo"].admin1_code == "US-IL"


def test_a_national_capital_stands_for_its_government(nlp):
    capitals = build_gazetteer(
        [
            city(4140963, "Washington", 38.89511, -77.03637, "US", "DC", 689545),
            city(5546220, "Washington", 37.13054, -113.50829, "US", "UT", 27993),
            city(2158177, "Melbourne", -37.814, 144.96332, "AU", "07", 4917750),
            city(
                1819729, "Hong Kong", 22.27832, 114.17469, "HK", "", 7491609, "Victoria"
            ),  # fmt: skip
        ],
        [
            country(6252001, "United States", "US", 327167434, "Washington"),
            country(1819730, "Hong Kong", "HK", 7491609, "Hong Kong"),
        ],
        [
            unit("US-DC", "District of Columbia", "US", "US.DC", 38.9, -77.0),
            unit("US-WA", "Washington", "US", "US.WA", 47.4, -120.5),
            unit("US-UT", "Utah", "US", "US.UT", 39.3, -111.7),
            unit("AU-VIC", "Victoria", "AU", "AU.07", -36.9, 144.3),
        ],
        [],
        country_points={"US": (39.8333, -98.5833), "HK": (22.25, 114.17)},
    )
    # Of the towns bearing the capital's name, the most populous.
    assert {(capitals.place(i).name, capitals.place(i).admin1_code)
            for i in capitals.capitals} == {("Washington", "US-DC"),
                                            ("Hong Kong", None)}  # fmt: skip
    # A capital known by another name gets no capital's weight.
    place = found("Victoria recorded 500 new cases, the premier said.", capitals, nlp)
    assert place["Victoria"].admin1_code == "AU-VIC"
    text = "Washington said the United States would send aid."
    place = found(text, capitals, nlp)["Washington"]
    assert (place.kind, place.admin1_code) == ("city", "US-DC")
    assert "the capital of US" in place.evidence


@pytest.mark.parametrize(
    "text, name, kind",
    [
        ("Debris washed up across the Pacific Ocean.", "Pacific Ocean", "region"),
        ("The ferry sank in the Baltic Sea.", "Baltic Sea", "region"),
        ("Bird flu reached the Indonesian island of Sumatra.", "Sumatra", "region"),
        ("Peace talks across the Middle East stalled.", "Middle East", "region"),
        ("Lawmakers in Republika Srpska voted.", "Republika Srpska", "region"),
        ("Shells fell on Yeonpyeong Island.", "Yeonpyeong Island", "region"),
    ],
)
def test_seas_islands_and_regions_of_world_news(full_parser, text, name, kind):
    place = found(text, full_parser.gazetteer, full_parser.nlp)[name]
    assert place.kind == kind
    assert place.name == name


def test_one_odd_reading_does_not_break_a_list_of_states(nlp):
    states = build_gazetteer(
        [city(4140963, "Washington", 38.89511, -77.03637, "US", "DC", 689545)],
        [
            country(6252001, "United States", "US", 327167434, "Washington"),
            country(614540, "Georgia", "GE", 3731000),
        ],
        [
            unit("US-DC", "District of Columbia", "US", "US.DC", 38.9, -77.0),
            unit("US-WA", "Washington", "US", "US.WA", 47.4, -120.5),
            unit("US-GA", "Georgia", "US", "US.GA", 32.7, -83.4),
            unit("US-TX", "Texas", "US", "US.TX", 31.4, -99.3),
            unit("US-UT", "Utah", "US", "US.UT", 39.3, -111.7),
            unit("US-AZ", "Arizona", "US", "US.AZ", 34.3, -111.7),
        ],
        [],
        country_points={"US": (39.8333, -98.5833), "GE": (42.0, 43.5)},
    )
    text = "Cases were found in Arizona, Georgia, Texas, Utah, Washington and Ohio."
    place = found(text, states, nlp)["Washington"]
    assert (place.kind, place.admin1_code) == ("admin1", "US-WA")


@pytest.fixture(scope="module")
def strouds():
    return build_gazetteer(
        [
            city(2636531, "Stroud", 51.74526, -2.21919, "GB", "ENG", 60155),
            city(6167865, "Toronto", 43.70643, -79.39864, "CA", "08", 2794356),
        ],
        [country(6251999, "Canada", "CA", 37058856)],
        [
            unit("CA-ON", "Ontario", "CA", "CA.08", 50.0, -86.0),
            unit("CM-SU", "South", "CM", "CM.14", 2.6, 11.5),
            unit("US-MD", "Maryland", "US", "US.MD", 39.0, -76.8),
        ],
        [],
        country_points={"CA": (60.0, -95.0)},
    )


def test_a_place_its_qualifier_puts_where_the_gazetteer_has_none(strouds, nlp):
    text = "A truck was stopped in Stroud, Ontario, an hour north of Toronto."
    place = found(text, strouds, nlp)["Stroud"]
    assert (place.kind, place.country_code, place.admin1_code) == (
        "place",
        "CA",
        "CA-ON",
    )
    # Toronto is the article's one place in Ontario: the point is Toronto's.
    assert (place.lat, place.lon) == (43.70643, -79.39864)
    assert place.confidence < 0.5
    assert any("approximate" in e for e in place.evidence)


def test_a_given_span_the_gazetteer_lacks_lies_in_its_qualifier(strouds):
    text = "He worked at Fort Detrick, Maryland for 18 years."
    spans = [(13, 25), (27, 35)]
    extraction = mentions_for_spans(text, spans, strouds)
    detrick, _ = resolve_mentions(extraction, strouds, accept_all=True).resolved
    assert (detrick.kind, detrick.admin1_code) == ("place", "US-MD")
    assert (detrick.lat, detrick.lon) == (39.0, -76.8)


def test_a_compass_word_is_no_qualifier(strouds):
    text = "The commission includes Russian, North Ossetian, South Ossetian envoys."
    start = text.index("North Ossetian")
    extraction = mentions_for_spans(text, [(start, start + 14)], strouds)
    assert not any(c.startswith("qualifier") for c in extraction.mentions[0].cues)


def test_a_unit_that_goes_on_into_a_list_does_not_take_the_town(strouds, nlp):
    text = "Crews visited Stroud, Ontario and Toronto on Monday."
    extraction = extract_mentions(text, strouds, nlp)
    stroud = next(m for m in extraction.mentions if m.text == "Stroud")
    assert not any(c.startswith(("unheld", "qualifier")) for c in stroud.cues)


@pytest.mark.parametrize(
    "text, name, expected",
    [
        # A town of the span's name in the unit, no list after: the town.
        ("He grew up in Washington, Pennsylvania.", "Washington", ("city", "US-PA")),
        # A unit that opens a longer name is not the town's qualifier.
        (
            "In Shenzhen, California Governor Gavin Newsom met investors.",
            "Shenzhen",
            ("city", "CN-GD"),
        ),
        # Part of the town the article reads the name as.
        (
            "Police in Jordan, Minnesota said storms hit southern Jordan.",
            "southern Jordan",
            ("region", "US-MN"),
        ),
        # A large town abroad is a directional phrase's reference.
        (
            "A US tourist was robbed in central Mumbai.",
            "central Mumbai",
            ("region", "IN-MH"),
        ),  # fmt: skip
    ],
)
def test_what_the_review_found(full_parser, text, name, expected):
    place = found(text, full_parser.gazetteer, full_parser.nlp)[name]
    assert (place.kind, place.admin1_code) == expected


@pytest.mark.parametrize("text", ["Que sera, sera.", "N.B. The figures are final."])
def test_province_abbreviations_outside_a_qualifier_are_no_places(full_parser, text):
    assert parse_full(text, full_parser).resolved == ()


@pytest.mark.parametrize(
    "text, word",
    [
        ("Trains stopped at Central Station.", "Station"),
        ("Oil washed up on the Gulf Coast.", "Gulf"),
        ("Hikers crossed the Exit Glacier trail.", "Glacier"),
        # Papua New Guinea's Gulf Province is no gulf of Colombia's.
        ("Gangs controlled the routes to the Gulf of Uraba.", "Gulf"),
        # A demarcation line is no Líně, Czech Republic.
        ("Fighters crossed the Line of Control from Pakistan.", "Line"),
    ],
)
def test_a_feature_word_inside_a_longer_name_is_no_place(full_parser, text, word):
    resolution = parse_full(text, full_parser)
    assert word not in {r.text for r in resolution.resolved}
    if word in {r.text for r in resolution.rejected}:
        rejected = {r.text: r for r in resolution.rejected}[word]
        assert any("feature" in reason for reason in rejected.reasons)


def test_a_lower_case_compass_word_before_a_region_of_its_own(full_parser):
    # "eastern Ghouta" is Eastern Ghouta, not the east of it; "south-east
    # Asia" is the region; "southern Africa" and "south Lebanon" directions.
    got = found(
        "Troops entered eastern Ghouta; haze hung over south-east Asia; drought "
        "hit southern Africa; shells fell in south Lebanon.",
        full_parser.gazetteer,
        full_parser.nlp,
    )
    assert got["eastern Ghouta"].name == "Eastern Ghouta"
    assert got["south-east Asia"].name == "Southeast Asia"
    assert got["southern Africa"].direction == "south"
    assert got["south Lebanon"].direction == "south"


@pytest.mark.parametrize(
    "text, span",
    [
        ("The EU imposed new sanctions on Monday.", "EU"),
        ("An EU-Israel summit is unlikely.", "EU"),
        ("France joined the European Union talks in Brussels.", "European Union"),
    ],
)
def test_the_european_union_is_drawn_at_brussels(full_parser, text, span):
    place = found(text, full_parser.gazetteer, full_parser.nlp)[span]
    assert (place.kind, place.name) == ("region", "European Union")
    assert abs(place.lat - 50.85) < 0.1 and abs(place.lon - 4.35) < 0.1
    # As a given span too, where no gazetteer key is that short.
    start = text.index(span)
    extraction = mentions_for_spans(
        text, [(start, start + len(span))], full_parser.gazetteer
    )
    (given,) = resolve_mentions(
        extraction, full_parser.gazetteer, accept_all=True
    ).resolved
    assert given.name == "European Union"


def test_a_regions_abbreviation_is_taken_as_written(full_parser):
    assert full_parser.gazetteer.abbreviation("EU").name == "European Union"
    assert full_parser.gazetteer.abbreviation("E.U.").name == "European Union"
    assert full_parser.gazetteer.abbreviation("Eu.") is None


@pytest.fixture(scope="module")
def saints():
    return build_gazetteer(
        [
            city(3718426, "Saint-Marc", 19.10819, -72.69379, "HT", "06", 266642),
            city(4407066, "St. Louis", 38.62727, -90.19789, "US", "MO", 315685),
            city(1275831, "Kwa", 17.6, 94.6, "MM", "01", 5000),
            city(4393217, "St. Charles", 38.78394, -90.48123, "US", "MO", 70764),
            # GeoNames gives Denver the alternate name "Saint Charles".
            city(
                5419384,
                "Denver",
                39.73915,
                -104.9847,
                "US",
                "CO",
                682545,
                "Saint Charles",
            ),
            city(2974733, "Sète", 43.4028, 3.69278, "FR", "76", 44136, "St"),
        ],
        [],
        [],
        [],
    )


@pytest.mark.parametrize(
    "text, span, name",
    [
        (
            "He was taken to hospital in St. Marc after the riot.",
            "St. Marc",
            "Saint-Marc",
        ),
        ("Flights to Saint Louis resumed.", "Saint Louis", "St. Louis"),
    ],
)
def test_saint_and_st_are_one_name(saints, nlp, text, span, name):
    assert found(text, saints, nlp)[span].name == name


def test_the_other_saint_spelling_only_fills_a_gap(saints):
    # "St. Charles" is a town's own name: Denver's "Saint Charles" does not
    # join it; nor is the bare word "Saint" a name of Sète ("St").
    assert [p.name for p in saints.candidates("St. Charles")] == ["St. Charles"]
    assert saints.candidates("Saint") == []


def test_a_units_romance_compass_word_is_also_read_in_english(nlp):
    # Natural Earth writes the old Congolese province "Kasaï-Occidental";
    # English news writes "Western Kasai". Japan's town of Kasai is no rival.
    g = build_gazetteer(
        [city(1859924, "Kasai", 34.92633, 134.84533, "JP", "28", 42700)],
        [country(203312, "Democratic Republic of the Congo", "CD", 86790567)],
        [
            unit("CD-KW", "Kasaï-Occidental", "CD", "CD.KW", -5.9, 22.4),
            unit("CD-KE", "Kasaï-Oriental", "CD", "CD.KE", -5.0, 24.0),
            unit("HT-NO", "Nord-Ouest", "HT", "HT.NO", 19.8, -73.0),
        ],
    )
    text = "Ebola was suspected in the province of Western Kasai and in East Kasai."
    assert found(text, g, nlp)["Western Kasai"].admin1_code == "CD-KW"
    assert found(text, g, nlp)["East Kasai"].admin1_code == "CD-KE"
    # Two compass words stay as written: "Nord-Ouest" is no "Northern Ouest".
    assert g.candidates("Northern Ouest") == []


def test_a_town_cue_keeps_the_towns_of_the_articles_countries(nlp):
    g = build_gazetteer(
        [
            city(1275163, "Bāli", 22.64859, 88.34115, "IN", "28", 296973),
            city(1642911, "Jakarta", -6.21462, 106.84513, "ID", "04", 8540121),
        ],
        [
            country(1643084, "Indonesia", "ID", 267663435),
            country(1269750, "India", "IN", 1352617328),
        ],
        [unit("ID-BA", "Bali", "ID", "ID.02", -8.4, 115.1)],
    )
    text = "She was caught at Bali airport. Her trial is in Jakarta, Indonesia."
    # "airport" speaks for a town, but the article is about Indonesia: the
    # island's airport, not that of Bāli, India.
    assert found(text, g, nlp)["Bali"].admin1_code == "ID-BA"
    # An article about India keeps its town.
    text = "She was caught at Bali airport, near Kolkata in India."
    assert found(text, g, nlp)["Bali"].country_code == "IN"


@pytest.fixture(scope="module")
def strays():
    return build_gazetteer(
        [
            city(2911298, "Hamm", 51.68033, 7.82089, "DE", "07", 178967, "Hamas"),
            city(360630, "Cairo", 30.06263, 31.24967, "EG", "11", 7734614),
            city(281133, "Gaza", 31.50161, 34.46672, "PS", "GZ", 410000),
            city(5203506, "Muse", 40.29146, -80.20006, "US", "PA", 2504),
            city(1312609, "Lashio", 22.9359, 97.7498, "MM", "17", 88590),
            city(1311874, "Mandalay", 21.97473, 96.08359, "MM", "04", 1208099),
            city(1298824, "Yangon", 16.80528, 96.15611, "MM", "06", 4477638),
            city(4115412, "Hardy", 36.3159, -91.48291, "US", "AR", 759, "Hadi"),
            city(76184, "Marib", 15.46253, 45.32581, "YE", "14", 16794),
            city(415189, "Aden", 12.77944, 45.03667, "YE", "02", 550602),
            city(108410, "Riyadh", 24.68773, 46.72185, "SA", "10", 4205961),
        ],
        [
            country(102358, "Saudi Arabia", "SA", 33699947, "Riyadh"),
            country(357994, "Egypt", "EG", 98423595),
            country(294640, "Israel", "IL", 8883800),
            country(1327865, "Myanmar", "MM", 53708395),
            country(1814991, "China", "CN", 1411778724),
            country(6252001, "United States", "US", 327167434),
        ],
        [unit("US-PA", "Pennsylvania", "US", "US.PA", 40.9, -77.8)],
    )


def test_a_towns_other_name_read_as_an_organisation_is_no_place(strays, nlp):
    text = "Hamas officials met Egyptian mediators in Cairo, far from Gaza."
    got = found(text, strays, nlp)
    assert "Hamas" not in got and got["Cairo"].country_code == "EG"
    extraction = extract_mentions(text, strays, nlp)
    (why,) = [
        r.reasons for r in resolve_mentions(extraction, strays).rejected
        if r.text == "Hamas"
    ]  # fmt: skip
    assert "another name of Hamm" in why[0]


def test_a_far_town_under_another_name_of_its_is_no_place(strays, nlp):
    # "Hadi", Yemen's president, is also a name of Hardy, Arkansas: 12,000 km
    # from Aden and Marib, under a name not its own, in a country the
    # article never names.
    for text in [
        "Hadi's government, based in Aden, said jets hit positions near Marib.",
        "Forces loyal to Hadi retook a district near Marib. Hadi thanked Saudi "
        "Arabia for its support.",
    ]:
        resolution = resolve_mentions(extract_mentions(text, strays, nlp), strays)
        assert "Hadi" not in {r.text for r in resolution.resolved}
        assert any("Hardy" in r.reasons[0] for r in resolution.rejected)
    # spaCy reads "Saudi Arabia" there as a nationality (NORP); it is the
    # country's own name.
    assert "Saudi Arabia" in {r.text for r in resolution.resolved}


def test_a_small_town_far_from_all_the_articles_places_is_doubtful(strays, nlp):
    # The gazetteer lacks the Burmese border town: Muse, Pennsylvania is
    # 12,000 km from everything else the story names. Doubtful, not
    # dropped: a hometown far from a story is as far.
    text = (
        "Fighting spread near Muse, on the border with China, and in Lashio, "
        "Mandalay and Yangon, Myanmar."
    )
    muse = found(text, strays, nlp)["Muse"]
    assert muse.confidence <= 0.3 and "doubtful" in muse.evidence[-1]
    assert found(text, strays, nlp)["Lashio"].confidence > 0.3
    # Named twice, it is still in doubt: its repeats speak for nothing.
    twice = text + " Muse is a trade hub."
    assert all(
        r.confidence <= 0.3
        for r in resolve_mentions(extract_mentions(twice, strays, nlp), strays).resolved
        if r.text == "Muse"
    )
    # Qualified, or with a cue of kind, it is not in doubt.
    for said in ("near Muse, Pennsylvania,", "near the town of Muse"):
        text = f"Fighting spread {said} and in Lashio, Mandalay and Yangon."
        muse = found(text, strays, nlp)["Muse"]
        assert muse.country_code == "US" and "doubtful" not in muse.evidence[-1]


def test_the_north_is_the_focus_countrys_where_it_leads(nlp):
    g = build_gazetteer(
        [
            city(76184, "Marib", 15.46253, 45.32581, "YE", "14", 16794),
            city(71137, "Sanaa", 15.35472, 44.20667, "YE", "26", 1937451),
            city(108410, "Riyadh", 24.68773, 46.72185, "SA", "10", 4205961),
        ],
        [
            country(69543, "Yemen", "YE", 28498687, "Sanaa"),
            country(102358, "Saudi Arabia", "SA", 33699947, "Riyadh"),
        ],
        [],
        demonyms=[{"iso": "SA", "demonym": "Saudi"}],
    )
    # A Yemen story: "the north" is Yemen's, whatever "Saudi-led" before it.
    text = (
        "Strikes hit Sanaa in Yemen. Later Saudi Arabia spoke. Saudi-led "
        "aircraft hit positions near Marib, the last stronghold in the north."
    )
    north = found(text, g, nlp)["the north"]
    assert north.name == "north Yemen" and north.country_code == "YE"
    # Where no country leads, the country last named.
    text = "Strikes hit Sanaa in Yemen. Saudi Arabia said the north was calm."
    assert found(text, g, nlp)["the north"].country_code == "SA"
    # A town someone spoke in is not the phrase's place, nor does "the
    # country" follow the focus.
    text = (
        "Sanaa, Yemen burned again. After meeting officials in Riyadh, the "
        "envoy warned of famine in the north."
    )
    assert found(text, g, nlp)["the north"].country_code == "YE"
    text = "Yemen burned. In Riyadh, envoys said the north of the country was calm."
    assert found(text, g, nlp)["the north of the country"].country_code == "YE"
    # A demonym names no country to refer back to: "Saudi-led" jets near
    # Marib are in Yemen's north.
    text = (
        "Saudi-led jets struck positions near Marib, the government's last "
        "stronghold in the north."
    )
    assert found(text, g, nlp)["the north"].country_code == "YE"


def test_a_capital_that_speaks_is_its_government_not_a_person(nlp):
    g = build_gazetteer(
        [
            city(587084, "Baku", 40.37767, 49.89201, "AZ", "09", 2351300),
            city(616052, "Yerevan", 40.18111, 44.51361, "AM", "11", 1144700),
        ],
        [
            country(587116, "Azerbaijan", "AZ", 9942334, "Baku"),
            country(174982, "Armenia", "AM", 2951776, "Yerevan"),
        ],
        [],
    )
    text = (
        "Forces of Azerbaijan launched an offensive, and people fled to Armenia. "
        "Baku said the operation was over within a day."
    )
    baku = found(text, g, nlp)["Baku"]
    assert baku.country_code == "AZ"
    assert any('which "said"' in e for e in baku.evidence)


def test_a_given_span_never_settles_on_a_lower_case_word_inside(saints):
    text = "Cholera spread through Mukuru kwa Njenga, a Nairobi slum."
    start = text.index("Mukuru")
    extraction = mentions_for_spans(text, [(start, start + 17)], saints)
    assert extraction.mentions[0].place_ids == ()
    # An all-lower-case span is taken as written: its words may be names.
    text = "a fire in kwa"
    extraction = mentions_for_spans(text, [(10, 13)], saints)
    assert extraction.mentions[0].place_ids != ()


def test_a_state_and_a_country_are_no_list_of_states(nlp):
    mexicos = build_gazetteer(
        [],
        [country(3996063, "Mexico", "MX", 126014024)],
        [
            unit("US-CA", "California", "US", "US.CA", 37.2, -119.4),
            unit("MX-MEX", "México", "MX", "MX.15", 19.4, -99.6, "Mexico"),
        ],
        [],
        country_points={"MX": (23.0, -102.0)},
    )
    text = "Trade between California and Mexico grew last year."
    assert found(text, mexicos, nlp)["Mexico"].kind == "country"


def test_two_countries_make_a_list_of_countries(nlp):
    nigers = build_gazetteer(
        [],
        [
            country(357994, "Egypt", "EG", 98423595),
            country(2440476, "Niger", "NE", 22442948),
            country(2328926, "Nigeria", "NG", 195874740),
        ],
        [unit("NG-NI", "Niger", "NG", "NG.31", 9.9, 5.5, "Niger State")],
        [],
        country_points={"EG": (27.0, 30.0), "NE": (16.0, 8.0), "NG": (10.0, 8.0)},
    )
    text = (
        "Nigeria reported 20 new polio cases. The WHO said in February that "
        "polio had been eradicated in Egypt and Niger."
    )
    assert found(text, nigers, nlp)["Niger"].kind == "country"


def test_a_large_citys_initials_are_the_city_not_a_state_code(nlp):
    initials = build_gazetteer(
        [
            city(
                5368361,
                "Los Angeles",
                34.05223,
                -118.24368,
                "US",
                "CA",
                3971883,
                "L.A.",
            ),
            city(4333669, "Monroe", 32.50931, -92.1193, "US", "LA", 48815),
            city(
                4140963, "Washington", 38.89511, -77.03637, "US", "DC", 689545, "D.C."
            ),
            city(9999001, "Lakeview", 30.0, -90.0, "US", "LA", 900, "L.V."),
        ],
        [],
        [
            unit("US-LA", "Louisiana", "US", "US.LA", 31.0, -92.0),
            unit("US-DC", "District of Columbia", "US", "US.DC", 38.9, -77.0),
        ],
        [],
        admin1_aliases=[
            {"admin1_code": "US-LA", "alias": "La."},
            {"admin1_code": "US-LA", "alias": "LA"},
            {"admin1_code": "US-DC", "alias": "D.C."},
        ],
    )
    assert initials.abbreviation("L.A.").name == "Los Angeles"
    assert initials.abbreviation("La.").name == "Louisiana"
    assert initials.abbreviation("LA").name == "Louisiana"
    # Our table's own form wins, and a small town's initials are no name.
    assert initials.abbreviation("D.C.").name == "District of Columbia"
    assert initials.abbreviation("L.V.") is None
    place = found("The L.A. port has signed on for 25 trucks.", initials, nlp)
    assert place["L.A."].name == "Los Angeles"
    assert "L.A." not in found("The L.A. Times reported the fire.", initials, nlp)
    place = found("She grew up in Monroe, La., and moved.", initials, nlp)
    assert place["La."].name == "Louisiana"


def test_a_unit_abroad_is_no_reference_of_a_directional_region(nlp):
    plateaus = build_gazetteer(
        [city(3718426, "Saint-Marc", 19.10819, -72.69379, "HT", "06", 266642)],
        [
            country(3723988, "Haiti", "HT", 9648924),
            country(2328926, "Nigeria", "NG", 195874740),
        ],
        [unit("NG-PL", "Plateau", "NG", "NG.49", 9.2, 9.5)],
        [],
        country_points={"HT": (19.0, -72.4), "NG": (10.0, 8.0)},
    )
    haiti = "Cholera spread in Haiti. Most cases are in the Central Plateau."
    spans = [(haiti.index(n), haiti.index(n) + len(n)) for n in
             ("Haiti", "Central Plateau")]  # fmt: skip
    extraction = mentions_for_spans(haiti, spans, plateaus, nlp)
    resolution = resolve_mentions(extraction, plateaus, accept_all=True)
    assert [r.text for r in resolution.resolved] == ["Haiti"]
    nigeria = "Clashes hit Nigeria again. Most deaths were in central Plateau."
    region = found(nigeria, plateaus, nlp)["central Plateau"]
    assert (region.kind, region.admin1_code) == ("region", "NG-PL")


@pytest.fixture(scope="module")
def idlibs():
    # Idlib governorate with its five largest towns (GeoNames): the city
    # holds 43 % of the people the gazetteer counts in the unit.
    towns = [
        city(168325, "Khān Shaykhūn", 35.44208, 36.65095, "SY", "12", 48975),
        city(168661, "Kafranbel", 35.61376, 36.56449, "SY", "12", 45652),
        city(169023, "Jisr ash Shughūr", 35.81418, 36.31983, "SY", "12", 39311),
        city(164816, "Saraqib", 35.86447, 36.80591, "SY", "12", 34231),
    ]
    return build_gazetteer(TINY_CITIES + towns, TINY_COUNTRIES, TINY_UNITS, [])


@pytest.mark.parametrize(
    "text",
    [
        "Rebels captured Idlib in 2015.",
        "The army advanced on Idlib after heavy fighting.",
        "Idlib fell to the rebels in March 2015.",
        "the siege of Idlib went on.",
        "Shells hit the outskirts of Idlib.",
    ],
)
def test_taking_ground_is_taking_the_units_town(idlibs, nlp, text):
    # Idlib is a governorate and its largest town: what is captured,
    # besieged or falls is the town.
    (found,) = _resolve(text, idlibs, nlp, "Idlib")
    assert found.kind == "city" and found.admin1_code == "SY-ID"
    assert any("taking ground" in e for e in found.evidence)


def test_taking_ground_goes_through_a_list(idlibs, nlp):
    text = "Rebels captured Idlib and Aleppo in a week."
    assert [r.kind for r in _resolve(text, idlibs, nlp)] == ["city", "city"]


@pytest.mark.parametrize(
    "text",
    [
        "Rebels captured Idlib province in 2015.",
        "Strikes hit Idlib on Sunday.",
        "Warplanes struck parts of Aleppo, Hama and Latakia.",
        # Groups seize territories ("Hamas seized Gaza"): no taking word.
        "Rebels seized Idlib in 2015.",
    ],
)
def test_without_taking_ground_or_with_a_unit_cue_the_unit_stays(
    tiny_gazetteer, nlp, text
):
    # In the tiny gazetteer the town is all the unit holds, and still the
    # bare name is the unit.
    assert {r.kind for r in _resolve(text, tiny_gazetteer, nlp)} == {"admin1"}


def test_a_village_of_the_units_name_is_no_town_taken(nlp):
    # Zaporizhzhia oblast holds the city (spelled Zaporizhzhya, with the
    # other spelling as another name) and a village of 656 people spelled
    # as the oblast is: the city is the one taken.
    gazetteer = build_gazetteer(
        [
            city(687700, "Zaporizhzhya", 47.85167, 35.11714, "UA", "26", 710052,
                 "Zaporizhzhia"),
            city(687684, "Zaporizhzhia", 46.96173, 35.04281, "UA", "26", 656),
            city(698740, "Melitopol", 46.84891, 35.36533, "UA", "26", 150768),
        ],
        [country(690791, "Ukraine", "UA", 44622516)],
        [unit("UA-23", "Zaporizhzhia", "UA", "UA.26", 47.27, 35.69)],
        [],
    )  # fmt: skip
    (found,) = _resolve("Forces advanced on Zaporizhzhia.", gazetteer, nlp)
    assert (found.kind, found.geonameid) == ("city", 687700)
    # A town that small beside the unit is never its seat.
    small = build_gazetteer(
        [city(687684, "Zaporizhzhia", 46.96173, 35.04281, "UA", "26", 656),
         city(698740, "Melitopol", 46.84891, 35.36533, "UA", "26", 150768)],
        [country(690791, "Ukraine", "UA", 44622516)],
        [unit("UA-23", "Zaporizhzhia", "UA", "UA.26", 47.27, 35.69)],
        [],
    )  # fmt: skip
    (found,) = _resolve("Forces advanced on Zaporizhzhia.", small, nlp)
    assert found.kind == "admin1"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Afghan soldiers captured Taliban fighters in Helmand province.", "Taliban"),
        ("Israeli troops captured Hamas commanders in Khan Younis.", "Hamas"),
    ],
)
def test_taking_words_make_no_place_of_whom_they_take(full_parser, text, word):
    assert word not in found(text, full_parser.gazetteer, full_parser.nlp)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Wagner captured Bakhmut.", "Bakhmut"),
        ("The siege of Mariupol ended in May.", "Mariupol"),
    ],
)
def test_what_is_taken_is_a_place(full_parser, text, name):
    place = found(text, full_parser.gazetteer, full_parser.nlp)[name]
    assert place.kind == "city" and place.country_code == "UA"
    assert any(e.startswith("taking ground") for e in place.evidence)


def test_a_taken_towns_bare_repeats_are_that_town(idlibs, nlp):
    text = "Rebels captured Idlib. Idlib and Aleppo were calm by May."
    found_ = _resolve(text, idlibs, nlp, "Idlib")
    assert [r.kind for r in found_] == ["city", "city"]
    assert "the town the article speaks of taking elsewhere" in found_[1].evidence[0]


def test_taking_a_unit_with_no_town_of_its_name_stays_the_unit(nlp):
    # Florida holds no town called Florida; Florida, Uruguay's namesake town
    # is no reading of the US state.
    gazetteer = build_gazetteer(
        [
            city(3442585, "Florida", -34.09556, -56.21417, "UY", "07", 33639),
            city(4167147, "Orlando", 28.53834, -81.37924, "US", "FL", 307573),
        ],
        COUNTRIES + [country(3439705, "Uruguay", "UY", 3449299)],
        UNITS
        + [
            unit("US-FL", "Florida", "US", "US.FL", 28.6, -82.4),
            unit("UY-FD", "Florida", "UY", "UY.07", -33.9, -55.9),
        ],
        [],
        country_points=POINTS,
    )
    (found,) = _resolve("Troops advanced on Florida.", gazetteer, nlp, "Florida")
    assert (found.kind, found.admin1_code) == ("admin1", "US-FL")


def _resolve(text, gazetteer, nlp, name=None):
    found = resolve_mentions(extract_mentions(text, gazetteer, nlp), gazetteer).resolved
    return [r for r in found if name is None or r.text == name]


@pytest.mark.parametrize(
    "text, name, admin1",
    [
        ("Iran seized a tanker in the Gulf off the UAE.", "Persian Gulf", None),
        ("The US Navy said Iran harassed its ships in the Gulf.", "Persian Gulf", None),
        ("Rigs in the Gulf shut as the storm neared Houston.", "Gulf of Mexico", None),
        # The United States' point is in Kansas, far from both: world news's.
        ("US troops in the Gulf were put on alert.", "Persian Gulf", None),
        ("Mexico sent navy ships to the Gulf after the storm.", "Gulf of Mexico", None),
        ("Floods hit Gulf in Papua New Guinea; Kikori was cut off.", "Gulf", "PG-GPK"),
    ],
)
def test_the_gulf_is_the_water_nearest_the_articles_places(
    full_parser, text, name, admin1
):
    # "the Gulf" is a short name of two waters and the name of a PNG province.
    place = found(text, full_parser.gazetteer, full_parser.nlp)["Gulf"]
    assert (place.name, place.admin1_code) == (name, admin1)
    if admin1 is None:
        assert any("regions also called" in e for e in place.evidence)


def test_a_given_bare_compass_noun_is_the_focus_countrys_part(nlp):
    # Gold spans "the northeast" and "the west" (resolve-only) read as
    # recognition reads them, not as units abroad of that name.
    compass = build_gazetteer(
        TINY_CITIES,
        TINY_COUNTRIES,
        TINY_UNITS
        + [
            unit("IS-6", "Northeastern", "IS", "IS.6", 65.7, -16.9, "Northeast"),
            unit("CM-OU", "West", "CM", "CM.08", 5.5, 10.5),
        ],
        [],
    )
    text = "Strikes hit Aleppo in Syria. Troops went to the northeast and the west."
    names = ("Aleppo", "Syria", "the northeast", "the west")
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    extraction = mentions_for_spans(text, spans, compass, nlp)
    found = resolve_mentions(extraction, compass, accept_all=True).resolved
    parts = {r.text: (r.kind, r.direction, r.country_code) for r in found}
    assert parts["the northeast"] == ("region", "northeast", "SY")
    assert parts["the west"] == ("region", "west", "SY")


def test_the_sea_goddess_is_no_islands(full_parser):
    # The Matsu Islands are not called "Matsu" alone in the table: the name
    # is also the sea goddess's and a given name.
    text = "Pilgrims carried a statue of Matsu through Taichung."
    places = found(text, full_parser.gazetteer, full_parser.nlp)
    assert "Matsu" not in places or places["Matsu"].kind != "region"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Thousands fled fighting in Myanmar's Rakhine State.", "Rakhine State"),
        ("Troops pushed into Iraq's Kurdistan Region this week.", "Kurdistan Region"),
    ],
)
def test_a_country_in_the_possessive_owns_the_name_after_it(full_parser, text, name):
    assert name in found(text, full_parser.gazetteer, full_parser.nlp)


def test_a_possessive_that_is_no_place_still_glues_a_name(full_parser):
    # "Martha's Vineyard": Martha is nobody's country, so "Vineyard" is the
    # end of the island's name, not Vineyard, Utah.
    text = "Ferries to Martha's Vineyard were cancelled."
    assert "Vineyard" not in found(text, full_parser.gazetteer, full_parser.nlp)
