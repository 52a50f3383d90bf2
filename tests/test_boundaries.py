"""Boundary loading: formats, column detection, CRS, errors, point joins.

Tiny squares written to tmp_path for the rules; the embedded Natural Earth
files for the geography (Syria's units, Sochi, border towns); OCHA's Syria
governorates (shared reference) converted to a Shapefile for the user path.
"""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.boundaries import (
    ADMIN0_FILE,
    ADMIN1_FILE,
    BoundaryError,
    admin1_for_points,
    load_admin0,
    load_admin1,
)

from .conftest import shared_file

SYRIA_GOVERNORATES = {
    "SY-DI", "SY-RD", "SY-QU", "SY-DR", "SY-SU", "SY-HI", "SY-HM",
    "SY-ID", "SY-LA", "SY-TA", "SY-HL", "SY-RA", "SY-HA", "SY-DY",
}  # fmt: skip


def squares(**columns) -> gpd.GeoDataFrame:
    """Two 1° squares side by side: (0..1, 0..1) and (1..2, 0..1), lon/lat."""
    return gpd.GeoDataFrame(
        columns, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326
    )


@pytest.fixture(scope="module")
def embedded():
    return load_admin1()


# ---- formats and columns ---------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "driver"),
    [(".geojson", "GeoJSON"), (".gpkg", "GPKG"), (".shp", "ESRI Shapefile")],
)
def test_reads_each_format_and_detects_columns(tmp_path, suffix, driver):
    path = tmp_path / f"units{suffix}"
    squares(ADM1_PCODE=["XA01", "XA02"], ADM1_EN=["West", "East"]).to_file(
        path, driver=driver
    )
    units = load_admin1(path)
    assert list(units["admin1_code"]) == ["XA01", "XA02"]
    assert list(units["name"]) == ["West", "East"]
    assert list(units["country_code"]) == ["XA", "XA"]
    assert units.crs.to_epsg() == 4326


def test_zipped_shapefile(tmp_path):
    squares(shapeISO=["XA-W", "XA-E"], shapeName=["West", "East"]).to_file(
        tmp_path / "u.shp"
    )
    archive = tmp_path / "u.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in tmp_path.glob("u.*"):
            if part.suffix != ".zip":
                z.write(part, part.name)
    assert list(load_admin1(archive)["admin1_code"]) == ["XA-W", "XA-E"]


def test_explicit_columns_and_country_filter(tmp_path):
    path = tmp_path / "u.geojson"
    squares(code=["AA-1", "BB-1"], label=["One", "Two"]).to_file(path)
    units = load_admin1(path, code_column="code", name_column="label")
    assert list(units["name"]) == ["One", "Two"]
    only = load_admin1(path, code_column="code", name_column="label", country_code="BB")
    assert list(only["admin1_code"]) == ["BB-1"]


def test_metric_crs_is_reprojected_to_degrees(tmp_path):
    path = tmp_path / "mercator.gpkg"
    squares(iso_3166_2=["XA-W", "XA-E"], name=["W", "E"]).to_crs(3857).to_file(path)
    units = load_admin1(path)
    assert units.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = units.total_bounds
    assert (minx, miny, maxx, maxy) == pytest.approx((0, 0, 2, 1), abs=1e-6)


# ---- errors name the file and the problem -----------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(BoundaryError, match="no such file"):
        load_admin1(tmp_path / "nope.geojson")


def test_truncated_file(tmp_path):
    good = tmp_path / "good.geojson"
    squares(iso_3166_2=["XA-W", "XA-E"], name=["W", "E"]).to_file(good)
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(BoundaryError, match=r"bad\.geojson: cannot be read"):
        load_admin1(bad)


def test_binary_garbage(tmp_path):
    bad = tmp_path / "garbage.shp"
    bad.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(BoundaryError, match="garbage.shp"):
        load_admin1(bad)


def test_without_expected_columns(tmp_path):
    path = tmp_path / "u.geojson"
    squares(foo=[1, 2], bar=["a", "b"]).to_file(path)
    with pytest.raises(BoundaryError, match="no unit code column.*name one"):
        load_admin1(path)
    with pytest.raises(BoundaryError, match="no column 'code'"):
        load_admin1(path, code_column="code")


def test_points_are_not_boundaries(tmp_path):
    path = tmp_path / "points.geojson"
    gpd.GeoDataFrame(
        {"iso_3166_2": ["XA-1"], "name": ["P"]}, geometry=[Point(0, 0)], crs=4326
    ).to_file(path)
    with pytest.raises(BoundaryError, match="expected polygons, found Point"):
        load_admin1(path)


def test_admin0_needs_country_columns(tmp_path):
    path = tmp_path / "countries.geojson"
    squares(foo=[1, 2]).to_file(path)
    with pytest.raises(BoundaryError, match="missing column.*country_code"):
        load_admin0(path)


# ---- point joins ------------------------------------------------------------


def test_points_inside_nearest_and_too_far(tmp_path):
    path = tmp_path / "u.geojson"
    squares(iso_3166_2=["XA-W", "XA-E"], name=["W", "E"]).to_file(path)
    units = load_admin1(path)
    # (lat, lon): inside W; inside E; 0.02° (≈2.2 km) north of W; 1° away.
    codes = admin1_for_points(units, [0.5, 0.5, 1.02, 3.0], [0.5, 1.5, 0.5, 0.5])
    assert codes == ["XA-W", "XA-E", "XA-W", None]
    assert admin1_for_points(units, [1.02], [0.5], max_km=1.0) == [None]
    assert admin1_for_points(units, [], []) == []
    with pytest.raises(ValueError, match="differ in length"):
        admin1_for_points(units, [1.0], [])


def test_prefer_country_pulls_a_border_point_across(tmp_path):
    path = tmp_path / "u.geojson"
    squares(iso_3166_2=["AA-1", "BB-1"], name=["A", "B"]).to_file(path)
    units = load_admin1(path)
    # 0.01° inside BB-1, 1.1 km from AA-1's edge.
    assert admin1_for_points(units, [0.5], [1.01]) == ["BB-1"]
    assert admin1_for_points(units, [0.5], [1.01], prefer_country="AA") == ["AA-1"]
    # Too far from the preferred country: keeps the containing unit.
    assert admin1_for_points(units, [0.5], [1.5], prefer_country="AA") == ["BB-1"]


# ---- the embedded Natural Earth data ----------------------------------------


def test_embedded_files_fit_the_size_budget():
    total = ADMIN1_FILE.stat().st_size + ADMIN0_FILE.stat().st_size
    assert total <= 25_000_000


def test_embedded_syria_has_its_14_governorates(embedded):
    syria = set(embedded.loc[embedded["country_code"] == "SY", "admin1_code"])
    assert syria >= SYRIA_GOVERNORATES
    # Natural Earth's UNDOF zone is the only extra Syrian unit.
    assert syria - SYRIA_GOVERNORATES == {"SY-X01~"}
    names = dict(zip(embedded["admin1_code"], embedded["name"], strict=True))
    assert names["SY-ID"] == "Idlib"


def test_embedded_world_coverage(embedded):
    countries = load_admin0()
    assert len(countries) > 200
    assert {"SY", "RU", "IL", "IR", "TR", "US"} <= set(countries["country_code"])
    assert embedded["country_code"].nunique() > 200


def test_sochi_and_border_towns(embedded):
    # GeoNames coordinates (lat, lon): Sochi; Tell Abyad; Kobani (Ayn al-Arab).
    lats, lons = [43.59917, 36.6975, 36.89095], [39.72569, 38.95667, 38.35347]
    assert admin1_for_points(embedded, lats[:1], lons[:1]) == ["RU-KDA"]
    # Natural Earth's coarse border puts both towns in Turkey; Syria wins
    # when the article is about Syria.
    assert admin1_for_points(embedded, lats[1:], lons[1:], prefer_country="SY") == [
        "SY-RA",
        "SY-HL",
    ]


# ---- a user's own boundaries: OCHA's governorates as a Shapefile -------------


def test_user_shapefile_from_ocha(tmp_path):
    source = shared_file("reference", "ocha_syria_adm1", "syr_admin1.geojson")
    shp = tmp_path / "syr_admin1.shp"
    gpd.read_file(source)[["ADM1_PCODE", "ADM1_EN", "geometry"]].to_file(shp)
    units = load_admin1(shp)
    assert len(units) == 14
    assert units["admin1_code"].str.match(r"SY\d\d$").all()
    assert set(units["country_code"]) == {"SY"}
    idlib = units.loc[units["name"] == "Idleb", "admin1_code"].item()  # OCHA spelling
    assert idlib == "SY07"
    # Idlib city (GeoNames) falls in OCHA's Idlib governorate.
    assert admin1_for_points(units, [35.93062], [36.63393]) == [idlib]


def test_parts_sharing_a_code_become_one_unit(tmp_path):
    path = tmp_path / "u.geojson"
    gpd.GeoDataFrame(
        {"iso_3166_2": ["XA-1", "XA-1", "XA-2"], "name": ["Small", "Big", "Other"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 3, 1), box(5, 0, 6, 1)],
        crs=4326,
    ).to_file(path)
    units = load_admin1(path)
    assert sorted(units["admin1_code"]) == ["XA-1", "XA-2"]
    merged = units.set_index("admin1_code").loc["XA-1"]
    assert merged["name"] == "Big (with Small)"  # the largest part's name first
    assert merged.geometry.area == pytest.approx(3)
    assert admin1_for_points(units, [0.5], [0.5]) == ["XA-1"]


def test_embedded_codes_are_unique(embedded):
    assert not embedded["admin1_code"].duplicated().any()
