"""Invariants of recognition and resolution on any text (hypothesis).

On any Unicode text the parser does not raise; every mention's text is the
article's slice at its offsets; offsets lie within the text and mentions do
not overlap; the same input gives the same output. The tiny gazetteer with the
real spaCy pipeline keeps most examples fast; a few run the full parser.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.articles import Article, ArticleError
from geo.extract import extract_mentions
from geo.resolve import resolve_mentions

# Names the tiny gazetteer knows, so generated text holds real candidates.
NAMES = [
    "Aleppo",
    "Idlib",
    "Hama",
    "Latakia",
    "Sochi",
    "Moscow",
    "Damascus",
    "Syria",
    "Russia",
    "Israel",
    "Governorate of Idlib",
    "northwestern Syria",
    "U.S.",
]
WORDS = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(["the", "in", "near", "city of", "President", ",", ".", "\n"]),
    st.text(min_size=1, max_size=12),  # any Unicode, surrogates and controls too
)
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(WORDS, max_size=40).map(" ".join),
)
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def check_spans(text: str, spans) -> None:
    """Within bounds, equal to the slice, in order and not overlapping."""
    previous_end = 0
    for start, end, span_text in spans:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == span_text
        assert start >= previous_end, (start, previous_end)
        previous_end = end


def parse_tiny(text: str, gazetteer, nlp):
    extraction = extract_mentions(text, gazetteer, nlp)
    return extraction, resolve_mentions(extraction, gazetteer)


@PROPERTY
@given(text=TEXTS)
def test_extract_and_resolve_hold_on_any_text(text, tiny_gazetteer, nlp):
    extraction, resolution = parse_tiny(text, tiny_gazetteer, nlp)
    check_spans(text, [(m.start, m.end, m.text) for m in extraction.mentions])
    check_spans(text, [(r.start, r.end, r.text) for r in resolution.resolved])
    for r in resolution.rejected:
        assert text[r.start : r.end] == r.text
    for start, end in extraction.sentences:
        assert 0 <= start <= end <= len(text)
    for r in resolution.resolved:
        assert 0 <= r.sentence < max(1, len(extraction.sentences))
        assert 0 <= r.confidence <= 1


@PROPERTY
@given(text=TEXTS)
def test_same_input_same_output(text, tiny_gazetteer, nlp):
    assert parse_tiny(text, tiny_gazetteer, nlp) == parse_tiny(
        text, tiny_gazetteer, nlp
    )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=TEXTS)
def test_full_parser_holds_on_any_text(text, full_parser):
    article = Article(text=text, title="t")
    first = full_parser.parse(article)
    check_spans(
        text,
        [(jm.mention.start, jm.mention.end, jm.mention.text) for jm in first.mentions],
    )
    for region in first.regions:
        assert all(0 <= i < len(first.sentences) for i in region.sentences)
    again = full_parser.parse(article)
    assert again.mentions == first.mentions and again.regions == first.regions


def test_lone_surrogates_are_refused_not_crashed_on(full_parser):
    """Not Unicode text (JSON "\\ud800" decodes to one): a clear error."""
    with pytest.raises(ArticleError, match="lone surrogate"):
        full_parser.parse(Article(text="\ud800 Idlib \udfff"))


@pytest.mark.parametrize(
    "text",
    [
        "Idlib\x00Aleppo\x07\x1b[31m",
        "\u202eIdlib\u202c and \u200bAleppo\ufeff",  # bidi overrides, zero width
        "İdlib IDLIB idlib Ｉｄｌｉｂ",  # case and width variants
        "A\u0301leppo and Hama\u0308",  # combining marks
        "🇸🇾 Idlib 👩‍👩‍👧 Aleppo",  # emoji sequences
    ],
)
def test_awkward_unicode(text, tiny_gazetteer, nlp, full_parser):
    extraction, resolution = parse_tiny(text, tiny_gazetteer, nlp)
    check_spans(text, [(r.start, r.end, r.text) for r in resolution.resolved])
    result = full_parser.parse(Article(text=text))
    check_spans(
        text,
        [(jm.mention.start, jm.mention.end, jm.mention.text) for jm in result.mentions],
    )
