"""Articles: the text a user brings, with its title, date and source.

Loads ``.txt``, ``.md`` (with an optional ``---`` front-matter block of
``key: value`` lines), ``.html``/``.htm`` (reduced to readable text) and
``.jsonl`` (one article per line).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
# What one parse may take: time grows faster than length when a text names
# thousands of distinct places (100,000 characters of them parse in about
# 20 s here; ordinary news text of that length in about 5 s).
MAX_ARTICLE_CHARS = 100_000
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
FRONT_MATTER_KEYS = ("title", "date", "source", "url")


class ArticleError(ValueError):
    """An article could not be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Article:
    """One article. ``text`` is what offsets in every result refer to."""

    text: str
    title: str = ""
    date: dt.date | None = None
    source: str = ""
    url: str = ""
    path: str = ""
    encoding: str = ""  # what the file was decoded from; "" for text given as str


def parse_date(value: str, *, where: str = "date") -> dt.date:
    """Parse ``YYYY-MM-DD``; raise :class:`ArticleError` naming ``where``."""
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ArticleError(
            f"{where}: {value!r} is not a date in the form YYYY-MM-DD"
        ) from None


# A well-formed UTF-8 multi-byte sequence. Windows-1252 text almost never
# holds one (it would read as "Ã©"-style pairs), so bytes that fail as UTF-8
# but hold one are UTF-8 damaged, not Windows-1252.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Control bytes no text file holds (tab, newlines and form feed allowed); the
# same in UTF-8 and Windows-1252.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode_bytes(data: bytes, *, name: str) -> tuple[str, str]:
    """Decode article bytes; returns the text and the encoding used.

    UTF-8 (with or without BOM), UTF-16 with BOM, and Windows-1252 (what
    Windows editors save as "ANSI") are read. Binary data and damaged UTF-8
    are refused rather than guessed, so a user never reads mojibake believing
    it is their article.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ArticleError(f"{name}: invalid UTF-16 text ({exc.reason})") from None
    head = data[:4096]
    if b"\x00" in head or len(_CONTROL.findall(head)) > len(head) // 100:
        raise ArticleError(f"{name}: looks like a binary file, not text")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1]
        damaged = ArticleError(
            f"{name}: not UTF-8 text (byte {exc.start}: {bad!r}); "
            "save it as UTF-8 and try again"
        )
        if _UTF8_SEQUENCE.search(data):
            raise damaged from None
        try:
            text, encoding = data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            raise damaged from None
    return text, encoding


def decode_text(data: bytes, *, name: str) -> str:
    """Decode article bytes (see :func:`decode_bytes`)."""
    return decode_bytes(data, name=name)[0]


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading ``---`` block of ``key: value`` lines from the body."""
    match = re.match(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", text, re.S)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip('"').strip("'")
    return meta, text[match.end() :]


class _ReadableText(HTMLParser):
    """Collects visible text; drops script, style and other non-content."""

    SKIP = {"script", "style", "noscript", "template", "iframe", "svg", "head"}
    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "title",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip_depth += 1
        if tag == "title":
            self._in_title = True
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip_depth:
            self._skip_depth -= 1
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """Readable text and ``<title>`` of an HTML page."""
    parser = _ReadableText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line), parser.title.strip()


def article_from_text(
    text: str,
    *,
    title: str = "",
    date: dt.date | str | None = None,
    source: str = "",
    url: str = "",
    path: str = "",
    name: str = "text",
    encoding: str = "",
) -> Article:
    """Build an :class:`Article` from text, refusing empty or oversized input."""
    if not text.strip():
        raise ArticleError(f"{name}: the article is empty")
    check_parsable(text, name=name)
    if isinstance(date, str):
        date = parse_date(date, where=f"{name}: date") if date.strip() else None
    if not title:
        first = text.strip().splitlines()[0].strip()
        title = first[:120]
    return Article(
        text=text,
        title=title,
        date=date,
        source=source,
        url=url,
        path=path,
        encoding=encoding,
    )


def check_parsable(text: str, *, name: str) -> None:
    """Refuse a text longer than one parse may take (:data:`MAX_ARTICLE_CHARS`)
    or holding a lone surrogate (JSON ``"\\ud800"`` decodes to one; it is not
    Unicode text, and neither spaCy nor the store can encode it)."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"{name}: the article is {len(text):,} characters; the limit is "
            f"{MAX_ARTICLE_CHARS:,} characters per article (split it into parts)"
        )
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise ArticleError(
            f"{name}: character {surrogate.start()} is a lone surrogate "
            f"({surrogate.group()!r}), not Unicode text; fix the source's encoding"
        )


def article_from_bytes(data: bytes, *, name: str, path: str = "") -> list[Article]:
    """Articles in a file's bytes, dispatching on the file name's suffix."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{name}: the file is {len(data) / 1e6:.1f} MB; the limit is "
            f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB"
        )
    suffix = Path(name).suffix.lower()
    text, encoding = decode_bytes(data, name=name)
    if suffix == ".jsonl":
        articles = _articles_from_jsonl(text, name=name, path=path)
        return [replace(a, encoding=encoding) for a in articles]
    if suffix in HTML_SUFFIXES:
        body, title = html_to_text(text)
        return [
            article_from_text(
                body, title=title, name=name, path=path, encoding=encoding
            )
        ]
    if suffix and suffix not in TEXT_SUFFIXES:
        raise ArticleError(
            f"{name}: unsupported file type {suffix!r}; use .txt, .md, .html or .jsonl"
        )
    meta, body = split_front_matter(text)
    return [
        article_from_text(
            body,
            name=name,
            path=path,
            encoding=encoding,
            **{k: meta[k] for k in FRONT_MATTER_KEYS if k in meta},
        )
    ]


def _articles_from_jsonl(text: str, *, name: str, path: str) -> list[Article]:
    articles = [
        jsonl_article(line, where=f"{name} line {number}", path=path)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    if not articles:
        raise ArticleError(f"{name}: no articles in the file")
    return articles


def jsonl_article(line: str, *, where: str, path: str = "") -> Article:
    """One JSON Lines row: an object with ``text`` and optional ``title``,
    ``date``, ``source``, ``url``."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise ArticleError(f"{where}: expected an object with a 'text' string")
    return article_from_text(
        row["text"],
        title=str(row.get("title") or ""),
        date=row.get("date"),
        source=str(row.get("source") or ""),
        url=str(row.get("url") or ""),
        path=path,
        name=where,
    )


def input_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and article files found (recursively, sorted) in folders."""
    known = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".jsonl")
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in known
            )
        else:
            yield path


def iter_articles(
    paths: Iterable[str | Path],
) -> Iterator[tuple[str, Article | ArticleError]]:
    """Every article in files, folders and JSON Lines, with where it came from.

    A bad file or JSON Lines row yields its :class:`ArticleError` in place of
    an article, so a caller can report it and go on. JSON Lines files are
    read a line at a time: the size limit applies to each article, not the file.
    """
    for path in input_files(paths):
        if path.suffix.lower() != ".jsonl":
            try:
                for article in load_articles(path):
                    yield str(path), article
            except ArticleError as exc:
                yield str(path), exc
            continue
        try:
            handle = path.open("rb")
        except OSError as exc:
            yield str(path), ArticleError(f"{path}: cannot read ({exc.strerror})")
            continue
        with handle:
            for number, raw in enumerate(handle, start=1):
                where = f"{path} line {number}"
                if not raw.strip():
                    continue
                try:
                    if len(raw) > MAX_ARTICLE_BYTES:
                        raise ArticleError(
                            f"{where}: the row is {len(raw) / 1e6:.1f} MB; the "
                            f"limit is {MAX_ARTICLE_BYTES / 1e6:.0f} MB"
                        )
                    line, encoding = decode_bytes(raw, name=where)
                    article = jsonl_article(line, where=where, path=str(path))
                    yield where, replace(article, encoding=encoding)
                except ArticleError as exc:
                    yield where, exc


def load_articles(path: str | Path) -> list[Article]:
    """Read the article(s) in one file.

    Raises
    ------
    ArticleError
        Missing, unreadable, empty, binary, badly encoded or oversized files.
    """
    path = Path(path)
    if not path.is_file():
        raise ArticleError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from None
    return article_from_bytes(data, name=str(path), path=str(path))


def load_article(path: str | Path) -> Article:
    """Read a single-article file (see :func:`load_articles`)."""
    articles = load_articles(path)
    if len(articles) != 1:
        raise ArticleError(f"{path}: holds {len(articles)} articles; expected one")
    return articles[0]


def with_date(article: Article, date: dt.date | None) -> Article:
    """The same article viewed as of another date (``None`` keeps its own)."""
    return article if date is None else replace(article, date=date)
