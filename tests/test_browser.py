"""A real browser: Debian chromium via Playwright clicks Idlib on the live map.

Every request the page makes is logged; none may leave localhost.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import REPO

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "artifacts"
SENTENCE = (
    "the Governorate of Idlib and parts of Aleppo, Hama, and Latakia continue "
    "to remain under rebels."
)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent))
    if not Path(CHROMIUM).exists() or streamlit is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test needs {CHROMIUM} and streamlit")
        pytest.skip(f"needs {CHROMIUM}")
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")  # noqa: SIM115 (closed at teardown)
    proc = subprocess.Popen(
        [
            streamlit,
            "run",
            "streamlit_app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("streamlit did not start; see artifacts/streamlit.log")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture
def page(server, request):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless=new",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.requests = []
        pg.on("request", lambda r: pg.requests.append(r.url))
        yield pg
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            pg.screenshot(
                path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True
            )
        browser.close()


def _interior_points(code: str, count: int = 12) -> list[tuple[float, float]]:
    """Points well inside a unit's polygon, as (lat, lon)."""
    import shapely

    from geo.boundaries import load_admin1

    admin1 = load_admin1()
    geom = admin1.loc[admin1["admin1_code"] == code, "geometry"].iloc[0]
    inner = geom.buffer(-0.05)
    rp = inner.representative_point()
    points = [(rp.y, rp.x)]  # shapely: x = lon, y = lat
    minx, miny, maxx, maxy = inner.bounds
    for i in range(1, 8):
        for j in range(1, 8):
            pt = shapely.Point(
                minx + (maxx - minx) * i / 8, miny + (maxy - miny) * j / 8
            )
            if inner.contains(pt):
                points.append((pt.y, pt.x))
    return points[:count]


def test_click_idlib_shows_its_sentence_offline(page, server):
    page.goto(server, wait_until="domcontentloaded")
    iframe_el = page.wait_for_selector(
        'iframe[title="streamlit_folium.st_folium"]', timeout=180_000
    )
    frame = iframe_el.content_frame()
    # Paths of far-away units (Sochi's) exist but are clipped out of view, so
    # wait for the map object and any drawn path rather than the first one.
    frame.wait_for_function(
        "() => window.map && document.querySelectorAll('path.leaflet-interactive')"
        ".length > 0",
        timeout=120_000,
    )
    page.wait_for_timeout(1500)  # let fitBounds settle
    box = iframe_el.bounding_box()
    clicked = False
    for lat, lon in _interior_points("SY-ID"):
        hit = frame.evaluate(
            """([lat, lon]) => {
                const p = window.map.latLngToContainerPoint([lat, lon]);
                const r = window.map.getContainer().getBoundingClientRect();
                const x = r.left + p.x, y = r.top + p.y;
                const el = document.elementFromPoint(x, y);
                return {x, y, ok: !!el && el.classList.contains('leaflet-interactive')};
            }""",
            [lat, lon],
        )
        if hit["ok"]:
            page.mouse.click(box["x"] + hit["x"], box["y"] + hit["y"])
            clicked = True
            break
    assert clicked, "no clickable point of Idlib found on the map"
    page.get_by_text("continue to remain under rebels", exact=False).first.wait_for(
        timeout=60_000
    )
    body = page.inner_text("body")
    assert SENTENCE in " ".join(body.split())
    marks = page.locator("mark", has_text="Idlib")
    assert marks.count() >= 1
    page.mouse.move(5, 5)  # drop the hover tooltip before the screenshot
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "click_idlib.png"), full_page=False)
    leaving = [
        u
        for u in page.requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
        and urlparse(u).hostname not in LOCAL_HOSTS
    ]
    assert not leaving, f"requests left localhost: {leaving[:5]}"
