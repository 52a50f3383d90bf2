"""One article through every stage: recognise, resolve, join, summarise.

:class:`Parser` holds the collaborators (gazetteer, spaCy pipeline,
boundaries, control table) so they are loaded once and can be swapped for
small ones in tests; :func:`result_to_json` renders the schema in DESIGN.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd

from geo.articles import Article, check_parsable
from geo.boundaries import load_admin0, load_admin1
from geo.control import ControlTable, load_control_table
from geo.extract import extract_mentions, load_nlp, mentions_for_spans
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.join import ControlFact, JoinedMention, RegionSummary, join_mentions
from geo.resolve import Rejected, resolve_mentions

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR.parent / "data"
# What a parse result depends on: the parsing code and the embedded data.
VERSIONED = (
    "articles.py",
    "gazetteer.py",
    "extract.py",
    "resolve.py",
    "boundaries.py",
    "control.py",
    "join.py",
    "pipeline.py",
)


@dataclass(frozen=True)
class ParseResult:
    """Everything the CLI and the dashboard show for one article.

    ``date_basis`` says where ``day`` came from: ``"article"`` (its own
    date), ``"chosen"`` (the user picked it) or ``"today"`` (the article has
    no date).
    """

    article: Article
    day: dt.date
    date_basis: str
    sentences: tuple[tuple[int, int], ...]
    mentions: tuple[JoinedMention, ...]
    regions: tuple[RegionSummary, ...]
    rejected: tuple[Rejected, ...]
    focus_country: str | None

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.article.text[start:end]


@cache
def parser_version() -> str:
    """``<package version>+<fingerprint>`` of the parsing code and embedded data.

    Any change to them gives a new version, so stored results of the old one
    are not reused (see :mod:`geo.store`).
    """
    from geo import __version__

    digest = hashlib.sha256()
    files = [PACKAGE_DIR / name for name in VERSIONED]
    for folder in ("control", "gazetteer", "boundaries"):
        files += sorted((DATA_DIR / folder).rglob("*"))
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


class Parser:
    """The geoparser with its collaborators passed in."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        nlp,
        admin1: gpd.GeoDataFrame,
        admin0: gpd.GeoDataFrame,
        control: ControlTable,
    ) -> None:
        self.gazetteer = gazetteer
        self.nlp = nlp
        self.admin1 = admin1
        self.admin0 = admin0
        self.control = control

    @classmethod
    def default(cls, progress: Callable[[str], None] | None = None) -> Parser:
        """The parser on the embedded data (gazetteer built on first use)."""
        return cls(
            load_gazetteer(progress=progress),
            load_nlp(),
            load_admin1(),
            load_admin0(),
            load_control_table(),
        )

    def parse(
        self,
        article: Article,
        day: dt.date | None = None,
        *,
        spans: Sequence[tuple[int, int]] | None = None,
    ) -> ParseResult:
        """Parse ``article`` and join it to control on ``day``.

        Parameters
        ----------
        day
            Control as of this date; defaults to the article's own date, then
            to today.
        spans
            Resolve-only mode: ``(start, end)`` character offsets into
            ``article.text`` taken as the places (recognition is skipped) and
            each resolved, whatever the gazetteer thinks of it.

        Raises
        ------
        ArticleError
            The text is longer than one parse may take (``MAX_ARTICLE_CHARS``)
            or is not Unicode (lone surrogates).
        ValueError
            A span is empty or outside the text.
        """
        check_parsable(article.text, name=article.path or article.title or "article")
        if day is not None:
            basis = "chosen"
        elif article.date is not None:
            day, basis = article.date, "article"
        else:
            day, basis = dt.date.today(), "today"
        if spans is None:
            extraction = extract_mentions(article.text, self.gazetteer, self.nlp)
        else:
            extraction = mentions_for_spans(
                article.text, list(spans), self.gazetteer, self.nlp
            )
        resolution = resolve_mentions(
            extraction, self.gazetteer, accept_all=spans is not None
        )
        joined, regions = join_mentions(
            resolution.resolved, self.admin1, self.admin0, self.control, day
        )
        return ParseResult(
            article=article,
            day=day,
            date_basis=basis,
            sentences=extraction.sentences,
            mentions=tuple(joined),
            regions=tuple(regions),
            rejected=resolution.rejected,
            focus_country=resolution.focus_country,
        )


def _control_json(facts: tuple[ControlFact, ...]) -> list[dict]:
    return [
        {"controller": f.controller, "share": f.share, "source": f.source}
        for f in facts
    ]


def result_to_geojson(result: ParseResult) -> dict:
    """``--format geojson``: a FeatureCollection of the mentions with a point.

    Each feature's properties are the mention's JSON fields (without
    ``lat``/``lon``, which are the geometry); the article travels as a foreign
    member. Country references and unplaced mentions have no point and are left
    out of the features but counted in ``unplaced``.
    """
    data = result_to_json(result)
    features = []
    for mention in data["mentions"]:
        lat, lon = mention["lat"], mention["lon"]
        if lat is None or lon is None or mention["kind"] == "country":
            continue
        properties = {k: v for k, v in mention.items() if k not in ("lat", "lon")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "article": data["article"],
        "unplaced": len(data["mentions"]) - len(features),
        "features": features,
    }


def result_to_json(result: ParseResult) -> dict:
    """The ``python -m geo parse --format json`` object (schema in DESIGN.md)."""
    article = result.article
    return {
        "article": {
            "title": article.title,
            "date": result.day.isoformat(),
            "source": article.source,
            "path": article.path,
        },
        "mentions": [
            {
                "start": jm.mention.start,
                "end": jm.mention.end,
                "text": jm.mention.text,
                "sentence": jm.mention.sentence,
                "kind": jm.mention.kind,
                "name": jm.mention.name,
                "lat": jm.mention.lat,
                "lon": jm.mention.lon,
                "country_code": jm.mention.country_code,
                "admin1_code": jm.mention.admin1_code,
                "geonameid": jm.mention.geonameid,
                "confidence": jm.mention.confidence,
                "evidence": list(jm.mention.evidence),
                "control": _control_json(jm.control),
            }
            for jm in result.mentions
        ],
        "regions": [
            {
                "admin1_code": r.admin1_code,
                "name": r.name,
                "controllers": _control_json(r.controllers),
                "sentences": list(r.sentences),
            }
            for r in result.regions
        ],
    }


def result_to_table(result: ParseResult) -> str:
    """A plain-text table of mentions for the terminal."""
    rows = [("text", "kind", "name", "country", "admin1", "conf", "control")]
    for jm in result.mentions:
        m = jm.mention
        control = ", ".join(f"{f.controller} {f.share:.0%}" for f in jm.control) or "-"
        rows.append(
            (
                m.text,
                m.kind,
                m.name,
                m.country_code or "-",
                m.admin1_code or "-",
                f"{m.confidence:.2f}",
                control,
            )
        )
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    lines = [
        f"{result.article.title} — control as of {result.day.isoformat()} "
        f"({result.date_basis} date)"
    ]
    for row in rows:
        lines.append(
            "  ".join(cell[:40].ljust(w) for cell, w in zip(row, widths, strict=True))
        )
    return "\n".join(lines)
