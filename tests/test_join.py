"""Joining resolved mentions to units and their control on a date.

Tiny world: country XA made of two 1° squares, XA-W (lon 0..1) and XA-E
(lon 1..2), and country BB (lon 5..6) with no control rows.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.control import PERIOD_COLUMNS, load_control_table
from geo.join import join_mentions, region_sector
from geo.resolve import Resolved

D = dt.date
CONTROLLERS = """id,label,colour,description
government,Government,#d7301f,state
rebels,Rebels,#737373,rebels
"""
PERIODS = [
    # XA-W: split, then wholly government from 2021-01-01.
    "XA-W,West,admin1,XA-W,2020-01-01,2020-12-31,rebels,0.7,medium,Src A,north",
    "XA-W,West,admin1,XA-W,2020-01-01,2020-12-31,government,0.3,medium,Src A,south",
    "XA-W,West,admin1,XA-W,2021-01-01,,government,1,high,Src B,",
    "XA-E,East,admin1,XA-E,2020-01-01,,government,1,high,Src C,",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("control")
    (folder / "controllers.csv").write_text(CONTROLLERS)
    periods = folder / "periods.csv"
    periods.write_text("\n".join([",".join(PERIOD_COLUMNS), *PERIODS]) + "\n")
    control = load_control_table(periods, folder / "controllers.csv")
    admin1 = gpd.GeoDataFrame(
        {
            "admin1_code": ["XA-W", "XA-E", "BB-1"],
            "name": ["West", "East", "Bee"],
            "country_code": ["XA", "XA", "BB"],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 0, 6, 1)],
        crs=4326,
    )
    admin0 = gpd.GeoDataFrame(
        {"country_code": ["XA", "BB"], "name": ["Exa", "Bee"]},
        geometry=[box(0, 0, 2, 1), box(5, 0, 6, 1)],
        crs=4326,
    )
    return admin1, admin0, control


def mention(text, kind, lat=None, lon=None, cc="XA", a1=None, sentence=0, **kw):
    return Resolved(
        start=0,
        end=len(text),
        text=text,
        sentence=sentence,
        kind=kind,
        name=text,
        lat=lat,
        lon=lon,
        country_code=cc,
        admin1_code=a1,
        geonameid=None,
        confidence=0.9,
        evidence=("test",),
        **kw,
    )


def test_city_joins_by_polygon_and_takes_control_of_the_day(world):
    admin1, admin0, control = world
    town = mention("Westville", "city", 0.5, 0.5, sentence=2)
    joined, regions = join_mentions([town], admin1, admin0, control, D(2020, 6, 1))
    (jm,) = joined
    assert jm.admin1_codes == ("XA-W",)
    assert jm.mention.admin1_code == "XA-W"
    assert "in XA-W by polygon join" in jm.mention.evidence
    assert [(f.controller, f.share) for f in jm.control] == [
        ("rebels", 0.7),
        ("government", 0.3),
    ]
    assert {f.source for f in jm.control} == {"Src A"}
    assert [(r.admin1_code, r.name, r.sentences) for r in regions] == [
        ("XA-W", "West", (2,))
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 12, 31), {"rebels", "government"}),  # last day of the split
        (D(2021, 1, 1), {"government"}),  # first day of the change
    ],
)
def test_interval_edges(world, day, expected):
    admin1, admin0, control = world
    joined, _ = join_mentions(
        [mention("West", "admin1", a1="XA-W")], admin1, admin0, control, day
    )
    assert {f.controller for f in joined[0].control} == expected


def test_gazetteer_code_is_kept_when_its_polygon_agrees(world):
    admin1, admin0, control = world
    # 0.02° (about 2 km) over the line into XA-E: the gazetteer's XA-W stands.
    town = mention("Edge", "city", 0.5, 1.02, a1="XA-W")
    joined, _ = join_mentions([town], admin1, admin0, control, D(2021, 6, 1))
    assert joined[0].admin1_codes == ("XA-W",)
    assert joined[0].mention.evidence == ("test",)


def test_gazetteer_code_far_from_its_polygon_is_overridden(world):
    admin1, admin0, control = world
    # Deep inside XA-E while the gazetteer said XA-W: the polygon wins.
    town = mention("Eastham", "city", 0.5, 1.5, a1="XA-W")
    joined, _ = join_mentions([town], admin1, admin0, control, D(2021, 6, 1))
    assert joined[0].admin1_codes == ("XA-E",)
    assert "gazetteer said XA-W" in joined[0].mention.evidence[-1]


def test_place_without_control_data_gets_none(world):
    admin1, admin0, control = world
    far = mention("Beeburg", "city", 0.5, 5.5, cc="BB")
    joined, regions = join_mentions([far], admin1, admin0, control, D(2021, 6, 1))
    assert joined[0].admin1_codes == ("BB-1",)
    assert joined[0].control == ()
    assert regions[0].controllers == ()


def test_point_outside_every_unit(world):
    admin1, admin0, control = world
    sea = mention("Sea", "city", 10.0, 10.0)
    joined, regions = join_mentions([sea], admin1, admin0, control, D(2021, 6, 1))
    assert joined[0].admin1_codes == ()
    assert joined[0].control == ()
    assert regions == []


def test_country_mentions_join_to_no_unit(world):
    admin1, admin0, control = world
    joined, regions = join_mentions(
        [mention("Exa", "country", 0.5, 1.0)], admin1, admin0, control, D(2021, 1, 1)
    )
    assert joined[0].admin1_codes == ()
    assert joined[0].control == ()
    assert regions == []


def test_directional_region_of_a_country(world):
    admin1, admin0, control = world
    west = mention(
        "the west of the country", "region", cc="XA", direction="west",
        reference_kind="country",
    )  # fmt: skip
    joined, regions = join_mentions([west], admin1, admin0, control, D(2020, 6, 1))
    (jm,) = joined
    assert jm.admin1_codes == ("XA-W",)
    assert jm.geometry.bounds == pytest.approx((0, 0, 0.8, 1))
    assert 0 <= jm.mention.lon <= 0.8
    assert "covers West" in jm.mention.evidence
    assert {f.controller for f in jm.control} == {"rebels", "government"}
    assert [r.admin1_code for r in regions] == ["XA-W"]


def test_region_spanning_two_units_weights_control_by_area(world):
    admin1, admin0, control = world
    north = mention(
        "the north", "region", cc="XA", direction="north", reference_kind="country"
    )
    joined, _ = join_mentions([north], admin1, admin0, control, D(2020, 6, 1))
    (jm,) = joined
    assert set(jm.admin1_codes) == {"XA-W", "XA-E"}
    shares = {f.controller: f.share for f in jm.control}
    # Half the area is XA-W (70 % rebels), half XA-E (all government).
    assert shares == pytest.approx({"rebels": 0.35, "government": 0.65}, abs=0.01)
    assert sum(shares.values()) == pytest.approx(1, abs=0.01)


def test_region_of_unknown_country_is_unjoined(world):
    admin1, admin0, control = world
    lost = mention(
        "the north", "region", cc="ZZ", direction="north", reference_kind="country"
    )
    joined, _ = join_mentions([lost], admin1, admin0, control, D(2021, 1, 1))
    assert joined[0].admin1_codes == ()
    assert joined[0].geometry is None


@pytest.mark.parametrize(
    ("direction", "bounds"),
    [
        ("north", (0, 0.6, 10, 1)),
        ("south", (0, 0, 10, 0.4)),
        ("east", (6, 0, 10, 1)),
        ("west", (0, 0, 4, 1)),
        ("northwest", (0, 0.6, 4, 1)),
        ("southeast", (6, 0, 10, 0.4)),
        ("central", (3, 0.3, 7, 0.7)),
    ],
)
def test_region_sector(direction, bounds):
    assert region_sector(box(0, 0, 10, 1), direction).bounds == pytest.approx(bounds)
