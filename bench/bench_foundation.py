"""Benchmarks for the foundation: gazetteer, CLI parse, dashboard load and click.

Run by hand (needs Debian's chromium and the dev requirements):

    .venv/bin/python bench/bench_foundation.py [--repeat 3]

Prints a Markdown table for bench/RESULTS.md. Every number is wall-clock time
on this machine, or peak resident memory read from /proc (VmHWM).
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
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "articles" / "2021-10-23_israel-russia-deconfliction-syria.md"
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
SENTENCE = "continue to remain under rebels"


def run(args: list[str], env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, done.stdout


def gazetteer(cache: str) -> dict[str, float]:
    """Cold build into an empty cache, then warm loads; peak RSS of the build."""
    code = (
        "import resource, time; t = time.perf_counter(); "
        "from geo.gazetteer import load_gazetteer; g = load_gazetteer(); "
        "print(time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    env = {**os.environ, "CONFLICT_ATLAS_CACHE": cache, "PYTHONPATH": str(REPO)}
    cold, cold_kib = map(float, run([PY, "-c", code], env)[1].split())
    build_peak = cold_kib / 1024
    warm = [float(run([PY, "-c", code], env)[1].split()[0]) for _ in range(3)]
    return {"cold": cold, "warm": statistics.median(warm), "peak_mb": build_peak}


def cli(cache: str, repeat: int) -> dict[str, float]:
    env = {**os.environ, "CONFLICT_ATLAS_CACHE": cache}
    times = [
        run([PY, "-m", "geo", "parse", str(SEED), "--format", "json"], env)[0]
        for _ in range(repeat)
    ]
    # Peak memory of one parse, measured inside that process.
    code = (
        "import resource, sys; from geo.cli import main; "
        f"main(['parse', {str(SEED)!r}]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
    )
    done = subprocess.run(
        [PY, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return {"warm": statistics.median(times), "peak_mb": peak_kib / 1024}


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def dashboard(cache: str, repeat: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "CONFLICT_ATLAS_CACHE": cache}
    launched = time.perf_counter()
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "streamlit"),
            "run",
            "streamlit_app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    out: dict[str, float] = {}
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--headless=new"]
            )
            loads, clicks, sizes = [], [], []
            for i in range(repeat + 1):  # first load is cold (models, gazetteer)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                started = time.perf_counter()
                page.goto(url)
                frame_el = page.wait_for_selector(
                    'iframe[title="streamlit_folium.st_folium"]', timeout=300_000
                )
                frame = frame_el.content_frame()
                frame.wait_for_function(
                    "() => window.map && "
                    "document.querySelectorAll('path.leaflet-interactive').length",
                    timeout=300_000,
                )
                elapsed = time.perf_counter() - started
                if i == 0:
                    out["load_first"] = elapsed
                    out["launch_to_map"] = time.perf_counter() - launched
                else:
                    loads.append(elapsed)
                sizes.append(len(frame.content().encode()))
                # Click Idlib's representative point; time until its sentence shows.
                point = frame.evaluate(
                    """() => {
                      let found = null;
                      window.map.eachLayer(l => {
                        if (l.feature && l.feature.properties &&
                            l.feature.properties.admin1_code === 'SY-ID') found = l;
                      });
                      const c = found.getBounds().getCenter();
                      const p = window.map.latLngToContainerPoint(c);
                      const r = window.map.getContainer().getBoundingClientRect();
                      return [r.left + p.x, r.top + p.y];
                    }"""
                )
                box = frame_el.bounding_box()
                started = time.perf_counter()
                page.mouse.click(box["x"] + point[0], box["y"] + point[1])
                page.get_by_text(SENTENCE, exact=False).first.wait_for(timeout=60_000)
                clicks.append(time.perf_counter() - started)
                page.close()
            browser.close()
        out["load_warm"] = statistics.median(loads)
        out["click"] = statistics.median(clicks)
        out["map_kb"] = statistics.median(sizes) / 1024
        out["server_peak_mb"] = vm_hwm_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as cache:
        cold = dashboard(cache, 1)  # empty cache: the app builds the gazetteer
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as cache:
        g = gazetteer(cache)
        c = cli(cache, args.repeat)
        d = dashboard(cache, args.repeat)
    cpu = platform.processor() or platform.machine()
    print(f"Machine: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"Median of {args.repeat} runs unless marked cold.\n")
    print("| measure | value |\n|---|---|")
    rows = [
        ("gazetteer build, cold (no cache)", f"{g['cold']:.1f} s"),
        ("peak RSS of the gazetteer build", f"{g['peak_mb']:.0f} MB"),
        ("gazetteer load, warm (cache)", f"{g['warm']:.2f} s"),
        ("`python -m geo parse` seed article, warm cache", f"{c['warm']:.2f} s"),
        ("peak RSS of that CLI process", f"{c['peak_mb']:.0f} MB"),
        (
            "dashboard: `streamlit run` to map drawn, cold (empty cache)",
            f"{cold['launch_to_map']:.1f} s",
        ),
        (
            "dashboard: `streamlit run` to map drawn, warm (gazetteer cached)",
            f"{d['launch_to_map']:.1f} s",
        ),
        ("streamlit server peak RSS, cold start", f"{cold['server_peak_mb']:.0f} MB"),
        ("dashboard: page load to map drawn (warm)", f"{d['load_warm']:.2f} s"),
        ("dashboard: click Idlib to its sentence shown", f"{d['click']:.2f} s"),
        ("map iframe HTML", f"{d['map_kb']:.0f} KB"),
        ("streamlit server peak RSS, warm", f"{d['server_peak_mb']:.0f} MB"),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
