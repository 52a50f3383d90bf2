"""Joining resolved mentions to units and their control on a date.

Tiny world: country XA made of two 1° squares, XA-W (lon 0..1) and XA-E
(lon 1..2), and country BB (lon 5..6) with no control rows.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pytest
import shapely
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


def test_region_of_a_country_without_units_says_it_covers_none(world):
    admin1, admin0, control = world
    bare = gpd.GeoDataFrame(
        {"country_code": ["CC"], "name": ["Cee"]}, geometry=[box(8, 0, 9, 1)], crs=4326
    )
    part = mention(
        "northern Cee", "region", cc="CC", direction="north", reference_kind="country"
    )
    (jm,), _ = join_mentions([part], admin1, bare, control, D(2021, 1, 1))
    assert jm.admin1_codes == () and jm.geometry is not None
    assert jm.mention.evidence[-1] == "covers no admin-1 unit by 25% of its area"


def test_part_of_a_region_without_polygon_takes_no_unit(world):
    # "northern Kurdistan": a region is stored with its first country; its
    # part is not that country's north, and its point in XA-W is no claim
    # on XA-W's control.
    admin1, admin0, control = world
    part = mention(
        "northern Kurdistan", "region", 0.5, 0.5, cc="XA", direction="north",
        reference_kind="region",
    )  # fmt: skip
    (jm,), regions = join_mentions([part], admin1, admin0, control, D(2020, 6, 1))
    assert (jm.admin1_codes, jm.geometry, jm.control, regions) == ((), None, (), [])
    assert (jm.mention.lat, jm.mention.lon) == (0.5, 0.5)


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


# ---- contested sub-areas: a town takes its sub-area's control ----------------

PLACE_HEADER = "unit_id,name,level,admin1_code,lat,lon,radius_km,geonameid,source,note"
SUB_PERIODS = [
    # Westville (XA-W) held by rebels in 2020 only; its governorate is split.
    "xa-westville,Westville,place,XA-W,2020-01-01,2020-12-31,rebels,1,medium,Src T,",
]
SUB_PLACES = ["xa-westville,Westville,place,XA-W,0.5,0.5,5,,Src P,town centre"]


@pytest.fixture(scope="module")
def sub_world(world, tmp_path_factory):
    admin1, admin0, _ = world
    folder = tmp_path_factory.mktemp("subareas")
    (folder / "controllers.csv").write_text(CONTROLLERS)
    periods = folder / "periods.csv"
    periods.write_text("\n".join([",".join(PERIOD_COLUMNS), *PERIODS, *SUB_PERIODS]))
    places = folder / "places.csv"
    places.write_text("\n".join([PLACE_HEADER, *SUB_PLACES]) + "\n")
    control = load_control_table([periods, places], folder / "controllers.csv")
    return admin1, admin0, control


def test_town_in_a_subarea_takes_its_control(sub_world):
    admin1, admin0, control = sub_world
    # 0.02° of latitude ≈ 2.2 km from the sub-area's point, inside its 5 km.
    town = mention("Westville", "city", 0.52, 0.5, a1="XA-W")
    (jm,), (region,) = join_mentions([town], admin1, admin0, control, D(2020, 6, 1))
    assert jm.subarea == "xa-westville" and jm.admin1_codes == ("XA-W",)
    assert [(f.unit_id, f.controller, f.share) for f in jm.control] == [
        ("xa-westville", "rebels", 1.0)
    ]
    assert (
        "contested sub-area Westville (xa-westville, 2.2 km" in jm.mention.evidence[-1]
    )
    # The governorate keeps its own split.
    assert {f.controller for f in region.controllers} == {"rebels", "government"}


def test_outside_the_radius_or_the_subarea_span_the_governorate_applies(sub_world):
    admin1, admin0, control = sub_world
    far = mention("Farville", "city", 0.6, 0.5, a1="XA-W")  # ~11 km away
    (jm,), _ = join_mentions([far], admin1, admin0, control, D(2020, 6, 1))
    assert jm.subarea is None and {f.controller for f in jm.control} == {
        "rebels",
        "government",
    }
    town = mention("Westville", "city", 0.5, 0.5, a1="XA-W")
    (jm,), _ = join_mentions([town], admin1, admin0, control, D(2021, 6, 1))
    assert jm.subarea is None  # after the sub-area's rows end
    assert [f.controller for f in jm.control] == ["government"]


def test_subarea_only_for_places_of_its_country_and_point_kinds(sub_world):
    admin1, admin0, control = sub_world
    foreign = mention("Across", "city", 0.5, 0.5, cc="BB")
    unit = mention("West", "admin1", 0.5, 0.5, a1="XA-W")
    joined, _ = join_mentions([foreign, unit], admin1, admin0, control, D(2020, 6, 1))
    assert [jm.subarea for jm in joined] == [None, None]


# ---- the real tables: border towns and sub-areas -----------------------------


@pytest.mark.parametrize(
    ("name", "lat", "lon", "code", "subarea", "day", "controller"),
    [
        # Coordinates from the research notes; Natural Earth puts both in Turkey.
        ("Tell Abyad", 36.697, 38.95, "SY-RA", "sy-tell-abyad", D(2021, 10, 23),
         "opposition_sna"),
        ("Kobani", 36.89, 38.36, "SY-HL", "sy-kobani", D(2021, 10, 23), "sdf"),
        ("Manbij", 36.52815, 37.95495, "SY-HL", "sy-manbij", D(2025, 1, 15),
         "opposition_sna"),
        ("al-Tanf", 33.506, 38.618, "SY-HI", "sy-al-tanf", D(2021, 10, 23),
         "us_coalition"),
    ],
)  # fmt: skip
def test_border_and_contested_towns(
    full_parser, name, lat, lon, code, subarea, day, controller
):
    town = mention(name, "city", lat, lon, cc="SY")
    (jm,), (region,) = join_mentions(
        [town], full_parser.admin1, full_parser.admin0, full_parser.control, day
    )
    assert jm.admin1_codes == (code,) and region.country_code == "SY"
    assert jm.subarea == subarea
    assert jm.control[0].controller == controller
    assert any(subarea in e for e in jm.mention.evidence)


def test_turkish_town_across_from_tell_abyad_keeps_no_syrian_control(full_parser):
    # Akçakale (GeoNames 324496) sits ~2 km north of Tell Abyad, in Turkey.
    town = mention("Akçakale", "city", 36.71111, 38.9475, cc="TR")
    (jm,), _ = join_mentions(
        [town],
        full_parser.admin1,
        full_parser.admin0,
        full_parser.control,
        D(2021, 10, 23),
    )
    assert jm.subarea is None and jm.control == ()
    assert all(not c.startswith("SY") for c in jm.admin1_codes)


def _joined(full_parser, text: str) -> dict:
    """The joined mentions of ``text`` parsed whole, by their text."""
    from geo.articles import article_from_text

    result = full_parser.parse(article_from_text(text, date="2021-10-23"))
    return {j.mention.text: j for j in result.mentions}


def test_a_region_of_countries_is_drawn_as_their_union(full_parser):
    got = _joined(
        full_parser,
        "Cholera reached West Africa and the Horn of Africa; southern Africa "
        "was spared.",
    )
    west, horn = got["West Africa"], got["Horn of Africa"]
    # The UN's Western Africa: Bamako and Kano inside, N'Djamena (Chad) not.
    towns = [(-8.0, 12.65, True), (8.5, 12.0, True), (15.0, 12.1, False)]
    for lon, lat, inside in towns:
        assert west.geometry.contains(shapely.Point(lon, lat)) is inside
    assert west.geometry.contains(shapely.Point(west.mention.lon, west.mention.lat))
    assert "union of its 17 countries" in west.mention.evidence[-1]
    assert west.admin1_codes == () and west.control == ()
    # Addis Ababa is in the Horn, Nairobi not.
    assert horn.geometry.contains(shapely.Point(38.7, 9.0))
    assert not horn.geometry.contains(shapely.Point(36.8, -1.3))
    # A lower-case compass word is a direction in Africa, not the region
    # "Southern Africa" (five countries): the sector reaches Mozambique.
    south = got["southern Africa"]
    assert south.mention.direction == "south" and south.mention.name == "south Africa"
    assert south.geometry.contains(shapely.Point(32.6, -25.9))  # Maputo
    # Part of such a region is part of its countries' union; the region's
    # name in lower case is still the region ("south-east Asia").
    got = _joined(
        full_parser,
        "Drought spread in northern West Africa and across south-east Asia.",
    )
    north = got["northern West Africa"]
    assert north.geometry.contains(shapely.Point(-5.0, 20.0))  # northern Mali
    assert not north.geometry.contains(shapely.Point(-1.5, 6.7))  # Kumasi
    assert "its countries" in north.mention.evidence[-1]
    assert got["south-east Asia"].mention.name == "Southeast Asia"
    assert got["south-east Asia"].geometry.contains(shapely.Point(100.5, 13.75))
    # Islands set the box, not only the largest: Jakarta is in southern
    # Southeast Asia.
    (south,) = _joined(full_parser, "Floods hit southern Southeast Asia.").values()
    assert south.geometry.contains(shapely.Point(106.8, -6.2))


def test_what_a_region_is_made_of_comes_from_the_resolved_mention(world):
    admin1, admin0, control = world
    # The join draws the countries the gazetteer gave, not a table's rows: a
    # "West Africa" with a point of its own stays a point.
    made = mention("West Africa", "region", 0.5, 0.5, member_countries=("XA",))
    plain = mention("West Africa", "region", 0.5, 0.5)
    (jm_made, jm_plain), _ = join_mentions(
        [made, plain], admin1, admin0, control, D(2020, 6, 1)
    )
    assert jm_made.geometry is not None and jm_plain.geometry is None


def test_a_region_of_units_is_drawn_as_them_and_takes_them(full_parser):
    from geo.articles import article_from_text

    result = full_parser.parse(
        article_from_text(
            "Fighting spread across Darfur, then into northern Darfur. "
            "M23 held parts of Kivu.",
            date="2021-10-23",
        )
    )
    got = {j.mention.text: j for j in result.mentions}
    darfur, north, kivu = got["Darfur"], got["northern Darfur"], got["Kivu"]
    # Our table's Darfur (its states) and Kivu, which the build derives
    # from North and South Kivu: their units, drawn whole, clickable.
    assert set(darfur.admin1_codes) == {"SD-DE", "SD-DN", "SD-DS", "SD-DW"}
    assert "drawn as its admin-1 units" in darfur.mention.evidence[-1]
    assert darfur.geometry.contains(shapely.Point(24.9, 12.05))  # Nyala
    assert set(kivu.admin1_codes) == {"CD-NK", "CD-SK"}
    assert kivu.geometry.contains(shapely.Point(29.22, -1.68))  # Goma
    # The north of Darfur is a sector of the states' union, not a point.
    assert north.admin1_codes == ("SD-DN",)
    assert north.geometry is not None and north.mention.lat > darfur.mention.lat
    summarised = {r.admin1_code for r in result.regions}
    assert {"SD-DN", "CD-NK", "CD-SK"} <= summarised


def test_part_of_a_continent_is_that_part_of_its_countries(full_parser):
    def joined(name, lat, lon, direction):
        region = mention(
            name, "region", lat, lon, cc="", direction=direction,
            reference_kind="region",
        )  # fmt: skip
        (jm,), regions = join_mentions(
            [region],
            full_parser.admin1,
            full_parser.admin0,
            full_parser.control,
            D(2021, 10, 23),
        )
        assert regions == [] and jm.admin1_codes == ()
        return jm

    # Drawn at Africa's GeoNames point, "West Africa" stood in the
    # Central African Republic; now it is the west of Africa's land.
    west = joined("west Africa", 7.1881, 21.09375, "west")
    assert west.geometry is not None and west.geometry.bounds[2] < 11
    assert 10 < west.mention.lat < 25 and -10 < west.mention.lon < 5  # Mali
    assert "approximate" in west.mention.evidence[-1]
    # Where the part's centroid is at sea, the land nearest it: western
    # Europe is Brittany's tip, not Iceland.
    europe = joined("west Europe", 48.69096, 9.14062, "west")
    assert 43 < europe.mention.lat < 50 and -10 < europe.mention.lon < 0
    # A continent whose box crosses the antimeridian stays at its point.
    asia = joined("south Asia", 29.84064, 89.29688, "south")
    assert asia.geometry is None
    assert (asia.mention.lat, asia.mention.lon) == (29.84064, 89.29688)


# ---- a user's own boundaries and control table -------------------------------


def test_user_boundaries_and_control_csv(tmp_path):
    from geo.boundaries import load_admin1

    from .conftest import shared_file

    source = shared_file("reference", "ocha_syria_adm1", "syr_admin1.geojson")
    shp = tmp_path / "syr_admin1.shp"
    gpd.read_file(source)[["ADM1_PCODE", "ADM1_EN", "geometry"]].to_file(shp)
    admin1 = load_admin1(shp)
    admin0 = gpd.GeoDataFrame(
        {"country_code": ["SY"], "name": ["Syria"]},
        geometry=[admin1.union_all()],
        crs=4326,
    )
    header = ",".join(PERIOD_COLUMNS)
    periods = tmp_path / "my_control.csv"
    periods.write_text(
        f"{header}\n"
        "SY07,Idleb,admin1,SY07,2020-03-06,,government,0.3,low,my notes,south\n"
        "SY07,Idleb,admin1,SY07,2020-03-06,,rebels,0.7,low,my notes,north\n"
        "my-saraqib,Saraqib,place,SY07,2020-03-06,,government,1,low,my notes,\n",
        encoding="utf-8",
    )
    places = tmp_path / "my_places.csv"
    places.write_text(
        f"{PLACE_HEADER}\nmy-saraqib,Saraqib,place,SY07,35.86447,36.80591,5,"
        "164816,GeoNames,\n",
        encoding="utf-8",
    )
    (tmp_path / "controllers.csv").write_text(CONTROLLERS)
    control = load_control_table([periods, places], tmp_path / "controllers.csv")
    idlib = mention("Idlib", "city", 35.93062, 36.63393, cc="SY")
    saraqib = mention("Saraqib", "city", 35.86447, 36.80591, cc="SY")
    joined, regions = join_mentions(
        [idlib, saraqib], admin1, admin0, control, D(2021, 10, 23)
    )
    assert [jm.admin1_codes for jm in joined] == [("SY07",), ("SY07",)]
    assert joined[0].control[0].controller == "rebels"
    assert joined[1].subarea == "my-saraqib"
    assert [f.controller for f in joined[1].control] == ["government"]
    assert regions[0].admin1_code == "SY07" and regions[0].name == "Idleb"
