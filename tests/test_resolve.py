"""Resolution rules: what a span is, which place, and the evidence."""

from __future__ import annotations

from geo.extract import extract_mentions
from geo.resolve import resolve_mentions


def resolve(text, gazetteer, nlp):
    resolution = resolve_mentions(extract_mentions(text, gazetteer, nlp), gazetteer)
    return {r.text: r for r in resolution.resolved}, resolution


def test_cue_picks_governorate_for_every_list_member(tiny_gazetteer, nlp):
    text = (
        "The war in Syria ended but the Governorate of Idlib and parts of Aleppo, "
        "Hama, and Latakia remain under rebels."
    )
    got, _ = resolve(text, tiny_gazetteer, nlp)
    for name, code in [
        ("Idlib", "SY-ID"),
        ("Aleppo", "SY-HL"),
        ("Hama", "SY-HM"),
        ("Latakia", "SY-LA"),
    ]:
        assert got[name].kind == "admin1", name
        assert got[name].admin1_code == code
        assert got[name].evidence


def test_city_cue_picks_the_city(tiny_gazetteer, nlp):
    got, _ = resolve("Shelling hit the city of Aleppo in Syria.", tiny_gazetteer, nlp)
    assert got["Aleppo"].kind == "city"
    assert got["Aleppo"].geonameid == 170063


def test_country_name_beats_same_named_town(tiny_gazetteer, nlp):
    got, _ = resolve("Leaders from Russia met in Sochi.", tiny_gazetteer, nlp)
    assert got["Russia"].kind == "country" and got["Russia"].country_code == "RU"
    assert got["Sochi"].kind == "city" and got["Sochi"].admin1_code == "RU-KDA"


def test_article_countries_rank_cities(tiny_gazetteer, nlp):
    got, _ = resolve(
        "Officials in Maryland said Damascus was flooded.", tiny_gazetteer, nlp
    )
    # Maryland is an admin-1 unit of the US: its hierarchy outranks population
    assert got["Damascus"].country_code == "US"
    assert any("US-MD" in e for e in got["Damascus"].evidence)
    got, _ = resolve("Shells fell on Damascus and Aleppo.", tiny_gazetteer, nlp)
    assert got["Damascus"].country_code == "SY"
    got, _ = resolve(
        "In the USA, Damascus was flooded and US officials came.", tiny_gazetteer, nlp
    )
    assert got["Damascus"].country_code == "US"


def test_people_and_newspapers_are_rejected(tiny_gazetteer, nlp):
    text = (
        "Prime Minister Naftali Bennett met Housing Minister Ze’ev Elkin in Sochi, "
        "the Times of Israel reported. Bennett spoke of Russia."
    )
    got, resolution = resolve(text, tiny_gazetteer, nlp)
    assert "Bennett" not in got and "Elkin" not in got
    assert [r.text for r in resolution.resolved if r.text == "Israel"] == []
    assert {r.text for r in resolution.rejected} >= {"Bennett", "Israel"}
    assert all(r.reasons for r in resolution.rejected)


def test_the_country_is_the_last_country_named(tiny_gazetteer, nlp):
    text = (
        "Moscow and Russia back Damascus. Current situation in Syria. "
        "The war ended but the northwestern part of the country remains rebel-held."
    )
    got, _ = resolve(text, tiny_gazetteer, nlp)
    region = got["the northwestern part of the country"]
    assert region.kind == "region" and region.country_code == "SY"
    assert region.direction == "northwest"


def test_confidence_is_a_probability(tiny_gazetteer, nlp):
    _, resolution = resolve(
        "Rebels in Idlib and Hama shelled Aleppo.", tiny_gazetteer, nlp
    )
    assert resolution.resolved
    assert all(0 <= r.confidence <= 1 for r in resolution.resolved)


def test_focus_country_weighs_places_named_inside_it(tiny_gazetteer, nlp):
    text = (
        "Russia and Syria talked in Moscow. Russia said Syria must act. "
        "Fighting went on in Idlib, Aleppo and Hama."
    )
    _, resolution = resolve(text, tiny_gazetteer, nlp)
    assert resolution.focus_country == "SY"
