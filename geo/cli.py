"""Command line: ``python -m geo parse|control|ingest|batch``.

Bad input ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from geo.articles import (
    MAX_ARTICLE_BYTES,
    Article,
    ArticleError,
    decode_text,
    jsonl_article,
    load_articles,
    parse_date,
)
from geo.boundaries import BoundaryError
from geo.control import ControlTableError, load_control_table
from geo.gazetteer import GazetteerError
from geo.store import StoreError

EXIT_BAD_INPUT = 2


class SpansError(ValueError):
    """Resolve-only spans that cannot be used; the message says where and why."""


USER_ERRORS = (
    ArticleError,
    SpansError,
    BoundaryError,
    ControlTableError,
    GazetteerError,
    StoreError,
    OSError,
)


def _date(value: str) -> dt.date:
    try:
        return parse_date(value, where="--date")
    except ArticleError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse's own code)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_argument_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m geo", description="Conflict Atlas geoparser")
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )
    parse = commands.add_parser(
        "parse", help="find, resolve and join one article's places"
    )
    parse.add_argument("file", help=".txt, .md (front matter), .html or .jsonl")
    parse.add_argument(
        "--date",
        type=_date,
        help="control as of YYYY-MM-DD (default: the article's date)",
    )
    parse.add_argument(
        "--format",
        choices=("json", "table", "geojson", "jsonl"),
        default="json",
        help="jsonl: FILE is JSON Lines ({id, text, date?, spans?} per line); "
        "one result per line, in order, each with its id",
    )
    parse.add_argument(
        "--spans",
        metavar="SPANS.json",
        help='resolve-only: a JSON list [{"start": .., "end": ..}, ...] of '
        "character offsets to resolve instead of running recognition",
    )
    control = commands.add_parser("control", help="list control units on a date")
    control.add_argument(
        "--date", type=_date, default=None, help="YYYY-MM-DD (default: today)"
    )
    control.add_argument("--format", choices=("json", "table"), default="json")
    control.add_argument(
        "--check",
        action="store_true",
        help="validate the tables (exit 2 with row-numbered messages on problems)",
    )
    control.add_argument(
        "--control",
        action="append",
        metavar="PATH",
        help="your own period or places CSV (same columns; repeatable); "
        "replaces data/control/",
    )
    control.add_argument(
        "--controllers", metavar="PATH", help="controller vocabulary CSV"
    )
    control.add_argument(
        "--report",
        action="store_true",
        help="list the sources cited and the rows marked low confidence",
    )
    _add_corpus_commands(commands)
    return parser


def _add_corpus_commands(commands) -> None:
    ingest = commands.add_parser(
        "ingest", help="add articles to the corpus store (duplicates skipped)"
    )
    ingest.add_argument("paths", nargs="+", help="files, folders, .jsonl files")
    ingest.add_argument("--store", help="store file (default: $CONFLICT_ATLAS_STORE)")
    batch = commands.add_parser(
        "batch", help="parse many articles on Dask into GeoParquet of mentions"
    )
    batch.add_argument("inputs", nargs="+", help="files, folders, .jsonl files")
    batch.add_argument("--out", required=True, help="GeoParquet file to write")
    where = batch.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=2,
        help="local Dask worker processes (0: in this process, no Dask)",
    )
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    batch.add_argument(
        "--store", help="also keep articles and results in this corpus store"
    )


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def spans_from_json(value, *, where: str, text_length: int) -> list[tuple[int, int]]:
    """Check a decoded ``[{"start": int, "end": int}, ...]`` list against a text.

    Raises
    ------
    SpansError
        Naming ``where``, the offending item and what was expected.
    """
    if not isinstance(value, list):
        raise SpansError(
            f'{where}: expected a list of {{"start", "end"}} objects, '
            f"got {type(value).__name__}"
        )
    spans = []
    for number, item in enumerate(value):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), int) and not isinstance(item.get(key), bool)
            for key in ("start", "end")
        ):
            raise SpansError(
                f"{where}: span {number} is {json.dumps(item)[:60]}; expected an "
                'object with integer "start" and "end"'
            )
        start, end = item["start"], item["end"]
        if not 0 <= start < end <= text_length:
            raise SpansError(
                f"{where}: span {number} ({start}, {end}) is outside the text "
                f"(length {text_length}) or empty"
            )
        spans.append((start, end))
    return spans


def read_spans(path: str, text_length: int) -> list[tuple[int, int]]:
    """The spans in a ``--spans`` file, checked against the article's length."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except FileNotFoundError:
        raise SpansError(f"--spans {path}: no such file") from None
    except OSError as exc:
        raise SpansError(f"--spans {path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise SpansError(f"--spans {path}: the file is larger than the limit")
    try:
        value = json.loads(decode_text(data, name=f"--spans {path}"))
    except json.JSONDecodeError as exc:
        raise SpansError(
            f"--spans {path}: not valid JSON ({exc.msg} at line {exc.lineno})"
        ) from None
    return spans_from_json(value, where=f"--spans {path}", text_length=text_length)


def _parse(args) -> int:
    from geo.pipeline import (
        Parser,
        result_to_geojson,
        result_to_json,
        result_to_table,
    )

    if args.format == "jsonl":
        return _parse_jsonl(args)
    articles = load_articles(args.file)
    if len(articles) != 1:
        raise ArticleError(
            f"{args.file}: holds {len(articles)} articles; parse takes one"
        )
    if articles[0].encoding not in ("", "utf-8"):
        print(f"note: {args.file}: read as {articles[0].encoding}", file=sys.stderr)
    spans = None
    if args.spans is not None:
        spans = read_spans(args.spans, len(articles[0].text))
    parser = Parser.default(progress=_progress)
    result = parser.parse(articles[0], args.date, spans=spans)
    if args.format == "json":
        print(json.dumps(result_to_json(result), ensure_ascii=False, indent=1))
    elif args.format == "geojson":
        print(json.dumps(result_to_geojson(result), ensure_ascii=False, indent=1))
    else:
        print(result_to_table(result))
    return 0


def jsonl_row(
    line: str, *, where: str, path: str = ""
) -> tuple[str | int, Article, list[tuple[int, int]] | None]:
    """One ``--format jsonl`` input line: its ``id``, article and optional spans.

    Raises
    ------
    ArticleError, SpansError
        The line is not an object with an ``id`` and a ``text``, its date or
        spans are malformed, or a span falls outside the text.
    """
    article = jsonl_article(line, where=where, path=path)  # checks JSON and text
    row = json.loads(line)
    row_id = row.get("id")
    if isinstance(row_id, bool) or not isinstance(row_id, str | int):
        raise ArticleError(f"{where}: expected an 'id' string or integer")
    spans = row.get("spans")
    if spans is not None:
        # Offsets refer to the text as given, as every result's offsets do.
        spans = spans_from_json(
            spans, where=f"{where}: spans", text_length=len(article.text)
        )
    return row_id, article, spans


def _jsonl_lines(path: str):
    """``(line number, text or ArticleError)`` for each non-blank line."""
    if not Path(path).is_file():
        raise ArticleError(f"{path}: no such file")
    try:
        with Path(path).open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                where = f"{path} line {number}"
                if len(raw) > MAX_ARTICLE_BYTES:
                    yield (
                        number,
                        ArticleError(
                            f"{where}: the row is {len(raw) / 1e6:.1f} MB; the limit "
                            f"is {MAX_ARTICLE_BYTES / 1e6:.0f} MB"
                        ),
                    )
                    continue
                try:
                    yield number, decode_text(raw, name=where)
                except ArticleError as exc:
                    yield number, exc
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from None


def _parse_jsonl(args) -> int:
    """One JSON result per input line, in input order; bad lines reported, skipped.

    A line that fails gets no output line (the others carry their ``id``),
    one message on stderr naming its line number, and makes the exit code 2.
    """
    from geo.pipeline import Parser, result_to_json

    if args.spans is not None:
        raise SpansError(
            "--spans takes one article; with --format jsonl give each line "
            'its own "spans"'
        )
    parser = None
    failed = done = 0
    for number, line in _jsonl_lines(args.file):
        where = f"{args.file} line {number}"
        try:
            if isinstance(line, ArticleError):
                raise line
            row_id, article, spans = jsonl_row(line, where=where, path=args.file)
        except (ArticleError, SpansError) as exc:
            failed += 1
            print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
            continue
        if parser is None:
            parser = Parser.default(progress=_progress)
        result = parser.parse(article, args.date, spans=spans)
        record = {"id": row_id, **result_to_json(result)}
        print(json.dumps(record, ensure_ascii=False), flush=True)
        done += 1
    if failed:
        print(
            f"parse: {done} line(s) parsed, {failed} line(s) refused",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if not done:
        raise ArticleError(f"{args.file}: no articles in the file")
    return 0


def _control_check(args) -> int:
    from geo.control import check_control_table

    check = check_control_table(args.control, args.controllers, end=args.date)
    for message in check.warnings:
        print(f"warning: {message}", file=sys.stderr)
    if not check.ok:
        for message in check.errors:
            print(f"error: {message}", file=sys.stderr)
        print(f"control --check: {len(check.errors)} problem(s)", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(check.summary())
    return 0


def _control_report(table) -> None:
    print(f"sources cited ({len(table.sources())}):")
    for source in table.sources():
        print(f"  {source}")
    low = table.low_confidence()
    print(f"rows marked low confidence ({len(low)}):")
    for p in low:
        print(
            f"  row {p.row:>3} {p.unit_id:<20} {p.valid_from}..{p.valid_to or 'open'}"
            f" {p.controller} {p.share:.0%}: {p.note}"
        )


def _control(args) -> int:
    if args.check:
        return _control_check(args)
    table = load_control_table(args.control, args.controllers)
    if args.report:
        _control_report(table)
        return 0
    day = args.date or dt.date.today()
    in_force = table.as_of(day)
    units = []
    for unit_id, (name, level, admin1_code) in table.units().items():
        through = table.valid_through(unit_id)
        units.append(
            {
                "unit_id": unit_id,
                "name": name,
                "level": level,
                "admin1_code": admin1_code,
                "valid_through": through.isoformat() if through else None,
                "controllers": [
                    {
                        "controller": p.controller,
                        "share": p.share,
                        "confidence": p.confidence,
                        "valid_from": p.valid_from.isoformat(),
                        "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                        "source": p.source,
                        "quote": p.quote,
                        "derived": p.derived,
                    }
                    for p in in_force.get(unit_id, ())
                ],
            }
        )
    theatres = {
        t.theatre_id: {
            "name": t.name,
            "countries": list(t.country_codes),
            "valid_through": t.valid_through.isoformat(),
            "no_data_after": t.valid_through.isoformat()
            if day > t.valid_through
            else None,
        }
        for t in table.theatres.values()
    }
    if args.format == "json":
        print(
            json.dumps(
                {"date": day.isoformat(), "theatres": theatres, "units": units},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print(f"control as of {day.isoformat()}")
        for theatre_id, t in theatres.items():
            print(
                f"  theatre {theatre_id}: valid through {t['valid_through']}"
                + (
                    f"; no data after {t['no_data_after']}"
                    if t["no_data_after"]
                    else ""
                )
            )
        for unit in units:
            held = ", ".join(
                f"{c['controller']} {c['share']:.0%}" for c in unit["controllers"]
            )
            through = unit["valid_through"]
            empty = (
                f"no data after {through}"
                if through and day.isoformat() > through
                else "no data"
            )
            print(f"  {unit['unit_id']:<8} {unit['name']:<20} {held or empty}")
    return 0


def _ingest(args) -> int:
    from tqdm import tqdm

    from geo.articles import iter_articles
    from geo.store import Store

    added = duplicates = 0
    problems: list[str] = []
    with Store(args.store) as store:
        items = iter_articles(args.paths)
        bar = tqdm(items, desc="ingest", unit=" input", disable=None)
        for where, item in bar:
            if isinstance(item, ArticleError):
                problems.append(str(item))
                bar.write(f"skipped: {item}", file=sys.stderr)
                continue
            if item.encoding not in ("", "utf-8"):
                bar.write(f"note: {where}: read as {item.encoding}", file=sys.stderr)
            if store.add_article(item)[1]:
                added += 1
            else:
                duplicates += 1
        total = store.count()
        path = store.path
    print(
        f"{added} added, {duplicates} duplicate(s) skipped, {len(problems)} "
        f"input(s) refused; {total} article(s) in {path}",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if problems else 0


def _batch(args) -> int:
    from tqdm import tqdm

    from geo.articles import iter_articles
    from geo.batch import run_batch, write_mentions
    from geo.pipeline import parser_version
    from geo.store import Store, content_hash

    if args.workers < 0:
        raise ArticleError(f"--workers {args.workers}: use 0 or more")
    articles, problems = [], []
    for _where, item in iter_articles(args.inputs):
        if isinstance(item, ArticleError):
            problems.append(str(item))
            print(f"skipped: {item}", file=sys.stderr)
        else:
            articles.append(item)
    if not articles:
        raise ArticleError("no articles to parse in the inputs given")
    with tqdm(total=len(articles), desc="parse", unit=" article", disable=None) as bar:
        frame, report = run_batch(
            articles,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=bar.update,
        )
    out = write_mentions(frame, args.out)
    if args.store:
        version = parser_version()
        with Store(args.store) as store:
            for article in articles:
                digest, _ = store.add_article(article)
                result = report.results[content_hash(article.text)]
                day = dt.date.fromisoformat(result["article"]["date"])
                store.save_result(digest, version, day, result)
    print(
        f"{report.articles} article(s), {report.mentions} mention(s) on "
        f"{report.workers or 'no'} worker(s) -> {out}"
        + (f"; {len(problems)} input(s) refused" if problems else ""),
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if problems else 0


COMMANDS = {"ingest": _ingest, "batch": _batch}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = build_argument_parser().parse_args(argv)
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args)
        return _parse(args) if args.command == "parse" else _control(args)
    except USER_ERRORS as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
