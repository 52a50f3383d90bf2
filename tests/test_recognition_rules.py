"""Recognition and resolution rules added for general news: demonyms,
"Place, Unit" qualifiers, state abbreviations, second-level units, one
sense per name, and resolve-only spans."""

from __future__ import annotations

import pytest

from geo.extract import extract_mentions, mentions_for_spans, qualifier_of
from geo.gazetteer import build_gazetteer
from geo.resolve import resolve_mentions

from .conftest import TINY_ALIASES, TINY_CITIES, TINY_COUNTRIES, TINY_UNITS, city, unit

DEMONYMS = [
    {"iso": "IL", "demonym": "Israeli"},
    {"iso": "RU", "demonym": "Russian"},
]
STATE_ALIASES = [
    {"admin1_code": "US-MD", "alias": "Md."},
    {"admin1_code": "US-MD", "alias": "MD"},
]


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(
        TINY_CITIES,
        TINY_COUNTRIES,
        TINY_UNITS,
        TINY_ALIASES,
        demonyms=DEMONYMS,
        admin1_aliases=STATE_ALIASES,
    )


def resolved(text, gazetteer, nlp):
    resolution = resolve_mentions(extract_mentions(text, gazetteer, nlp), gazetteer)
    return resolution.resolved, resolution


def test_demonyms_are_country_references(gazetteer, nlp):
    places, _ = resolved(
        "Israeli jets struck near Damascus, the Russian Defence Ministry said.",
        gazetteer,
        nlp,
    )
    by_text = {r.text: r for r in places}
    for word, code in [("Israeli", "IL"), ("Russian", "RU")]:
        assert by_text[word].kind == "country"
        assert by_text[word].country_code == code
        assert any("demonym" in e for e in by_text[word].evidence)
    assert by_text["Damascus"].country_code == "SY"


@pytest.mark.parametrize(
    "text",
    [
        "The envoy spoke only Russian with the officers in Damascus.",
        "Classes for Russian speakers opened in Damascus.",
        "She is fluent in Russian, officials in Damascus said.",
    ],
)
def test_a_demonym_that_names_a_language_is_no_country(gazetteer, nlp, text):
    places, resolution = resolved(text, gazetteer, nlp)
    assert [r.text for r in places] == ["Damascus"]
    (rejected,) = resolution.rejected
    assert rejected.text == "Russian" and "a language here" in rejected.reasons[0]


@pytest.mark.parametrize(
    "text",
    [
        "The envoy spoke to Russian officials in Damascus.",
        "Speaking in Russian state media, the envoy praised Damascus.",
    ],
)
def test_a_demonym_after_a_speaking_verb_and_a_preposition_is_a_country(
    gazetteer, nlp, text
):
    places, _ = resolved(text, gazetteer, nlp)
    assert [r.text for r in places] == ["Russian", "Damascus"]


def test_a_qualified_town_is_no_persons_name(nlp):
    towns = build_gazetteer(
        [city(4431410, "Jackson", 32.29876, -90.18481, "US", "MS", 160628)],
        [],
        [unit("US-MS", "Mississippi", "US", "US.MS", 32.7, -89.7)],
        [],
        admin1_aliases=[{"admin1_code": "US-MS", "alias": "Miss."}],
    )
    text = "Jesse L. Jackson spoke on Friday. Jackson, Miss., mourned the loss."
    places, _ = resolved(text, towns, nlp)
    assert places[0].text == "Jackson"
    assert places[0].start == text.index("Jackson, Miss.")


@pytest.mark.parametrize(
    "text", ["Damascus, Md. was flooded.", "Officials in Damascus, MD said so."]
)
def test_state_abbreviation_qualifies_the_town(gazetteer, nlp, text):
    places, _ = resolved(text, gazetteer, nlp)
    damascus = next(r for r in places if r.text == "Damascus")
    assert damascus.country_code == "US" and damascus.admin1_code == "US-MD"
    assert any("qualified by" in e for e in damascus.evidence)
    # The abbreviation itself is recognised as the state
    assert any(r.kind == "admin1" and r.admin1_code == "US-MD" for r in places)


def test_spelled_out_state_qualifies_and_carries_to_repeats(gazetteer, nlp):
    places, _ = resolved(
        "Damascus, Maryland was flooded. Later Damascus dried out.", gazetteer, nlp
    )
    towns = [r for r in places if r.text == "Damascus"]
    assert len(towns) == 2
    assert all(r.admin1_code == "US-MD" for r in towns)
    assert any("qualifies this name elsewhere" in e for e in towns[1].evidence)


def test_a_qualifier_must_be_able_to_hold_the_place(gazetteer, nlp):
    # "USA, Damascus": Damascus is no unit of the USA; no qualifier here
    usa = gazetteer.ids_for("USA")
    assert usa and qualifier_of("In the USA, Damascus", 10, gazetteer, usa) is None
    text = "Paris, Maryland"
    damascus_ids = gazetteer.ids_for("Damascus")
    assert qualifier_of("Damascus, Maryland", 8, gazetteer, damascus_ids) == (
        "US-MD",
        len("Damascus, Maryland"),
    )
    # Without candidates (an unknown name) any unit may qualify
    assert qualifier_of(text, 5, gazetteer)[0] == "US-MD"


def test_second_level_unit_is_placed_in_its_state(gazetteer, nlp):
    places, _ = resolved(
        "Roads in Montgomery County closed as Damascus, Md. flooded.", gazetteer, nlp
    )
    county = next(r for r in places if r.text == "Montgomery County")
    assert county.admin1_code == "US-MD"
    assert any("second-level unit" in e for e in county.evidence)


def test_resolve_only_spans_keep_offsets_and_unknown_names(gazetteer):
    text = "Shelling hit Aleppo and Foo."
    extraction = mentions_for_spans(text, [(13, 19), (24, 27)], gazetteer)
    resolution = resolve_mentions(extraction, gazetteer, accept_all=True)
    by_text = {r.text: r for r in resolution.resolved}
    assert by_text["Aleppo"].geonameid == 170063
    assert by_text["Foo"].kind == "place" and by_text["Foo"].lat is None
    for r in resolution.resolved:
        assert text[r.start : r.end] == r.text


def test_resolve_only_refuses_spans_outside_the_text(gazetteer):
    with pytest.raises(ValueError, match="outside the text"):
        mentions_for_spans("short", [(2, 40)], gazetteer)


def test_country_name_beats_same_named_town(gazetteer):
    # Elkin (NC) makes the article American; "Russia" is still the country,
    # not Russia, Ohio: only a qualifier or a city cue picks the town.
    text = "Residents of Elkin sent aid to Russia."
    start = text.index("Russia")
    spans = [(text.index("Elkin"), text.index("Elkin") + 5), (start, start + 6)]
    extraction = mentions_for_spans(text, spans, gazetteer)
    by_text = {r.text: r for r in resolve_mentions(extraction, gazetteer).resolved}
    assert by_text["Russia"].kind == "country"
    assert by_text["Russia"].country_code == "RU"


def test_listed_name_whose_list_is_all_vetoed_resolves_only(gazetteer):
    # A vetoed span still carries its list id; resolve-only must not trip over
    # a list that has no unvetoed member.
    from geo.extract import Extraction, Mention

    text = "Bennett and Elkin spoke."
    mentions = tuple(
        Mention(
            start=text.index(name),
            end=text.index(name) + len(name),
            text=name,
            sentence=0,
            place_ids=gazetteer.ids_for(name),
            vetoes=(f"person:{name}",),
            list_id=0,
        )
        for name in ("Bennett", "Elkin")
    )
    extraction = Extraction(text=text, mentions=mentions, sentences=((0, len(text)),))
    assert resolve_mentions(extraction, gazetteer).resolved == ()
    everything = resolve_mentions(extraction, gazetteer, accept_all=True)
    assert [r.text for r in everything.resolved] == ["Bennett", "Elkin"]


def test_supplement_names_conflict_spellings(full_parser):
    # data/gazetteer/supplement.csv: spellings GeoNames cities500 lacks.
    gazetteer = full_parser.gazetteer
    for name, geonameid, admin1 in [
        ("Tell Rifaat", 163476, "SY-HL"),
        ("Serêkaniyê", 165509, "SY-HA"),
        ("Ras al-Ain", 165509, "SY-HA"),
        ("Ain Issa", 172134, "SY-RA"),
        ("al-Tanf", None, "SY-HI"),
        ("Kabani", None, "SY-LA"),
    ]:
        syrian = [p for p in gazetteer.candidates(name) if p.country_code == "SY"]
        assert [(p.geonameid, p.admin1_code) for p in syrian] == [
            (geonameid, admin1)
        ], name


def test_a_city_office_names_the_city_not_its_alternate_name(nlp):

    cities = build_gazetteer(
        [
            city(
                2964574, "Dublin", 53.33306, -6.24889, "IE", "L", 1024027, "Dublin City"
            ),
            city(4252925, "Dublin", 40.09923, -83.11408, "US", "OH", 48647),
            city(4273837, "Kansas City", 39.11417, -94.62746, "US", "KS", 152938),
            city(4273838, "Kansas", 38.5, -98.0, "US", "KS", 900),
        ],
        [],
        [],
        [],
    )
    text = (
        "Dublin City Council met on Monday. Later the Kansas City Council voted. "
        "Tourists love Dublin City centre."
    )
    spans = [r.text for r in resolved(text, cities, nlp)[0]]
    # "Dublin City" is only another name of Dublin; Kansas City is a city's own name.
    assert spans[:2] == ["Dublin", "Kansas City"]
    # Not before an office: the name as written stands.
    assert spans[2] == "Dublin City"


def test_a_surname_after_a_middle_initial_is_a_person_everywhere(nlp):
    towns = build_gazetteer(
        [
            city(5327098, "Bell", 33.97751, -118.18702, "US", "CA", 35477),
            city(5506956, "Las Vegas", 36.17497, -115.13722, "US", "NV", 623747),
        ],
        [],
        [],
        [],
    )
    text = (
        "Tyrise M. Bell, 22, died on Friday in Las Vegas. An officer shot Bell "
        "as the two struggled over a handgun Bell pulled from his pants."
    )
    assert [r.text for r in resolved(text, towns, nlp)[0]] == ["Las Vegas"]


def test_a_legislators_home_town_and_a_dateline_article(nlp):
    towns = build_gazetteer(
        [
            city(4574324, "Charleston", 32.77657, -79.93092, "US", "SC", 150227),
            city(4805404, "Elbow Lake", 45.99386, -95.97673, "US", "MN", 1176),
        ],
        [],
        [],
        [],
    )
    text = (
        "State Sen. Robert Ford, D-Charleston, said he is optimistic. "
        "Rep. Torrey Westrom, R-Elbow Lake, said so too."
    )
    places, _ = resolved(text, towns, nlp)
    assert [r.text for r in places] == ["Charleston", "Elbow Lake"]
    assert any("home town" in e for e in places[0].evidence)
    # After a dateline's dash no full stop opens the sentence: "A" is no
    # part of a longer name.
    text = "CHARLESTON -- A Charleston man admitted to the theft on Monday."
    assert [r.text for r in resolved(text, towns, nlp)[0]] == [
        "CHARLESTON",
        "Charleston",
    ]
