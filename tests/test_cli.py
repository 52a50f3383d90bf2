"""The seed article end to end through ``python -m geo`` (real data, real model)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO, SEED_ARTICLE


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def seed_json():
    done = run_cli("parse", str(SEED_ARTICLE), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def by_text(result, text):
    return [m for m in result["mentions"] if m["text"] == text]


def test_schema(seed_json):
    assert set(seed_json) == {"article", "mentions", "regions"}
    assert set(seed_json["article"]) == {"title", "date", "source", "path"}
    assert seed_json["article"]["date"] == "2021-10-23"
    keys = {
        "start",
        "end",
        "text",
        "sentence",
        "kind",
        "name",
        "lat",
        "lon",
        "country_code",
        "admin1_code",
        "geonameid",
        "confidence",
        "evidence",
        "control",
    }
    text = SEED_ARTICLE.read_text(encoding="utf-8").split("---\n", 2)[2]
    for m in seed_json["mentions"]:
        assert set(m) == keys
        assert text[m["start"] : m["end"]] == m["text"]
        assert m["kind"] in {"city", "admin1", "country", "region", "place"}
        assert 0 <= m["confidence"] <= 1 and m["evidence"]
        for c in m["control"]:
            assert set(c) == {"controller", "share", "source"} and c["source"]
    for r in seed_json["regions"]:
        assert set(r) == {"admin1_code", "name", "controllers", "sentences"}


def test_cities(seed_json):
    for name, country in [("Sochi", "RU"), ("Moscow", "RU")]:
        found = by_text(seed_json, name)
        assert found and all(m["kind"] == "city" for m in found)
        assert all(m["country_code"] == country for m in found)
    assert all(m["control"] == [] for m in by_text(seed_json, "Sochi"))


def test_governorates(seed_json):
    for name, code in [
        ("Idlib", "SY-ID"),
        ("Aleppo", "SY-HL"),
        ("Hama", "SY-HM"),
        ("Latakia", "SY-LA"),
    ]:
        (m,) = by_text(seed_json, name)
        assert (m["kind"], m["admin1_code"]) == ("admin1", code)
        assert m["control"], f"{name} has no control on the article date"


def test_countries(seed_json):
    for name, code in [
        ("Syria", "SY"),
        ("Israel", "IL"),
        ("Russia", "RU"),
        ("Iran", "IR"),
    ]:
        found = by_text(seed_json, name)
        assert found and all(
            (m["kind"], m["country_code"]) == ("country", code) for m in found
        )


def test_people_and_newspaper_are_not_places(seed_json):
    texts = {m["text"] for m in seed_json["mentions"]}
    assert not texts & {"Bennett", "Elkin", "Trump", "Donald", "Vladimir", "Minister"}
    text = SEED_ARTICLE.read_text(encoding="utf-8").split("---\n", 2)[2]
    for m in by_text(seed_json, "Israel"):
        assert text[m["start"] - 12 : m["start"]] != "the Times of"


def test_northwest_region_covers_idlib(seed_json):
    (region,) = [
        m
        for m in seed_json["mentions"]
        if m["kind"] == "region" and "northwestern" in m["text"]
    ]
    assert region["country_code"] == "SY"
    idlib = [r for r in seed_json["regions"] if r["admin1_code"] == "SY-ID"]
    assert idlib and region["sentence"] in idlib[0]["sentences"]


def test_table_format(tmp_path):
    done = run_cli("parse", str(SEED_ARTICLE), "--format", "table")
    assert done.returncode == 0, done.stderr
    assert "control as of 2021-10-23" in done.stdout and "Sochi" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("parse", "does-not-exist.txt"), "no such file"),
        (("parse", str(SEED_ARTICLE), "--date", "23/10/2021"), "YYYY-MM-DD"),
        (("parse",), "required"),
    ],
)
def test_bad_input_one_line_exit_2(args, message, tmp_path):
    done = run_cli(*args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 2


def test_empty_file_exit_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    done = run_cli("parse", str(empty))
    assert done.returncode == 2 and "empty" in done.stderr
    assert done.stderr.count("\n") == 1


def test_control_listing():
    done = run_cli("control", "--date", "2021-10-23", "--format", "json")
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    assert listing["date"] == "2021-10-23"
    units = {u["unit_id"]: u for u in listing["units"]}
    assert len([u for u in units if u.startswith("SY-")]) >= 14
    # Idlib governorate is a summary of its towns; Idlib city is HTS-held.
    assert all(c["derived"] for c in units["SY-ID"]["controllers"])
    assert "opposition_hts" in {c["controller"] for c in units["SY-ID"]["controllers"]}
    assert units["sy-idlib"]["controllers"][0]["controller"] == "opposition_hts"
    assert units["sy-idlib"]["controllers"][0]["quote"]
    assert listing["theatres"]["syria"]["valid_through"] == "2026-02-28"


def test_geojson_format():
    done = run_cli("parse", str(SEED_ARTICLE), "--format", "geojson")
    assert done.returncode == 0, done.stderr
    collection = json.loads(done.stdout)
    assert collection["type"] == "FeatureCollection"
    by_text = {f["properties"]["text"]: f for f in collection["features"]}
    lon, lat = by_text["Sochi"]["geometry"]["coordinates"]
    assert 43 < lat < 44.5 and 39 < lon < 40.5  # x = lon, y = lat
    assert by_text["Sochi"]["properties"]["country_code"] == "RU"
    assert "Syria" not in by_text  # country references carry no point
    assert collection["unplaced"] >= 1
