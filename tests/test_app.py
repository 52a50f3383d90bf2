"""The Streamlit page flow with AppTest (no browser)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import REPO

SENTENCE = "continue to remain under rebels"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # No corpus store: the picker holds the embedded articles only.
    with pytest.MonkeyPatch.context() as mp:
        store = tmp_path_factory.mktemp("nostore") / "absent.sqlite"
        mp.setenv("CONFLICT_ATLAS_STORE", str(store))
        at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
        at.run()
        assert not at.exception, at.exception
        yield at


def test_opens_the_seed_article_with_its_date(app):
    assert app.title[0].value == "Conflict Atlas"
    assert app.subheader[0].value.startswith("Israel-Russia agree")
    caption = " ".join(c.value for c in app.caption)
    assert "control as of 2021-10-23" in caption
    countries = " ".join(m.value for m in app.markdown)
    assert "Countries referred to:" in countries and "Syria" in countries


def test_selecting_idlib_shows_the_sentence_and_control(app):
    app.selectbox(key="region").set_value("SY-ID").run()
    assert not app.exception, app.exception
    text = " ".join(m.value for m in app.markdown)
    assert SENTENCE in text
    assert "<mark" in text and ">Idlib</mark>" in text
    (facts,) = [d.value for d in app.dataframe if "share (est.)" in d.value.columns]
    assert "opposition_hts" not in set(facts["controller"])  # labels, not ids
    assert facts["source"].str.len().min() > 0


def test_changing_the_date_changes_the_caption(app):
    import datetime as dt

    app.date_input(key="control_date").set_value(dt.date(2022, 6, 1)).run()
    assert not app.exception, app.exception
    caption = " ".join(c.value for c in app.caption)
    assert "control as of 2022-06-01" in caption and "chosen date" in caption


def test_articles_from_the_corpus_store(tmp_path, monkeypatch):
    from geo.articles import article_from_text
    from geo.store import Store

    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        digest, _ = store.add_article(
            article_from_text(
                "Rebels shelled the Governorate of Idlib on Monday.",
                title="Shelling <b>report</b>",
                date="2022-03-01",
            )
        )
    monkeypatch.setenv("CONFLICT_ATLAS_STORE", str(path))
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.run()
    picker = at.selectbox(key="article_file")
    assert f"store:{digest}" in picker.options or any(
        "Shelling" in o for o in picker.options
    )
    picker.set_value(f"store:{digest}").run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Shelling <b>report</b>"
    caption = " ".join(c.value for c in at.caption)
    assert "control as of 2022-03-01" in caption


def test_a_corrupt_store_is_reported_and_the_app_stays_up(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"not a database" * 64)
    monkeypatch.setenv("CONFLICT_ATLAS_STORE", str(path))
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    assert any("corrupt" in w.value for w in at.warning)
    assert at.subheader[0].value.startswith("Israel-Russia agree")
    assert path.read_bytes() == b"not a database" * 64
