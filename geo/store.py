"""The corpus store: articles, parse results and user corrections in SQLite.

One file, WAL mode, safe to kill at any moment: every article is written in
one transaction, so a crash leaves it either wholly stored or absent. Articles
are keyed by the SHA-256 of their text (one row per distinct article, however
often it is ingested); results by (content hash, parser version), so a new
parser re-parses only what it has not seen. The schema carries its version in
``PRAGMA user_version`` and is migrated forward on open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.articles import Article

# Each entry migrates the schema from version i to i + 1.
MIGRATIONS = (
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        date TEXT,
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        path TEXT NOT NULL,
        text TEXT NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE INDEX articles_date ON articles (date);
    CREATE TABLE results (
        content_hash TEXT NOT NULL REFERENCES articles (content_hash),
        parser_version TEXT NOT NULL,
        day TEXT NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (content_hash, parser_version)
    );
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL REFERENCES articles (content_hash),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('not_place', 'choose')),
        geonameid INTEGER,
        created_at TEXT NOT NULL,
        UNIQUE (content_hash, start, "end")
    );
    """,
    # v2: a chosen place is kept whole, so a correction re-applies even when
    # the gazetteer that offered it has changed.
    """
    ALTER TABLE corrections ADD COLUMN place TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(RuntimeError):
    """The store file cannot be opened, is locked, corrupt or from a newer version."""


@dataclass(frozen=True)
class StoredArticle:
    """An article as kept in the store."""

    id: int
    content_hash: str
    article: Article
    added_at: str


def content_hash(text: str) -> str:
    """The article's identity: SHA-256 of its text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_store_path() -> Path:
    """``$CONFLICT_ATLAS_STORE``, else ``atlas.sqlite`` in the user's data directory."""
    env = os.environ.get("CONFLICT_ATLAS_STORE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "conflict-atlas" / "atlas.sqlite"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """An open corpus store. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    path
        The SQLite file; created (with its folder) if missing. Default:
        :func:`default_store_path`.
    timeout
        Seconds to wait for another process's write lock before giving up.
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 10) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=timeout)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"store {self.path}: cannot open ({exc})") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"store {self.path}: {_explain(exc)}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"store {self.path}: schema version {version} is newer than this "
                f"program's ({SCHEMA_VERSION}); upgrade Conflict Atlas"
            )
        for number in range(version, SCHEMA_VERSION):
            # executescript commits first; the migration and its version bump
            # then run in one transaction.
            self._db.executescript(
                f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; "
                "COMMIT;"
            )

    # ---- articles --------------------------------------------------------

    def add_article(self, article: Article) -> tuple[str, bool]:
        """Store ``article`` unless its text is already there.

        Returns
        -------
        (content_hash, added)
            ``added`` is False for a duplicate (nothing is written).
        """
        digest = content_hash(article.text)
        try:
            with self._db:  # one transaction: the row is wholly there or absent
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO articles (content_hash, title, date, "
                    "source, url, path, text, added_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        digest,
                        article.title,
                        article.date.isoformat() if article.date else None,
                        article.source,
                        article.url,
                        article.path,
                        article.text,
                        _now(),
                    ),
                )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"store {self.path}: {_explain(exc)}") from None
        return digest, cursor.rowcount == 1

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def articles(self, *, newest_first: bool = False) -> Iterator[StoredArticle]:
        """Every stored article, by date (undated last) then insertion order."""
        order = "DESC" if newest_first else "ASC"
        rows = self._db.execute(
            "SELECT id, content_hash, title, date, source, url, path, text, added_at "
            f"FROM articles ORDER BY date IS NULL, date {order}, id {order}"
        )
        for row in rows:
            yield _stored(row)

    def catalogue(self) -> list[tuple[str, str, dt.date | None]]:
        """(content hash, title, date) of every article, newest first, no text."""
        rows = self._db.execute(
            "SELECT content_hash, title, date FROM articles "
            "ORDER BY date IS NULL, date DESC, id DESC"
        )
        return [(h, t, dt.date.fromisoformat(d) if d else None) for h, t, d in rows]

    def get(self, digest: str) -> StoredArticle | None:
        row = self._db.execute(
            "SELECT id, content_hash, title, date, source, url, path, text, added_at "
            "FROM articles WHERE content_hash = ?",
            (digest,),
        ).fetchone()
        return _stored(row) if row else None

    # ---- results ---------------------------------------------------------

    def save_result(
        self, digest: str, parser_version: str, day: dt.date, result: dict
    ) -> None:
        """Keep one parse result (the ``parse --format json`` object)."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?,?,?,?,?)",
                (
                    digest,
                    parser_version,
                    day.isoformat(),
                    json.dumps(result, ensure_ascii=False),
                    _now(),
                ),
            )

    def result(self, digest: str, parser_version: str) -> dict | None:
        row = self._db.execute(
            "SELECT result FROM results WHERE content_hash = ? AND parser_version = ?",
            (digest, parser_version),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def unparsed(self, parser_version: str) -> list[str]:
        """Hashes of articles with no result from ``parser_version``."""
        return [
            r[0]
            for r in self._db.execute(
                "SELECT a.content_hash FROM articles a LEFT JOIN results r "
                "ON r.content_hash = a.content_hash AND r.parser_version = ? "
                "WHERE r.content_hash IS NULL ORDER BY a.id",
                (parser_version,),
            )
        ]

    # ---- corrections -----------------------------------------------------

    def correct(
        self,
        digest: str,
        start: int,
        end: int,
        action: str,
        geonameid: int | None = None,
        place: dict | None = None,
    ) -> None:
        """Record that the span is not a place (``not_place``) or is another
        place (``choose``, with its GeoNames id and/or the chosen place's
        fields); replaces an earlier correction of the same span."""
        if action not in ("not_place", "choose"):
            raise ValueError(f"action {action!r}: use 'not_place' or 'choose'")
        if action == "choose" and geonameid is None and place is None:
            raise ValueError("action 'choose' needs the chosen place's geonameid")
        with self._db:
            self._db.execute(
                'INSERT OR REPLACE INTO corrections (content_hash, start, "end", '
                "action, geonameid, created_at, place) VALUES (?,?,?,?,?,?,?)",
                (
                    digest,
                    start,
                    end,
                    action,
                    geonameid,
                    _now(),
                    json.dumps(place, ensure_ascii=False) if place else None,
                ),
            )

    def uncorrect(self, digest: str, start: int, end: int) -> None:
        """Forget the correction of a span."""
        with self._db:
            self._db.execute(
                "DELETE FROM corrections WHERE content_hash = ? AND start = ? "
                'AND "end" = ?',
                (digest, start, end),
            )

    def corrections(self, digest: str) -> list[dict]:
        rows = self._db.execute(
            'SELECT start, "end", action, geonameid, place FROM corrections '
            "WHERE content_hash = ? ORDER BY start",
            (digest,),
        )
        return [
            {
                "start": s,
                "end": e,
                "action": a,
                "geonameid": g,
                **({"place": json.loads(p)} if p else {}),
            }
            for s, e, a, g, p in rows
        ]

    def integrity(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` or the first problem."""
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]


def add_articles(store: Store, articles: Iterable[Article]) -> tuple[int, int]:
    """Add many; returns (added, duplicates)."""
    added = duplicates = 0
    for article in articles:
        if store.add_article(article)[1]:
            added += 1
        else:
            duplicates += 1
    return added, duplicates


def _stored(row) -> StoredArticle:
    id_, digest, title, date, source, url, path, text, added_at = row
    article = Article(
        text=text,
        title=title,
        date=dt.date.fromisoformat(date) if date else None,
        source=source,
        url=url,
        path=path,
    )
    return StoredArticle(id_, digest, article, added_at)


def _explain(exc: sqlite3.DatabaseError) -> str:
    message = str(exc)
    if "not a database" in message or "malformed" in message:
        return f"not a Conflict Atlas store or corrupt ({message})"
    if "locked" in message or "busy" in message:
        return f"locked by another process ({message}); try again when it is done"
    return message
