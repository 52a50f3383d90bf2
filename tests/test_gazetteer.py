from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from geo.gazetteer import (
    build_gazetteer,
    name_keys,
    normalize_name,
    normalize_with_offsets,
    read_admin1_names,
    read_country_points,
)

from .conftest import city, country, unit


def test_normalize_folds_diacritics_marks_hyphens_and_case():
    assert normalize_name("Al Qāmishlī") == "al qamishli"
    assert normalize_name("Deir ez-Zor") == "deir ez zor"
    assert normalize_name("Ma‘arrat al-Nu‘man") == "ma arrat al nu man"
    assert normalize_name("  Ḩamāh ") == "hamah"


def test_name_keys_drop_articles_and_apostrophes():
    assert {"al qamishli", "qamishli"} <= name_keys("Al Qāmishlī")
    assert "maarrat al numan" in name_keys("Ma'arrat al-Nu'man")
    assert "raqqah" in name_keys("ar-Raqqah")
    assert all(len(k) >= 3 for k in name_keys("Ab"))


@given(st.text(max_size=200))
def test_offsets_point_back_into_the_text(text):
    norm, offsets = normalize_with_offsets(text)
    assert len(norm) == len(offsets)
    assert offsets == sorted(offsets)
    assert all(0 <= i < len(text) for i in offsets)


def test_qamishli_finds_al_qamishli(tiny_gazetteer):
    (place,) = tiny_gazetteer.candidates("Qamishli")
    assert place.name == "Al Qāmishlī"
    assert place.admin1_code == "SY-HA"  # GeoNames SY.01 -> Natural Earth SY-HA


def test_candidates_ranked_by_population(tiny_gazetteer):
    candidates = tiny_gazetteer.candidates("Damascus")
    populations = [p.population for p in candidates]
    assert populations == sorted(populations, reverse=True)
    names = [(p.kind, p.country_code) for p in candidates]
    assert names.index(("city", "SY")) < names.index(("city", "US"))
    assert ("admin1", "SY") in names


def test_an_admin1_units_population_is_that_of_its_towns(tiny_gazetteer):
    # Of the tiny towns only Damascus lies in SY-DI; none in Maryland's unit
    # but Damascus, Maryland.
    assert tiny_gazetteer.admin1("SY-DI").population == 1569394
    assert tiny_gazetteer.admin1("US-MD").population == 15257


def test_country_and_admin1_lookup(tiny_gazetteer):
    assert tiny_gazetteer.country("SY").name == "Syria"
    assert tiny_gazetteer.country("SY").lat == 33.5102  # the capital's coordinates
    assert tiny_gazetteer.admin1("SY-ID").kind == "admin1"
    assert tiny_gazetteer.admin1("SY-X01~") is None  # pseudo-units are not names


def test_scan_is_leftmost_longest_on_word_boundaries(tiny_gazetteer):
    text = "Shelling near al-Qamishli and Idlibi villages; Hama, Aleppo’s west."
    spans = [(text[s:e], len(ids)) for s, e, ids in tiny_gazetteer.scan(text)]
    found = [t for t, _ in spans]
    assert "al-Qamishli" in found
    assert "Idlib" not in found  # "Idlibi" is another word
    assert "Hama" in found and "Aleppo" in found


def test_scan_offsets_slice_the_original_text(tiny_gazetteer):
    text = "Ḩamāh and ALEPPO, then Sotchi."
    for start, end, _ in tiny_gazetteer.scan(text):
        assert normalize_name(text[start:end]) in {"hamah", "aleppo", "sotchi"}


def test_airport_codes_are_not_indexed():
    from geo.gazetteer import build_gazetteer

    row = {
        "geonameid": 1,
        "name": "Sochi",
        "latitude": 0,
        "longitude": 0,
        "countrycode": "RU",
        "admin1code": "",
        "population": 1,
        "alternatenames": ["AER", "Sotchi"],
    }
    g = build_gazetteer([row], [], [])
    assert g.candidates("AER") == [] and g.candidates("Sotchi")


def test_a_units_point_is_its_centre_not_its_label_point(tmp_path):
    def feature(code, label, rings):
        return {
            "type": "Feature",
            "properties": {
                "admin1_code": code,
                "country_code": code[:2],
                "name": code,
                "latitude": label[0],
                "longitude": label[1],
            },
            "geometry": {"type": "MultiPolygon", "coordinates": rings},
        }

    square = [[[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]]
    islet = [[[9, 9], [9.1, 9], [9.1, 9.1], [9, 9]]]
    # A "C": its centroid lies in the gap, outside the unit.
    crescent = [
        [[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]
    ]
    path = tmp_path / "units.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    feature("AA-1", (1.9, 3.9), [square, islet]),
                    feature("BB-1", (1.5, 2.0), [crescent]),
                ],
            }
        )
    )
    rows = {r["admin1_code"]: r for r in read_admin1_names(path)}
    # The largest part's centroid; the islet and the label point do not pull it.
    assert (rows["AA-1"]["latitude"], rows["AA-1"]["longitude"]) == (1.0, 2.0)
    c = rows["BB-1"]
    assert Polygon(crescent[0]).contains(Point(c["longitude"], c["latitude"]))
    assert read_country_points(path)["AA"] == (1.0, 2.0)


def test_a_town_whose_code_names_a_far_unit_takes_the_unit_that_holds_it():
    # GeoNames numbers the Philippines' regions, Natural Earth keeps the
    # provinces' old numbers: Jolo's "14" (its region) is Cagayan's PH.14.
    shapes = {
        "PH-CAG": Polygon([(121, 17), (122.5, 17), (122.5, 18.6), (121, 18.6)]),
        "PH-SLU": Polygon([(120.8, 5.8), (121.4, 5.8), (121.4, 6.2), (120.8, 6.2)]),
        "PH-BAS": Polygon([(121.8, 6.3), (122.3, 6.3), (122.3, 6.8), (121.8, 6.8)]),
    }
    units = [
        unit("PH-CAG", "Cagayan", "PH", "PH.14", 17.9, 121.8),
        unit("PH-SLU", "Sulu", "PH", "PH.60", 6.0, 121.1),
        unit("PH-BAS", "Basilan", "PH", "PH.22", 6.5, 122.0),
    ]
    cities = [
        city(1710519, "Jolo", 6.05222, 121.00222, "PH", "14", 101002),
        city(1722827, "Tuguegarao", 17.61306, 121.72694, "PH", "14", 166334),
        # Without a code of Natural Earth's.
        city(1683881, "Isabela", 6.70408, 122.35, "PH", "ZZ", 112788),
        city(1700000, "Faraway", 10.0, 125.0, "PH", "14", 600),
    ]
    gazetteer = build_gazetteer(
        cities, [country(1694008, "Philippines", "PH", 100981437)], units, [],
        admin1_shapes=shapes,
    )  # fmt: skip
    codes = {p.name: p.admin1_code for p in gazetteer.places() if p.kind == "city"}
    # A town without a code gets none; one with no unit near keeps its code.
    assert codes == {"Jolo": "PH-SLU", "Tuguegarao": "PH-CAG", "Isabela": None,
                     "Faraway": "PH-CAG"}  # fmt: skip
    # Without shapes the codes are GeoNames' as they are.
    plain = build_gazetteer(cities, [], units, [])
    assert {p.admin1_code for p in plain.places() if p.name == "Jolo"} == {"PH-CAG"}


def test_places_are_reused_within_a_bound_and_not_pickled(tiny_gazetteer, monkeypatch):
    import pickle

    import geo.gazetteer as gazetteer_module

    first = tiny_gazetteer.place(0)
    assert tiny_gazetteer.place(0) is first
    assert first == gazetteer_module.Place(*tiny_gazetteer._rows[0])
    monkeypatch.setattr(gazetteer_module, "PLACE_OBJECTS", 2)
    for i in range(5):
        tiny_gazetteer.place(i)
    assert len(tiny_gazetteer._objects) <= 2
    loaded = pickle.loads(pickle.dumps(tiny_gazetteer))
    assert "_objects" not in loaded.__dict__
    assert loaded.place(3) == tiny_gazetteer.place(3)


def test_a_town_off_its_unit_in_a_country_that_numbers_alike_keeps_its_code():
    # Slavutych is an exclave of Kyiv oblast inside Chernihiv's polygon: one
    # town off its unit among many on theirs is no misnumbering.
    shapes = {
        "UA-32": Polygon([(29.5, 49.2), (32.0, 49.2), (32.0, 51.2), (29.5, 51.2)]),
        "UA-74": Polygon([(30.6, 51.2), (33.6, 51.2), (33.6, 52.4), (30.6, 52.4)]),
    }
    units = [
        unit("UA-32", "Kyiv Oblast", "UA", "UA.13", 50.2, 30.7),
        unit("UA-74", "Chernihiv Oblast", "UA", "UA.02", 51.5, 32.3),
    ]
    towns = [city(700000 + k, f"Town {k}", 49.5 + k * 0.05, 30.0, "UA", "13", 1000)
             for k in range(25)]  # fmt: skip
    towns.append(city(693457, "Slavutych", 51.52, 30.75, "UA", "13", 24500))
    gazetteer = build_gazetteer(towns, [], units, [], admin1_shapes=shapes)
    (slavutych,) = [p for p in gazetteer.places() if p.name == "Slavutych"]
    assert slavutych.admin1_code == "UA-32"
