"""The map and the highlighted text: offline, escaped, stable across reruns."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import shapely
import shapely.geometry

from geo.articles import article_from_text, load_article
from geo.mapview import (
    build_map,
    control_breakdown,
    highlight_sentence,
    legend_html,
    region_outline,
)

from .conftest import SEED_ARTICLE

HOSTILE = (
    "Shelling hit Idlib <script>alert(1)</script> on Monday. "
    'Residents of Aleppo <img src=x onerror=alert(1)> fled to "Hama" & Homs.'
)
# Anything a browser would fetch from outside: scripts, styles, tiles, fonts.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def seed(full_parser):
    return full_parser.parse(load_article(SEED_ARTICLE))


@pytest.fixture(scope="module")
def hostile(full_parser):
    article = article_from_text(HOSTILE, title="<b>t</b>", date="2021-10-23")
    return full_parser.parse(article)


def render(result, parser, **kw) -> str:
    return (
        build_map(result, parser.admin1, parser.admin0, parser.control, **kw)
        .get_root()
        .render()
    )


def test_map_loads_nothing_from_outside(seed, full_parser):
    page = render(seed, full_parser)
    assert not EXTERNAL.findall(page), EXTERNAL.findall(page)[:3]
    assert "/app/static/leaflet/leaflet.js" in page
    assert "tile.openstreetmap" not in page


def test_online_tiles_only_when_switched_on(seed, full_parser):
    assert "tile.openstreetmap.org" in render(seed, full_parser, tiles=True)


def test_map_says_its_date_and_shades_by_controller(seed, full_parser):
    page = render(seed, full_parser)
    assert "Control as of 2021-10-23" in page
    hts = full_parser.control.controllers["opposition_hts"]
    assert hts.label in page
    # Idlib's summary on the day is mostly known (HTS, government, rebels):
    # its fill is the largest known controller's colour, not unknown's grey.
    idlib = re.search(r'"admin1_code": "SY-ID".*?"fill": "(#[0-9a-f]{6})"', page)
    known = {
        full_parser.control.controllers[c].colour.lower()
        for c in ("opposition_hts", "government", "opposition")
    }
    assert idlib and idlib.group(1).lower() in known
    assert "summary of its towns" in page and "data valid through" in page


def test_other_day_changes_the_map(full_parser):
    later = full_parser.parse(load_article(SEED_ARTICLE), dt.date(2024, 12, 31))
    page = render(later, full_parser)
    assert "Control as of 2024-12-31" in page
    # Outside the control tables: the legend says there is no data.
    assert "no control data" in page


def test_hostile_text_is_escaped_in_map_and_highlight(hostile, full_parser):
    names = {jm.mention.text for jm in hostile.mentions}
    assert {"Idlib", "Hama"} <= names
    page = render(hostile, full_parser)
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    for index in range(len(hostile.sentences)):
        out = highlight_sentence(hostile, index)
        assert "<script>" not in out and "<img" not in out
    first = highlight_sentence(hostile, 0)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in first
    assert re.search(r"<mark[^>]*>Idlib</mark>", first)
    second = highlight_sentence(hostile, 1)
    assert "&lt;img src=x onerror=alert(1)&gt;" in second
    assert "&quot;" in second or "&#x27;" in second or '"' not in second
    assert "&amp;" in second


def test_highlight_marks_selected_units_strongly(seed):
    idlib = next(r for r in seed.regions if r.admin1_code == "SY-ID")
    (index,) = idlib.sentences
    strong = highlight_sentence(seed, index, {"SY-ID"})
    plain = highlight_sentence(seed, index, set())
    assert strong != plain
    text = re.sub(r"<[^>]+>", "", strong)
    assert "Governorate of Idlib and parts of Aleppo, Hama, and Latakia" in text


def test_legend_and_breakdown(seed, full_parser):
    controllers = full_parser.control.controllers
    legend = legend_html(
        seed.day, seed.date_basis, controllers, ["government", "opposition_hts"]
    )
    assert "2021-10-23" in legend and controllers["government"].label in legend
    assert "changed since" not in legend
    idlib = next(r for r in seed.regions if r.admin1_code == "SY-ID")
    text = control_breakdown(idlib.controllers, controllers)
    assert controllers["opposition_hts"].label in text and "%" in text


def test_rendered_map_is_identical_across_builds(seed, full_parser):
    """st_folium keys its widget on the map's script: a click survives a rerun
    only if a fresh build of the same map renders the same script."""
    from streamlit_folium import _get_map_string, generate_js_hash

    def script():
        fmap = build_map(
            seed, full_parser.admin1, full_parser.admin0, full_parser.control
        )
        fmap.get_root().render()
        return generate_js_hash(_get_map_string(fmap), "map")

    assert script() == script()


def test_several_articles_on_one_map(seed, hostile, full_parser):
    page = render([seed, hostile], full_parser)
    # Idlib is named by both: its sentence count adds up.
    assert "2 sentence(s) in the article(s)" in page
    with pytest.raises(ValueError, match="different days"):
        later = full_parser.parse(load_article(SEED_ARTICLE), dt.date(2022, 1, 1))
        render([seed, later], full_parser)
    with pytest.raises(ValueError, match="at least one"):
        render([], full_parser)


def test_changes_since_a_date_are_outlined(full_parser):
    from geo.mapview import control_changes

    control = full_parser.control
    assert control_changes(control, dt.date(2021, 10, 23), dt.date(2021, 10, 24)) == {}
    result = full_parser.parse(load_article(SEED_ARTICLE), dt.date(2021, 10, 24))
    page = render(result, full_parser, since=dt.date(2021, 10, 23))
    assert "changed since" not in page  # nothing changed in a day


@pytest.mark.parametrize(
    "source",
    [
        "plain",
        "var a = {b: [1, 2]};\n",
        '<script>\n  L.geoJson({"a": {"b": 1}});\n</script>\n\n',
        "{{ this }} and {% if x %}y{% endif %}",
        "line\r\nbreaks\r\n",
    ],
)
def test_element_templates_render_as_jinja_does(source):
    import jinja2

    from geo.mapview import _template

    assert _template(source).render(this="T", x=True) == jinja2.Template(source).render(
        this="T", x=True
    )


def test_map_size_and_view_stay_small_for_a_us_story(full_parser):
    text = (
        "Storms hit Atlanta, Georgia, and Chicago. Crews from Anchorage, Alaska "
        "and Boston flew in; Paris sent condolences."
    )
    result = full_parser.parse(article_from_text(text, date="2021-10-23"))
    fmap = build_map(
        result, full_parser.admin1, full_parser.admin0, full_parser.control
    )
    (south, west), (north, east) = fmap.view_bounds
    assert -180 < west < -140 and -80 < east < -60  # Alaska in, not round the world
    assert len(fmap.get_root().render()) < 1_500_000


def test_a_regions_outline_is_simplified_to_its_size(full_parser):
    result = full_parser.parse(
        article_from_text(
            "Cholera spread across West Africa and northern Idlib.", date="2021-10-23"
        )
    )
    parts = {j.mention.name: j.geometry for j in result.mentions if j.geometry}
    africa, idlib = parts["West Africa"], parts["north Idlib"]

    def points(outline):
        return len(shapely.get_coordinates(shapely.geometry.shape(outline)))

    # A region of seventeen countries keeps fewer points than 1 km would
    # (islands keep their few: 4,177 -> 3,311 for West Africa); a
    # governorate's part is drawn at 1 km.
    at_1km = points(shapely.geometry.mapping(africa.simplify(0.01)))
    assert points(region_outline(africa)) < 0.9 * at_1km
    assert region_outline(idlib) == shapely.geometry.mapping(idlib.simplify(0.01))
