"""``python -m geo control --check`` on the shipped tables: they pass, through
the function and the real command, and copies of them fail once one row is
broken. Each rule's failure on tiny tables is in ``test_localities.py``.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

from geo.cli import main
from geo.control import DEFAULT_CONTROL_DIR, TABLE_START, check_control_table

REPO = Path(__file__).resolve().parents[1]
SYRIA = DEFAULT_CONTROL_DIR / "syria"
SUMMARY = re.compile(
    r"^\d+ rows, \d+ units, covered 2011-03-15\.\.\d{4}-\d{2}-\d{2}, \d+ "
    r"low-confidence rows; syria: \d+ localities, \d+ periods, \d+ sources, "
    r"valid through \d{4}-\d{2}-\d{2}$"
)


def test_shipped_tables_pass(capsys):
    code = main(["control", "--check"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert SUMMARY.match(out.strip()), out


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
    assert check.table.theatres["syria"].country_codes == ("SY",)
    sourced = [p for p in check.table.periods if p.controller != "unknown"]
    assert sourced and all(p.quote and p.source_url for p in sourced)


def copy_syria(folder: Path) -> Path:
    target = folder / "syria"
    shutil.copytree(SYRIA, target, ignore=shutil.ignore_patterns("written"))
    return target


def edit_first_sourced_row(path: Path, column: str, value: str) -> int:
    """Set one cell of the first sourced period; returns its row number."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    index = next(
        i
        for i, r in enumerate(rows)
        if i and r[header.index("controller")] != "unknown"
    )
    rows[index][header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return index + 1


def test_a_copy_passes_and_a_mirror_in_it_fails(tmp_path, capsys):
    folder = copy_syria(tmp_path)
    args = ["control", "--check", "--control", str(folder)]
    assert main(args) == 0
    capsys.readouterr()
    row = edit_first_sourced_row(
        folder / "periods.csv", "source_url", "https://www.wikizero.com/en/Aleppo"
    )
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"periods.csv row {row}:" in err and "is a mirror" in err


def test_a_copy_without_a_quote_fails(tmp_path, capsys):
    folder = copy_syria(tmp_path)
    row = edit_first_sourced_row(folder / "periods.csv", "quote", "")
    assert main(["control", "--check", "--control", str(folder)]) == 2
    assert f"periods.csv row {row}:" in capsys.readouterr().err


def test_report_lists_sources_and_low_confidence_rows(capsys):
    assert main(["control", "--report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sources cited (")
    assert "rows marked low confidence (" in out
