"""Dashboard bars (issue 5): warm page load, click server time, map size.

Run by hand (needs ``/usr/bin/chromium`` and ``../shared/eval/LGL``):

    .venv/bin/python bench/bench_dashboard.py [--articles 200] [--repeat 5]

Measures, for the seed article alone and for ``--articles`` LGL-derived
articles ingested into a throw-away store and selected together:

- server time of one script run (AppTest, in process, caches warm): a new
  session opening the view, and a click (the region the map click selects);
- browser time, page navigation to the control polygons drawn by Leaflet,
  with a warm server (the view opened through its URL, as a bookmark would);
- the size of the map iframe's HTML.

The gazetteer cache must be warm (run the app or ``python -m geo parse`` once).
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
CHROMIUM = "/usr/bin/chromium"
SEED = REPO / "data" / "articles" / "2021-10-23_israel-russia-deconfliction-syria.md"
APP = str(REPO / "streamlit_app.py")


def make_store(path: Path, count: int) -> list[str]:
    """Ingest ``count`` LGL-derived articles; their selection keys."""
    from bench_corpus import corpus

    from geo.store import Store

    keys = []
    with Store(path) as store:
        for article in corpus(count):
            digest, _ = store.add_article(article)
            keys.append(f"store:{digest}")
    return keys


def server_times(keys: list[str], repeat: int) -> dict[str, float]:
    """Median script-run times in process: open the view, click a region."""
    from streamlit.testing.v1 import AppTest

    def opened() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=900)
        at.query_params["article"] = keys
        return at

    first = opened()
    started = time.perf_counter()
    first.run()
    cold = time.perf_counter() - started
    assert not first.exception, first.exception
    loads, clicks = [], []
    for i in range(repeat):
        at = opened()
        started = time.perf_counter()
        at.run()
        loads.append(time.perf_counter() - started)
        region = at.selectbox(key="region")
        started = time.perf_counter()
        # Options are labels "Name (CODE)"; the widget's value is the code.
        label = region.options[1 + i % (len(region.options) - 1)]
        region.set_value(label.rsplit("(", 1)[1].rstrip(")")).run()
        clicks.append(time.perf_counter() - started)
        assert not at.exception, at.exception
    return {
        "first_run": cold,
        "open": statistics.median(loads),
        "click": statistics.median(clicks),
    }


def browser_times(url: str, keys: list[str], repeat: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    query = urllib.parse.urlencode([("article", k) for k in keys])
    loads, sizes = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless=new"]
        )
        for i in range(repeat + 1):  # the first load warms the server's caches
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            started = time.perf_counter()
            page.goto(f"{url}/?{query}")
            frame = None
            while frame is None:
                page.wait_for_timeout(10)
                frame = next((f for f in page.frames if "st_folium" in f.url), None)
            frame.wait_for_function(
                "() => window.map && "
                "document.querySelectorAll('path.leaflet-interactive').length",
                timeout=900_000,
            )
            if i:
                loads.append(time.perf_counter() - started)
            sizes.append(len(frame.content().encode()))
            page.close()
        browser.close()
    return {"load": statistics.median(loads), "map_kb": statistics.median(sizes) / 1024}


FLOOR_APP = """
import folium
import streamlit as st
from streamlit_folium import st_folium

st.title("floor")
m = folium.Map(location=[35, 38], zoom_start=6, tiles=None)
m.default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]
m.default_css = [("leaflet_css", "/app/static/leaflet/leaflet.css")]
square = [[[36, 35], [37, 35], [37, 36], [36, 36], [36, 35]]]
folium.GeoJson({"type": "Polygon", "coordinates": square}).add_to(m)
st_folium(m, height=560, returned_objects=[], key="map")
"""


def floor_app(folder: Path) -> Path:
    """The least a Streamlit page with one st_folium map can be: the floor
    under our page load, on the same machine and browser."""
    app = folder / "floor_app.py"
    app.write_text(FLOOR_APP)
    (folder / "static").symlink_to(REPO / "static")
    return app


def start_server(store: Path, app: str | Path = APP) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "streamlit"),
            "run",
            str(app),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env={**os.environ, "CONFLICT_ATLAS_STORE": str(store)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(480):
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.25)
    server.terminate()
    sys.exit("streamlit did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    store = folder / "store.sqlite"
    os.environ["CONFLICT_ATLAS_STORE"] = str(store)
    many = make_store(store, args.articles)
    views = {"seed article": [f"file:{SEED}"], f"{args.articles} articles": many}
    rows = []
    for name, keys in views.items():
        times = server_times(keys, args.repeat)
        rows += [
            (f"{name}: server, first run (parses; cold)", times["first_run"], "s"),
            (f"{name}: server, open the view (warm)", times["open"], "s"),
            (f"{name}: server, click a region → panel", times["click"] * 1e3, "ms"),
        ]
        print(name, times, flush=True)
    server, url = start_server(store)
    try:
        for name, keys in views.items():
            times = browser_times(url, keys, args.repeat)
            rows += [
                (f"{name}: browser, page load to map drawn (warm)", times["load"], "s"),
                (f"{name}: map iframe HTML", times["map_kb"], "KB"),
            ]
            print(name, times, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    server, url = start_server(store, floor_app(folder))
    try:
        times = browser_times(url, [], args.repeat)
        rows.append(
            ("floor: a one-map Streamlit page, page load (warm)", times["load"], "s")
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\nCommand: `.venv/bin/python bench/bench_dashboard.py --articles "
        f"{args.articles} --repeat {args.repeat}`; {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Medians.\n"
    )
    print("| measure | value |\n|---|---|")
    for label, value, unit in rows:
        digits = 0 if unit in ("ms", "KB") else 2
        print(f"| {label} | {value:.{digits}f} {unit} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
