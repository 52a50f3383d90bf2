"""``python -m geo control --check``: the shipped tables pass, and each kind of
bad table fails with a row-numbered message.

Bad tables are the shipped ones copied to ``tmp_path`` with one row changed,
then given to the command with ``--control``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main
from geo.control import (
    DEFAULT_CONTROL_DIR,
    SYRIA_ADMIN1,
    TABLE_START,
    check_control_table,
)

REPO = Path(__file__).resolve().parents[1]
GOVERNORATES = "syria_governorates.csv"
SUBAREAS = "syria_subareas.csv"
PLACES = "subarea_units.csv"
SUMMARY = re.compile(
    r"^\d+ rows, \d+ units, covered 2011-03-15\.\.open, \d+ low-confidence rows$"
)


def read_rows(name: str) -> list[list[str]]:
    with open(DEFAULT_CONTROL_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def copy_tables(folder: Path, **changed: list[list[str]]) -> list[str]:
    """The three shipped files in ``folder``, some replaced; ``--control`` args."""
    args = []
    for name in (GOVERNORATES, SUBAREAS, PLACES):
        key = name.removesuffix(".csv")
        rows = changed.get(key, read_rows(name))
        args += ["--control", str(write_rows(folder / name, rows))]
    return args


def find_row(rows: list[list[str]], unit: str, valid_from: str, nth: int = 0) -> int:
    """Index in ``rows`` (= spreadsheet row number - 1) of a unit's group row."""
    header = rows[0]
    hits = [
        i
        for i, r in enumerate(rows)
        if r[header.index("unit_id")] == unit
        and r[header.index("valid_from")] == valid_from
    ]
    return hits[nth]


def set_cell(rows, index, column, value):
    rows = [list(r) for r in rows]
    rows[index][rows[0].index(column)] = value
    return rows


def run_check(capsys, args) -> tuple[int, str, str]:
    code = main(["control", "--check", *args])
    out, err = capsys.readouterr()
    return code, out, err


# --- the shipped tables ------------------------------------------------------


def test_shipped_tables_pass(capsys):
    code, out, err = run_check(capsys, [])
    assert code == 0, err
    assert SUMMARY.match(out.strip()), out
    assert err == ""


def test_shipped_tables_pass_through_the_real_command():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "control", "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert SUMMARY.match(done.stdout.strip())


def test_check_function_on_the_shipped_tables():
    check = check_control_table()
    assert check.ok, check.errors[:5]
    assert check.start == TABLE_START
    units = check.table.units()
    assert set(SYRIA_ADMIN1) <= set(units)
    assert f"{len(check.table.periods)} rows" in check.summary()


def test_copied_tables_pass(tmp_path, capsys):
    code, out, err = run_check(capsys, copy_tables(tmp_path))
    assert code == 0, err
    assert SUMMARY.match(out.strip())


# --- each kind of bad table ----------------------------------------------------


def expect_failure(capsys, args, *needles: str) -> str:
    code, out, err = run_check(capsys, args)
    assert code == 2, (out, err)
    assert out == ""
    assert "problem(s)" in err.splitlines()[-1]
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def test_overlapping_periods(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    i = find_row(rows, "SY-DI", "2018-07-02")
    rows = set_cell(rows, i, "valid_to", "2020-03-10")  # runs into 2020-03-06
    j = find_row(rows, "SY-DI", "2020-03-06")
    expect_failure(
        capsys,
        copy_tables(tmp_path, syria_governorates=rows),
        f"{GOVERNORATES} row {j + 1}: period of SY-DI from 2020-03-06 overlaps",
    )


def test_gap_in_a_governorate(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    i = find_row(rows, "SY-TA", "2011-03-15")
    rows = set_cell(rows, i, "valid_to", "2019-12-31")  # next starts 2020-03-06
    err = expect_failure(
        capsys,
        copy_tables(tmp_path, syria_governorates=rows),
        "SY-TA: no control data 2020-01-01..2020-03-05",
    )
    assert f"{GOVERNORATES} row {i + 1}: gap" in err


def test_governorate_not_covered_from_the_start(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    i = find_row(rows, "SY-DI", "2011-03-15")
    rows = set_cell(rows, i, "valid_from", "2012-01-01")
    expect_failure(
        capsys,
        copy_tables(tmp_path, syria_governorates=rows),
        f"{GOVERNORATES} row {i + 1}: gap: SY-DI: no control data "
        "2011-03-15..2011-12-31",
    )


def test_governorate_missing_altogether(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    rows = [r for r in rows if r[0] != "SY-TA"]
    expect_failure(
        capsys, copy_tables(tmp_path, syria_governorates=rows), "unit SY-TA: no rows"
    )


def test_governorate_not_covered_to_today(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    i = find_row(rows, "SY-TA", "2024-12-08")
    rows = set_cell(rows, i, "valid_to", "2025-12-31")
    err = expect_failure(
        capsys, copy_tables(tmp_path, syria_governorates=rows), "SY-TA: no control"
    )
    assert "2026-01-01.." in err


def test_gap_inside_a_subarea(tmp_path, capsys):
    rows = read_rows(SUBAREAS)
    i = find_row(rows, "sy-tadef", "2017-02-23")
    rows = set_cell(rows, i, "valid_to", "2024-11-20")  # next starts 2024-11-30
    j = find_row(rows, "sy-tadef", "2024-11-30")
    expect_failure(
        capsys,
        copy_tables(tmp_path, syria_subareas=rows),
        f"{SUBAREAS} row {j + 1}: gap: sy-tadef has no period 2024-11-21..2024-11-29",
    )


def test_unknown_governorate_unit(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    extra = list(rows[1])
    extra[0] = extra[3] = "SY-ZZ"
    rows.append(extra)
    expect_failure(
        capsys,
        copy_tables(tmp_path, syria_governorates=rows),
        f"{GOVERNORATES} row {len(rows)}: unknown unit 'SY-ZZ'",
    )


def test_subarea_without_a_point(tmp_path, capsys):
    places = [r for r in read_rows(PLACES) if r[0] != "sy-saraqib"]
    rows = read_rows(SUBAREAS)
    first = find_row(rows, "sy-saraqib", "2019-01-01")
    expect_failure(
        capsys,
        copy_tables(tmp_path, subarea_units=places),
        f"{SUBAREAS} row {first + 1}: unknown unit 'sy-saraqib': a sub-area "
        "without a point",
    )


def test_unknown_controller(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    i = find_row(rows, "SY-HM", "2019-05-06", nth=1)
    rows = set_cell(rows, i, "controller", "rebels")
    expect_failure(
        capsys,
        copy_tables(tmp_path, syria_governorates=rows),
        f"{GOVERNORATES} row {i + 1}: unknown controller 'rebels'",
    )


@pytest.mark.parametrize(
    ("column", "value", "needle"),
    [
        ("valid_from", "2021-02-30", "valid_from '2021-02-30' is not a date"),
        ("valid_to", "23/10/2021", "valid_to '23/10/2021' is not a date"),
        ("valid_to", "2011-01-01", "valid_to 2011-01-01 is before valid_from"),
    ],
)
def test_bad_dates(tmp_path, capsys, column, value, needle):
    rows = read_rows(SUBAREAS)
    i = find_row(rows, "sy-jarabulus", "2016-08-24")
    rows = set_cell(rows, i, column, value)
    expect_failure(
        capsys,
        copy_tables(tmp_path, syria_subareas=rows),
        f"{SUBAREAS} row {i + 1}: {needle}",
    )


def test_shares_not_summing_to_one(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    i = find_row(rows, "SY-ID", "2020-03-06")
    rows = set_cell(rows, i, "share", "0.65")
    expect_failure(
        capsys,
        copy_tables(tmp_path, syria_governorates=rows),
        f"{GOVERNORATES} row {i + 1}: shares of SY-ID from 2020-03-06",
        "sum to 1.10",
    )


def test_several_problems_are_all_listed(tmp_path, capsys):
    rows = read_rows(GOVERNORATES)
    a = find_row(rows, "SY-HM", "2019-05-06")
    b = find_row(rows, "SY-LA", "2019-01-01")
    rows = set_cell(rows, a, "controller", "rebels")
    rows = set_cell(rows, b, "confidence", "certain")
    err = expect_failure(capsys, copy_tables(tmp_path, syria_governorates=rows))
    assert f"row {a + 1}: unknown controller" in err
    assert f"row {b + 1}: confidence 'certain'" in err


def test_bad_point_in_the_places_file(tmp_path, capsys):
    places = read_rows(PLACES)
    i = next(k for k, r in enumerate(places) if r[0] == "sy-azaz")
    places = set_cell(places, i, "lat", "north")
    expect_failure(
        capsys,
        copy_tables(tmp_path, subarea_units=places),
        f"{PLACES} row {i + 1}: lat 'north' is not a number",
    )


def test_unreadable_file_is_one_message(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_id,name\nSY-DI,Damascus\n", encoding="utf-8")
    err = expect_failure(capsys, ["--control", str(bad)], "bad.csv row 1: columns")
    assert "Traceback" not in err


def test_check_until_a_given_date(tmp_path):
    rows = read_rows(GOVERNORATES)
    i = find_row(rows, "SY-TA", "2024-12-08")
    rows = set_cell(rows, i, "valid_to", "2025-12-31")
    paths = [write_rows(tmp_path / GOVERNORATES, rows)]
    paths += [DEFAULT_CONTROL_DIR / SUBAREAS, DEFAULT_CONTROL_DIR / PLACES]
    assert check_control_table(paths, end=dt.date(2025, 12, 31)).ok
    assert not check_control_table(paths, end=dt.date(2026, 1, 1)).ok


# --- the report: sources and low-confidence rows ------------------------------


def test_report_lists_sources_and_low_confidence_rows(capsys):
    assert main(["control", "--report"]) == 0
    out = capsys.readouterr().out
    assert "sources cited" in out and "rows marked low confidence" in out
    assert "P cartercenter.org exploring-historical-control" in out
    assert re.search(r"row +\d+ SY-HL +2020-03-06\.\.2024-11-26 government", out)
