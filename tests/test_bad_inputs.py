"""Hostile and broken input (issue 7): each class through the CLI and the app.

Every refused input ends with one line naming the file and the problem (exit
code 2 on the command line, an ``st.error`` in the dashboard, which stays up)
and leaves the corpus store as it was. Decodable input (UTF-16 with BOM,
Windows-1252, HTML, any script) is read and parsed; mentions must point at
their own text. Control-table rules are tested in ``test_control_check.py``;
here the same bad tables go through ``control --control`` without ``--check``.
Big inputs are written to ``tmp_path``; the full parser is the session one.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo.articles import MAX_ARTICLE_BYTES, MAX_ARTICLE_CHARS, load_articles
from geo.boundaries import BoundaryError, load_admin1
from geo.cli import main
from geo.export import LEAFLET_PLACEHOLDER, standalone_html
from geo.mapview import build_map, highlight_sentence, install_leaflet
from geo.store import Store

from .conftest import REPO, SEED_ARTICLE
from .test_control_check import copy_syria

SEED_KEY = f"file:{SEED_ARTICLE}"


@dataclass(frozen=True)
class Case:
    """One input class: a file name, its bytes (built on demand), and either
    the words its refusal must contain or the place names its parse must find."""

    id: str
    name: str
    data: object  # () -> bytes
    refused: str | None = None
    places: frozenset[str] = frozenset()


def _binary() -> bytes:
    # A PNG header and pseudo-random bytes (deterministic, with NULs).
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(
        (i * 7919 + 13) % 256 for i in range(4096)
    )


HTML_PAGE = """<!doctype html><html><head><title>Idlib report</title>
<style>.Damascus { color: red }</style>
<script>var Moscow = "<p>Latakia</p>"; alert(1)</script></head>
<body><iframe src="https://example.com/Tehran">Tehran</iframe>
<noscript>Homs</noscript>
<p>Rebels shelled <b>Idlib</b> and Aleppo on Tuesday.</p>
<script>document.write("Hama")</script></body></html>"""

REFUSED = [
    Case("empty", "empty.txt", lambda: b"", refused="empty"),
    Case("whitespace-only", "blank.md", lambda: b"  \n\t\r\n  ", refused="empty"),
    Case(
        "10-MB-article",
        "huge.txt",
        lambda: b"Shelling hit Idlib. " * (MAX_ARTICLE_BYTES // 20 + 1),
        refused=f"the limit is {MAX_ARTICLE_BYTES / 1e6:.0f} MB",
    ),
    Case("binary", "photo.txt", _binary, refused="binary"),
    Case(
        "invalid-UTF-8",
        "broken.txt",
        lambda: "Clashes in Idlib — café".encode() + b"\xe2\x80 and Aleppo.",
        refused="not UTF-8",
    ),
    Case(
        "1-MB-line",
        "line.txt",
        lambda: (b"Shelling near Idlib and Aleppo. " * 32768)[: 2**20],
        refused=f"the limit is {MAX_ARTICLE_CHARS:,} characters",
    ),
    Case(
        "lone-surrogate-in-JSON",
        "rows.jsonl",
        lambda: b'{"text": "Rebels shelled Idlib \\ud800 today."}\n',
        refused="lone surrogate",
    ),
]
ACCEPTED = [
    Case(
        "UTF-16-BOM",
        "utf16.txt",
        lambda: "Government forces shelled Idlib and Aleppo on Monday.".encode(
            "utf-16"
        ),
        places=frozenset({"Idlib", "Aleppo"}),
    ),
    Case(
        "Windows-1252",
        "ansi.txt",
        lambda: (
            "Café owners in Idlib and Aleppo said “shelling” resumed – again.".encode(
                "cp1252"
            )
        ),
        places=frozenset({"Idlib", "Aleppo"}),
    ),
    Case(
        "HTML-scripts-styles-iframes",
        "page.html",
        lambda: HTML_PAGE.encode(),
        places=frozenset({"Idlib", "Aleppo"}),
    ),
    Case(
        "Arabic",
        "ar.txt",
        lambda: "اشتباكات عنيفة في إدلب وحلب يوم الاثنين، وقصف على حماة.\n".encode(),
    ),
    Case(
        "Cyrillic",
        "ru.txt",
        lambda: "Бои продолжаются в Идлибе и Алеппо, сообщает Москва.\n".encode(),
    ),
    Case(
        "mixed-script",
        "mixed.txt",
        lambda: (
            "Shelling hit Idlib (إدلب) on Monday, while officials in Moscow "
            "(Москва) and Tehran (تهران) met in Sochi.\n"
        ).encode(),
        places=frozenset({"Idlib", "Moscow", "Sochi"}),
    ),
    Case(
        "long-line-under-limit",
        "longline.txt",
        lambda: (b"Rebels said fighting near Idlib continued. " * 1000)[:40_000],
        places=frozenset({"Idlib"}),
    ),
]
# The HTML page's hidden parts name places that must not be read.
HIDDEN = {"Damascus", "Moscow", "Latakia", "Tehran", "Homs", "Hama"}


def write(case: Case, folder: Path) -> Path:
    path = folder / case.name
    path.write_bytes(case.data())
    return path


def one_line_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def check_offsets(result: dict, text: str) -> None:
    for m in result["mentions"]:
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert text[m["start"] : m["end"]] == m["text"]


@pytest.fixture
def cli_parser(monkeypatch, full_parser):
    """``python -m geo`` in this process, with the session's parser."""
    from geo.pipeline import Parser

    monkeypatch.setattr(Parser, "default", classmethod(lambda cls, **kw: full_parser))


# ---- the command line ---------------------------------------------------------


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_cli_parse_refuses(case, tmp_path):
    path = write(case, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "geo", "parse", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    one_line_error(done.stderr, "error:", str(path), case.refused)


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.id)
def test_cli_parse_reads(case, tmp_path, cli_parser, capsys):
    path = write(case, tmp_path)
    assert main(["parse", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "error" not in err
    result = json.loads(out)
    (article,) = load_articles(path)
    check_offsets(result, article.text)
    names = {m["text"] for m in result["mentions"]}
    assert case.places <= names, names
    if case.id == "Windows-1252":
        assert "Café" in article.text and "“shelling” resumed –" in article.text
        assert f"note: {path}: read as windows-1252" in err
    if case.name.endswith(".html"):
        assert not names & HIDDEN, names
        assert "alert" not in article.text and "<" not in article.text


def test_cli_ingest_takes_the_good_and_names_each_bad_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    paths = {c.id: write(c, folder) for c in REFUSED + ACCEPTED}
    store = tmp_path / "store.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "geo", "ingest", str(folder), "--store", str(store)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    skipped = [line for line in done.stderr.splitlines() if "skipped:" in line]
    assert len(skipped) == len(REFUSED)
    for case in REFUSED:
        (line,) = [x for x in skipped if str(paths[case.id]) in x]
        assert case.refused in line
    assert f"note: {paths['Windows-1252']}: read as windows-1252" in done.stderr
    assert f"note: {paths['UTF-16-BOM']}: read as utf-16" in done.stderr
    with Store(store) as s:
        assert s.count() == len(ACCEPTED)


@pytest.fixture
def fast_lock(monkeypatch):
    """Give up on a locked store after 0.2 s instead of 10 s."""
    monkeypatch.setitem(Store.__init__.__kwdefaults__, "timeout", 0.2)


@pytest.fixture
def locked_store(tmp_path):
    path = tmp_path / "locked.sqlite"
    with Store(path) as store:
        store.add_article(load_articles(SEED_ARTICLE)[0])
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    yield path
    holder.rollback()
    holder.close()


@pytest.fixture
def corrupt_store(tmp_path):
    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(b"not a database, honestly" * 200)
    return path


def _store_state(path: Path) -> tuple[bytes, int | None]:
    data = path.read_bytes()
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
        count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        db.close()
    except sqlite3.DatabaseError:
        count = None
    return data, count


@pytest.mark.parametrize(
    ("which", "message"), [("locked", "locked"), ("corrupt", "corrupt")]
)
def test_cli_ingest_into_a_bad_store(which, message, request, fast_lock, capsys):
    path = request.getfixturevalue(f"{which}_store")
    before = _store_state(path)
    assert main(["ingest", str(REPO / "data" / "articles"), "--store", str(path)]) == 2
    _, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0] and str(path) in errors[0]
    assert _store_state(path)[1] == before[1]
    if which == "corrupt":
        assert path.read_bytes() == before[0]


def _control_args(tmp_path: Path, change: str) -> list[str]:
    """A copy of the Syria theatre with one period of Saraqib broken."""
    folder = copy_syria(tmp_path)
    path = folder / "periods.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    i = next(
        n
        for n, r in enumerate(rows)
        if r[0] == "sy-saraqib" and r[header.index("valid_from")] == "2020-03-02"
    )
    column, value = {
        "overlapping-periods": ("valid_from", "2020-02-20"),
        "unknown-controller": ("controller", "martians"),
        "bad-date": ("valid_from", "2018-02-30"),
    }[change]
    rows[i][header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return ["--control", str(folder)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("overlapping-periods", "overlaps"),
        ("unknown-controller", "unknown controller 'martians'"),
        ("bad-date", "'2018-02-30' is not a date"),
    ],
)
def test_cli_control_refuses_a_bad_table(change, message, tmp_path, capsys):
    args = _control_args(tmp_path, change)
    code = main(["control", "--date", "2021-10-23", *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    one_line_error(err, "error:", "periods.csv", message)


# ---- boundary files -------------------------------------------------------------


def _squares(crs="EPSG:4326", **columns) -> gpd.GeoDataFrame:
    columns = columns or {"iso_3166_2": ["XA-01", "XA-02"], "name": ["A", "B"]}
    return gpd.GeoDataFrame(
        columns, geometry=[box(30, 30, 31, 31), box(31, 30, 32, 31)], crs=crs
    )


def _boundary(kind: str, folder: Path) -> Path:
    path = folder / "units.geojson"
    if kind == "missing":
        return folder / "absent.geojson"
    if kind == "truncated":
        _squares().to_file(path, driver="GeoJSON")
        path.write_bytes(path.read_bytes()[:200])
    elif kind == "metres-labelled-degrees":
        frame = _squares().to_crs(3857).set_crs(4326, allow_override=True)
        frame.to_file(path, driver="GeoJSON")
    elif kind == "degrees-labelled-metres":
        path = folder / "units.gpkg"
        _squares().set_crs(3857, allow_override=True).to_file(path, driver="GPKG")
    else:
        _squares(code=["XA-01", "XA-02"], label=["A", "B"]).to_file(
            path, driver="GeoJSON"
        )
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", "no such file"),
        ("truncated", "cannot be read"),
        ("metres-labelled-degrees", "are not degrees"),
        ("degrees-labelled-metres", "look like degrees"),
        ("without-expected-columns", "no unit code column"),
    ],
)
def test_bad_boundary_file(kind, message, tmp_path):
    path = _boundary(kind, tmp_path)
    with pytest.raises(BoundaryError) as caught:
        load_admin1(path)
    text = str(caught.value)
    assert "\n" not in text and str(path) in text and message in text, text


def test_metric_crs_labelled_right_is_still_read(tmp_path):
    path = tmp_path / "metric.gpkg"
    _squares().to_crs(3857).to_file(path, driver="GPKG")
    units = load_admin1(path)
    assert units.crs.to_epsg() == 4326
    assert abs(units.total_bounds[0] - 30) < 1e-6


# ---- the dashboard ------------------------------------------------------------


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("CONFLICT_ATLAS_STORE", str(path))
    return path


def new_app() -> AppTest:
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_app_upload_refuses(case, store_path):
    at = new_app()
    at.file_uploader(key="upload").upload(case.name, case.data()).run()
    assert not at.exception, at.exception
    (message,) = errors(at)
    assert case.name in message and case.refused in message, message
    assert "\n" not in message
    assert at.multiselect(key="articles").value == [SEED_KEY]  # still up
    assert not store_path.exists() or Store(store_path).count() == 0


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.id)
def test_app_upload_reads(case, store_path):
    at = new_app()
    at.file_uploader(key="upload").upload(case.name, case.data()).run()
    assert not at.exception, at.exception
    assert not errors(at), errors(at)
    (note,) = [s.value for s in at.success]
    assert "Added 1 article(s)" in note
    if case.id in ("UTF-16-BOM", "Windows-1252"):
        assert f"Read as {case.id.removesuffix('-BOM')}" in note
    assert at.multiselect(key="articles").value[0].startswith("store:")
    assert at.subheader[0].value == "2 articles"  # parsed and drawn with the seed
    with Store(store_path) as store:
        assert store.count() == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (" \n\t ", "empty"),
        ("Idlib. " * (MAX_ARTICLE_CHARS // 7 + 1), f"{MAX_ARTICLE_CHARS:,}"),
    ],
    ids=["empty", "whitespace-only", "over-the-character-limit"],
)
def test_app_paste_refuses(text, message, store_path):
    at = new_app()
    at.text_area(key="paste_text").set_value(text)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    (error,) = errors(at)
    assert message in error
    assert at.multiselect(key="articles").value == [SEED_KEY]
    assert not store_path.exists()


@pytest.mark.parametrize("which", ["locked", "corrupt"])
def test_app_paste_with_a_bad_store_keeps_it_for_the_session(
    which, request, fast_lock, monkeypatch
):
    path = request.getfixturevalue(f"{which}_store")
    monkeypatch.setenv("CONFLICT_ATLAS_STORE", str(path))
    before = _store_state(path)
    at = new_app()
    at.text_area(key="paste_text").set_value("Rebels shelled Idlib on Monday.")
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Kept for this session only" in warnings and which in warnings
    assert at.multiselect(key="articles").value[0].startswith("session:")
    assert _store_state(path)[1] == before[1]
    if which == "corrupt":
        assert path.read_bytes() == before[0]


# ---- nothing executed: hostile text in every page we build -----------------------

HOSTILE = (
    "Shelling hit Idlib <script>alert(1)</script> on Monday. "
    "Residents of Aleppo <img src=x onerror=alert(1)> fled. "
    'Officials in Hama said "><svg onload=alert(1)> nothing.'
)
EVIL = '<img src=x onerror=alert(1)>"><svg onload=alert(1)>'
LIVE = {"script", "img", "svg", "iframe", "object", "embed"}


class _Tags(HTMLParser):
    """Start tags and on* attributes a browser would act on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def live_markup(html: str) -> list[str]:
    """Injected elements and handlers in ``html`` (``alert`` marks ours)."""
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in LIVE and "alert" in repr(attrs):
            found.append(tag)
        found += [f"{tag}[{k}]" for k, v in attrs if k.startswith("on") and v]
    # A <script> element whose own body is the injected call.
    found += [
        "script-body" for chunk in html.split("<script")[1:] if ">alert(1)" in chunk
    ]
    return found


def decoded(page: str) -> str:
    """``page`` with JSON/JS string escapes undone: GeoJSON tooltips travel as
    ``"\\u003cb\\u003e..."`` and become live HTML in the browser."""
    return page.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')


@pytest.fixture(scope="module")
def hostile_result(full_parser):
    """A parse of hostile text whose places carry hostile names too (as a
    user's correction or gazetteer supplement could give them)."""
    from geo.articles import article_from_text

    article = article_from_text(
        HOSTILE, title='<script>alert("t")</script>', date="2021-10-23"
    )
    result = full_parser.parse(article)
    mentions = tuple(
        replace(jm, mention=replace(jm.mention, name=f"{jm.mention.name} {EVIL}"))
        for jm in result.mentions
    )
    return replace(result, mentions=mentions)


@pytest.fixture(scope="module")
def hostile_units(full_parser):
    """The boundaries with a hostile unit name (a user's own boundary file)."""
    units = full_parser.admin1.copy()
    units.loc[units["admin1_code"] == "SY-ID", "name"] = f"Idlib {EVIL}"
    return units


def test_hostile_text_in_the_folium_map(hostile_result, hostile_units, full_parser):
    names = {jm.mention.text for jm in hostile_result.mentions}
    assert {"Idlib", "Hama"} <= names
    fmap = build_map(
        hostile_result, hostile_units, full_parser.admin0, full_parser.control
    )
    page = fmap.get_root().render()
    assert decoded(page).count("alert(1)") >= 2  # it reached the page, escaped
    assert live_markup(page) == [] and live_markup(decoded(page)) == []


def test_hostile_text_in_the_highlighted_sentences(hostile_result):
    for index in range(len(hostile_result.sentences)):
        out = highlight_sentence(hostile_result, index, {"SY-ID"})
        assert "alert(1)" in out
        assert live_markup(out) == [], out


def test_hostile_text_in_the_exported_map(
    hostile_result, hostile_units, full_parser, tmp_path
):
    fmap = build_map(
        hostile_result,
        hostile_units,
        full_parser.admin0,
        full_parser.control,
        leaflet_url=LEAFLET_PLACEHOLDER,
    )
    page = standalone_html(fmap, install_leaflet(tmp_path / "static"))
    assert decoded(page).count("alert(1)") >= 2
    assert live_markup(page) == [] and live_markup(decoded(page)) == []


def test_hostile_text_in_the_dashboard(store_path):
    at = new_app()
    at.text_area(key="paste_text").set_value(HOSTILE)
    at.text_input(key="paste_title").set_value("<img src=x onerror=alert(1)>")
    at.form_submit_button[0].click().run()
    at.multiselect(key="articles").set_value(
        [at.multiselect(key="articles").value[0]]
    ).run()
    at.selectbox(key="region").set_value("SY-ID").run()
    assert not at.exception, at.exception
    # Markdown without unsafe_allow_html is escaped by Streamlit itself; the
    # HTML the app builds (highlighted sentences) must be escaped by us.
    shown = [m.value for m in at.markdown if m.proto.allow_html]
    assert any("Shelling hit" in value for value in shown)
    for value in shown:
        assert live_markup(value) == [], value
