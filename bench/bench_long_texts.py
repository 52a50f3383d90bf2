"""Parse time at the article length bound (100,000 characters), by hand:

    .venv/bin/python bench/bench_long_texts.py [--repeat 3]

Three texts of that length, each parsed whole (recognition + resolution,
one process, gazetteer and model loaded first, not timed):

- news: the LGL articles (``../shared/eval/LGL/lgl.xml``, read in place)
  one after another;
- streets: one sentence naming four streets and roads and a town, repeated;
- places: a comma-separated list of distinct gazetteer names, the worst case
  for resolution (every name is a candidate for every other's context).

Prints a Markdown table (median seconds, mentions found) for
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from eval_geoparse import load_lgl  # noqa: E402

from geo.extract import extract_mentions, load_nlp  # noqa: E402
from geo.gazetteer import load_gazetteer  # noqa: E402
from geo.resolve import resolve_mentions  # noqa: E402

LIMIT = 100_000


def texts(gazetteer) -> dict[str, str]:
    news = " ".join(doc.text for doc in load_lgl())[:LIMIT]
    street = (
        "Police closed Main Street, Oak Road, Highway 19 and County Road 42 "
        "in Huntsville. "
    )
    streets = (street * (LIMIT // len(street) + 1))[:LIMIT]
    names = ", ".join(gazetteer.place(i).name for i in range(0, 60_000, 3))
    return {"news": news, "streets": streets, "places": names[:LIMIT]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    gazetteer, nlp = load_gazetteer(), load_nlp()
    print("| text | characters | median parse time | mentions |")
    print("|---|---|---|---|")
    for name, text in texts(gazetteer).items():
        seconds, found = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            resolution = resolve_mentions(
                extract_mentions(text, gazetteer, nlp), gazetteer
            )
            seconds.append(time.perf_counter() - started)
            found = len(resolution.resolved)
        median = statistics.median(seconds)
        print(f"| {name} | {len(text):,} | {median:.1f} s | {found:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
