"""The held-out news benchmark's gold and scoring (bench/eval_heldout_news.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import eval_heldout_news as heldout  # noqa: E402

from geo.resolve import Resolved  # noqa: E402

KINDS = {"city", "admin1", "country", "region", "direction", "absent"}


def reading(**fields) -> Resolved:
    base = dict(start=0, end=1, text="x", sentence=0, kind="city", name="X",
                lat=0.0, lon=0.0, country_code="XX", admin1_code=None,
                geonameid=None, confidence=1.0, evidence=())  # fmt: skip
    return Resolved(**{**base, **fields})


def test_every_gold_name_is_in_its_paragraph_and_well_formed():
    docs = heldout.load()
    assert len(docs) == 35 and len({d["id"] for d in docs}) == 35
    assert {d["batch"] for d in docs} == {1, 2, 3}
    for doc in docs:
        for gold in doc["gold"]:
            assert gold["kind"] in KINDS
            assert gold["text"] in doc["text"], (doc["id"], gold["text"])
            if gold["kind"] == "city":
                assert isinstance(gold["ref"], int)


def test_gold_spans_take_the_longest_name_and_every_occurrence():
    doc = {
        "text": "Juba, South Sudan: Sudan and South Sudan.",
        "gold": [
            {"text": "Sudan", "kind": "country", "ref": "SD"},
            {"text": "South Sudan", "kind": "country", "ref": "SS"},
            {"text": "Juba", "kind": "city", "ref": 373303},
        ],
    }
    found = [(doc["text"][s:e], g["ref"]) for s, e, g in heldout.gold_spans(doc)]
    assert found == [("Juba", 373303), ("South Sudan", "SS"), ("Sudan", "SD"),
                     ("South Sudan", "SS")]  # fmt: skip


@pytest.mark.parametrize(
    "r, gold, expected",
    [
        (reading(geonameid=7), {"kind": "city", "ref": 7}, True),
        (reading(kind="admin1", geonameid=7), {"kind": "city", "ref": 7}, False),
        (reading(kind="admin1", admin1_code="NG-BO"),
         {"kind": "admin1", "ref": "NG-BO"}, True),
        (reading(kind="country", country_code="SO"),
         {"kind": "country", "ref": "SO"}, True),
        (reading(kind="region", name="Lake Chad"),
         {"kind": "region", "ref": "Lake Chad"}, True),
        (reading(kind="region", direction="south", reference_kind="country",
                 country_code="LB"),
         {"kind": "direction", "ref": "LB", "direction": "south"}, True),
        (reading(kind="region", direction="north", reference_kind="country",
                 country_code="LB"),
         {"kind": "direction", "ref": "LB", "direction": "south"}, False),
        (None, {"kind": "city", "ref": 7}, False),
        (reading(kind="admin1", admin1_code="PS-WBK"),
         {"kind": "region", "ref": "West Bank",
          "also": [{"kind": "admin1", "ref": "PS-WBK"}]}, True),
    ],
)  # fmt: skip
def test_a_reading_is_right_only_as_the_gold_entity(r, gold, expected):
    assert heldout.right(r, gold) is expected
