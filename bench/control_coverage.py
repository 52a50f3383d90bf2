"""How much of a theatre's ground-time is still unknown: per year, the share
of governorate-days whose derived summary is mostly unknown (unknown share
over one half) and the mean unknown share, weighted as the summaries are.

Usage: ``.venv/bin/python bench/control_coverage.py [THEATRE]`` (default syria).
Run by hand; results go to bench/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.control import TABLE_START, UNKNOWN, load_control_table  # noqa: E402


def main(theatre_id: str = "syria") -> None:
    table = load_control_table()
    theatre = table.theatres[theatre_id]
    codes = sorted(
        {p.admin1_code for p in table.places.values() if p.theatre == theatre_id}
    )
    rows = {}
    day = TABLE_START
    while day <= theatre.valid_through:
        in_force = table.as_of(day)
        for code in codes:
            unknown = sum(
                p.share for p in in_force.get(code, ()) if p.controller == UNKNOWN
            )
            year = rows.setdefault(day.year, [0, 0, 0.0])
            year[0] += 1
            year[1] += unknown > 0.5
            year[2] += unknown
        day += dt.timedelta(days=1)
    print(f"{theatre_id}: {len(codes)} admin-1 units, through {theatre.valid_through}")
    print("year  governorate-days  mostly unknown  mean unknown share")
    for year, (n, mostly, share) in sorted(rows.items()):
        print(f"{year}  {n:>16}  {mostly / n:>13.0%}  {share / n:>18.0%}")
    with_periods = {p.unit_id for p in table.periods if p.theatre == theatre_id}
    urls = {p.source_url for p in table.periods if p.source_url}
    print(
        f"localities {sum(p.theatre == theatre_id for p in table.places.values())}, "
        f"with periods {len(with_periods)}, periods "
        f"{sum(p.theatre == theatre_id for p in table.periods)}, distinct sources "
        f"{len(urls)}"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
