"""A theatre's localities: dated, sourced control per town, the admin-1 summary
derived from them, valid-through dates, the join at the finest level, the
approximate areas and every rule ``geo control --check`` enforces.

Tiny world: country XA made of two 1° squares, XA-W (lon 0..1) and XA-E
(lon 1..2), with three towns in XA-W and one in XA-E.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.areas import approximate_areas
from geo.cli import main
from geo.control import (
    LOCALITY_COLUMNS,
    LOCALITY_PERIOD_COLUMNS,
    PERIOD_COLUMNS,
    THEATRE_COLUMNS,
    check_control_table,
    load_control_table,
)
from geo.join import join_mentions
from geo.mapview import legend_html
from geo.resolve import Resolved

D = dt.date
TODAY = D(2026, 12, 3)
CONTROLLERS = """id,label,colour,description
government,Government,#d7301f,state
rebels,Rebels,#737373,rebels
contested,Contested,#bf9b6f,fighting
unknown,Unknown,#bdbdbd,no source
"""
THEATRE = ["xa", "Exa war", "XA", "2025-06-30", "tiny test theatre"]
LOCALITIES = [
    # id, name, aliases, kind, admin1, lat, lon, radius, population, gid, source, note
    ["xa-big", "Big", "Bigg", "city", "XA-W", "0.5", "0.25", "", "3000", "", "src", ""],
    ["xa-small", "Small", "", "town", "XA-W", "0.5", "0.75", "", "", "", "src", ""],
    [
        "xa-quiet",
        "Quiet",
        "",
        "village",
        "XA-W",
        "0.9",
        "0.5",
        "",
        "500",
        "",
        "src",
        "",
    ],
    ["xa-east", "Easton", "", "town", "XA-E", "0.5", "1.5", "", "2000", "", "src", ""],
]
URL = "https://news.example.org/2020/01/01/story"


def sourced(lid, start, end, controller, url=URL, quote="the town fell", **kw):
    row = {
        "locality_id": lid,
        "valid_from": start,
        "valid_to": end,
        "controller": controller,
        "source_url": url,
        "source_title": "A story",
        "publisher": "Example News",
        "published": "2020-01-01",
        "quote": quote,
        "last_checked": "2026-12-01",
        "note": "",
    }
    row.update(kw)
    return [row[c] for c in LOCALITY_PERIOD_COLUMNS]


def unknown(lid, start, end):
    return [lid, start, end, "unknown", "", "", "", "", "", "", "no source found"]


PERIODS = [
    sourced("xa-big", "2011-03-15", "2019-12-31", "government"),
    sourced("xa-big", "2020-01-01", "", "rebels"),
    unknown("xa-small", "2011-03-15", "2019-12-31"),
    sourced("xa-small", "2020-01-01", "", "government"),
    sourced("xa-east", "2011-03-15", "", "government"),
]


def write(path: Path, columns, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def theatre(folder: Path, periods=PERIODS, localities=LOCALITIES, row=THEATRE):
    """A theatre folder (theatre, localities, periods) and the vocabulary."""
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "theatre.csv", THEATRE_COLUMNS, [row])
    write(folder / "localities.csv", LOCALITY_COLUMNS, localities)
    write(folder / "periods.csv", LOCALITY_PERIOD_COLUMNS, periods)
    (folder.parent / "controllers.csv").write_text(CONTROLLERS)
    return folder, folder.parent / "controllers.csv"


@pytest.fixture
def table(tmp_path):
    folder, controllers = theatre(tmp_path / "xa")
    return load_control_table(folder, controllers)


@pytest.fixture
def world():
    admin1 = gpd.GeoDataFrame(
        {
            "admin1_code": ["XA-W", "XA-E"],
            "name": ["West", "East"],
            "country_code": ["XA", "XA"],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs=4326,
    )
    admin0 = gpd.GeoDataFrame(
        {"country_code": ["XA"], "name": ["Exa"]}, geometry=[box(0, 0, 2, 1)], crs=4326
    )
    return admin1, admin0


def mention(text, lat, lon, a1="XA-W", kind="city"):
    return Resolved(
        start=0,
        end=len(text),
        text=text,
        sentence=0,
        kind=kind,
        name=text,
        lat=lat,
        lon=lon,
        country_code="XA",
        admin1_code=a1,
        geonameid=None,
        confidence=1.0,
        evidence=(),
    )


# --- the table ------------------------------------------------------------------


def test_a_locality_takes_its_own_periods(table):
    assert table.as_of(D(2019, 12, 31))["xa-big"][0].controller == "government"
    assert table.as_of(D(2020, 1, 1))["xa-big"][0].controller == "rebels"
    period = table.as_of(D(2020, 1, 1))["xa-big"][0]
    assert period.quote == "the town fell"
    assert URL in period.source and "Example News" in period.source


def test_the_admin1_summary_is_derived_and_population_weighted(table):
    # 2020: Big (3000) rebels, Small (no population: 1000) government,
    # Quiet (500 -> 1000) has no periods: unknown.
    shares = {p.controller: p.share for p in table.as_of(D(2020, 6, 1))["XA-W"]}
    assert shares == pytest.approx(
        {"rebels": 3000 / 5000, "government": 1000 / 5000, "unknown": 1000 / 5000}
    )
    assert all(
        p.derived and p.level == "admin1" for p in table.as_of(D(2020, 6, 1))["XA-W"]
    )
    assert "Derived from 3 localities (2 with a sourced controller" in (
        table.as_of(D(2020, 6, 1))["XA-W"][0].source
    )
    assert table.summary("XA-E", D(2020, 6, 1))[0].controller == "government"


def test_written_admin1_rows_stand_only_where_no_locality_is_known(tmp_path):
    folder, controllers = theatre(tmp_path / "xa")
    write(
        folder / "admin1.csv",
        PERIOD_COLUMNS,
        [
            [
                "XA-E",
                "East",
                "admin1",
                "XA-E",
                "2011-03-15",
                "",
                "rebels",
                "1",
                "low",
                "https://example.org/e",
                "",
            ]
        ],
    )
    # Easton is known from 2011: the derived summary replaces the written row.
    table = load_control_table(folder, controllers)
    assert table.as_of(D(2015, 1, 1))["XA-E"][0].derived
    # With Easton unknown, the written row stands.
    folder2, controllers2 = theatre(
        tmp_path / "xb", periods=[*PERIODS[:4], unknown("xa-east", "2011-03-15", "")]
    )
    (folder2 / "admin1.csv").write_bytes((folder / "admin1.csv").read_bytes())
    table2 = load_control_table(folder2, controllers2)
    (row,) = table2.as_of(D(2015, 1, 1))["XA-E"]
    assert (row.controller, row.derived) == ("rebels", False)


def test_nothing_past_the_valid_through_date(table):
    assert table.valid_through("xa-big") == D(2025, 6, 30)
    assert table.country_valid_through("XA") == D(2025, 6, 30)
    assert "xa-big" in table.as_of(D(2025, 6, 30))
    late = table.as_of(D(2025, 7, 1))
    assert "xa-big" not in late and "XA-W" not in late
    assert table.coverage() == (D(2011, 3, 15), D(2025, 6, 30))


# --- the join -------------------------------------------------------------------


def test_a_town_takes_its_own_control_not_its_governorates(table, world):
    admin1, admin0 = world
    joined, regions = join_mentions(
        [mention("Big", 0.5, 0.25), mention("West", 0.5, 0.5, kind="admin1")],
        admin1,
        admin0,
        table,
        D(2020, 6, 1),
    )
    town, unit = joined
    assert town.subarea == "xa-big"
    assert [(f.controller, f.share) for f in town.control] == [("rebels", 1.0)]
    assert any("locality Big (xa-big" in e for e in town.mention.evidence)
    assert unit.subarea is None
    assert {f.controller for f in unit.control} == {"rebels", "government", "unknown"}
    assert all(f.derived for f in unit.control)
    assert regions[0].admin1_code == "XA-W"


def test_a_town_without_a_source_that_day_is_unknown(table, world):
    admin1, admin0 = world
    (quiet,), _ = join_mentions(
        [mention("Quiet", 0.9, 0.5)], admin1, admin0, table, D(2020, 6, 1)
    )
    assert quiet.subarea == "xa-quiet"
    assert [f.controller for f in quiet.control] == ["unknown"]
    assert "governorate's summary is not its own control" in quiet.control[0].note


def test_past_valid_through_a_town_says_no_data_after(table, world):
    admin1, admin0 = world
    (big,), _ = join_mentions(
        [mention("Big", 0.5, 0.25)], admin1, admin0, table, D(2026, 1, 1)
    )
    assert big.control == ()
    assert any("no data after 2025-06-30" in e for e in big.mention.evidence)


def test_a_place_outside_every_radius_takes_the_summary(table, world):
    admin1, admin0 = world
    (far,), _ = join_mentions(
        [mention("Nowhere", 0.1, 0.9)], admin1, admin0, table, D(2020, 6, 1)
    )
    assert far.subarea is None
    assert all(f.derived for f in far.control)


# --- approximate areas ------------------------------------------------------------


def test_approximate_areas_follow_the_nearest_town(table, world):
    _, admin0 = world
    areas = {
        a.controller: a for a in approximate_areas(table, D(2020, 6, 1), admin0, ["XA"])
    }
    assert set(areas) == {"rebels", "government"}  # Quiet's unknown cell is undrawn
    # shapely order: x = lon, y = lat.
    assert areas["rebels"].geometry.contains(box(0.2, 0.45, 0.3, 0.55))
    assert areas["government"].geometry.contains(box(0.7, 0.45, 0.8, 0.55))
    assert areas["government"].localities == ("Easton", "Small")
    assert approximate_areas(table, D(2025, 7, 1), admin0, ["XA"]) == []


def test_legend_says_valid_through_and_no_data_after():
    controllers = {}
    legend = legend_html(
        D(2025, 1, 1), "article", controllers, [], None, D(2025, 6, 30)
    )
    assert "data valid through 2025-06-30" in legend
    late = legend_html(D(2025, 7, 1), "article", controllers, [], None, D(2025, 6, 30))
    assert "no data after 2025-06-30" in late


# --- the check ----------------------------------------------------------------------


def check(tmp_path, periods=PERIODS, **kw):
    folder, controllers = theatre(tmp_path / "xa", periods=periods, **kw)
    return check_control_table(folder, controllers, today=TODAY)


def test_a_good_theatre_passes(tmp_path):
    result = check(tmp_path)
    assert result.ok, result.errors
    assert result.warnings == ()
    assert "xa: 4 localities, 5 periods, 1 sources, valid through 2025-06-30" in (
        result.summary()
    )


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"url": "https://news.example.org/"}, "is a bare domain"),
        ({"url": "https://news.example.org"}, "is a bare domain"),
        (
            {"url": "https://wikimili.com/en/Battle_of_Big"},
            "is a mirror (wikimili.com)",
        ),
        ({"url": "https://en.wikizero.com/wiki/Big"}, "is a mirror"),
        ({"url": "ftp://example.org/x"}, "is not a web address"),
        ({"quote": ""}, "empty quote"),
        ({"source_title": ""}, "empty source_title"),
        ({"published": "last spring"}, "published 'last spring' must be"),
        ({"last_checked": ""}, "empty last_checked"),
    ],
)
def test_bad_sources_fail(tmp_path, change, needle):
    bad = sourced("xa-big", "2020-01-01", "", "rebels", **change)
    result = check(tmp_path, periods=[PERIODS[0], bad, *PERIODS[2:]])
    assert not result.ok
    assert any(needle in e and "periods.csv row 3" in e for e in result.errors), (
        result.errors
    )


def test_overlapping_periods_fail(tmp_path):
    periods = [
        sourced("xa-big", "2011-03-15", "2020-01-05", "government"),
        *PERIODS[1:],
    ]
    result = check(tmp_path, periods=periods)
    assert any("overlaps" in e for e in result.errors), result.errors


def test_a_locality_left_uncovered_fails(tmp_path):
    # A hole in 2020, and no start in 2011.
    periods = [
        sourced("xa-big", "2011-03-15", "2019-06-30", "government"),
        *PERIODS[1:4],
        sourced("xa-east", "2012-01-01", "", "government"),
    ]
    errors = "\n".join(check(tmp_path, periods=periods).errors)
    assert "xa-big has no period 2019-07-01..2019-12-31" in errors
    assert "xa-east: no control data 2011-03-15..2011-12-31" in errors


def test_a_locality_ending_before_valid_through_fails(tmp_path):
    periods = [
        *PERIODS[:4],
        sourced("xa-east", "2011-03-15", "2024-12-31", "government"),
    ]
    errors = "\n".join(check(tmp_path, periods=periods).errors)
    assert "xa-east: no control data 2025-01-01..2025-06-30" in errors


def test_unknown_locality_and_controller_fail(tmp_path):
    periods = [*PERIODS, sourced("xa-nowhere", "2011-03-15", "", "government")]
    errors = "\n".join(check(tmp_path, periods=periods).errors)
    assert "unknown locality 'xa-nowhere'" in errors
    periods = [*PERIODS[:4], sourced("xa-east", "2011-03-15", "", "aliens")]
    assert "unknown controller 'aliens'" in "\n".join(
        check(tmp_path / "b", periods=periods).errors
    )


def test_a_valid_through_date_in_the_future_fails(tmp_path):
    row = [*THEATRE[:3], "2027-01-01", ""]
    errors = "\n".join(check(tmp_path, row=row).errors)
    assert "valid_through 2027-01-01 is after today" in errors


def test_a_locality_outside_the_theatres_countries_fails(tmp_path):
    localities = [
        *LOCALITIES,
        ["xb-x", "X", "", "town", "XB-1", "1", "1", "", "", "", "s", ""],
    ]
    errors = "\n".join(check(tmp_path, localities=localities).errors)
    assert "admin1_code 'XB-1' is not in theatre xa's countries" in errors


def test_stale_sources_are_warned_not_failed(tmp_path):
    old = sourced("xa-east", "2011-03-15", "", "government", last_checked="2024-01-01")
    result = check(tmp_path, periods=[*PERIODS[:4], old])
    assert result.ok, result.errors
    assert any(
        "last checked 2024-01-01, more than a year ago" in w for w in result.warnings
    )


def test_the_command_prints_warnings_and_fails_on_errors(tmp_path, capsys):
    folder, controllers = theatre(tmp_path / "xa")
    assert (
        main(
            [
                "control",
                "--check",
                "--control",
                str(folder),
                "--controllers",
                str(controllers),
            ]
        )
        == 0
    )
    bad = sourced("xa-big", "2020-01-01", "", "rebels", url="https://wikimili.com/x")
    folder, controllers = theatre(
        tmp_path / "xb", periods=[PERIODS[0], bad, *PERIODS[2:]]
    )
    assert (
        main(
            [
                "control",
                "--check",
                "--control",
                str(folder),
                "--controllers",
                str(controllers),
            ]
        )
        == 2
    )
    assert "is a mirror" in capsys.readouterr().err


def test_control_listing_says_no_data_after_valid_through(tmp_path, capsys):
    folder, controllers = theatre(tmp_path / "xa")
    args = ["control", "--control", str(folder), "--controllers", str(controllers)]
    assert main([*args, "--date", "2025-07-01", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "no data after 2025-06-30" in out
    assert main([*args, "--date", "2020-06-01", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "xa-big" in out and "rebels 100%" in out
    assert "valid through 2025-06-30" in out
