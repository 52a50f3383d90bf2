from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.control import (
    DEFAULT_CONTROL_DIR,
    PERIOD_COLUMNS,
    ControlTable,
    ControlTableError,
    control_as_of,
    dominant,
    load_control_table,
)

D = dt.date
HEADER = ",".join(PERIOD_COLUMNS)
CONTROLLERS = """id,label,colour,description
government,Government,#d7301f,state forces
opposition_hts,HTS,#737373,HTS
sdf,SDF,#f2c12e,SDF
"""
# Rows 2-5 of a small valid table: Idlib split, then changed; Hasakah open-ended.
GOOD_ROWS = [
    "SY-ID,Idlib,admin1,SY-ID,2020-03-06,2021-06-30,opposition_hts,0.6,medium,S1,n",
    "SY-ID,Idlib,admin1,SY-ID,2020-03-06,2021-06-30,government,0.4,medium,S1,n",
    "SY-ID,Idlib,admin1,SY-ID,2021-07-01,,government,1.00,low,S2,n",
    "SY-HA,Al-Hasakah,admin1,SY-HA,2020-01-01,,sdf,1,high,S3,",
]
GOVERNORATES = [
    "SY-DI",
    "SY-RD",
    "SY-QU",
    "SY-DR",
    "SY-SU",
    "SY-HI",
    "SY-HM",
    "SY-ID",
    "SY-LA",
    "SY-TA",
    "SY-HL",
    "SY-RA",
    "SY-HA",
    "SY-DY",
]
CONTROLLER_IDS = [
    "government",
    "opposition",
    "opposition_hts",
    "opposition_sna",
    "sdf",
    "joint_sdf_government",
    "us_coalition",
    "isis",
    "israel",
    "undof",
    "transitional_government",
    "local_druze",
    "contested",
    "unknown",
]


def write_table(folder: Path, rows: list[str], header: str = HEADER) -> Path:
    (folder / "controllers.csv").write_text(CONTROLLERS, encoding="utf-8")
    path = folder / "periods.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def load_rows(folder: Path, rows: list[str], header: str = HEADER) -> ControlTable:
    path = write_table(folder, rows, header)
    return load_control_table(path, folder / "controllers.csv")


def error_for(folder: Path, rows: list[str], header: str = HEADER) -> str:
    with pytest.raises(ControlTableError) as caught:
        load_rows(folder, rows, header)
    return str(caught.value)


def replace_field(row: str, column: str, value: str) -> str:
    cells = row.split(",")
    cells[PERIOD_COLUMNS.index(column)] = value
    return ",".join(cells)


# --- queries ---------------------------------------------------------------


def test_as_of_the_day_before_and_the_day_of_a_change(tmp_path):
    table = load_rows(tmp_path, GOOD_ROWS)
    before = table.as_of(D(2021, 6, 30))["SY-ID"]
    assert [(p.controller, p.share) for p in before] == [
        ("opposition_hts", 0.6),
        ("government", 0.4),
    ]
    after = table.as_of(D(2021, 7, 1))["SY-ID"]
    assert [(p.controller, p.share, p.confidence) for p in after] == [
        ("government", 1.0, "low")
    ]
    assert control_as_of(table, D(2021, 7, 1)) == table.as_of(D(2021, 7, 1))


def test_first_day_inclusive_and_units_absent_before_their_data(tmp_path):
    table = load_rows(tmp_path, GOOD_ROWS)
    assert set(table.as_of(D(2020, 3, 5))) == {"SY-HA"}
    assert set(table.as_of(D(2020, 3, 6))) == {"SY-HA", "SY-ID"}
    assert table.as_of(D(2019, 12, 31)) == {}


def test_open_ended_valid_to_stays_in_force(tmp_path):
    table = load_rows(tmp_path, GOOD_ROWS)
    (period,) = table.as_of(D(2099, 1, 1))["SY-HA"]
    assert period.valid_to is None and period.covers(D(2099, 1, 1))
    assert table.coverage() == (D(2020, 1, 1), None)


def test_history_units_and_row_numbers(tmp_path):
    table = load_rows(tmp_path, GOOD_ROWS)
    history = table.history("SY-ID")
    assert [(p.valid_from, p.controller) for p in history] == [
        (D(2020, 3, 6), "opposition_hts"),
        (D(2020, 3, 6), "government"),
        (D(2021, 7, 1), "government"),
    ]
    assert [p.row for p in history] == [2, 3, 4]
    assert table.history("SY-XX") == ()
    assert table.units() == {
        "SY-ID": ("Idlib", "admin1", "SY-ID"),
        "SY-HA": ("Al-Hasakah", "admin1", "SY-HA"),
    }
    assert list(table.controllers) == ["government", "opposition_hts", "sdf"]


def test_closed_coverage(tmp_path):
    table = load_rows(tmp_path, GOOD_ROWS[:2])
    assert table.coverage() == (D(2020, 3, 6), D(2021, 6, 30))


def test_dominant(tmp_path):
    table = load_rows(tmp_path, GOOD_ROWS)
    periods = table.as_of(D(2021, 1, 1))["SY-ID"]
    assert dominant(periods).controller == "opposition_hts"
    assert dominant(tuple(reversed(periods))).controller == "opposition_hts"
    assert dominant(()) is None


def test_gaps(tmp_path):
    rows = [
        "SY-DR,Daraa,admin1,SY-DR,2020-01-01,2020-01-10,government,1,high,S,",
        "SY-DR,Daraa,admin1,SY-DR,2020-01-15,2020-01-20,government,1,high,S,",
        "SY-DR,Daraa,admin1,SY-DR,2020-01-21,2020-01-31,government,1,high,S,",
        "SY-SU,As-Suwayda,admin1,SY-SU,2019-01-01,,government,1,high,S,",
    ]
    table = load_rows(tmp_path, rows)
    assert table.gaps(D(2020, 1, 1), D(2020, 1, 31)) == [
        "SY-DR: no control data 2020-01-11..2020-01-14"
    ]
    assert table.gaps(D(2019, 12, 31), D(2020, 2, 1)) == [
        "SY-DR: no control data 2019-12-31, 2020-01-11..2020-01-14, 2020-02-01"
    ]
    assert table.gaps(D(2020, 1, 15), D(2020, 1, 31)) == []


# --- validation --------------------------------------------------------------


def test_missing_file(tmp_path):
    write_table(tmp_path, GOOD_ROWS)
    with pytest.raises(ControlTableError, match="no such file"):
        load_control_table(tmp_path / "nope.csv", tmp_path / "controllers.csv")
    with pytest.raises(ControlTableError, match="nope.csv: no such file"):
        load_control_table(tmp_path / "periods.csv", tmp_path / "nope.csv")


def test_missing_and_extra_columns(tmp_path):
    header = HEADER.replace(",note", "")
    rows = [r.rsplit(",", 1)[0] for r in GOOD_ROWS]
    message = error_for(tmp_path, rows, header)
    assert "periods.csv row 1" in message and "missing note" in message
    message = error_for(tmp_path, [r + ",x" for r in GOOD_ROWS], HEADER + ",colour")
    assert "row 1" in message and "unexpected 'colour'" in message


def test_empty_file_and_header_only(tmp_path):
    path = write_table(tmp_path, [])
    path.write_text("", encoding="utf-8")
    with pytest.raises(ControlTableError, match="row 1: empty file"):
        load_control_table(path, tmp_path / "controllers.csv")
    path.write_text(HEADER + "\n", encoding="utf-8")
    with pytest.raises(ControlTableError, match="no data rows"):
        load_control_table(path, tmp_path / "controllers.csv")


def test_not_utf8(tmp_path):
    path = write_table(tmp_path, GOOD_ROWS)
    path.write_bytes(path.read_bytes().replace(b"Idlib", b"Idl\xe9b", 1))
    with pytest.raises(ControlTableError, match="not UTF-8.*0xe9"):
        load_control_table(path, tmp_path / "controllers.csv")


def test_utf8_bom_and_non_ascii_are_fine(tmp_path):
    path = write_table(tmp_path, [GOOD_ROWS[3].replace("S3", "WP:timeline…")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    (period,) = load_control_table(path, tmp_path / "controllers.csv").periods
    assert period.unit_id == "SY-HA" and period.source == "WP:timeline…"


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("valid_from", "2020-13-01", "valid_from '2020-13-01' is not a date"),
        ("valid_from", "06/03/2020", "valid_from '06/03/2020' is not a date"),
        ("valid_from", "20200306", "use YYYY-MM-DD"),
        ("valid_to", "2019-01-01", "valid_to 2019-01-01 is before valid_from"),
        ("controller", "rebels", "unknown controller 'rebels'; allowed: government"),
        ("share", "abc", "share 'abc' is not a number"),
        ("share", "0", "share '0' must be in (0, 1]"),
        ("share", "1.5", "share '1.5' must be in (0, 1]"),
        ("share", "nan", "share 'nan' must be in (0, 1]"),
        ("confidence", "certain", "confidence 'certain' must be one of high"),
        ("source", "", "empty source"),
        ("unit_id", "", "empty unit_id"),
        ("level", "country", "level 'country' must be one of admin1, area, place"),
    ],
)
def test_bad_values_name_the_row_and_value(tmp_path, column, value, expected):
    rows = [*GOOD_ROWS[:3], replace_field(GOOD_ROWS[3], column, value)]
    message = error_for(tmp_path, rows)
    assert "periods.csv row 5: " in message
    assert expected in message


def test_shares_must_sum_to_one(tmp_path):
    rows = [replace_field(GOOD_ROWS[0], "share", "0.5"), *GOOD_ROWS[1:]]
    message = error_for(tmp_path, rows)
    assert "row 2" in message and "rows 2, 3" in message
    assert "SY-ID from 2020-03-06" in message and "sum to 0.90" in message
    # Rounding within ±0.01 is accepted.
    rows = [replace_field(GOOD_ROWS[0], "share", "0.595"), *GOOD_ROWS[1:]]
    assert load_rows(tmp_path, rows).as_of(D(2021, 1, 1))["SY-ID"]


def test_overlapping_periods(tmp_path):
    rows = list(GOOD_ROWS)
    rows[2] = replace_field(rows[2], "valid_from", "2021-06-30")
    message = error_for(tmp_path, rows)
    assert "row 4: period of SY-ID from 2021-06-30" in message
    assert "overlaps the one from 2020-03-06 (" in message and "row 2" in message


def test_open_period_followed_by_another_overlaps(tmp_path):
    rows = [
        "SY-TA,Tartus,admin1,SY-TA,2020-01-01,,government,1,high,S,",
        "SY-TA,Tartus,admin1,SY-TA,2025-01-01,,sdf,1,low,S,",
    ]
    message = error_for(tmp_path, rows)
    assert "row 3" in message and "still in force" in message


def test_same_controller_twice_in_a_group(tmp_path):
    rows = [
        "SY-TA,Tartus,admin1,SY-TA,2020-01-01,,government,0.5,high,S,",
        "SY-TA,Tartus,admin1,SY-TA,2020-01-01,,government,0.5,high,S,",
    ]
    message = error_for(tmp_path, rows)
    assert "row 3" in message and "controller government appears twice" in message


def test_group_rows_must_end_together(tmp_path):
    rows = [GOOD_ROWS[0], replace_field(GOOD_ROWS[1], "valid_to", "2021-06-29")]
    message = error_for(tmp_path, rows)
    assert "row 3" in message and "must end on the same day" in message


@pytest.mark.parametrize(
    ("column", "value"),
    [("name", "Idleb"), ("level", "area"), ("admin1_code", "SY-XX")],
)
def test_inconsistent_unit_identity(tmp_path, column, value):
    rows = [*GOOD_ROWS[:2], replace_field(GOOD_ROWS[2], column, value)]
    message = error_for(tmp_path, rows)
    assert "row 4" in message and "unit SY-ID" in message and value in message
    assert "row 2 gives" in message


def test_wrong_field_count(tmp_path):
    message = error_for(tmp_path, [GOOD_ROWS[3] + ",extra"])
    assert "row 2: 12 fields, expected 11" in message


def test_row_numbers_count_blank_lines_and_multiline_cells(tmp_path):
    multiline = replace_field(GOOD_ROWS[3], "note", '"line one\nline two"')
    bad = replace_field(GOOD_ROWS[3], "unit_id", "SY-X").replace("sdf", "isis")
    rows = [multiline, "", bad]
    message = error_for(tmp_path, rows)
    # header = 1, multi-line row = 2, blank = 3, bad = 4 (as a spreadsheet shows)
    assert "periods.csv row 4: unknown controller 'isis'" in message


def test_bad_controller_colour(tmp_path):
    path = write_table(tmp_path, GOOD_ROWS)
    (tmp_path / "controllers.csv").write_text(
        CONTROLLERS.replace("#737373", "grey"), encoding="utf-8"
    )
    with pytest.raises(ControlTableError, match="controllers.csv row 3: colour 'grey'"):
        load_control_table(path, tmp_path / "controllers.csv")


# --- the real table ------------------------------------------------------------


@pytest.fixture(scope="module")
def real_table() -> ControlTable:
    return load_control_table()


def test_real_controllers(real_table):
    assert list(real_table.controllers) == CONTROLLER_IDS
    colours = [c.colour for c in real_table.controllers.values()]
    assert len(set(colours)) == len(colours)
    assert {p.controller for p in real_table.periods} <= set(CONTROLLER_IDS)
    assert all(p.source.strip() for p in real_table.periods)
    assert (DEFAULT_CONTROL_DIR / "syria" / "theatre.csv").is_file()


def test_real_table_summaries_sum_to_one_every_month(real_table):
    day = D(2011, 4, 1)
    while day <= real_table.valid_through():
        in_force = real_table.as_of(day)
        for unit in GOVERNORATES:
            periods = in_force[unit]
            assert abs(sum(p.share for p in periods) - 1) <= 0.01, (unit, day)
            assert all(p.derived for p in periods), (unit, day)
        day += dt.timedelta(days=30)


def test_real_table_on_the_seed_article_date(real_table):
    in_force = real_table.as_of(D(2021, 10, 23))
    assert dominant(in_force["sy-idlib"]).controller == "opposition_hts"
    assert dominant(in_force["sy-saraqib"]).controller == "government"
    aleppo = {p.controller for p in in_force["SY-HL"]}
    assert {"government", "opposition_sna", "sdf"} <= aleppo
    assert dominant(in_force["SY-DI"]).controller == "government"


# --- property ----------------------------------------------------------------

UNITS = ["SY-ID", "SY-HL", "SY-HA"]
BASE = D(2020, 1, 1)


@st.composite
def valid_tables(draw):
    """Rows of a valid table: per unit, consecutive groups between sorted cut
    days (some left out as gaps, the last maybe open-ended), each with distinct
    controllers whose shares sum to 1."""
    rows = []
    for unit in draw(st.lists(st.sampled_from(UNITS), min_size=1, unique=True)):
        cuts = sorted(
            draw(st.lists(st.integers(0, 400), min_size=2, max_size=8, unique=True))
        )
        for i, (start, next_start) in enumerate(zip(cuts, cuts[1:], strict=False)):
            if draw(st.booleans()):
                continue  # leave a gap
            open_ended = i == len(cuts) - 2 and draw(st.booleans())
            end = BASE + dt.timedelta(days=next_start - 1)
            held = draw(
                st.lists(
                    st.sampled_from(["government", "opposition_hts", "sdf"]),
                    min_size=1,
                    unique=True,
                )
            )
            shares = [round(1 / len(held), 2)] * len(held)
            shares[0] = round(1 - sum(shares[1:]), 2)
            for controller, share in zip(held, shares, strict=True):
                rows.append(
                    f"{unit},{unit} name,admin1,{unit},"
                    f"{(BASE + dt.timedelta(days=start)).isoformat()},"
                    f"{'' if open_ended else end.isoformat()},"
                    f"{controller},{share},medium,S,"
                )
    return rows


@settings(max_examples=60, deadline=None)
@given(rows=valid_tables(), offsets=st.lists(st.integers(-5, 420), max_size=20))
def test_at_most_one_group_in_force_per_unit_per_day(rows, offsets):
    with tempfile.TemporaryDirectory() as folder:
        table = load_rows(Path(folder), rows) if rows else None
    if table is None:
        return
    edges = {p.valid_from for p in table.periods} | {
        p.valid_to for p in table.periods if p.valid_to
    }
    days = {BASE + dt.timedelta(days=o) for o in offsets}
    days |= edges | {d + dt.timedelta(days=1) for d in edges}
    for day in days:
        for unit, periods in table.as_of(day).items():
            assert len({p.valid_from for p in periods}) == 1, (unit, day)
            assert abs(sum(p.share for p in periods) - 1) <= 0.01
            assert periods == tuple(sorted(periods, key=lambda p: -p.share))
