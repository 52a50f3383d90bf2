"""Every trap the geoparsing issue names, on the real gazetteer and model:
spellings, admin units with their cues, demonyms, directional regions,
named regions and features, people, organisations and times that are not
places, metonymy, and context that picks the right namesake."""

from __future__ import annotations

import pytest

from geo.extract import extract_mentions
from geo.resolve import resolve_mentions


def parse(text, parser):
    return resolve_mentions(
        extract_mentions(text, parser.gazetteer, parser.nlp), parser.gazetteer
    )


def found(text, parser):
    return {r.text: r for r in parse(text, parser).resolved}


@pytest.mark.parametrize(
    "text, names, admin1",
    [
        ("Shelling hit Deir ez-Zor, Deir Ezzor and Dayr az-Zawr.", None, "SY-DY"),
        ("Fighting near Qamishli and Qamishlo went on.", None, "SY-HA"),
        ("Kurdish fighters held Kobani, also called Ayn al-Arab.", None, "SY-HL"),
        ("Fighters entered Ras al-Ain and Ra's al-'Ayn.", None, "SY-HA"),
        ("Strikes hit Maarat al-Numan and Ma'arrat al-Nu'man.", None, "SY-ID"),
    ],
)
def test_spellings_of_one_town_find_the_same_place(full_parser, text, names, admin1):
    resolution = parse(text, full_parser)
    assert len(resolution.resolved) >= 2
    assert {r.admin1_code for r in resolution.resolved} == {admin1}
    assert len({(r.lat, r.lon) for r in resolution.resolved}) == 1


@pytest.mark.parametrize(
    "text, name, code",
    [
        ("Troops moved into the Governorate of Idlib.", "Idlib", "SY-ID"),
        ("Clashes in Idlib province went on.", "Idlib", "SY-ID"),
        ("Shelling in the Hama countryside went on.", "Hama", "SY-HM"),
        ("Aid reached rural Damascus on Monday.", "Damascus", "SY-DI"),
        ("Shelling in Donetsk Oblast went on.", "Donetsk", "UA-14"),
        ("Voters in the state of Maryland went to the polls.", "Maryland", "US-MD"),
    ],
)
def test_admin_units_with_their_cues(full_parser, text, name, code):
    place = found(text, full_parser)[name]
    assert (place.kind, place.admin1_code) == ("admin1", code)


def test_the_city_of_aleppo_is_the_city(full_parser):
    assert found("Residents of the city of Aleppo fled.", full_parser)[
        "Aleppo"
    ].kind == ("city")


def test_demonyms_are_country_references(full_parser):
    places = found("Israeli troops and the Russian Defence Ministry met.", full_parser)
    assert (places["Israeli"].kind, places["Israeli"].country_code) == ("country", "IL")
    assert places["Russian"].country_code == "RU"
    assert all("demonym" in " ".join(p.evidence) for p in places.values())


@pytest.mark.parametrize(
    "text, phrase, direction, country",
    [
        (
            "Syria said strikes hit the northwestern part of the country.",
            "the northwestern part of the country",
            "northwest",
            "SY",
        ),
        ("Patrols in northeast Syria resumed.", "northeast Syria", "northeast", "SY"),
        ("Shelling in southern Idlib went on.", "southern Idlib", "south", "SY"),
        (
            "Shelling hit the eastern countryside of Aleppo.",
            "eastern countryside of Aleppo",
            "east",
            "SY",
        ),
    ],
)
def test_directional_phrases_are_regions(full_parser, text, phrase, direction, country):
    regions = {
        r.text.removeprefix("the "): r
        for r in parse(text, full_parser).resolved
        if r.kind == "region"
    }
    region = regions[phrase.removeprefix("the ")]
    assert (region.direction, region.country_code) == (direction, country)


@pytest.mark.parametrize(
    "name", ["Euphrates", "Golan Heights", "Bekaa Valley", "Darfur", "Donbas"]
)
def test_natural_features_and_named_regions(full_parser, name):
    place = found(f"Fighting was reported in the {name} on Sunday.", full_parser)[name]
    assert place.kind == "region"


@pytest.mark.parametrize(
    "text, not_places",
    [
        ("Prime Minister Naftali Bennett met Putin in Sochi.", {"Bennett"}),
        ("Minister Ze'ev Elkin joined the talks in Sochi.", {"Elkin"}),
        ("Donald Trump spoke in Sochi.", None),
        ("Jordan Peterson spoke in Sochi.", {"Jordan"}),
        ("The Times of Israel and the Jerusalem Post reported from Sochi.", None),
        ("The talks in Sochi began at 10:00 IST.", None),
    ],
)
def test_people_media_and_times_are_not_places(full_parser, text, not_places):
    resolution = parse(text, full_parser)
    assert {r.text for r in resolution.resolved} == {"Sochi"}
    if not_places:
        assert not_places <= {r.text for r in resolution.rejected}


def test_metonymy_stays_the_city(full_parser):
    place = found("Moscow said the talks in Sochi went well.", full_parser)["Moscow"]
    assert (place.kind, place.country_code) == ("city", "RU")


def test_tripoli_in_a_lebanese_story_is_lebanons(full_parser):
    place = found("In Lebanon, fighting in Tripoli spread.", full_parser)["Tripoli"]
    assert place.country_code == "LB"


def test_damascus_maryland_is_in_maryland(full_parser):
    place = found("Flooding closed roads in Damascus, Maryland.", full_parser)[
        "Damascus"
    ]
    assert place.admin1_code == "US-MD"


def test_the_unit_after_a_place_qualifies_it(full_parser):
    places = found("A girl from Buffalo, New York died on Saturday.", full_parser)
    assert (places["New York"].kind, places["New York"].admin1_code) == (
        "admin1",
        "US-NY",
    )
    assert places["Buffalo"].admin1_code == "US-NY"


@pytest.mark.parametrize(
    "text, kind, code",
    [
        ("Cases rose in Ohio, New York and Iowa.", "admin1", "US"),
        ("Storms hit Alabama, Georgia and Florida.", "admin1", "US"),
        ("Envoys from France, Germany and Georgia met.", "country", "GE"),
    ],
)
def test_a_lists_members_are_of_one_kind(full_parser, text, kind, code):
    name = "New York" if "New York" in text else "Georgia"
    place = found(text, full_parser)[name]
    assert place.kind == kind
    assert place.country_code == code
    assert any("listed with" in e for e in place.evidence)
