"""The corpus store, `python -m geo ingest` and `python -m geo batch`."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import types

import geopandas as gpd
import pandas as pd
import pytest

from geo.articles import Article, article_from_text, iter_articles
from geo.batch import mentions_frame, run_batch
from geo.store import SCHEMA_VERSION, Store, StoreError, content_hash

from .conftest import REPO

D = dt.date


def run_geo(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


# ---- the store itself -------------------------------------------------------


def test_add_is_idempotent_by_content(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        a = Article(text="Shelling in Idlib.", title="A", date=D(2021, 1, 2))
        digest, added = store.add_article(a)
        assert added and digest == content_hash(a.text)
        # Same text, other metadata: still the same article.
        assert store.add_article(Article(text=a.text, title="B")) == (digest, False)
        store.add_article(Article(text="Talks in Moscow.", date=D(2020, 5, 1)))
        store.add_article(Article(text="Undated."))
        assert store.count() == 3
        assert [s.article.title for s in store.articles()][:2] == [
            "",  # 2020-05-01 first
            "A",
        ]
        assert store.get(digest).article == a
        assert store.get("nope") is None
        assert store.integrity() == "ok"


def test_results_keyed_by_parser_version(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        one, _ = store.add_article(Article(text="One."))
        two, _ = store.add_article(Article(text="Two."))
        store.save_result(one, "v1", D(2021, 1, 1), {"mentions": [1]})
        assert store.result(one, "v1") == {"mentions": [1]}
        assert store.result(one, "v2") is None
        assert store.unparsed("v1") == [two]
        assert store.unparsed("v2") == [one, two]


def test_corrections_persist_and_replace(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        digest, _ = store.add_article(Article(text="Bennett met Putin in Sochi."))
        store.correct(digest, 0, 7, "not_place")
        store.correct(digest, 21, 26, "choose", geonameid=491422)
        store.correct(digest, 0, 7, "choose", geonameid=1)  # replaces the first
        with pytest.raises(ValueError, match="geonameid"):
            store.correct(digest, 1, 2, "choose")
        with pytest.raises(ValueError, match="not_place"):
            store.correct(digest, 1, 2, "delete")
    with Store(path) as store:
        assert store.corrections(digest) == [
            {"start": 0, "end": 7, "action": "choose", "geonameid": 1},
            {"start": 21, "end": 26, "action": "choose", "geonameid": 491422},
        ]


def test_schema_is_versioned_and_wal(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer than this program"):
        Store(path)


def test_corrupt_store_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a Conflict Atlas store or corrupt"):
        Store(path)
    assert path.read_bytes() == before
    done = run_geo("ingest", str(REPO / "data" / "articles"), "--store", str(path))
    assert done.returncode == 2 and "corrupt" in done.stderr
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_locked_store_names_the_problem(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(path, timeout=0.2)
        with pytest.raises(StoreError, match="locked"):
            store.add_article(Article(text="x"))
        store.close()
    finally:
        holder.rollback()
        holder.close()


# ---- reading inputs ---------------------------------------------------------


def test_iter_articles_reports_bad_rows_and_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Fighting in Idlib.")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00\xd8")  # broken UTF-16
    (folder / "skip.pdf").write_bytes(b"%PDF")  # not an article file: ignored
    (folder / "rows.jsonl").write_text(
        '{"text": "One in Aleppo.", "date": "2021-01-01"}\n'
        "\n"
        "{not json\n"
        '{"title": "no text"}\n'
        '{"text": "Two in Hama.", "date": "01/02/2021"}\n'
    )
    found = list(iter_articles([folder]))
    good = [a.text for _, a in found if isinstance(a, Article)]
    bad = [(w, str(e)) for w, e in found if not isinstance(e, Article)]
    assert good == ["Fighting in Idlib.", "One in Aleppo."]
    assert [w.rsplit("/", 1)[-1] for w, _ in bad] == [
        "bad.txt",
        "rows.jsonl line 3",
        "rows.jsonl line 4",
        "rows.jsonl line 5",
    ]
    assert "not valid JSON" in bad[1][1] and "YYYY-MM-DD" in bad[3][1]


# ---- ingest -----------------------------------------------------------------


def test_ingest_twice_adds_nothing_the_second_time(tmp_path):
    rows = [{"text": f"Report {i} from Aleppo.", "title": f"r{i}"} for i in range(5)]
    rows.append(rows[0])  # a duplicate inside the file too
    write_jsonl(tmp_path / "a.jsonl", rows)
    store = tmp_path / "s.sqlite"
    first = run_geo("ingest", str(tmp_path / "a.jsonl"), "--store", str(store))
    assert first.returncode == 0, first.stderr
    assert "5 added, 1 duplicate(s) skipped" in first.stderr
    second = run_geo("ingest", str(tmp_path), "--store", str(store))
    assert second.returncode == 0, second.stderr
    assert "0 added, 6 duplicate(s) skipped" in second.stderr
    with Store(store) as s:
        assert s.count() == 5


def test_ingest_reports_a_malformed_row_by_line_and_goes_on(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "One."}\n{"text": "Two."\n{"text": "Three."}\n')
    store = tmp_path / "s.sqlite"
    env = {**os.environ, "CONFLICT_ATLAS_STORE": str(store)}
    done = run_geo("ingest", str(path), str(tmp_path / "missing.txt"), env=env)
    assert done.returncode == 2
    assert "a.jsonl line 2: not valid JSON" in done.stderr
    assert "missing.txt: no such file" in done.stderr
    assert "2 added, 0 duplicate(s) skipped, 2 input(s) refused" in done.stderr
    with Store(store) as s:  # found through $CONFLICT_ATLAS_STORE
        assert s.count() == 2


def test_sigkill_during_ingest_leaves_a_sound_store(tmp_path):
    count = 30_000
    rows = [
        {"text": f"Dispatch {i}: shelling near Idlib. " + "x" * 400, "title": f"t{i}"}
        for i in range(count)
    ]
    write_jsonl(tmp_path / "many.jsonl", rows)
    store = tmp_path / "s.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "ingest", str(tmp_path / "many.jsonl")],
        cwd=REPO,
        env={**os.environ, "CONFLICT_ATLAS_STORE": str(store)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1) as db:
                stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored > 200:
            break
    assert proc.poll() is None, "ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(store) as s:
        assert s.integrity() == "ok"
        kept = list(s.articles())
        assert 200 < len(kept) < count
        # No half-written article: every row is whole and hashes to its text.
        assert all(k.content_hash == content_hash(k.article.text) for k in kept)
        assert all(k.article.text.endswith("x" * 400) for k in kept)
    # Ingest again: finishes the job without duplicates.
    done = run_geo("ingest", str(tmp_path / "many.jsonl"), "--store", str(store))
    assert done.returncode == 0, done.stderr
    with Store(store) as s:
        assert s.count() == count


# ---- batch --------------------------------------------------------------------

BATCH_TEXTS = [
    ("Shelling hit the Governorate of Idlib and parts of Aleppo.", "2021-10-23"),
    ("Bennett met Putin in Sochi on Friday; Moscow said little.", "2021-10-22"),
    ("Fighting in the northeast of Syria near Qamishli and Hasakah.", "2019-10-15"),
    ("Talks in Damascus. Talks in Damascus.", None),
    ("Nothing here names a place at all.", "2020-01-01"),
]


@pytest.fixture(scope="module")
def batch_articles():
    return [
        article_from_text(text, title=f"b{i}", date=date)
        for i, (text, date) in enumerate(BATCH_TEXTS)
    ]


def test_batch_on_two_dask_workers_equals_one_process(
    batch_articles, full_parser, monkeypatch
):
    # Spawned workers re-run ``__main__`` from its file; after the AppTests
    # ran in this process that is streamlit_app.py. A real ``python -m geo
    # batch`` has geo/__main__.py there, which is guarded.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    single, _ = run_batch(batch_articles, workers=0, parser=full_parser)
    dask, report = run_batch(batch_articles, workers=2, chunk_size=2)
    assert report.workers == 2
    assert len(single) >= 8
    pd.testing.assert_frame_equal(
        pd.DataFrame(dask.drop(columns="geometry")),
        pd.DataFrame(single.drop(columns="geometry")),
    )
    assert dask.geometry.equals(single.geometry)
    assert all(peak > 100 for peak in report.worker_peak_mb.values())


def test_batch_cli_writes_geoparquet_and_store(tmp_path):
    write_jsonl(
        tmp_path / "in.jsonl",
        [{"text": t, "date": d} for t, d in BATCH_TEXTS[:2]] + [{"bad": 1}],
    )
    out, store = tmp_path / "m.parquet", tmp_path / "s.sqlite"
    done = run_geo(
        "batch", str(tmp_path / "in.jsonl"), "--out", str(out), "--workers", "0",
        "--store", str(store),
    )  # fmt: skip
    assert done.returncode == 2  # one row refused, the rest parsed
    assert "in.jsonl line 3" in done.stderr
    frame = gpd.read_parquet(out)
    assert frame.crs.to_epsg() == 4326
    sochi = frame[frame["text"] == "Sochi"].iloc[0]
    assert sochi["kind"] == "city" and sochi["country_code"] == "RU"
    assert 43 < sochi.geometry.y < 44.5  # y = lat
    idlib = frame[frame["text"] == "Idlib"].iloc[0]
    # Idlib governorate: the summary of its towns (largest share first).
    assert idlib["controller"] in ("unknown", "opposition_hts", "government")
    assert json.loads(idlib["control"])[0]["source"]
    with Store(store) as s:
        assert s.count() == 2
        from geo.pipeline import parser_version

        assert s.unparsed(parser_version()) == []


def test_mentions_frame_of_nothing():
    frame = mentions_frame([])
    assert len(frame) == 0 and "admin1_code" in frame.columns
