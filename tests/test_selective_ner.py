"""Recognition without the tagger, with the NER only around names in doubt:
the word-context rules that decide a name without a model, the windows the
NER reads, and the name folding's fast path."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.extract import _lexical, _punctuation_sentences, _sentences, extract_mentions
from geo.gazetteer import _normalize_by_char, build_gazetteer, normalize_with_offsets
from geo.resolve import resolve_mentions

from .conftest import TINY_ALIASES, TINY_CITIES, TINY_COUNTRIES, TINY_UNITS, city, unit

EXTRA_CITIES = [
    city(4195701, "Gainesville", 34.29788, -83.82407, "US", "GA", 33804),
    city(4557137, "Darby", 39.91845, -75.25907, "US", "PA", 10687),
    city(2643266, "March", 52.55123, 0.08833, "GB", "ENG", 21051),
    city(4049979, "Center", 31.79434, -94.17913, "US", "TX", 5193),
    # A country's point is its capital's when the capital is in the gazetteer.
    city(2673730, "Stockholm", 59.32938, 18.06871, "SE", "26", 1515017),
]
EXTRA_UNITS = [
    unit("KE-WE", "Western", "KE", "KE.09", 0.5, 34.6),
    unit("US-GA", "Georgia", "US", "US.GA", 32.7, -83.4),
]
EXTRA_COUNTRIES = [
    {
        "geonameid": 2661886,
        "name": "Sweden",
        "iso": "SE",
        "population": 10183175,
        "capital": "Stockholm",
    }
]


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer(
        TINY_CITIES + EXTRA_CITIES,
        TINY_COUNTRIES + EXTRA_COUNTRIES,
        TINY_UNITS + EXTRA_UNITS,
        TINY_ALIASES,
    )


def parse(text, gazetteer, nlp, **options):
    extraction = extract_mentions(text, gazetteer, nlp, **options)
    return extraction, resolve_mentions(extraction, gazetteer)


def names(resolution):
    return [r.text for r in resolution.resolved]


def span_of(text, name):
    start = text.index(name)
    return start, start + len(name)


@pytest.mark.parametrize(
    "text, name, kind",
    [
        ("Talks resume in March next year.", "March", "calendar"),
        ("Sgt. Ripley Gainesville said so.", "Gainesville", "title"),
        ("A car hit a wall on Darby Street.", "Darby", "street"),
        ("The Jerusalem Post reported it.", "Jerusalem", "media"),
        ("The Times of Israel reported it.", "Israel", "media"),
        ("The Gainesville Police Department said so.", "Gainesville", "institution"),
        ("She works at the Webb Medical Center now.", "Center", "inside"),
        ("Storms hit North Texas and Damascus today.", "Damascus", None),
        ("Storms hit Northern Damascus today.", "Damascus", None),
    ],
)
def test_words_touching_a_name_say_what_it_is(text, name, kind):
    found = _lexical(text, *span_of(text, name))
    assert (found and found[0]) == kind


def test_a_places_own_institution_speaks_of_the_place(gazetteer, nlp):
    _, resolution = parse(
        "The Gainesville Police Department closed the road.", gazetteer, nlp
    )
    (place,) = resolution.resolved
    assert (place.text, place.admin1_code) == ("Gainesville", "US-GA")
    assert any("institution" in e for e in place.evidence)


def test_media_months_and_longer_names_are_not_places(gazetteer, nlp):
    text = (
        "The Jerusalem Post said that in March a car hit a wall on Darby Street "
        "near the Webb Medical Center."
    )
    _, resolution = parse(text, gazetteer, nlp)
    assert names(resolution) == []
    reasons = {r.text: " ".join(r.reasons) for r in resolution.rejected}
    assert "organisation" in reasons["Jerusalem"]
    assert "month or weekday" in reasons["March"]
    # A street is a place of its own, but with no town named it has no point.
    assert "no town" in reasons["Darby Street"]


def test_a_month_qualified_as_a_town_stays_a_place(nlp):
    towns = build_gazetteer(
        [city(2643266, "March", 52.55123, 0.08833, "GB", "ENG", 21051)],
        [],
        [unit("GB-ENG", "England", "GB", "GB.ENG", 52.5, -1.5)],
        [],
    )
    _, resolution = parse("Flooding hit March, England on Monday.", towns, nlp)
    assert names(resolution) == ["March", "England"]
    _, resolution = parse("Flooding hit the town in March.", towns, nlp)
    assert names(resolution) == []


def test_a_country_opening_a_sentence_is_a_place(gazetteer, nlp):
    _, resolution = parse(
        "Sweden has banned hunting. Israel closed the crossing.", gazetteer, nlp
    )
    assert names(resolution) == ["Sweden", "Israel"]


def test_a_compass_word_alone_is_not_a_place(gazetteer, nlp):
    _, resolution = parse(
        "A Western blot test confirmed the case in Damascus.", gazetteer, nlp
    )
    assert names(resolution) == ["Damascus"]


def test_the_ner_reads_only_around_names_in_doubt(gazetteer, nlp):
    clear = "Officials in Damascus and Aleppo met envoys from Israel in Sochi."
    extraction, resolution = parse(clear, gazetteer, nlp)
    assert extraction.ner_share == 0.0
    assert names(resolution) == ["Damascus", "Aleppo", "Israel", "Sochi"]
    doubtful = (
        clear + " Later Bennett Elkin said the talks went well, and the weather "
        "in the region stayed dry for the whole of the long and tiring week."
    )
    extraction, _ = parse(doubtful, gazetteer, nlp)
    assert 0.0 < extraction.ner_share < 0.5
    everywhere, _ = parse(doubtful, gazetteer, nlp, ner_everywhere=True)
    assert everywhere.ner_share == 1.0


def test_a_persons_surname_repeated_alone_is_still_the_person(gazetteer, nlp):
    text = (
        "Prime Minister Naftali Bennett met Putin in Sochi. Bennett said the "
        "talks were good. Bennett flew home."
    )
    _, resolution = parse(text, gazetteer, nlp)
    assert names(resolution) == ["Sochi"]


def test_selective_ner_finds_what_the_full_ner_finds_on_the_seed(full_parser):
    from geo.articles import load_article

    seed = Path(__file__).parent.parent / "data" / "articles"
    text = load_article(next(seed.glob("2021-10-23_*.md"))).text
    spans = {}
    for everywhere in (False, True):
        extraction = extract_mentions(
            text, full_parser.gazetteer, full_parser.nlp, ner_everywhere=everywhere
        )
        resolution = resolve_mentions(extraction, full_parser.gazetteer)
        spans[everywhere] = {(r.start, r.end, r.name) for r in resolution.resolved}
        if not everywhere:
            assert extraction.ner_share < 0.5
    assert spans[False] == spans[True]


@given(st.text(alphabet="ab Z9,.-'’éßﬁ\u0301İ\tÅ中\x00", max_size=30))
def test_fast_name_folding_equals_folding_by_character(text):
    assert normalize_with_offsets(text) == _normalize_by_char(text)


@given(st.text(alphabet='ab Z9.!?"“)(\n\t…;:-。', max_size=40))
def test_sentences_from_token_arrays_equal_spacys_sentencizer(nlp, text):
    sentencizer = nlp.get_pipe("sentencizer")
    expected = [
        (s.start_char, s.end_char) for s in sentencizer(nlp.make_doc(text)).sents
    ]
    # The array path itself, and the path the parser takes with this pipeline.
    assert (
        _punctuation_sentences(nlp.make_doc(text), sentencizer.punct_chars) == expected
    )
    assert _sentences(text, nlp)[1] == expected
