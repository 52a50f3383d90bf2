"""OfflineGeocoder follows geopy's contract: None, a Location or a list, never []."""

from __future__ import annotations

import geopandas as gpd
import pytest
from geopy.exc import GeocoderQueryError
from geopy.location import Location
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.geocoder import OfflineGeocoder, haversine_km


@pytest.fixture(scope="module")
def coder(tiny_gazetteer):
    return OfflineGeocoder(gazetteer=tiny_gazetteer)


def test_geocode_returns_a_location(coder):
    loc = coder.geocode("Aleppo")
    assert isinstance(loc, Location)
    assert loc.raw["kind"] == "city" and loc.raw["geonameid"] == 170063
    assert (round(loc.latitude, 2), round(loc.longitude, 2)) == (36.2, 37.16)


def test_country_context_narrows(coder):
    assert coder.geocode("Damascus").raw["country_code"] == "SY"
    assert coder.geocode("Damascus, Maryland").raw["country_code"] == "US"
    assert coder.geocode("Damascus", country_codes="US").raw["country_code"] == "US"


def test_admin_word_prefers_the_unit(coder):
    assert coder.geocode("Idlib governorate").raw["kind"] == "admin1"
    assert coder.geocode("Idlib").raw["kind"] == "city"


def test_unknown_is_none_and_lists_are_never_empty(coder):
    assert coder.geocode("Atlantis") is None
    assert coder.geocode("Atlantis", exactly_one=False) is None
    many = coder.geocode("Damascus", exactly_one=False)
    assert isinstance(many, list) and len(many) >= 2
    assert len(coder.geocode("Damascus", exactly_one=False, limit=1)) == 1


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip()))
def test_geocode_never_returns_empty_list(coder, query):
    result = coder.geocode(query, exactly_one=False)
    assert result is None or (isinstance(result, list) and result)


def test_bad_queries_raise_geopy_errors(coder):
    with pytest.raises(GeocoderQueryError):
        coder.geocode("  ")
    with pytest.raises(GeocoderQueryError):
        coder.reverse("north of here")


def test_reverse_finds_the_nearest_city(coder):
    loc = coder.reverse((35.95, 36.6))
    assert loc.raw["name"] == "Idlib"
    assert coder.reverse("43.6, 39.7").raw["name"] == "Sochi"


def test_usable_as_geopandas_provider(tiny_gazetteer):
    frame = gpd.tools.geocode(
        ["Sochi", "Atlantis"], provider=OfflineGeocoder, gazetteer=tiny_gazetteer
    )
    assert frame.crs.to_epsg() == 4326
    assert round(frame.geometry.iloc[0].x, 2) == 39.72  # x is longitude
    assert frame.geometry.iloc[1].is_empty


def test_haversine():
    assert round(haversine_km(36.20124, 37.16117, 33.5102, 36.29128)) == 310
