from __future__ import annotations

import datetime as dt
import json

import pytest

from geo.articles import (
    MAX_ARTICLE_BYTES,
    ArticleError,
    article_from_bytes,
    html_to_text,
    load_article,
    load_articles,
)

from .conftest import SEED_ARTICLE, shared_file


def test_seed_article_has_front_matter_and_unchanged_text():
    article = load_article(SEED_ARTICLE)
    assert article.date == dt.date(2021, 10, 23)
    assert article.title.startswith("Israel-Russia agree")
    assert article.source
    seed = shared_file("seed", "000_65120ade7986da83.txt")
    assert article.text == seed.read_text(encoding="utf-8")


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\ndate: 2020-01-02\nsource: S\n---\nBody.\n")
    article = load_article(path)
    assert (article.title, article.date, article.source, article.text) == (
        "T",
        dt.date(2020, 1, 2),
        "S",
        "Body.\n",
    )


def test_plain_text_title_is_first_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Headline here\nBody.")
    assert load_article(path).title == "Headline here"


def test_html_is_reduced_to_readable_text():
    text, title = html_to_text(
        "<html><head><title>Hi</title><style>p{}</style></head><body><p>One</p>"
        "<script>alert(1)</script><p>Two &amp; three</p></body></html>"
    )
    assert title == "Hi"
    assert text == "One\nTwo & three"


def test_jsonl_reads_each_line_and_names_bad_lines(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": "A", "date": "2021-01-01"})
        + "\n"
        + json.dumps({"text": "B"})
        + "\n"
    )
    assert [a.text for a in load_articles(path)] == ["A", "B"]
    path.write_text(json.dumps({"text": "A"}) + "\n{oops\n")
    with pytest.raises(ArticleError, match="line 2"):
        load_articles(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"   \n", "empty"),
        ("bin.txt", b"\x00\x01\x02binary", "binary"),
        ("damaged.txt", "café".encode() + b"\xe2\x80", "not UTF-8"),
        ("x.pdf", b"%PDF-1.4", "unsupported file type"),
        ("big.txt", b"a" * (MAX_ARTICLE_BYTES + 1), "limit"),
        ("date.md", b"---\ndate: soon\n---\nText", "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_with_a_message(name, data, message):
    with pytest.raises(ArticleError, match=message):
        article_from_bytes(data, name=name)


def test_utf16_with_bom_is_read():
    (article,) = article_from_bytes("Aleppo".encode("utf-16"), name="a.txt")
    assert article.text == "Aleppo"


def test_missing_file(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        load_article(tmp_path / "nope.txt")
