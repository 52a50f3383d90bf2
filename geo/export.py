"""Exports: mentions as GeoJSON and CSV, the map as one self-contained HTML file.

The HTML map inlines Leaflet (script, stylesheet and its images as data
URIs), so it opens from a disk, an e-mail or a USB stick with no network.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from pathlib import Path

import folium
import pandas as pd

from geo.batch import COLUMNS, mention_rows
from geo.pipeline import ParseResult, result_to_geojson
from geo.store import content_hash

LEAFLET_PLACEHOLDER = "leaflet-inline:"


def mentions_geojson(results: Sequence[ParseResult]) -> dict:
    """One FeatureCollection of the placed mentions of several articles.

    Each feature's properties are the ``parse --format json`` fields of the
    mention plus its article's id (content hash), title, date and path.
    """
    features = []
    for result in results:
        article = result.article
        about = {
            "article_id": content_hash(article.text),
            "article_title": article.title,
            "article_date": article.date.isoformat() if article.date else None,
            "article_path": article.path,
            "control_day": result.day.isoformat(),
        }
        for feature in result_to_geojson(result)["features"]:
            feature["properties"] = {**about, **feature["properties"]}
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def mentions_csv(results: Sequence[ParseResult]) -> str:
    """Every mention (country references too) with its control, as CSV."""
    rows = [
        row
        for result in results
        for row in mention_rows(result, content_hash(result.article.text))
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(index=False)


def standalone_html(fmap: folium.Map, leaflet_dir: str | Path) -> str:
    """The map as one HTML page with Leaflet inlined: no request leaves it.

    ``fmap`` must have been built with
    ``leaflet_url=LEAFLET_PLACEHOLDER`` (see :func:`geo.mapview.build_map`).
    """
    leaflet_dir = Path(leaflet_dir)
    page = fmap.get_root().render()
    script = (leaflet_dir / "leaflet.js").read_text(encoding="utf-8")
    css = _inline_images(
        (leaflet_dir / "leaflet.css").read_text(encoding="utf-8"), leaflet_dir
    )
    # "</" inside an inline script would end it early; Leaflet has none,
    # but escape defensively.
    script = script.replace("</", "<\\/")
    src = re.escape(f"{LEAFLET_PLACEHOLDER}/leaflet.js")
    href = re.escape(f"{LEAFLET_PLACEHOLDER}/leaflet.css")
    page, scripts = re.subn(
        rf'<script src="{src}"></script>',
        lambda _: f"<script>{script}</script>",
        page,
    )
    page, styles = re.subn(
        rf'<link rel="stylesheet" href="{href}"\s*/?>',
        lambda _: f"<style>{css}</style>",
        page,
    )
    if scripts != 1 or styles != 1:
        raise ValueError(
            "map was not built with leaflet_url=LEAFLET_PLACEHOLDER "
            f"({scripts} script and {styles} stylesheet references found)"
        )
    return page


def _inline_images(css: str, leaflet_dir: Path) -> str:
    def data_uri(match: re.Match) -> str:
        path = leaflet_dir / match.group(1)
        if not path.is_file():
            return match.group(0)
        encoded = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)


def dumps_geojson(results: Sequence[ParseResult]) -> str:
    return json.dumps(mentions_geojson(results), ensure_ascii=False)
