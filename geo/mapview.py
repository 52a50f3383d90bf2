"""The map: control choropleth, mentioned places, directional regions.

:func:`build_map` returns a :class:`folium.Map` that loads Leaflet from the
app's own static files (never a CDN) and draws country outlines instead of
tiles unless the user switches tiles on. Every string that reaches the map's
HTML (names, article snippets, sources) is escaped here.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Mapping
from pathlib import Path

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import box

from geo.control import Controller, ControlTable
from geo.join import ControlFact
from geo.pipeline import ParseResult

LEAFLET_URL = "/app/static/leaflet"
NO_DATA_COLOUR = "#d9d9d9"
MARKER_COLOURS = {"city": "#1f3b73", "admin1": "#1f3b73", "region": "#7a2e8e"}
# Simplification for outline layers drawn only as context (degrees).
OUTLINE_TOLERANCE = 0.05


def install_leaflet(static_dir: str | Path) -> Path:
    """Copy Leaflet (from the ``django-js-lib-leaflet`` package) under ``static_dir``.

    Streamlit serves ``static/`` at ``/app/static/`` when static serving is on,
    so the map needs no network. Returns the Leaflet directory.
    """
    import js_lib_leaflet

    source = Path(js_lib_leaflet.__file__).parent / "static" / "js_lib_leaflet"
    target = Path(static_dir) / "leaflet"
    if not (target / "leaflet.js").exists():
        target.mkdir(parents=True, exist_ok=True)
        for name in ("leaflet.js", "leaflet.css"):
            shutil.copy2(source / name, target / name)
        shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    return target


def _controller_label(controllers: Mapping[str, Controller], key: str) -> str:
    c = controllers.get(key)
    return c.label if c else key


def control_breakdown(
    facts: tuple[ControlFact, ...], controllers: Mapping[str, Controller]
) -> str:
    """Plain-text control summary: "HTS / Salvation Government 70 %, ..."."""
    if not facts:
        return "no control data for this date"
    return ", ".join(
        f"{_controller_label(controllers, f.controller)} {f.share:.0%}" for f in facts
    )


class _Overlay(MacroElement):
    """A fixed Leaflet control holding pre-escaped HTML (title, legend)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            // No focus rectangle around a clicked region.
            if (!document.getElementById('atlas-style')) {
                var css = document.createElement('style');
                css.id = 'atlas-style';
                css.textContent = 'path.leaflet-interactive:focus {outline: none}';
                document.head.appendChild(css);
            }
            var box = L.control({position: {{ this.position|tojson }}});
            box.onAdd = function () {
                var div = L.DomUtil.create('div', 'atlas-overlay');
                div.innerHTML = {{ this.inner|tojson }};
                div.style.background = 'rgba(255,255,255,0.9)';
                div.style.padding = '6px 8px';
                div.style.font = '12px/1.4 sans-serif';
                div.style.borderRadius = '4px';
                return div;
            };
            box.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, inner_html: str, position: str = "topright") -> None:
        super().__init__()
        self._name = "AtlasOverlay"
        self.inner = inner_html
        self.position = position


def legend_html(
    result: ParseResult, controllers: Mapping[str, Controller], used: list[str]
) -> str:
    """Escaped HTML: the map's title ("Control as of DATE") and its legend."""
    rows = [
        f"<b>Control as of {html.escape(result.day.isoformat())}</b>"
        f'<br><span style="color:#555">({html.escape(result.date_basis)} date)</span>'
    ]
    for key in used:
        colour = controllers[key].colour if key in controllers else NO_DATA_COLOUR
        rows.append(
            f'<span style="display:inline-block;width:12px;height:12px;'
            f'background:{html.escape(colour)};margin-right:4px;border:1px solid #666">'
            f"</span>{html.escape(_controller_label(controllers, key))}"
        )
    rows.append(
        f'<span style="display:inline-block;width:12px;height:12px;'
        f'background:{NO_DATA_COLOUR};margin-right:4px;border:1px solid #666"></span>'
        "no control data"
    )
    rows.append('<span style="color:#555">shares are estimates; see sources</span>')
    return "<br>".join(rows)


def build_map(
    result: ParseResult,
    admin1: gpd.GeoDataFrame,
    admin0: gpd.GeoDataFrame,
    control: ControlTable,
    *,
    tiles: bool = False,
    leaflet_url: str = LEAFLET_URL,
    height: int = 560,
) -> folium.Map:
    """Draw one parse result on a map.

    Parameters
    ----------
    result
        The parsed, joined article.
    admin1, admin0
        Boundaries (EPSG:4326).
    control
        The control table (for controller colours and labels).
    tiles
        Use OpenStreetMap tiles (network). Off by default: outlines only.
    leaflet_url
        Where the page loads ``leaflet.js``/``leaflet.css`` from.
    """
    controllers = control.controllers
    in_force = control.as_of(result.day)
    mentioned = {r.admin1_code: r for r in result.regions}
    placed = [
        jm for jm in result.mentions if jm.mention.kind != "country" and jm.mention.lat
    ]
    # Fit the view to the article's focus country when it names places there
    # (Syria, not Moscow); places outside the view stay on the map.
    focus = [jm for jm in placed if jm.mention.country_code == result.focus_country]
    focus = focus or placed
    m = folium.Map(
        tiles="OpenStreetMap" if tiles else None,
        control_scale=True,
        height=height,
        zoom_control=True,
    )
    # Instance attributes shadow folium's CDN defaults for this map only.
    m.default_js = [("leaflet", f"{leaflet_url}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{leaflet_url}/leaflet.css")]

    # Context outlines of the countries around the article's places; not
    # interactive, so a click always reaches the control layer.
    lats = [jm.mention.lat for jm in placed] or [32.3, 37.4]
    lons = [jm.mention.lon for jm in placed] or [35.5, 42.4]
    view = box(min(lons) - 10, min(lats) - 8, max(lons) + 10, max(lats) + 8)
    outline = admin0[admin0.intersects(view)].copy()
    outline["geometry"] = outline.geometry.simplify(OUTLINE_TOLERANCE)
    folium.GeoJson(
        outline[["geometry"]].to_json(),
        name="Country outlines",
        style_function=lambda _: {
            "color": "#777",
            "weight": 1,
            "fillColor": "#f7f7f4",
            "fillOpacity": 0 if tiles else 1,
        },
        interactive=False,
    ).add_to(m)

    # Control choropleth: units with control rows, plus any unit mentioned.
    unit_codes = set(control.units()) | set(mentioned)
    units = admin1[admin1["admin1_code"].isin(unit_codes)].copy()
    used: list[str] = []
    features = []
    for row in units.itertuples():
        facts = in_force.get(row.admin1_code, ())
        dominant = max(facts, key=lambda p: p.share) if facts else None
        if dominant is not None and dominant.controller not in used:
            used.append(dominant.controller)
        colour = (
            controllers[dominant.controller].colour
            if dominant is not None and dominant.controller in controllers
            else NO_DATA_COLOUR
        )
        breakdown = (
            ", ".join(
                f"{_controller_label(controllers, p.controller)} {p.share:.0%}"
                for p in facts
            )
            or "no control data for this date"
        )
        summary = mentioned.get(row.admin1_code)
        said = (
            f"<br>{len(summary.sentences)} sentence(s) in the article"
            if summary
            else ""
        )
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(
                    row.geometry.simplify(0.002, preserve_topology=True)
                ),
                "properties": {
                    "admin1_code": row.admin1_code,
                    "name": str(row.name),
                    "fill": colour,
                    "mentioned": summary is not None,
                    "tooltip": (
                        f"<b>{html.escape(str(row.name))}</b> "
                        f"({html.escape(row.admin1_code)})<br>"
                        f"{html.escape(breakdown)}{said}"
                    ),
                },
            }
        )
    folium.GeoJson(
        json.dumps({"type": "FeatureCollection", "features": features}),
        name=f"Control as of {result.day.isoformat()}",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.65,
            "color": "#111" if f["properties"]["mentioned"] else "#555",
            "weight": 3 if f["properties"]["mentioned"] else 1,
        },
        highlight_function=lambda _: {"weight": 4, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)

    # Directional regions as dashed outlines.
    regions = folium.FeatureGroup(name="Regions named in the text")
    for jm in result.mentions:
        if jm.mention.kind == "region" and jm.geometry is not None:
            folium.GeoJson(
                shapely.geometry.mapping(jm.geometry.simplify(0.01)),
                style_function=lambda _: {
                    "color": MARKER_COLOURS["region"],
                    "weight": 2,
                    "dashArray": "6 4",
                    "fillOpacity": 0.05,
                },
                # Drawn over the governorates but never takes their clicks.
                interactive=False,
            ).add_to(regions)
    regions.add_to(m)

    # One marker per resolved city (several mentions of one place share it).
    markers = folium.FeatureGroup(name="Places named in the text")
    seen: dict[tuple[float, float], list[str]] = {}
    for jm in result.mentions:
        if jm.mention.kind in ("city", "region") and jm.mention.lat is not None:
            seen.setdefault((jm.mention.lat, jm.mention.lon), []).append(
                jm.mention.text
            )
    by_point = {
        (jm.mention.lat, jm.mention.lon): jm
        for jm in result.mentions
        if jm.mention.kind in ("city", "region")
    }
    for point, texts in seen.items():
        jm = by_point[point]
        tip = (
            f"<b>{html.escape(jm.mention.name)}</b> ({html.escape(jm.mention.kind)}, "
            f"confidence {jm.mention.confidence:.2f})<br>"
            f"named {len(texts)}× as “{html.escape(texts[0])}”"
        )
        folium.CircleMarker(
            location=point,
            radius=7,
            color="#fff",
            weight=2,
            fill=True,
            fill_color=MARKER_COLOURS.get(jm.mention.kind, "#1f3b73"),
            fill_opacity=0.95,
            tooltip=tip,
        ).add_to(markers)
    markers.add_to(m)

    _Overlay(legend_html(result, controllers, used), "bottomright").add_to(m)
    folium.LayerControl(collapsed=True, position="bottomleft").add_to(m)
    # View: the focus country's outline plus its named places.
    bounds = [
        min(focus_lats := [jm.mention.lat for jm in focus] or lats),
        min(focus_lons := [jm.mention.lon for jm in focus] or lons),
        max(focus_lats),
        max(focus_lons),
    ]
    country = admin0[admin0["country_code"] == result.focus_country]
    if not country.empty:
        minx, miny, maxx, maxy = country.total_bounds  # x = lon, y = lat
        bounds = [
            min(bounds[0], miny),
            min(bounds[1], minx),
            max(bounds[2], maxy),
            max(bounds[3], maxx),
        ]
    pad = 0.3
    m.fit_bounds(
        [[bounds[0] - pad, bounds[1] - pad], [bounds[2] + pad, bounds[3] + pad]]
    )
    return m


def highlight_sentence(
    result: ParseResult, index: int, codes: set[str] | None = None
) -> str:
    """One sentence as escaped HTML with place names in ``<mark>``.

    Mentions in ``codes`` (admin-1 units) are marked strongly, other places
    lightly. Only article text passes through here, always escaped.
    """
    start, end = result.sentences[index]
    text = result.article.text
    parts: list[str] = []
    cursor = start
    for jm in result.mentions:
        m = jm.mention
        if m.start < start or m.end > end or m.start < cursor:
            continue
        strong = codes is None or bool(set(jm.admin1_codes) & codes)
        style = "background:#ffe08a" if strong else "background:#e8eefc"
        parts.append(html.escape(text[cursor : m.start]))
        parts.append(
            f'<mark style="{style}" '
            f'title="{html.escape(m.name)} ({html.escape(m.kind)})">'
            f"{html.escape(text[m.start : m.end])}</mark>"
        )
        cursor = m.end
    parts.append(html.escape(text[cursor:end]))
    return "".join(parts).strip()
