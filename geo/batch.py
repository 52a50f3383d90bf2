"""Many articles at once: the parser on Dask, mentions out as GeoParquet.

The driver reads the articles and sends them in chunks to Dask workers (a
:class:`distributed.LocalCluster` by default, or any running cluster by its
scheduler address). Each worker process builds the parser once and keeps it;
each chunk comes back as plain rows, one per mention. With ``workers=0`` the
same rows are made in this process, without Dask, for comparison and small
jobs.
"""

from __future__ import annotations

import json
import os
import resource
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.articles import Article
from geo.pipeline import Parser, ParseResult, parser_version, result_to_json
from geo.store import content_hash

# Parquet columns, in order (geometry last).
COLUMNS = (
    "article_id",
    "article_title",
    "article_date",
    "article_path",
    "control_day",
    "mention_index",
    "start",
    "end",
    "text",
    "sentence",
    "kind",
    "name",
    "lat",
    "lon",
    "country_code",
    "admin1_code",
    "geonameid",
    "confidence",
    "evidence",
    "controller",
    "control",
)
CHUNK_SIZE = 20

_WORKER_PARSER: Parser | None = None  # one per worker process, built on first use


@dataclass
class BatchReport:
    """What a batch run did."""

    articles: int = 0
    mentions: int = 0
    workers: int = 0
    worker_peak_mb: dict[str, float] = field(default_factory=dict)
    results: dict[str, dict] = field(default_factory=dict)  # article_id -> json


def mention_rows(result: ParseResult, article_id: str) -> list[dict]:
    """One row per mention: the ``parse --format json`` fields, flattened.

    ``evidence`` is joined with "; ", ``control`` kept as a JSON string and
    its largest share repeated in ``controller`` for easy filtering.
    """
    article = result.article
    rows = []
    for index, m in enumerate(result_to_json(result)["mentions"]):
        rows.append(
            {
                "article_id": article_id,
                "article_title": article.title,
                "article_date": article.date.isoformat() if article.date else None,
                "article_path": article.path,
                "control_day": result.day.isoformat(),
                "mention_index": index,
                **{k: m[k] for k in COLUMNS if k in m and k not in ("evidence",)},
                "evidence": "; ".join(m["evidence"]),
                "controller": m["control"][0]["controller"] if m["control"] else None,
                "control": json.dumps(m["control"], ensure_ascii=False),
            }
        )
    return rows


def parse_chunk(
    articles: Sequence[Article], parser: Parser | None = None
) -> tuple[list[dict], dict[str, dict], str, float]:
    """Parse a chunk: (mention rows, results by article id, worker id, peak MB).

    Runs on a worker; without ``parser`` it uses (and on first call builds)
    this process's default parser.
    """
    global _WORKER_PARSER
    if parser is None:
        if _WORKER_PARSER is None:
            _WORKER_PARSER = Parser.default()
        parser = _WORKER_PARSER
    rows: list[dict] = []
    results: dict[str, dict] = {}
    for article in articles:
        article_id = content_hash(article.text)
        result = parser.parse(article)
        rows.extend(mention_rows(result, article_id))
        results[article_id] = result_to_json(result)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return rows, results, f"{os.uname().nodename}:{os.getpid()}", peak_mb


def run_batch(
    articles: Sequence[Article],
    *,
    workers: int = 2,
    scheduler: str | None = None,
    parser: Parser | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> tuple[gpd.GeoDataFrame, BatchReport]:
    """Parse ``articles``; returns their mentions (input order) and a report.

    Parameters
    ----------
    workers
        Local worker processes for a new LocalCluster; 0 parses in this
        process without Dask (with ``parser`` if given).
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); overrides
        ``workers``.
    progress
        Called with the number of articles finished after each chunk.
    """
    chunks = [
        list(articles[i : i + chunk_size]) for i in range(0, len(articles), chunk_size)
    ]
    report = BatchReport(articles=len(articles))
    outputs: list[tuple[list[dict], dict[str, dict], str, float] | None] = [None] * len(
        chunks
    )
    if scheduler is None and workers == 0:
        report.workers = 0
        for i, chunk in enumerate(chunks):
            outputs[i] = parse_chunk(chunk, parser)
            if progress:
                progress(len(chunk))
    else:
        _run_on_dask(chunks, outputs, workers, scheduler, progress, report)
    rows: list[dict] = []
    for chunk_rows, results, worker, peak in outputs:  # type: ignore[misc]
        rows.extend(chunk_rows)
        report.results.update(results)
        report.worker_peak_mb[worker] = max(peak, report.worker_peak_mb.get(worker, 0))
    report.mentions = len(rows)
    return mentions_frame(rows), report


def _run_on_dask(chunks, outputs, workers, scheduler, progress, report) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,  # the parser's ~600 MB is expected; do not pause it
        )
    try:
        with Client(cluster if cluster is not None else scheduler) as client:
            report.workers = len(client.scheduler_info()["workers"])
            futures = client.map(
                parse_chunk, chunks, key=[f"parse-{i}" for i in range(len(chunks))]
            )
            index = {f.key: i for i, f in enumerate(futures)}
            for future in as_completed(futures):
                i = index[future.key]
                outputs[i] = future.result()
                if progress:
                    progress(len(chunks[i]))
    finally:
        if cluster is not None:
            cluster.close()


def mentions_frame(rows: list[dict]) -> gpd.GeoDataFrame:
    """Rows as a GeoDataFrame (EPSG:4326; no point for country references)."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    # shapely points are (x = lon, y = lat).
    placed = frame["lat"].notna() & frame["lon"].notna() & (frame["kind"] != "country")
    geometry = [
        Point(lon, lat) if ok else None
        for lat, lon, ok in zip(frame["lat"], frame["lon"], placed, strict=True)
    ]
    frame["geonameid"] = frame["geonameid"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def write_mentions(frame: gpd.GeoDataFrame, out: str | Path) -> Path:
    """GeoParquet that geopandas and DuckDB read directly."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(out, index=False)
    return out


__all__ = [
    "BatchReport",
    "mention_rows",
    "mentions_frame",
    "parse_chunk",
    "parser_version",
    "run_batch",
    "write_mentions",
]
