"""The Streamlit page flows with AppTest (no browser).

Every test points the corpus store at its own temporary file through
``$CONFLICT_ATLAS_STORE``, so a developer's real store never leaks in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from geo.articles import MAX_ARTICLE_BYTES, article_from_text, load_article
from geo.store import Store

from .conftest import REPO, SEED_ARTICLE

SENTENCE = "continue to remain under rebels"
SEED_KEY = f"file:{SEED_ARTICLE}"


def new_app() -> AppTest:
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("CONFLICT_ATLAS_STORE", str(path))
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        absent = tmp_path_factory.mktemp("nostore") / "absent.sqlite"
        mp.setenv("CONFLICT_ATLAS_STORE", str(absent))
        yield new_app()


def text_of(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_opens_the_seed_article_with_its_date(app):
    assert app.title[0].value == "Conflict Atlas"
    assert app.multiselect(key="articles").value == [SEED_KEY]
    assert app.subheader[0].value.startswith("Israel-Russia agree")
    caption = " ".join(c.value for c in app.caption)
    assert "control as of 2021-10-23" in caption and "(article date)" in caption
    assert "Countries referred to:" in text_of(app) and "Syria" in text_of(app)
    summary = text_of(app).split("governorates named", 1)[1]
    assert "Idlib: " in summary and "HTS" in summary


def test_selecting_idlib_shows_the_sentence_and_control(app):
    app.selectbox(key="region").set_value("SY-ID").run()
    assert not app.exception, app.exception
    text = text_of(app)
    assert SENTENCE in text
    assert "<mark" in text and ">Idlib</mark>" in text
    (facts,) = [d.value for d in app.dataframe if "share (est.)" in d.value.columns]
    assert "opposition_hts" not in set(facts["controller"])  # labels, not ids
    assert facts["source"].str.len().min() > 0


def test_changing_the_date_lists_what_changed(app):
    app.date_input(key="control_date").set_value(dt.date(2022, 6, 1)).run()
    assert not app.exception, app.exception
    caption = " ".join(c.value for c in app.caption)
    assert "control as of 2022-06-01" in caption and "chosen date" in caption
    assert "Changed between 2021-10-23 and 2022-06-01" in text_of(app)


def test_paste_an_article(store_path):
    at = new_app()
    at.text_area(key="paste_text").set_value(
        "Clashes were reported in the Governorate of Idlib and near Aleppo."
    )
    at.text_input(key="paste_title").set_value("Pasted <script>alert(1)</script>")
    at.text_input(key="paste_date").set_value("2022-03-01")
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert any("Added" in s.value for s in at.success)
    selected = at.multiselect(key="articles").value
    assert selected[0].startswith("store:") and SEED_KEY in selected
    assert at.subheader[0].value == "2 articles"
    with Store(store_path) as store:
        assert store.count() == 1  # kept in the corpus store


def test_paste_nothing_is_refused(store_path):
    at = new_app()
    at.text_area(key="paste_text").set_value("   \n ")
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert any("empty" in e.value for e in at.error)
    assert at.multiselect(key="articles").value == [SEED_KEY]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("binary.txt", b"\x00\x01\x02" * 100, "binary"),
        ("damaged.txt", "Café in Idlib".encode() + b"\xe2\x80", "not UTF-8"),
        ("empty.md", b"", "empty"),
        ("huge.txt", b"Idlib. " * (MAX_ARTICLE_BYTES // 7 + 1), "the limit is"),
        ("rows.jsonl", b'{"text": "ok"}\n{broken\n', "line 2: not valid JSON"),
    ],
)
def test_upload_a_bad_file(store_path, name, data, message):
    at = new_app()
    at.file_uploader(key="upload").upload(name, data).run()
    assert not at.exception, at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert at.multiselect(key="articles").value == [SEED_KEY]  # app still up
    assert not store_path.exists() or Store(store_path).count() == 0


def test_upload_a_good_file(store_path):
    at = new_app()
    data = b"---\ntitle: Upload\ndate: 2024-12-09\n---\nRebels entered Hama today."
    at.file_uploader(key="upload").upload("news.md", data).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="articles").value[0].startswith("store:")


def test_pick_several_articles_and_read_them_newest_first(store_path):
    with Store(store_path) as store:
        digest, _ = store.add_article(
            article_from_text(
                "Government forces shelled the Governorate of Idlib.",
                title="Later report",
                date="2021-12-01",
            )
        )
    at = new_app()
    assert len(at.multiselect(key="articles").options) == 2
    at.multiselect(key="articles").set_value([SEED_KEY, f"store:{digest}"]).run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "2 articles"
    at.selectbox(key="region").set_value("SY-ID").run()
    text = text_of(at)
    assert text.index("Later report") < text.index("Israel-Russia agree")
    assert SENTENCE in text


EVIDENCE_TAB = "Mentions, evidence and corrections"


def open_tab(at: AppTest, label: str) -> AppTest:
    """Switch the lower tabs (only the open one is computed)."""
    at.session_state["lower_tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


def mentions_table(at: AppTest):
    (table,) = [d.value for d in at.dataframe if "resolved to" in d.value.columns]
    return table


def test_correct_a_mention_and_see_it_persist(store_path):
    at = open_tab(new_app(), EVIDENCE_TAB)
    assert list(mentions_table(at)["text"]).count("Sochi") == 2
    start = load_article(SEED_ARTICLE).text.index("Sochi")
    at.selectbox(key="correct_span").set_value((start, start + 5)).run()
    at.selectbox(key="correct_choice").set_value(0).run()  # not a place
    at.button(key="save_correction").click().run()
    assert not at.exception, at.exception
    assert "Your corrections" in text_of(at)
    assert list(mentions_table(at)["text"]).count("Sochi") == 1
    # Opened again (a new session): the correction re-applies.
    again = open_tab(new_app(), EVIDENCE_TAB)
    assert list(mentions_table(again)["text"]).count("Sochi") == 1
    (rejected,) = [d.value for d in again.dataframe if "why" in d.value.columns]
    assert any("by the user" in why for why in rejected["why"])
    # Choosing another candidate: the first "Moscow" becomes whatever is second.
    moscow = load_article(SEED_ARTICLE).text.index("Moscow")
    again.selectbox(key="correct_span").set_value((moscow, moscow + 6)).run()
    choice = again.selectbox(key="correct_choice")
    assert len(choice.options) > 2  # not a place + several Moscows
    choice.set_value(2).run()
    again.button(key="save_correction").click().run()
    table = mentions_table(again)
    row = table[table["at"] == moscow].iloc[0]
    assert row["evidence"] == "chosen by the user (correction)"
    # Undo restores the parser's answer.
    again.button(key=f"undo_{moscow}_{moscow + 6}").click().run()
    table = mentions_table(again)
    assert table[table["at"] == moscow].iloc[0]["resolved to"] == "Moscow"


def test_articles_from_the_corpus_store(store_path):
    with Store(store_path) as store:
        digest, _ = store.add_article(
            article_from_text(
                "Rebels shelled the Governorate of Idlib on Monday.",
                title="Shelling <b>report</b>",
                date="2022-03-01",
            )
        )
    at = new_app()
    assert any("Shelling" in o for o in at.multiselect(key="articles").options)
    at.multiselect(key="articles").set_value([f"store:{digest}"]).run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Shelling <b>report</b>"
    caption = " ".join(c.value for c in at.caption)
    assert "control as of 2022-03-01" in caption


def test_a_corrupt_store_is_reported_and_the_app_stays_up(store_path):
    store_path.write_bytes(b"not a database" * 64)
    at = new_app()
    assert any("corrupt" in w.value for w in at.warning)
    assert at.subheader[0].value.startswith("Israel-Russia agree")
    assert store_path.read_bytes() == b"not a database" * 64


def test_only_the_open_tab_is_computed_and_the_overview_charts(app):
    assert not app.get("vega_lite_chart")  # Overview closed: no chart sent
    open_tab(app, "Overview")
    assert len(app.get("vega_lite_chart")) >= 1
    assert not [d for d in app.dataframe if "resolved to" in d.value.columns]
    open_tab(app, "Summary")


def test_exports(app):
    open_tab(app, "Export")
    app.toggle(key="prepare_exports").set_value(True).run()
    assert not app.exception, app.exception
    labels = [b.label for b in app.get("download_button")]
    assert any("GeoJSON" in label for label in labels)
    assert any("standalone HTML" in label for label in labels)


def test_changes_between_two_chosen_dates(app):
    app.date_input(key="since_date").set_value(dt.date(2024, 11, 26))
    app.date_input(key="control_date").set_value(dt.date(2024, 12, 9)).run()
    assert not app.exception, app.exception
    text = text_of(app)
    assert "Changed between 2024-11-26 and 2024-12-09" in text
    changed = text.split("Changed between", 1)[1]
    assert "Aleppo" in changed and "Hama" in changed
    assert app.query_params["date"] in ("2024-12-09", ["2024-12-09"])
    assert app.query_params["since"] in ("2024-11-26", ["2024-11-26"])


def test_the_url_reopens_a_view(store_path):
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.query_params["article"] = SEED_KEY
    at.query_params["date"] = "2025-01-15"
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="articles").value == [SEED_KEY]
    caption = " ".join(c.value for c in at.caption)
    assert "control as of 2025-01-15" in caption
    assert "Changed between 2021-10-23 and 2025-01-15" in text_of(at)


def test_a_bad_url_date_is_ignored_with_a_warning(store_path):
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.query_params["date"] = "<script>"
    at.run()
    assert not at.exception, at.exception
    assert any("Ignored the URL's date" in w.value for w in at.warning)
    assert "control as of 2021-10-23" in " ".join(c.value for c in at.caption)
