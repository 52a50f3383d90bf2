"""Corpus benchmarks: ingest into the store, and batch parsing on Dask.

Input: the LGL gold corpus texts (``../shared/eval/LGL``, read in place)
repeated with varied dates up to ``--articles`` documents, written to a
temporary JSON Lines file. Run by hand:

    .venv/bin/python bench/bench_corpus.py [--articles 1000]

Measures, in one run: ingest docs/s and store size; batch docs/s in one
process without Dask (the plain parser), on 1 and on 2 local Dask workers,
with each worker's peak memory. Prints a Markdown table for RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
LGL = REPO.parent / "shared" / "eval" / "LGL"

from geo.articles import Article, article_from_text  # noqa: E402
from geo.batch import run_batch  # noqa: E402
from geo.pipeline import Parser  # noqa: E402
from geo.store import Store, add_articles  # noqa: E402


def lgl_texts() -> list[str]:
    texts = []
    for path in sorted(LGL.glob("*.xml")):
        for node in ET.parse(path).getroot().iter("text"):
            if node.text and node.text.strip():
                texts.append(node.text)
    if not texts:
        sys.exit(f"no LGL texts under {LGL}")
    return texts


def corpus(count: int) -> list[Article]:
    """``count`` articles: LGL texts in turn, each repeat a distinct text
    (a dated dateline is prepended) so the store sees new content."""
    texts = lgl_texts()
    start = dt.date(2011, 3, 15)
    articles = []
    for i in range(count):
        day = start + dt.timedelta(days=(i * 37) % 5000)
        text = texts[i % len(texts)]
        if i >= len(texts):
            text = f"({day.isoformat()}) {text}"
        articles.append(article_from_text(text, title=f"lgl-{i}", date=day))
    return articles


def bench_ingest(articles: list[Article], folder: Path) -> dict[str, float]:
    jsonl = folder / "corpus.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for a in articles:
            row = {"text": a.text, "title": a.title, "date": a.date.isoformat()}
            out.write(json.dumps(row) + "\n")
    store_path = folder / "store.sqlite"
    started = time.perf_counter()
    with Store(store_path) as store:
        added, duplicates = add_articles(store, articles)
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.glob("store.sqlite*") if p.is_file())
    return {
        "added": added,
        "duplicates": duplicates,
        "docs_s": len(articles) / elapsed,
        "mb": size / 1e6,
        "input_mb": jsonl.stat().st_size / 1e6,
    }


def bench_batch(articles: list[Article]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    started = time.perf_counter()
    parser = Parser.default()
    load = time.perf_counter() - started
    started = time.perf_counter()
    frame, report = run_batch(articles, workers=0, parser=parser)
    elapsed = time.perf_counter() - started
    out["single process, no Dask"] = {
        "seconds": elapsed,
        "docs_s": len(articles) / elapsed,
        "mentions": len(frame),
        "peak_mb": max(report.worker_peak_mb.values()),
        "startup_s": load,
    }
    del parser
    for workers in (1, 2):
        started = time.perf_counter()
        frame, report = run_batch(articles, workers=workers)
        elapsed = time.perf_counter() - started
        out[f"Dask LocalCluster, {workers} worker(s)"] = {
            "seconds": elapsed,
            "docs_s": len(articles) / elapsed,
            "mentions": len(frame),
            "peak_mb": max(report.worker_peak_mb.values()),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    articles = corpus(args.articles)
    words = sum(len(a.text.split()) for a in articles)
    with tempfile.TemporaryDirectory(prefix="atlas-corpus-") as folder:
        ingest = bench_ingest(articles, Path(folder))
    batch = bench_batch(articles)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; {len(articles)} articles, {words:,} words "
        f"({ingest['input_mb']:.1f} MB of JSON Lines)\n"
    )
    print("| run | wall time | docs/s | mentions | peak RSS per process |")
    print("|---|---|---|---|---|")
    for name, r in batch.items():
        print(
            f"| {name} | {r['seconds']:.1f} s | {r['docs_s']:.1f} | "
            f"{r['mentions']:,} | {r['peak_mb']:.0f} MB |"
        )
    print(
        f"\nSingle-process parser start-up (gazetteer, spaCy, boundaries, control): "
        f"{batch['single process, no Dask']['startup_s']:.1f} s (not in its wall time;"
        " Dask runs include their workers' start-up)."
    )
    print(
        f"\nIngest into the store: {ingest['docs_s']:,.0f} docs/s, "
        f"{ingest['added']} added, {ingest['duplicates']} duplicates; store on disk "
        f"{ingest['mb']:.1f} MB (database + WAL)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
