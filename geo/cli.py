"""Command line: ``python -m geo parse FILE`` and ``python -m geo control``.

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

EXIT_BAD_INPUT = 2
USER_ERRORS = (ArticleError, BoundaryError, ControlTableError, GazetteerError, OSError)


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
    return parser


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


def _control(args) -> int:
    table = load_control_table()
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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = build_argument_parser().parse_args(argv)
    try:
        return _parse(args) if args.command == "parse" else _control(args)
    except USER_ERRORS as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
