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
def server(tmp_path_factory):
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent))
    if not Path(CHROMIUM).exists() or streamlit is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test needs {CHROMIUM} and streamlit")
        pytest.skip(f"needs {CHROMIUM}")
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "streamlit.log", "w")  # noqa: SIM115 (closed at teardown)
    # Pasted articles go to a throw-away store, never the user's.
    env = {
        **os.environ,
        "CONFLICT_ATLAS_STORE": str(tmp_path_factory.mktemp("store") / "atlas.db"),
    }
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
        env=env,
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
        pg.dialogs = []
        pg.on("request", lambda r: pg.requests.append(r.url))
        context.on("page", lambda popup: pg.dialogs.append(f"popup {popup.url}"))

        def on_dialog(dialog):
            pg.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        pg.on("dialog", on_dialog)
        context.on("dialog", on_dialog)  # dialogs raised inside iframes too
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


def _leaving(requests: list[str]) -> list[str]:
    return [
        u
        for u in requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
        and urlparse(u).hostname not in LOCAL_HOSTS
    ]


def _map_frame(page):
    """The map's iframe element and frame, once Leaflet has drawn polygons."""
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
    return iframe_el, frame


def _settle(page) -> None:
    """Wait until Streamlit has finished its rerun (no "Running..." widget)."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=120_000,
    )


def _click_unit(page, code: str) -> None:
    """Click a point inside admin-1 unit ``code`` on the live map.

    A rerun may replace the map's iframe under us: then try again.
    """
    from playwright.sync_api import Error

    for attempt in range(3):
        _settle(page)
        try:
            return _click_unit_once(page, code)
        except Error:
            if attempt == 2:
                raise


def _click_unit_once(page, code: str) -> None:
    iframe_el, frame = _map_frame(page)
    box = iframe_el.bounding_box()
    for lat, lon in _interior_points(code):
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
            return
    pytest.fail(f"no clickable point of {code} found on the map")


def test_click_idlib_shows_its_sentence_offline(page, server):
    page.goto(server, wait_until="domcontentloaded")
    _click_unit(page, "SY-ID")
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
    assert not _leaving(page.requests), f"requests left localhost: {page.requests}"
    assert not page.dialogs


HOSTILE = (
    "Rebels in Idlib posted <script>alert(1)</script> and "
    "<img src=x onerror=alert(1)> on 2021-10-20."
)


def test_hostile_article_is_shown_as_text_and_runs_nothing(page, server):
    page.goto(server, wait_until="domcontentloaded")
    _map_frame(page)  # the app is up with the seed article
    sidebar = page.locator('[data-testid="stSidebar"]')
    expander = sidebar.get_by_text("Add an article")
    if not sidebar.get_by_text("Add pasted text").is_visible():
        expander.click()
    sidebar.locator("textarea").first.fill(HOSTILE)
    sidebar.get_by_text("Date (YYYY-MM-DD, optional)").locator(
        "xpath=ancestor::*[contains(@data-testid, 'stTextInput')][1]//input"
    ).fill("2021-10-20")
    sidebar.get_by_role("button", name="Add pasted text").click()
    page.get_by_text("Added", exact=False).first.wait_for(timeout=60_000)
    _click_unit(page, "SY-ID")
    page.get_by_text("Rebels in", exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    body = " ".join(page.inner_text("body").split())
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(1)>" in body
    # No live element came from the article, in the page or any frame
    for frame in page.frames:
        assert frame.locator('img[src="x"]').count() == 0
        scripts = frame.evaluate(
            "() => [...document.scripts].map(s => s.textContent)"
            ".filter(t => t.includes('alert(1)')).length"
        )
        assert scripts == 0, f"a script from the article is live in {frame.url}"
    assert not page.dialogs, f"dialogs fired: {page.dialogs}"
    page.screenshot(path=str(ARTIFACTS / "hostile_article.png"), full_page=False)
    assert not _leaving(page.requests), f"requests left localhost: {page.requests}"


def test_standalone_export_works_from_a_file_offline(page, tmp_path, full_parser):
    from geo.articles import article_from_text
    from geo.export import LEAFLET_PLACEHOLDER, standalone_html
    from geo.mapview import build_map, install_leaflet

    article = article_from_text(HOSTILE, title="<b>x</b>", date="2021-10-20")
    result = full_parser.parse(article, None)
    fmap = build_map(
        [result],
        full_parser.admin1,
        full_parser.admin0,
        full_parser.control,
        leaflet_url=LEAFLET_PLACEHOLDER,
    )
    leaflet = install_leaflet(tmp_path / "static")
    path = tmp_path / "map.html"
    path.write_text(standalone_html(fmap, leaflet), encoding="utf-8")
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function(
        "() => document.querySelectorAll('path.leaflet-interactive').length > 0",
        timeout=60_000,
    )
    page.wait_for_timeout(500)
    assert page.locator(".leaflet-marker-icon, path.leaflet-interactive").count() > 0
    assert "Control as of 2021-10-20" in page.inner_text("body")
    assert page.locator('img[src="x"]').count() == 0
    assert not page.dialogs, f"dialogs fired: {page.dialogs}"
    others = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert not others, f"the exported map made requests: {others}"
