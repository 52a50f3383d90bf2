"""Recognition rules on short sentences (tiny gazetteer, real small spaCy model)."""

from __future__ import annotations

from geo.extract import extract_mentions


def spans(text, gazetteer, nlp):
    return {m.text: m for m in extract_mentions(text, gazetteer, nlp).mentions}


def test_offsets_slice_the_text(tiny_gazetteer, nlp):
    text = "Fighting in Idlib and Aleppo; talks in Sochi."
    for m in extract_mentions(text, tiny_gazetteer, nlp).mentions:
        assert text[m.start : m.end] == m.text


def test_lowercase_words_are_not_proposed(tiny_gazetteer, nlp):
    assert "russia" not in spans("they spoke of russia and more.", tiny_gazetteer, nlp)


def test_full_person_name_vetoes_its_words(tiny_gazetteer, nlp):
    text = "Prime Minister Naftali Bennett met them. Later, Bennett said it went well."
    found = extract_mentions(text, tiny_gazetteer, nlp).mentions
    assert all(m.vetoes for m in found if m.text == "Bennett")


def test_title_before_a_name_vetoes_it(tiny_gazetteer, nlp):
    m = spans("The envoy met President Moscow Smith on Friday.", tiny_gazetteer, nlp)
    assert any(v.startswith(("title", "person")) for v in m["Moscow"].vetoes)


def test_newspaper_name_vetoes_the_place_inside(tiny_gazetteer, nlp):
    text = "Troops moved into Syria, the Times of Israel reported."
    found = extract_mentions(text, tiny_gazetteer, nlp).mentions
    israel = [m for m in found if m.text == "Israel"]
    assert israel and all(any("organisation" in v for v in m.vetoes) for m in israel)


def test_governorate_cue_and_list_are_recorded(tiny_gazetteer, nlp):
    text = (
        "Rebels hold the Governorate of Idlib and parts of Aleppo, Hama, and Latakia."
    )
    m = spans(text, tiny_gazetteer, nlp)
    assert "admin_cue:governorate of" in m["Idlib"].cues
    assert "admin_cue:parts of" in m["Aleppo"].cues
    assert m["Aleppo"].list_id is not None
    assert m["Aleppo"].list_id == m["Hama"].list_id == m["Latakia"].list_id


def test_directional_phrases_become_regions(tiny_gazetteer, nlp):
    text = (
        "Current situation in Syria. The northwestern part of the country is held by "
        "rebels. Clashes erupted in northern Idlib. The northeast, meanwhile, is calm."
    )
    regions = {
        m.text: m
        for m in extract_mentions(text, tiny_gazetteer, nlp).mentions
        if m.direction
    }
    assert regions["The northwestern part of the country"].direction == "northwest"
    assert regions["The northwestern part of the country"].reference is None
    assert regions["northern Idlib"].reference == "Idlib"
    assert regions["The northeast"].direction == "northeast"


def test_region_absorbs_the_place_it_contains(tiny_gazetteer, nlp):
    text = "Clashes erupted in northern Idlib on Monday."
    found = extract_mentions(text, tiny_gazetteer, nlp).mentions
    assert [m.text for m in found] == ["northern Idlib"]


def test_capitalised_ordinary_words_are_not_regions(tiny_gazetteer, nlp):
    text = "Eastern Orthodox leaders met in Moscow."
    assert not [
        m for m in extract_mentions(text, tiny_gazetteer, nlp).mentions if m.direction
    ]


def test_region_reference_stops_at_lower_case_words(tiny_gazetteer, nlp):
    # The reference is capitalised words only (Arabic articles may join them):
    # the places after "near" stay places of their own.
    text = "Fighting in the northeast of Syria near Qamishli. The east of Deir ez-Zor."
    found = extract_mentions(text, tiny_gazetteer, nlp).mentions
    regions = {m.text: m.reference for m in found if m.direction}
    assert regions == {
        "the northeast of Syria": "Syria",
        "The east of Deir ez-Zor": "Deir ez-Zor",
    }
    assert "Qamishli" in [m.text for m in found]
