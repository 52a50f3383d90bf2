"""The map: control choropleth, mentioned places, directional regions.

:func:`build_map` returns a :class:`folium.Map` that loads Leaflet from the
app's own static files (never a CDN) and draws country outlines instead of
tiles unless the user switches tiles on. Every string that reaches the map's
HTML (names, article snippets, sources) is escaped here.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import shutil
import types
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import branca.element
import folium
import geopandas as gpd
import jinja2
import numpy as np
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import box

from geo.areas import approximate_areas
from geo.control import UNKNOWN, Controller, ControlTable, dominant
from geo.join import ControlFact, JoinedMention
from geo.pipeline import ParseResult

LEAFLET_URL = "/app/static/leaflet"
# "No data" (outside the tables' dates or units) is white with a dotted
# outline, unlike "unknown" (in the tables, no source found), a grey.
NO_DATA_COLOUR = "#ffffff"
APPROXIMATE_OPACITY = 0.45
MARKER_COLOURS = {
    "city": "#1f3b73",
    "admin1": "#1f3b73",
    "region": "#7a2e8e",
    "country": "#6b6b6b",
}
CHANGED_COLOUR = "#ff7f00"
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
    day: dt.date,
    basis: str,
    controllers: Mapping[str, Controller],
    used: list[str],
    since: dt.date | None = None,
    valid_through: dt.date | None = None,
    approximate: bool = False,
) -> str:
    """Escaped HTML: the map's title ("Control as of DATE") and its legend,
    with the tables' valid-through date and, past it, "no data after"."""
    rows = [
        f"<b>Control as of {html.escape(day.isoformat())}</b>"
        f'<br><span style="color:#555">({html.escape(basis)} date)</span>'
    ]
    if valid_through is not None:
        rows.append(
            f'<span style="color:#555">data valid through '
            f"{html.escape(valid_through.isoformat())}</span>"
            if day <= valid_through
            else f'<b style="color:#b30000">no data after '
            f"{html.escape(valid_through.isoformat())}</b>"
        )
    for key in used:
        colour = controllers[key].colour if key in controllers else NO_DATA_COLOUR
        rows.append(
            f'<span style="display:inline-block;width:12px;height:12px;'
            f'background:{html.escape(colour)};margin-right:4px;border:1px solid #666">'
            f"</span>{html.escape(_controller_label(controllers, key))}"
        )
    rows.append(
        f'<span style="display:inline-block;width:12px;height:12px;'
        f'background:{NO_DATA_COLOUR};margin-right:4px;border:1px dotted #333">'
        "</span>no control data"
    )
    if approximate:
        rows.append(
            '<span style="display:inline-block;width:12px;height:12px;'
            "background:repeating-linear-gradient(45deg,#999 0 2px,#fff 2px 5px);"
            'margin-right:4px;border:1px solid #999"></span>'
            "lighter: approximate area (nearest town)"
        )
    if since is not None:
        rows.append(
            f'<span style="display:inline-block;width:12px;height:8px;'
            f'border:3px dashed {CHANGED_COLOUR};margin-right:4px"></span>'
            f"changed since {html.escape(since.isoformat())}"
        )
    rows.append(
        '<span style="color:#555">governorates: summary of their towns; '
        "see sources</span>"
    )
    return "<br>".join(rows)


def control_changes(
    control: ControlTable, before: dt.date, after: dt.date
) -> dict[str, tuple[str | None, str | None]]:
    """Units whose dominant controller differs between two dates.

    Returns ``{unit_id: (controller before, controller after)}``; ``None``
    where the tables have no row for that date.
    """
    then, now = control.as_of(before), control.as_of(after)
    changes = {}
    for unit in sorted(set(then) | set(now)):
        a, b = dominant(then.get(unit, ())), dominant(now.get(unit, ()))
        a_id = a.controller if a else None
        b_id = b.controller if b else None
        if a_id != b_id:
            changes[unit] = (a_id, b_id)
    return changes


class _LiteralTemplate:
    """A template without Jinja syntax: it renders to its own text."""

    __slots__ = ("text",)
    module = types.SimpleNamespace()  # no macros (branca looks for some)

    def __init__(self, source: str):
        self.text = source[:-1] if source.endswith("\n") else source

    def render(self, *args, **kwargs) -> str:
        return self.text


def _template(source: str) -> jinja2.Template | _LiteralTemplate:
    """What branca's ``Element(template)`` compiles.

    folium renders each layer's script (GeoJSON data inlined) and wraps the
    result in a new Element, which branca compiles as a Jinja template: the
    lexer then walks megabytes of coordinates, most of a map's render time.
    Text with no Jinja delimiter (and no ``\r``, which Jinja would
    normalise) renders to itself minus one trailing newline, as Jinja does;
    anything else still goes to Jinja.
    """
    if "{{" in source or "{%" in source or "{#" in source or "\r" in source:
        return jinja2.Template(source)
    return _LiteralTemplate(source)


if branca.element.Template is jinja2.Template:
    branca.element.Template = _template


class AtlasMap(folium.Map):
    """A folium map whose bounds are known when it is built.

    streamlit-folium asks every map for its bounds on every rerun; folium
    walks each GeoJSON coordinate in Python for that. Ours are the view the
    map fits (set by :func:`build_map`).
    """

    view_bounds: list[list[float]] | None = None

    def get_bounds(self) -> list[list[float | None]]:
        if self.view_bounds is not None:
            return self.view_bounds
        return super().get_bounds()


# Simplified shapes drawn on every rerun, keyed by the geometry object itself
# (held in the value, so its id cannot be reused while cached).
_SHAPES: dict[tuple[int, float], tuple[object, dict]] = {}
_OUTLINES: dict[tuple[int, tuple[float, ...]], tuple[object, list]] = {}


def _simple_mapping(geom, tolerance: float) -> dict:
    """``geom`` simplified to GeoJSON geometry, cached (maps redraw per rerun)."""
    hit = _SHAPES.get((id(geom), tolerance))
    if hit is not None and hit[0] is geom:
        return hit[1]
    if len(_SHAPES) > 20_000:
        _SHAPES.clear()
    simple = geom.simplify(tolerance, preserve_topology=True)
    if isinstance(simple, shapely.MultiPolygon):
        # Islets smaller than a few pixels of this view are not drawn.
        parts = [g for g in simple.geoms if g.area >= 4 * tolerance**2]
        simple = shapely.MultiPolygon(parts) if parts else simple
    # Coordinates rounded to well under the tolerance: shorter numbers in the
    # page, no visible change (drawing only; no topology is computed on them).
    digits = math.ceil(-math.log10(tolerance / 5))
    rounded = shapely.transform(simple, lambda xy: np.round(xy, digits))
    shape = shapely.geometry.mapping(rounded)
    _SHAPES[(id(geom), tolerance)] = (geom, shape)
    return shape


def _outline(admin0: gpd.GeoDataFrame, view, tolerance: float) -> dict:
    """GeoJSON of the countries meeting ``view``, simplified; cached per frame.

    A fresh collection each call (folium writes ids into its features); the
    geometries are shared.
    """
    key = (id(admin0), (*(round(b, 3) for b in view.bounds), tolerance))
    hit = _OUTLINES.get(key)
    if hit is None or hit[0] is not admin0:
        if len(_OUTLINES) > 256:
            _OUTLINES.clear()
        outline = admin0[admin0.intersects(view)]
        features = [
            {
                "type": "Feature",
                "properties": {},
                "geometry": _simple_mapping(g, tolerance),
            }
            for g in outline.geometry
        ]
        hit = _OUTLINES[key] = (admin0, features)
    return {"type": "FeatureCollection", "features": [dict(f) for f in hit[1]]}


def build_map(
    results: ParseResult | Sequence[ParseResult],
    admin1: gpd.GeoDataFrame,
    admin0: gpd.GeoDataFrame,
    control: ControlTable,
    *,
    tiles: bool = False,
    leaflet_url: str = LEAFLET_URL,
    height: int = 560,
    since: dt.date | None = None,
) -> folium.Map:
    """Draw one or more parse results (of the same control day) on a map.

    Parameters
    ----------
    results
        Parse results, all joined to control on the same day.
    admin1, admin0
        Boundaries (EPSG:4326).
    control
        The control table (for controller colours and labels).
    tiles
        Use OpenStreetMap tiles (network). Off by default: outlines only.
    leaflet_url
        Where the page loads ``leaflet.js``/``leaflet.css`` from.
    since
        Outline the units whose dominant controller changed between this date
        and the results' day.
    """
    results = [results] if isinstance(results, ParseResult) else list(results)
    if not results:
        raise ValueError("build_map needs at least one parse result")
    day = results[0].day
    if any(r.day != day for r in results):
        raise ValueError("build_map: results are joined to different days")
    basis = results[0].date_basis if len(results) == 1 else "chosen"
    controllers = control.controllers
    in_force = control.as_of(day)
    changes = control_changes(control, since, day) if since else {}
    sentences: dict[str, int] = {}
    for r in results:
        for region in r.regions:
            sentences[region.admin1_code] = sentences.get(region.admin1_code, 0) + len(
                region.sentences
            )
    mentions = [jm for r in results for jm in r.mentions]
    placed = [jm for jm in mentions if jm.mention.kind != "country" and jm.mention.lat]
    # Fit the view to the articles' focus country when they name places there
    # (Syria, not Moscow); places outside the view stay on the map.
    focus_country = Counter(
        r.focus_country for r in results if r.focus_country
    ).most_common(1)
    focus_code = focus_country[0][0] if focus_country else None
    focus = [jm for jm in placed if jm.mention.country_code == focus_code]
    focus = focus or placed
    m = AtlasMap(
        tiles="OpenStreetMap" if tiles else None,
        control_scale=True,
        height=height,
        zoom_control=True,
    )
    # Instance attributes shadow folium's CDN defaults for this map only.
    m.default_js = [("leaflet", f"{leaflet_url}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{leaflet_url}/leaflet.css")]

    lats = [jm.mention.lat for jm in placed] or [32.3, 37.4]
    lons = [jm.mention.lon for jm in placed] or [35.5, 42.4]
    # View: the focus country's outline plus its named places.
    bounds = [
        min(focus_lats := [jm.mention.lat for jm in focus] or lats),
        min(focus_lons := [jm.mention.lon for jm in focus] or lons),
        max(focus_lats),
        max(focus_lons),
    ]
    country = admin0[admin0["country_code"] == focus_code]
    if not country.empty:
        # The country's main part, and any part a named place lies in:
        # the Aleutians must not stretch a US view round the world.
        parts = [g for geom in country.geometry for g in getattr(geom, "geoms", [geom])]
        main = max(parts, key=lambda g: g.area)
        named = shapely.MultiPoint([(jm.mention.lon, jm.mention.lat) for jm in focus])
        kept = [g for g in parts if g is main or (focus and g.intersects(named))]
        minx, miny, maxx, maxy = shapely.union_all(kept).bounds  # x=lon, y=lat
        bounds = [
            min(bounds[0], miny),
            min(bounds[1], minx),
            max(bounds[2], maxy),
            max(bounds[3], maxx),
        ]
    pad = 0.3
    view_bounds = [
        [bounds[0] - pad, bounds[1] - pad],
        [bounds[2] + pad, bounds[3] + pad],
    ]
    # Shapes are simplified to about a pixel of the fitted view (a
    # country-wide view needs no metre-level coastline). Country outlines
    # for context cover the view's surroundings, not the world when an
    # article names a faraway place (that one keeps its marker).
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    margin = max(8.0, span / 2)
    view = box(
        bounds[1] - margin, bounds[0] - margin, bounds[3] + margin, bounds[2] + margin
    )
    unit_tolerance = min(0.05, max(0.002, span / 1500))
    # Not interactive, so a click always reaches the control layer.
    folium.GeoJson(
        _outline(admin0, view, max(OUTLINE_TOLERANCE, unit_tolerance * 5)),
        name="Country outlines",
        style_function=lambda _: {
            "color": "#777",
            "weight": 1,
            "fillColor": "#f7f7f4",
            "fillOpacity": 0 if tiles else 1,
        },
        interactive=False,
    ).add_to(m)

    # Control choropleth: admin-1 units with control rows, plus any mentioned.
    unit_codes = {
        code
        for code, (_name, level, _a1) in control.units().items()
        if level == "admin1"
    } | set(sentences)
    units = admin1[admin1["admin1_code"].isin(sorted(unit_codes))].copy()
    used: list[str] = []
    features = []
    for row in units.itertuples():
        facts = in_force.get(row.admin1_code, ())
        top = _shading(facts)
        if top is not None and top.controller not in used:
            used.append(top.controller)
        colour = (
            controllers[top.controller].colour
            if top is not None and top.controller in controllers
            else NO_DATA_COLOUR
        )
        breakdown = (
            ", ".join(
                f"{_controller_label(controllers, p.controller)} {p.share:.0%}"
                for p in sorted(facts, key=lambda p: -p.share)
            )
            or "no control data for this date"
        )
        count = sentences.get(row.admin1_code)
        said = f"<br>{count} sentence(s) in the article(s)" if count else ""
        change = changes.get(row.admin1_code)
        changed = (
            f"<br><i>changed since {since.isoformat()}: "
            f"{html.escape(_controller_label(controllers, change[0] or 'no data'))}"
            f" → {html.escape(_controller_label(controllers, change[1] or 'no data'))}"
            "</i>"
            if change and since
            else ""
        )
        derived = any(p.derived for p in facts)
        through = control.valid_through(row.admin1_code)
        if not facts and through is not None and day > through:
            breakdown = f"no data after {through.isoformat()}"
        elif derived:
            breakdown = f"summary of its towns: {breakdown}"
        features.append(
            {
                "type": "Feature",
                "geometry": _simple_mapping(row.geometry, unit_tolerance),
                "properties": {
                    "admin1_code": row.admin1_code,
                    "name": str(row.name),
                    "fill": colour,
                    "no_data": top is None,
                    "approximate": False,
                    "mentioned": count is not None,
                    "changed": change is not None,
                    "tooltip": (
                        f"<b>{html.escape(str(row.name))}</b> "
                        f"({html.escape(row.admin1_code)})<br>"
                        f"{html.escape(breakdown)}{said}{changed}"
                    ),
                },
            }
        )
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=f"Control as of {day.isoformat()}",
        style_function=_unit_style,
        highlight_function=lambda _: {"weight": 4, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)

    # Approximate areas: the ground between localities, by nearest locality,
    # for the theatres whose countries the map's places lie in.
    shown = {jm.mention.country_code for jm in placed} | {focus_code}
    countries = sorted(
        {
            c
            for theatre in control.theatres.values()
            for c in theatre.country_codes
            if c in shown
        }
    )
    areas = approximate_areas(control, day, admin0, countries) if countries else []
    if areas:
        layer = folium.FeatureGroup(
            name="Approximate areas (nearest town's control)", show=True
        )
        for area in areas:
            if area.controller not in used:
                used.append(area.controller)
            folium.GeoJson(
                {
                    "type": "Feature",
                    "geometry": _simple_mapping(area.geometry, unit_tolerance / 2),
                    "properties": {"controller": area.controller},
                },
                style_function=_area_style(controllers.get(area.controller)),
                # Drawn over the governorates but never takes their clicks.
                interactive=False,
            ).add_to(layer)
        layer.add_to(m)

    # Directional regions as dashed outlines.
    regions = folium.FeatureGroup(name="Regions named in the text")
    for jm in mentions:
        if jm.mention.kind == "region" and jm.geometry is not None:
            folium.GeoJson(
                region_outline(jm.geometry),
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

    # One marker per resolved place (several mentions of one place share it),
    # in a layer per kind.
    layers = {
        "city": folium.FeatureGroup(name="Cities and towns"),
        "region": folium.FeatureGroup(name="Regions (representative points)"),
        "country": folium.FeatureGroup(name="Countries referred to", show=False),
    }
    seen: dict[tuple[str, float, float], list[JoinedMention]] = {}
    for jm in mentions:
        kind = "city" if jm.mention.kind in ("city", "place") else jm.mention.kind
        if kind in layers and jm.mention.lat is not None:
            key = (kind, jm.mention.lat, jm.mention.lon)
            seen.setdefault(key, []).append(jm)
    for (kind, lat, lon), group in seen.items():
        first = group[0].mention
        texts = dict.fromkeys(jm.mention.text for jm in group)
        tip = (
            f"<b>{html.escape(first.name)}</b> ({html.escape(first.kind)}, "
            f"confidence {max(jm.mention.confidence for jm in group):.2f})<br>"
            f"named {len(group)}× as "
            + ", ".join(f"“{html.escape(t)}”" for t in list(texts)[:3])
        )
        if group[0].subarea:
            tip += "<br>" + html.escape(
                "own control: " + control_breakdown(group[0].control, controllers)
            )
        folium.CircleMarker(
            location=(lat, lon),
            radius=7 if kind != "country" else 5,
            color="#fff",
            weight=2,
            fill=True,
            fill_color=MARKER_COLOURS.get(kind, "#1f3b73"),
            fill_opacity=0.95,
            tooltip=tip,
        ).add_to(layers[kind])
    for layer in layers.values():
        layer.add_to(m)

    _Overlay(
        legend_html(
            day,
            basis,
            controllers,
            used,
            since if changes else None,
            control.country_valid_through(focus_code) if focus_code else None,
            approximate=bool(areas),
        ),
        "bottomright",
    ).add_to(m)
    folium.LayerControl(collapsed=True, position="bottomleft").add_to(m)
    m.view_bounds = view_bounds
    m.fit_bounds(view_bounds)
    return m


def region_outline(geometry: shapely.Geometry) -> dict:
    """A directional region's shape as GeoJSON, simplified to its size: a
    governorate's part at 0.01° (about 1 km), a continent's at a
    four-hundredth of its extent."""
    minx, miny, maxx, maxy = geometry.bounds
    tolerance = max(0.01, max(maxx - minx, maxy - miny) / 400)
    return shapely.geometry.mapping(geometry.simplify(tolerance))


def _shading(facts):
    """The period whose controller colours a unit: the largest share, except
    that a summary mostly known (known shares at least half) takes its largest
    known controller; the tooltip keeps every share, unknown included."""
    known = [p for p in facts if p.controller != UNKNOWN]
    if known and sum(p.share for p in known) >= 0.5:
        return dominant(known)
    return dominant(facts)


def _area_style(controller: Controller | None):
    """The style of an approximate area: its controller's colour, lighter."""
    colour = controller.colour if controller else NO_DATA_COLOUR

    def style(_feature: dict) -> dict:
        return {
            "fillColor": colour,
            "fillOpacity": APPROXIMATE_OPACITY,
            "color": colour,
            "weight": 0.5,
            "dashArray": "3 3",
        }

    return style


def _unit_style(feature: dict) -> dict:
    props = feature["properties"]
    style = {
        "fillColor": props["fill"],
        "fillOpacity": 0.65,
        "color": "#111" if props["mentioned"] else "#555",
        "weight": 3 if props["mentioned"] else 1,
    }
    if props.get("no_data"):
        style.update(dashArray="2 4", fillOpacity=0.8)
    if props["changed"]:
        style.update(color=CHANGED_COLOUR, weight=4, dashArray="8 5")
    return style


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
