"""Place names cut as people write them: abbreviations with their full stop,
"Place, State" names split, news datelines, compass words, capitalised
directions, parts of towns, and streets and roads placed in their town."""

from __future__ import annotations

import datetime as dt
import itertools

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.control import load_control_table
from geo.extract import extract_mentions, mentions_for_spans
from geo.gazetteer import build_gazetteer
from geo.join import join_mentions
from geo.resolve import resolve_mentions

from .conftest import (
    TINY_ALIASES,
    TINY_CITIES,
    TINY_COUNTRIES,
    TINY_UNITS,
    city,
    country,
    unit,
)

CITIES = [
    city(4801859, "Charleston", 38.34982, -81.63262, "US", "WV", 46838),
    city(4574324, "Charleston", 32.77657, -79.93092, "US", "SC", 150227),
    city(4278890, "Salina", 38.84028, -97.61142, "US", "KS", 47813),
    city(4140963, "Washington", 38.89511, -77.03637, "US", "DC", 689545),
    city(4697645, "Huntsville", 30.72353, -95.55078, "US", "TX", 40938),
    city(5059163, "Fargo", 46.87719, -96.7898, "US", "ND", 125990),
    city(2964574, "Dublin", 53.33306, -6.24889, "IE", "L", 1024027),
]
UNITS = [
    unit("US-WV", "West Virginia", "US", "US.WV", 38.64, -80.71, "W.Va.|W. Va."),
    unit("US-SC", "South Carolina", "US", "US.SC", 33.9, -80.9, "S.C."),
    unit("US-KS", "Kansas", "US", "US.KS", 38.5, -98.4, "Kan.|Kans."),
    unit("US-DC", "Washington", "US", "US.DC", 38.89, -77.01, "D.C."),
    unit("US-TX", "Texas", "US", "US.TX", 31.4, -99.3, "Tex."),
    unit("US-ND", "North Dakota", "US", "US.ND", 47.4, -100.4, "N.D."),
]
COUNTRIES = [country(2963597, "Ireland", "IE", 4994724, "Dublin")]
ABBREVIATIONS = [
    {"admin1_code": code, "alias": alias}
    for code, alias in [
        ("US-WV", "W.Va."),
        ("US-SC", "S.C."),
        ("US-KS", "Kan."),
        ("US-DC", "D.C."),
        ("US-ND", "N.D."),
        ("US-TX", "Tex."),
    ]
]


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(
        TINY_CITIES + CITIES,
        TINY_COUNTRIES + COUNTRIES,
        TINY_UNITS + UNITS,
        TINY_ALIASES,
        admin1_aliases=ABBREVIATIONS,
    )


def parse(text, gazetteer, nlp):
    return resolve_mentions(extract_mentions(text, gazetteer, nlp), gazetteer)


def spans(resolution):
    return [r.text for r in resolution.resolved]


def by_text(resolution):
    return {r.text: r for r in resolution.resolved}


def test_an_abbreviation_keeps_its_full_stop(gazetteer, nlp):
    text = "A fire hit Charleston, W.Va. on Monday."
    resolution = parse(text, gazetteer, nlp)
    assert spans(resolution) == ["Charleston", "W.Va."]
    assert by_text(resolution)["Charleston"].admin1_code == "US-WV"


def test_a_place_and_its_qualifier_are_two_names(gazetteer, nlp):
    text = "The march went from Fargo to Washington, D.C. last week."
    found = by_text(parse(text, gazetteer, nlp))
    assert {"Washington", "D.C."} <= set(found)
    assert found["Washington"].admin1_code == "US-DC"


@pytest.mark.parametrize(
    "text, name, state",
    [
        (
            "Storm overturns rigs. SALINA, Kan. Strong winds toppled trucks.",
            "SALINA",
            "US-KS",
        ),
        ("Pig kissed. CHARLESTON, W.Va. -- Jim McMillon won.", "CHARLESTON", "US-WV"),
        ("Gov. rejects aid. CHARLESTON -- The governor said no.", "CHARLESTON", None),
    ],
)
def test_an_upper_case_dateline_is_a_place(gazetteer, nlp, text, name, state):
    found = by_text(parse(text, gazetteer, nlp))
    assert name in found
    assert any("dateline" in e for e in found[name].evidence)
    if state is not None:
        assert found[name].admin1_code == state


def test_a_four_letter_dateline_is_no_acronym(nlp):
    g = build_gazetteer(
        [
            city(415189, "Aden", 12.77944, 45.03667, "YE", "02", 550602),
            city(71137, "Sanaa", 15.35472, 44.20667, "YE", "26", 1937451),
        ],
        [country(69543, "Yemen", "YE", 28498687, "Sanaa")],
        [],
    )
    found = by_text(parse("ADEN, Yemen — Houthi rebels fired missiles.", g, nlp))
    assert found["ADEN"].name == "Aden"
    assert any("dateline" in e for e in found["ADEN"].evidence)
    # Inside a sentence, four capitals are still an acronym; before a dash
    # alone, a headline's tag.
    assert "ADEN" not in by_text(parse("He joined ADEN in Yemen in May.", g, nlp))
    assert "ADEN" not in by_text(parse("ADEN -- Prices fell in Yemen.", g, nlp))
    # A wire dateline's date and agency stand for its country.
    found = by_text(parse("ADEN, Oct 23 (Reuters) - Houthi rebels fired.", g, nlp))
    assert found["ADEN"].name == "Aden"


def test_upper_case_words_that_open_no_dateline_are_not_taken(gazetteer, nlp):
    resolution = parse("WARNING: SALINA residents must boil water.", gazetteer, nlp)
    assert all("dateline" not in " ".join(r.evidence) for r in resolution.resolved)


def test_a_compass_word_alone_is_never_a_place(nlp):
    compass = build_gazetteer(
        [
            city(4589368, "North", 33.61932, -81.10398, "US", "SC", 754),
            city(4597499, "South", 32.0, -81.0, "US", "SC", 500),
        ],
        [],
        [],
        [],
    )
    resolution = parse("Fans in the North cheered, and in South too.", compass, nlp)
    assert spans(resolution) == []
    assert {r.text for r in resolution.rejected} == {"North", "South"}
    assert all("compass" in " ".join(r.reasons) for r in resolution.rejected)


def test_a_capitalised_direction_before_a_unit_is_a_region(gazetteer, nlp):
    region = by_text(parse("She moved to North Texas in 1973.", gazetteer, nlp))[
        "North Texas"
    ]
    assert (region.kind, region.direction, region.admin1_code) == (
        "region",
        "north",
        "US-TX",
    )


def test_a_capitalised_direction_before_a_country_is_no_direction(gazetteer, nlp):
    # "Northern Ireland" is not the north of Ireland.
    resolution = parse("Talks in Northern Ireland resumed.", gazetteer, nlp)
    assert all(r.kind != "region" for r in resolution.resolved)


def test_part_of_a_town_stands_at_the_town_and_takes_its_unit(gazetteer, nlp):
    text = "Water may break through in south Fargo tonight."
    resolution = parse(text, gazetteer, nlp)
    (region,) = resolution.resolved
    assert (region.text, region.kind, region.reference_kind) == (
        "south Fargo",
        "region",
        "city",
    )
    assert (region.lat, region.lon, region.admin1_code) == (46.87719, -96.7898, "US-ND")
    admin1 = pd.DataFrame(
        {
            "admin1_code": ["US-ND"],
            "name": ["North Dakota"],
            "country_code": ["US"],
            # shapely boxes are (min x = lon, min y = lat, max x, max y).
            "geometry": [shapely.box(-104.05, 45.94, -96.55, 49.0)],
        }
    )
    admin1 = gpd.GeoDataFrame(admin1, crs=4326)
    admin0 = gpd.GeoDataFrame(
        {"country_code": ["US"], "geometry": [shapely.box(-125, 24, -66, 49.5)]},
        crs=4326,
    )
    joined, _ = join_mentions(
        list(resolution.resolved),
        admin1,
        admin0,
        load_control_table(),
        dt.date(2021, 1, 1),
    )
    assert joined[0].admin1_codes == ("US-ND",)
    assert joined[0].geometry is None  # no polygon drawn for part of a town


def test_streets_and_roads_are_placed_in_their_town(gazetteer, nlp):
    text = (
        "Police say he drove south on North Main Street in Huntsville, Texas, "
        "near Highway 19 and County Road 42. Later, I-45 was closed."
    )
    found = by_text(parse(text, gazetteer, nlp))
    assert {"North Main Street", "Highway 19", "County Road 42", "I-45"} <= set(found)
    for name in ("North Main Street", "Highway 19", "County Road 42", "I-45"):
        street = found[name]
        assert street.kind == "place"
        assert (street.lat, street.lon) == (30.72353, -95.55078)  # Huntsville's
        assert street.confidence < 0.5
        assert any("approximate" in e for e in street.evidence)
    assert "Main" not in found and "North" not in found


def test_a_street_word_needs_a_name_before_it(gazetteer, nlp):
    resolution = parse(
        "The Street was quiet in Fargo. Highway patrol came.", gazetteer, nlp
    )
    assert spans(resolution) == ["Fargo"]


def test_a_street_in_a_syrian_story_takes_the_governorate(gazetteer, nlp):
    found = by_text(parse("The M4 highway was closed near Idlib.", gazetteer, nlp))
    assert found["M4"].admin1_code == "SY-ID"


def test_a_feature_named_for_a_place_is_one_span_at_that_place(gazetteer, nlp):
    text = "Volunteers cleaned the banks of the Fargo River near Huntsville."
    found = by_text(parse(text, gazetteer, nlp))
    river = found["Fargo River"]
    assert (river.kind, river.name, river.geonameid) == ("place", "Fargo River", None)
    assert (river.lat, river.lon) == (46.87719, -96.7898)
    assert river.confidence < 0.5
    assert "Fargo" not in found


def test_plain_word_nicknames_are_not_names_of_places():
    from geo.gazetteer import build_gazetteer as build

    nicknamed = city(2643741, "City of London", 51.51279, -0.09184, "GB", "ENG", 8071)
    nicknamed["alternatenames"] = ["The city", "City", "The Square Mile"]
    gazetteer = build([nicknamed], [], [], [])
    assert gazetteer.candidates("The city") == []
    assert gazetteer.candidates("City") == []
    assert [p.name for p in gazetteer.candidates("The Square Mile")] == [
        "City of London"
    ]


@pytest.mark.parametrize(
    "text, why",
    [
        ("Police shot Tyrise M. Bell in Fargo. Bell ran.", "surname after"),
        ("She was a believer in God and moved to Fargo.", "no place"),
        ("Voters asked Congress for help as rivers in Fargo rose.", "no place"),
    ],
)
def test_people_faiths_and_institutions_are_not_places(gazetteer, nlp, text, why):
    extra = [
        city(4045498, "Bell", 33.97751, -118.18702, "US", "CA", 35477),
        city(3052009, "Göd", 47.68324, 19.13417, "HU", "14", 15874),
        city(4987000, "Congress", 34.16, -112.85, "US", "AZ", 1975),
    ]
    gaz = build_gazetteer(
        TINY_CITIES + CITIES + extra, TINY_COUNTRIES, TINY_UNITS + UNITS, TINY_ALIASES
    )
    resolution = parse(text, gaz, nlp)
    assert spans(resolution) == ["Fargo"]
    assert any(why in " ".join(r.reasons) for r in resolution.rejected)


def test_a_name_glued_to_a_longer_word_is_not_a_name(nlp):
    gaz = build_gazetteer([city(1, "Baha", 20.0, 40.0, "SA", "11", 90000)], [], [], [])
    assert spans(
        parse("She practised the Baha’i faith in Baha's old town.", gaz, nlp)
    ) == ["Baha"]


def _states_gazetteer():
    return build_gazetteer(
        [
            city(4378219, "California", 38.6276, -92.5666, "US", "MO", 4396),
            city(4393217, "Jefferson City", 38.5767, -92.17352, "US", "MO", 43079),
            city(4509177, "Dublin", 40.09923, -83.11408, "US", "OH", 41751),
            city(4509884, "Columbus", 39.96118, -82.99879, "US", "OH", 905748),
            city(2964574, "Dublin", 53.33306, -6.24889, "IE", "L", 1024027),
        ],
        TINY_COUNTRIES + COUNTRIES,
        [
            unit("US-CA", "California", "US", "US.CA", 36.75, -119.59),
            unit("US-MO", "Missouri", "US", "US.MO", 38.36, -92.46),
            unit("US-OH", "Ohio", "US", "US.OH", 40.19, -82.67),
            unit("IE-D", "Dublin", "IE", "IE.33", 53.35, -6.26),
        ],
        TINY_ALIASES,
    )


def test_a_unit_named_in_its_own_country_beats_a_small_namesake(nlp):
    gaz = _states_gazetteer()
    text = "Cases were found in Missouri, California and Ohio, officials said."
    found = by_text(parse(text, gaz, nlp))
    assert found["California"].kind == "admin1"
    assert found["California"].admin1_code == "US-CA"


def test_a_unit_abroad_does_not_take_a_local_towns_name(nlp):
    gaz = _states_gazetteer()
    text = "The Dublin arts council met in Columbus, Ohio. Dublin will fund it."
    found = {r.start: r for r in parse(text, gaz, nlp).resolved}
    dublins = [r for r in found.values() if r.text == "Dublin"]
    assert dublins and all(r.admin1_code == "US-OH" for r in dublins)


def test_the_constituent_countries_of_the_uk_are_named_regions(full_parser):
    text = "Cases were found in Suffolk, England, and in Fife, Scotland."
    resolution = resolve_mentions(
        extract_mentions(text, full_parser.gazetteer, full_parser.nlp),
        full_parser.gazetteer,
    )
    found = by_text(resolution)
    assert (found["England"].kind, found["England"].country_code) == ("region", "GB")
    assert found["Scotland"].country_code == "GB"


def _local_gazetteer():
    return build_gazetteer(
        TINY_CITIES
        + CITIES
        + [
            city(5332191, "Camarillo", 34.21639, -119.0376, "US", "CA", 67154),
            city(5188843, "Erie", 42.12922, -80.08506, "US", "PA", 101786),
            city(639734, "Ristiina", 61.50704, 27.25632, "FI", "08", 5171, "Kristina"),
        ],
        TINY_COUNTRIES,
        TINY_UNITS + UNITS,
        TINY_ALIASES,
    )


def test_a_towns_people_and_police_make_it_a_place(nlp):
    gaz = _local_gazetteer()
    text = "A Camarillo resident spoke. The Erie police said Fargo was calm."
    found = by_text(parse(text, gaz, nlp))
    assert {"Camarillo", "Erie"} <= set(found)
    assert any("people or parts follow" in e for e in found["Camarillo"].evidence)


def test_in_a_place_outweighs_a_persons_name_over_it(nlp):
    gaz = _local_gazetteer()
    text = "Coach Dale Erie resigned. The Knights lost in Erie on Sunday."
    resolution = parse(text, gaz, nlp)
    assert [r.start for r in resolution.resolved] == [text.rindex("Erie")]


def test_a_bare_word_only_a_small_town_abroad_bears_is_no_place():
    # Built by hand, as recognition hands it over, so no model decides.
    from geo.extract import Extraction, Mention

    gaz = _local_gazetteer()
    text = "Police in Fargo thanked Kristina for the call."

    def mention(name, **extra):
        start = text.index(name)
        ids = tuple(p.id for p in gaz.candidates(name))
        return Mention(start, start + len(name), name, 0, ids, **extra)

    fargo = mention("Fargo", ner_label="GPE", cues=("preposition:in",))
    bare = Extraction(text, (fargo, mention("Kristina")), ((0, len(text)),))
    resolution = resolve_mentions(bare, gaz)
    assert spans(resolution) == ["Fargo"]
    (rejected,) = resolution.rejected
    assert "no other place of the article" in " ".join(rejected.reasons)
    # The same word with something that says place is kept.
    cued = Extraction(
        text,
        (fargo, mention("Kristina", cues=("preposition:in",))),
        ((0, len(text)),),
    )
    assert spans(resolve_mentions(cued, gaz)) == ["Fargo", "Kristina"]


@pytest.mark.parametrize(
    "text",
    [
        "The city of Fargo said the city would pay. The city agreed.",
        "The design firm Stevens & Fargo sued the city of Huntsville.",
        "The Rev. Roy Fargo officiated in Huntsville.",
    ],
)
def test_plain_words_firms_and_clergy_are_not_places(gazetteer, nlp, text):
    nicknamed = city(2643741, "City of London", 51.51, -0.09, "GB", "ENG", 8071)
    nicknamed["alternatenames"] = ["The City"]
    gaz = build_gazetteer(
        TINY_CITIES + CITIES + [nicknamed],
        TINY_COUNTRIES,
        TINY_UNITS + UNITS,
        TINY_ALIASES,
    )
    found = spans(parse(text, gaz, nlp))
    assert "The city" not in found and "The City" not in found
    assert found.count("Fargo") == (1 if text.startswith("The city of") else 0)


def test_a_headline_opener_counts_when_the_text_names_it_again(gazetteer, nlp):
    text = "Huntsville to host games. HUNTSVILLE — The games open in April."
    assert [r.start for r in parse(text, gazetteer, nlp).resolved] == [
        0,
        text.index("HUNTSVILLE"),
    ]
    lone = "Huntsville to host games. The games open in April."
    assert spans(parse(lone, gazetteer, nlp)) == []


def test_a_states_dotted_abbreviation_is_a_place_anywhere(gazetteer, nlp):
    found = by_text(parse("A veteran rode his bike to D.C. last week.", gazetteer, nlp))
    assert found["D.C."].admin1_code == "US-DC"


def test_a_towns_own_name_beats_a_smaller_town_that_only_bore_it(nlp):
    gaz = build_gazetteer(
        [
            city(4646571, "Maryville", 35.75647, -83.97046, "US", "TN", 29118),
            city(
                4670146, "Beeville", 28.40083, -97.74833, "US", "TX", 12863, "Maryville"
            ),
            city(170017, "Ḩamāh", 35.13179, 36.75783, "SY", "10", 460602, "Hama"),
            city(1, "Hama", 6.5, 1.2, "TG", "22", 600),
        ],
        [],
        [],
        [],
    )
    found = by_text(parse("Mourners gathered in Maryville and in Hama.", gaz, nlp))
    assert found["Maryville"].name == "Maryville"
    # A larger town known by the name only as another name still wins.
    assert found["Hama"].name == "Ḩamāh"


def test_a_towns_people_make_a_country_name_the_town(nlp):
    gaz = build_gazetteer(
        [city(5030670, "Jordan", 44.66691, -93.62690, "US", "MN", 6188)],
        [country(248816, "Jordan", "JO", 9956011, "")],
        [unit("JO-AM", "Amman", "JO", "JO.16", 31.9, 35.9)],
        [],
    )
    found = by_text(parse("A Jordan man was hurt on Sunday.", gaz, nlp))
    assert (found["Jordan"].kind, found["Jordan"].country_code) == ("city", "US")


@pytest.mark.parametrize(
    "text",
    [
        "Storms hit south Fargo Street and northern Fargo River today.",
        "The north of Fargo Ave is calm; Fargo Park City grew.",
        "Police on North Main Street in Huntsville, Texas near I-45 and Fargo Lake.",
        "Huntsville to host games. HUNTSVILLE — The Fargo Post reported it.",
    ],
)
def test_spans_grown_by_different_rules_never_overlap(gazetteer, nlp, text):
    extraction = extract_mentions(text, gazetteer, nlp)
    resolution = resolve_mentions(extraction, gazetteer)
    for spans_ in (extraction.mentions, resolution.resolved):
        ordered = sorted(spans_, key=lambda m: m.start)
        for m in ordered:
            assert text[m.start : m.end] == m.text
        for a, b in itertools.pairwise(ordered):
            assert a.end <= b.start, (a.text, b.text)


def test_a_town_that_only_bore_a_states_name_is_not_the_state(nlp):
    # Minneota was once "Minnesota"; next to Marshall it still is not the state.
    gaz = build_gazetteer(
        [
            city(
                5037068, "Minneota", 44.55885, -95.98559, "US", "MN", 1363, "Minnesota"
            ),
            city(5036588, "Marshall", 44.44690, -95.78835, "US", "MN", 13680),
        ],
        [country(6252001, "United States", "US", 327167434, "")],
        [unit("US-MN", "Minnesota", "US", "US.MN", 46.3, -94.3)],
        [],
    )
    text = "Lawmakers in Marshall said Minnesota would cut taxes."
    found = by_text(parse(text, gaz, nlp))
    assert (found["Minnesota"].kind, found["Minnesota"].admin1_code) == (
        "admin1",
        "US-MN",
    )


def test_the_name_after_a_street_is_the_addresss_town(nlp):
    gaz = build_gazetteer(
        [city(5197079, "Lebanon", 40.34093, -76.41135, "US", "PA", 25534)],
        [country(272103, "Lebanon", "LB", 6848925, "")],
        [unit("LB-BA", "Beirut", "LB", "LB.04", 33.9, 35.5)],
        [],
    )
    text = "Services will be held at 400 S. Locust St., Lebanon, on Tuesday."
    found = by_text(parse(text, gaz, nlp))
    assert (found["Lebanon"].kind, found["Lebanon"].country_code) == ("city", "US")
    assert found["S. Locust St."].name == "S. Locust St., Lebanon"


def test_arabic_names_in_other_romanisations():
    egypt = {**country(357994, "Egypt", "EG", 98423595), "languages": "ar-EG,en,fr"}
    usa = {
        **country(6252001, "United States", "US", 327167434),
        "languages": "en-US,es-US",
    }
    gazetteer = build_gazetteer(
        [
            city(4221552, "Savannah", 32.08354, -81.09983, "US", "GA", 136286),
            city(98182, "Al Qādisiyyah", 31.99, 44.93, "EG", "01", 9000),
            city(98183, "Nasiriyah", 31.05, 46.26, "EG", "01", 400000, "Nasiriya"),
            city(98184, "Ad Dabbah", 18.05, 30.95, "EG", "01", 52000),
        ],
        [egypt, usa],
        [
            unit("EG-DK", "Ad Daqahliyah", "EG", "EG.01", 31.1, 31.6),
            unit("EG-DQ", "Dhi Qar", "EG", "EG.02", 31.0, 46.2, "Nasiriyah"),
        ],
        [],
        country_points={"EG": (27.0, 30.0), "US": (39.8, -98.6)},
    )
    # A final "h" left out, a doubled consonant written once, or both.
    for spelling, name in [
        ("Daqahliya", "Ad Daqahliyah"),
        ("Qadisiyah", "Al Qādisiyyah"),
        ("Qadisiya", "Al Qādisiyyah"),
    ]:
        assert [p.name for p in gazetteer.candidates(spelling)] == [name]
    # Only Arabic names: Savannah is not also "Savanna".
    assert gazetteer.candidates("Savanna") == []
    # A variant only fills a gap: the unit also called Nasiriyah does not
    # join the city that is "Nasiriya" by a name of its own; and no variant
    # is shorter than six letters ("Daba" of Ad Dabbah).
    assert [p.name for p in gazetteer.candidates("Nasiriya")] == ["Nasiriyah"]
    assert gazetteer.candidates("Daba") == []


@pytest.fixture(scope="module")
def levant():
    return build_gazetteer(
        [
            city(170668, "Al Bāb", 36.37051, 37.5157, "SY", "09", 130745),
            city(
                163345,
                "Tall Abyaḑ",
                36.69739,
                38.95661,
                "SY",
                "04",
                14825,
                "Tell Abyad",
            ),
            city(163915, "Manbij", 36.5281, 37.95494, "SY", "09", 99497),
            city(1279186, "Ābu", 24.59365, 72.71756, "IN", "24", 24981),
        ],
        [],
        [],
    )


def test_the_head_of_a_longer_arabic_name_is_no_town(levant, nlp):
    # "Bab" (gate) heads "Bab al-Hawa", a border crossing: not al-Bab, 60 km
    # away; "Tell Abyad" is the town the gazetteer knows whole.
    text = "Convoys crossed at Bab al-Hawa, then drove on to Tell Abyad."
    found = by_text(parse(text, levant, nlp))
    assert "Bab" not in found and found["Tell Abyad"].name == "Tall Abyaḑ"
    # A given span falls back on no head word either ("Abu" of "Abu Shok").
    start = text.index("Bab")
    extraction = mentions_for_spans(text, [(start, start + 11)], levant)
    assert extraction.mentions[0].place_ids == ()
    # Alone, the word is the town.
    assert "al-Bab" in by_text(parse("Shelling hit al-Bab and Manbij.", levant, nlp))
    # With its article it is a whole name, whatever capital follows; inside a
    # body's name it is none ("the al-Bab Brigade").
    assert "al-Bab" not in {
        r.text
        for r in parse("Fighters of the al-Bab Brigade fled.", levant, nlp).resolved
    }
    extraction = mentions_for_spans("Al Bab Zoo", [(0, 10)], levant)
    assert [levant.place(i).name for i in extraction.mentions[0].place_ids] == [
        "Al Bāb"
    ]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Rebels held al-Bab, a town north of Manbij.", "al-Bab"),
        ("Rebels held Al-Bab on Monday.", "Al-Bab"),
    ],
)
def test_an_arabic_article_in_lower_case_opens_a_name(levant, nlp, text, name):
    found = by_text(parse(text, levant, nlp))
    assert found[name].name == "Al Bāb"
    assert any("Arabic article" in e for e in found[name].evidence)
