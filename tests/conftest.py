"""Shared fixtures: a tiny gazetteer built from hand-written rows, the spaCy
pipeline, and (session-scoped, slow) the full parser on the embedded data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.gazetteer import build_gazetteer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_ARTICLE = (
    REPO / "data" / "articles" / "2021-10-23_israel-russia-deconfliction-syria.md"
)


def shared_file(*parts: str) -> Path:
    """A file from ../shared; missing is a failure under CI=true, else a skip."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"missing shared fixture {path}")
        pytest.skip(f"missing shared fixture {path}")
    return path


def city(gid, name, lat, lon, cc, a1, pop, *alts):
    return {
        "geonameid": gid,
        "name": name,
        "latitude": lat,
        "longitude": lon,
        "countrycode": cc,
        "admin1code": a1,
        "population": pop,
        "alternatenames": list(alts),
    }


def country(gid, name, iso, population, capital=""):
    return {
        "geonameid": gid,
        "name": name,
        "iso": iso,
        "population": population,
        "capital": capital,
    }


def unit(code, name, cc, gn_a1, lat, lon, alt=""):
    return {
        "admin1_code": code,
        "name": name,
        "name_en": name,
        "name_alt": alt,
        "country_code": cc,
        "gn_a1_code": gn_a1,
        "gn_id": 0,
        "latitude": lat,
        "longitude": lon,
    }


# Coordinates and populations as GeoNames/Natural Earth give them.
TINY_CITIES = [
    city(170063, "Aleppo", 36.20124, 37.16117, "SY", "09", 2098210, "Halab", "Alep"),
    city(169389, "Idlib", 35.93062, 36.63393, "SY", "12", 128840, "Idleb"),
    city(170017, "Ḩamāh", 35.13179, 36.75783, "SY", "10", 460602, "Hama", "Hamah"),
    city(173577, "Latakia", 35.53168, 35.79011, "SY", "02", 709000),
    city(173377, "Al Qāmishlī", 37.05215, 41.23142, "SY", "01", 184231, "Qamishlo"),
    city(491422, "Sochi", 43.59699, 39.72477, "RU", "38", 327608, "Sotchi"),
    city(524901, "Moscow", 55.75222, 37.61556, "RU", "48", 10381222),
    city(170654, "Damascus", 33.5102, 36.29128, "SY", "13", 1569394, "Dimashq"),
    city(4469146, "Elkin", 36.24430, -80.84842, "US", "NC", 4060),
    city(4557109, "Bennett", 40.34, -79.99, "US", "PA", 900),
    city(5177568, "Damascus", 39.28844, -77.20387, "US", "MD", 15257),
    city(4180439, "Russia", 40.2334, -84.4099, "US", "OH", 656),
    city(281184, "Jerusalem", 31.76904, 35.21633, "IL", "06", 801000),
    city(112931, "Tehran", 35.69439, 51.42151, "IR", "26", 7153309),
]
TINY_UNITS = [
    unit("SY-HL", "Aleppo", "SY", "SY.09", 36.1054, 37.601, "Halab"),
    unit("SY-ID", "Idlib", "SY", "SY.12", 35.8528, 36.6829, "Idleb"),
    unit("SY-HM", "Hamah", "SY", "SY.10", 35.2352, 37.22, "Hama"),
    unit("SY-LA", "Lattakia", "SY", "SY.02", 35.6, 36.0, "Latakia"),
    unit("SY-HA", "Al-Hasakah", "SY", "SY.01", 36.35, 40.9, "Hasaka"),
    unit("SY-DI", "Damascus", "SY", "SY.13", 33.51, 36.29),
    unit("RU-KDA", "Krasnodar Krai", "RU", "RU.38", 45.0, 39.0),
    unit("RU-MOW", "Moscow", "RU", "RU.48", 55.75, 37.6),
    unit("US-MD", "Maryland", "US", "US.MD", 39.0, -76.7),
    unit("SY-X01~", "UNDOF", "SY", "SY.", 33.15, 35.86),
]
TINY_COUNTRIES = [
    {
        "geonameid": 163843,
        "name": "Syria",
        "iso": "SY",
        "population": 16906283,
        "capital": "Damascus",
    },
    {
        "geonameid": 2017370,
        "name": "Russia",
        "iso": "RU",
        "population": 144478050,
        "capital": "Moscow",
    },
    {
        "geonameid": 294640,
        "name": "Israel",
        "iso": "IL",
        "population": 8883800,
        "capital": "Jerusalem",
    },
    {
        "geonameid": 130758,
        "name": "Iran",
        "iso": "IR",
        "population": 81800269,
        "capital": "Tehran",
    },
    {
        "geonameid": 6252001,
        "name": "United States",
        "iso": "US",
        "population": 327167434,
        "capital": "Washington",
    },
]
TINY_ALIASES = [{"iso": "US", "alias": "US"}, {"iso": "US", "alias": "USA"}]


@pytest.fixture(scope="session")
def tiny_gazetteer():
    return build_gazetteer(TINY_CITIES, TINY_COUNTRIES, TINY_UNITS, TINY_ALIASES)


@pytest.fixture(scope="session")
def nlp():
    from geo.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def full_parser():
    """The parser on the embedded data (builds the gazetteer cache if needed)."""
    from geo.pipeline import Parser

    return Parser.default()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item (the browser test screenshots failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
