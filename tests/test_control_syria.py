"""The shipped Syria control tables, 2011-03-15 to today: coverage, the edges
of the major changes, sub-areas, and the seed article viewed on two dates."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from geo.articles import load_article
from geo.control import SYRIA_ADMIN1, TABLE_START, ControlTable, load_control_table
from geo.join import join_mentions
from geo.resolve import Resolved

from .conftest import SEED_ARTICLE

D = dt.date
TODAY = D(2026, 11, 25)  # the "today"; the check itself uses the clock
# Sub-areas the issue names (Kabani is left out: no point in the sources).
SUBAREAS = [
    "sy-afrin",
    "sy-azaz",
    "sy-al-bab",
    "sy-jarabulus",
    "sy-tadef",
    "sy-manbij",
    "sy-kobani",
    "sy-tell-rifaat",
    "sy-tell-abyad",
    "sy-ras-al-ain",
    "sy-ayn-issa",
    "sy-qamishli",
    "sy-hasakah-city",
    "sy-deir-ez-zor-west",
    "sy-deir-ez-zor-east",
    "sy-al-tanf",
    "sy-khan-shaykhun",
    "sy-maarat-al-numan",
    "sy-saraqib",
    "sy-jisr-al-shughur",
    "sy-daraa-al-balad",
    "sy-aleppo-city",
]


@pytest.fixture(scope="module")
def table() -> ControlTable:
    return load_control_table()


def controllers(table, unit, day) -> dict[str, float]:
    return {p.controller: p.share for p in table.as_of(day).get(unit, ())}


def top(table, unit, day) -> str:
    held = controllers(table, unit, day)
    return max(held, key=held.get)


def change_days(table) -> set[dt.date]:
    days = set()
    for p in table.periods:
        days.add(p.valid_from)
        if p.valid_to:
            days.add(p.valid_to)
            days.add(p.valid_to + dt.timedelta(days=1))
    return {d for d in days if TABLE_START <= d <= TODAY}


# --- coverage ------------------------------------------------------------------


def test_every_governorate_covered_every_day(table):
    assert table.gaps(TABLE_START, TODAY, SYRIA_ADMIN1) == []
    assert table.coverage() == (TABLE_START, None)
    rng = random.Random(20111315)
    span = (TODAY - TABLE_START).days
    days = {
        TABLE_START + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(400)
    }
    days |= change_days(table) | {TABLE_START, TODAY, TODAY + dt.timedelta(days=365)}
    for day in sorted(days):
        in_force = table.as_of(day)
        for unit in SYRIA_ADMIN1:
            periods = in_force.get(unit)
            assert periods, (unit, day)
            assert abs(sum(p.share for p in periods) - 1) <= 0.01, (unit, day)
            assert len({p.valid_from for p in periods}) == 1, (unit, day)


def test_nothing_before_the_start(table):
    assert table.as_of(TABLE_START - dt.timedelta(days=1)) == {}


def test_subareas_are_contiguous_over_their_own_span(table):
    for unit in SUBAREAS:
        start, end = table.span(unit)
        assert table.gaps(start, end or TODAY, [unit]) == [], unit


def test_every_row_is_sourced_and_low_rows_say_why(table):
    for p in table.periods:
        assert p.source.strip() and p.note.strip(), p.row
    low = table.low_confidence()
    assert low and all(p.confidence == "low" for p in low)
    unknown = [p for p in table.periods if p.controller == "unknown"]
    assert unknown and all(p.confidence == "low" for p in unknown)
    assert all("not" in p.note for p in unknown)  # "not in the notes", "not encoded"


# --- interval edges ----------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "before", "after", "was", "becomes"),
    [
        # 2024-11-27: the HTS-led offensive begins (contested share appears).
        ("SY-ID", D(2024, 11, 26), D(2024, 11, 27), "government", "contested"),
        # 2024-12-08: the Ba'athist government falls.
        (
            "SY-DI",
            D(2024, 12, 7),
            D(2024, 12, 8),
            "government",
            "transitional_government",
        ),
        (
            "SY-HM",
            D(2024, 12, 7),
            D(2024, 12, 8),
            "opposition_hts",
            "transitional_government",
        ),
        ("SY-X01~", D(2024, 12, 7), D(2024, 12, 8), "undof", "israel"),
        ("sy-aleppo-city", D(2024, 11, 27), D(2024, 11, 28), "government", "contested"),
        ("sy-tadef", D(2024, 11, 29), D(2024, 11, 30), "government", "opposition_sna"),
        ("sy-manbij", D(2024, 12, 11), D(2024, 12, 12), "contested", "opposition_sna"),
        # 2016, 2017, 2018, 2019, 2020 changes.
        ("sy-aleppo-city", D(2016, 12, 21), D(2016, 12, 22), "contested", "government"),
        ("SY-RA", D(2017, 10, 16), D(2017, 10, 17), "unknown", "sdf"),
        ("sy-afrin", D(2018, 3, 17), D(2018, 3, 18), "contested", "opposition_sna"),
        ("SY-RD", D(2018, 4, 13), D(2018, 4, 14), "unknown", "government"),
        ("SY-DY", D(2019, 3, 22), D(2019, 3, 23), "isis", "government"),
        (
            "sy-ras-al-ain",
            D(2019, 10, 21),
            D(2019, 10, 22),
            "contested",
            "opposition_sna",
        ),
        (
            "sy-maarat-al-numan",
            D(2020, 1, 27),
            D(2020, 1, 28),
            "opposition_hts",
            "government",
        ),
        # 2025: coast, Suwayda; January 2026.
        ("SY-LA", D(2025, 3, 5), D(2025, 3, 6), "transitional_government", "contested"),
        ("SY-SU", D(2025, 7, 12), D(2025, 7, 13), "local_druze", "contested"),
        (
            "SY-RA",
            D(2026, 1, 17),
            D(2026, 1, 18),
            "contested",
            "transitional_government",
        ),
    ],
)
def test_day_before_and_day_of_a_change(table, unit, before, after, was, becomes):
    held_before, held_after = (
        controllers(table, unit, before),
        controllers(table, unit, after),
    )
    assert held_before != held_after
    assert was in held_before and becomes in held_after
    assert (was not in held_after) or (becomes not in held_before)


def test_dashboard_range_shows_the_fall_of_the_government(table):
    before, after = table.as_of(D(2024, 11, 26)), table.as_of(D(2024, 12, 9))
    changed = [u for u in SYRIA_ADMIN1 if before[u] != after[u]]
    assert len(changed) == len(SYRIA_ADMIN1)
    assert top(table, "SY-DI", D(2024, 12, 9)) == "transitional_government"


# --- sub-areas -----------------------------------------------------------------


def test_subareas_have_points_in_their_governorate(table):
    assert set(SUBAREAS) <= set(table.places)
    for unit in SUBAREAS:
        place = table.places[unit]
        name, level, admin1_code = table.units()[unit]
        assert level in ("place", "area") and admin1_code == place.admin1_code
        assert admin1_code in SYRIA_ADMIN1
        assert 32 < place.lat < 37.5 and 35.5 < place.lon < 42.5
        assert place.source and place.radius_km > 0


def test_subareas_are_not_drawn_as_polygons(table):
    drawn = table.admin1_units()
    assert set(drawn) == set(SYRIA_ADMIN1)
    assert not set(SUBAREAS) & set(drawn)


@pytest.mark.parametrize("unit", ["sy-tell-rifaat", "sy-manbij"])
def test_disagreeing_sources_are_recorded_as_low(table, unit):
    disputed = [p for p in table.history(unit) if "disagree" in p.note]
    assert disputed and all(p.confidence == "low" for p in disputed)


def test_quneitra_and_golan_notes(table):
    day = D(2021, 10, 23)
    (quneitra,) = table.as_of(day)["SY-QU"]
    assert "Golan" in quneitra.note and "Israel" in quneitra.note
    (undof,) = table.as_of(day)["SY-X01~"]
    assert undof.controller == "undof" and "Quneitra city" in undof.note
    (israel,) = table.as_of(D(2025, 1, 15))["SY-X01~"]
    assert israel.controller == "israel" and "Golan" in israel.note
    assert all("Golan" in p.note for p in table.history("SY-QU") if p.row > 1)


# --- the seed article on its date and as of 2025-01-15 ------------------------


@pytest.fixture(scope="module")
def seed_2021(full_parser):
    return full_parser.parse(load_article(SEED_ARTICLE))


@pytest.fixture(scope="module")
def seed_2025(full_parser):
    return full_parser.parse(load_article(SEED_ARTICLE), D(2025, 1, 15))


def region_control(result, code) -> dict[str, float]:
    (region,) = [r for r in result.regions if r.admin1_code == code]
    return {f.controller: f.share for f in region.controllers}


def test_seed_article_on_its_date(seed_2021):
    assert seed_2021.day == D(2021, 10, 23)
    idlib = region_control(seed_2021, "SY-ID")
    assert max(idlib, key=idlib.get) == "opposition_hts" and "government" in idlib
    aleppo = region_control(seed_2021, "SY-HL")
    assert {"government", "opposition_sna", "sdf", "opposition_hts"} <= set(aleppo)
    latakia = region_control(seed_2021, "SY-LA")
    assert max(latakia, key=latakia.get) == "government"
    assert "opposition_hts" in latakia  # the NE mountains pocket
    sochi = [jm for jm in seed_2021.mentions if jm.mention.text == "Sochi"]
    assert sochi and all(jm.control == () for jm in sochi)
    assert all(jm.mention.country_code == "RU" for jm in sochi)


def test_hasakah_on_the_seed_date(table):
    hasakah = controllers(table, "SY-HA", D(2021, 10, 23))
    assert max(hasakah, key=hasakah.get) == "sdf"
    assert "joint_sdf_government" in hasakah  # the government's security squares
    assert top(table, "sy-qamishli", D(2021, 10, 23)) == "joint_sdf_government"


def test_seed_article_as_of_2025_01_15(seed_2025, table):
    for code in ("SY-ID", "SY-HM", "SY-LA"):
        assert region_control(seed_2025, code) == {"transitional_government": 1.0}
    aleppo = region_control(seed_2025, "SY-HL")
    assert max(aleppo, key=aleppo.get) == "transitional_government"
    assert top(table, "sy-aleppo-city", D(2025, 1, 15)) == "transitional_government"


def test_aleppo_city_mention_takes_the_city_control(full_parser):
    city = Resolved(
        start=0,
        end=6,
        text="Aleppo",
        sentence=0,
        kind="city",
        name="Aleppo",
        lat=36.20124,
        lon=37.16117,
        country_code="SY",
        admin1_code="SY-HL",
        geonameid=170063,
        confidence=0.9,
        evidence=("test",),
    )
    parser = full_parser
    for day, expected in [
        (D(2021, 10, 23), "government"),
        (D(2025, 1, 15), "transitional_government"),
    ]:
        (jm,), (region,) = join_mentions(
            [city], parser.admin1, parser.admin0, parser.control, day
        )
        assert [f.controller for f in jm.control] == [expected]
        assert jm.subarea == "sy-aleppo-city" and jm.admin1_codes == ("SY-HL",)
        assert len(region.controllers) >= 3  # the governorate keeps its split
