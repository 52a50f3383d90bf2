"""Command line: ``python -m geo parse|control|ingest|batch``.

Bad input ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from geo.articles import ArticleError, load_articles, parse_date
from geo.boundaries import BoundaryError
from geo.control import ControlTableError, load_control_table
from geo.gazetteer import GazetteerError
from geo.store import StoreError

EXIT_BAD_INPUT = 2
USER_ERRORS = (
    ArticleError,
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
    parse.add_argument("--format", choices=("json", "table", "geojson"), default="json")
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


def _parse(args) -> int:
    from geo.pipeline import (
        Parser,
        result_to_geojson,
        result_to_json,
        result_to_table,
    )

    articles = load_articles(args.file)
    if len(articles) != 1:
        raise ArticleError(
            f"{args.file}: holds {len(articles)} articles; parse takes one"
        )
    parser = Parser.default(progress=_progress)
    result = parser.parse(articles[0], args.date)
    if args.format == "json":
        print(json.dumps(result_to_json(result), ensure_ascii=False, indent=1))
    elif args.format == "geojson":
        print(json.dumps(result_to_geojson(result), ensure_ascii=False, indent=1))
    else:
        print(result_to_table(result))
    return 0


def _control_check(args) -> int:
    from geo.control import check_control_table

    check = check_control_table(args.control, args.controllers, end=args.date)
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
        units.append(
            {
                "unit_id": unit_id,
                "name": name,
                "level": level,
                "admin1_code": admin1_code,
                "controllers": [
                    {
                        "controller": p.controller,
                        "share": p.share,
                        "confidence": p.confidence,
                        "valid_from": p.valid_from.isoformat(),
                        "valid_to": p.valid_to.isoformat() if p.valid_to else None,
                        "source": p.source,
                    }
                    for p in in_force.get(unit_id, ())
                ],
            }
        )
    if args.format == "json":
        print(
            json.dumps(
                {"date": day.isoformat(), "units": units}, ensure_ascii=False, indent=1
            )
        )
    else:
        print(f"control as of {day.isoformat()}")
        for unit in units:
            held = ", ".join(
                f"{c['controller']} {c['share']:.0%}" for c in unit["controllers"]
            )
            print(f"  {unit['unit_id']:<8} {unit['name']:<20} {held or 'no data'}")
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
        for _where, item in bar:
            if isinstance(item, ArticleError):
                problems.append(str(item))
                bar.write(f"skipped: {item}", file=sys.stderr)
            elif store.add_article(item)[1]:
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
