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


def parse_date(value: str, *, where: str = "date") -> dt.date:
    """Parse ``YYYY-MM-DD``; raise :class:`ArticleError` naming ``where``."""
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ArticleError(
            f"{where}: {value!r} is not a date in the form YYYY-MM-DD"
        ) from None


def decode_text(data: bytes, *, name: str) -> str:
    """Decode article bytes as UTF-8 (with or without BOM) or UTF-16 with BOM.

    Binary data and other encodings are refused rather than guessed, so a
    user never reads mojibake believing it is their article.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ArticleError(f"{name}: invalid UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1]
        raise ArticleError(
            f"{name}: not UTF-8 text (byte {exc.start}: {bad!r}); "
            "save it as UTF-8 and try again"
        ) from None


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
) -> Article:
    """Build an :class:`Article` from text, refusing empty or oversized input."""
    if not text.strip():
        raise ArticleError(f"{name}: the article is empty")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{name}: the article is {size / 1e6:.1f} MB; the limit is "
            f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB"
        )
    if isinstance(date, str):
        date = parse_date(date, where=f"{name}: date") if date.strip() else None
    if not title:
        first = text.strip().splitlines()[0].strip()
        title = first[:120]
    return Article(text=text, title=title, date=date, source=source, url=url, path=path)


def article_from_bytes(data: bytes, *, name: str, path: str = "") -> list[Article]:
    """Articles in a file's bytes, dispatching on the file name's suffix."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{name}: the file is {len(data) / 1e6:.1f} MB; the limit is "
            f"{MAX_ARTICLE_BYTES / 1e6:.0f} MB"
        )
    suffix = Path(name).suffix.lower()
    text = decode_text(data, name=name)
    if suffix == ".jsonl":
        return _articles_from_jsonl(text, name=name, path=path)
    if suffix in HTML_SUFFIXES:
        body, title = html_to_text(text)
        return [article_from_text(body, title=title, name=name, path=path)]
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
                    line = decode_text(raw, name=where)
                    yield where, jsonl_article(line, where=where, path=str(path))
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
