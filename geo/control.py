"""Dated control tables: who held each unit, from when to when, per which source.

A table is one or more CSV files of periods plus a controller vocabulary.
Every period row names a unit, one controller with its share of the unit,
``valid_from``/``valid_to`` (inclusive; empty ``valid_to`` = still in force),
a confidence and a source. Rows of one unit starting the same day form a
group whose shares sum to 1; groups of one unit never overlap in time.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONTROL_DIR = Path(__file__).resolve().parent.parent / "data" / "control"
CONTROLLER_FILE = "controllers.csv"
CONTROLLER_COLUMNS = ("id", "label", "colour", "description")
PERIOD_COLUMNS = (
    "unit_id",
    "name",
    "level",
    "admin1_code",
    "valid_from",
    "valid_to",
    "controller",
    "share",
    "confidence",
    "source",
    "note",
)
CONFIDENCE = ("high", "medium", "low")
LEVELS = ("admin1", "area", "place")
SHARE_TOLERANCE = 0.01


class ControlTableError(ValueError):
    """A control table is malformed; the message names the file and row."""


@dataclass(frozen=True)
class Controller:
    id: str
    label: str
    colour: str
    description: str


@dataclass(frozen=True)
class ControlPeriod:
    """One controller's share of one unit over a date range (inclusive)."""

    unit_id: str
    name: str
    level: str
    admin1_code: str | None
    controller: str
    share: float
    confidence: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    note: str
    row: int

    def covers(self, day: dt.date) -> bool:
        """Is this period in force on ``day``?"""
        return self.valid_from <= day and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class ControlTable:
    """Controllers and their dated periods."""

    controllers: dict[str, Controller]
    periods: tuple[ControlPeriod, ...]

    def as_of(self, day: dt.date) -> dict[str, tuple[ControlPeriod, ...]]:
        """Unit id -> the periods in force on ``day``, largest share first.

        Units with nothing in force that day are absent.
        """
        found: dict[str, list[ControlPeriod]] = {}
        for period in self.periods:
            if period.covers(day):
                found.setdefault(period.unit_id, []).append(period)
        return {
            unit: tuple(sorted(ps, key=lambda p: (-p.share, p.controller)))
            for unit, ps in found.items()
        }

    def history(self, unit_id: str) -> tuple[ControlPeriod, ...]:
        """Every period of one unit, oldest first."""
        return tuple(
            sorted(
                (p for p in self.periods if p.unit_id == unit_id),
                key=lambda p: (p.valid_from, -p.share),
            )
        )

    def units(self) -> dict[str, tuple[str, str, str | None]]:
        """Unit id -> (name, level, admin1_code), in file order."""
        out: dict[str, tuple[str, str, str | None]] = {}
        for p in self.periods:
            out.setdefault(p.unit_id, (p.name, p.level, p.admin1_code))
        return out

    def coverage(self) -> tuple[dt.date, dt.date | None]:
        """Earliest ``valid_from`` and latest ``valid_to`` (``None``: open-ended)."""
        if not self.periods:
            raise ControlTableError("control table has no periods")
        start = min(p.valid_from for p in self.periods)
        ends = [p.valid_to for p in self.periods]
        return start, None if None in ends else max(ends)

    def gaps(self, start: dt.date, end: dt.date) -> list[str]:
        """A message for each unit left uncovered on some day in ``[start, end]``."""
        messages = []
        for unit in self.units():
            ranges = sorted(
                {(p.valid_from, p.valid_to) for p in self.periods if p.unit_id == unit}
            )
            day = start
            for valid_from, valid_to in ranges:
                if valid_to is not None and valid_to < day:
                    continue
                if valid_from > day:
                    break
                day = (
                    dt.date.max if valid_to is None else valid_to + dt.timedelta(days=1)
                )
                if day > end:
                    break
            if day <= end:
                messages.append(f"{unit}: no control data on {day.isoformat()}")
        return messages


def dominant(periods: Sequence[ControlPeriod]) -> ControlPeriod | None:
    """The period with the largest share (``None`` for none)."""
    return max(periods, key=lambda p: p.share, default=None)


def control_as_of(
    table: ControlTable, day: dt.date
) -> dict[str, tuple[ControlPeriod, ...]]:
    """Same as :meth:`ControlTable.as_of`."""
    return table.as_of(day)


def _read_csv(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise ControlTableError(f"{path}: no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ControlTableError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ControlTableError(f"{path}: cannot read ({exc.strerror})") from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    if not header:
        raise ControlTableError(
            f"{path}: empty file; expected columns {', '.join(columns)}"
        )
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    if missing or extra:
        raise ControlTableError(
            f"{path} row 1: columns must be {', '.join(columns)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unexpected {', '.join(extra)}" if extra else "")
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise ControlTableError(f"{path} row {number}: more fields than columns")
        rows.append((number, {k: (v or "").strip() for k, v in row.items()}))
    if not rows:
        raise ControlTableError(f"{path}: no data rows")
    return rows


def _date(value: str, where: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ControlTableError(
            f"{where}: {column} {value!r} is not a date (YYYY-MM-DD)"
        ) from None


def load_controllers(path: Path | str) -> dict[str, Controller]:
    """Read and validate the controller vocabulary."""
    path = Path(path)
    controllers: dict[str, Controller] = {}
    for number, row in _read_csv(path, CONTROLLER_COLUMNS):
        where = f"{path} row {number}"
        if not row["id"]:
            raise ControlTableError(f"{where}: empty id")
        if row["id"] in controllers:
            raise ControlTableError(f"{where}: controller {row['id']!r} listed twice")
        colour = row["colour"]
        if not (
            len(colour) == 7
            and colour[0] == "#"
            and all(c in "0123456789abcdefABCDEF" for c in colour[1:])
        ):
            raise ControlTableError(f"{where}: colour {colour!r} is not #rrggbb")
        controllers[row["id"]] = Controller(
            row["id"], row["label"] or row["id"], colour, row["description"]
        )
    return controllers


def _parse_period(
    row: dict[str, str], where: str, number: int, controllers: dict[str, Controller]
) -> ControlPeriod:
    for column in ("unit_id", "name", "controller", "source"):
        if not row[column]:
            raise ControlTableError(f"{where}: empty {column}")
    if row["controller"] not in controllers:
        raise ControlTableError(
            f"{where}: unknown controller {row['controller']!r}; "
            f"known: {', '.join(controllers)}"
        )
    if row["level"] not in LEVELS:
        raise ControlTableError(
            f"{where}: level {row['level']!r} must be one of {', '.join(LEVELS)}"
        )
    if row["confidence"] not in CONFIDENCE:
        raise ControlTableError(
            f"{where}: confidence {row['confidence']!r} must be one of "
            f"{', '.join(CONFIDENCE)}"
        )
    try:
        share = float(row["share"])
    except ValueError:
        raise ControlTableError(
            f"{where}: share {row['share']!r} is not a number"
        ) from None
    if not 0 < share <= 1:
        raise ControlTableError(f"{where}: share {share} must be in (0, 1]")
    valid_from = _date(row["valid_from"], where, "valid_from")
    valid_to = _date(row["valid_to"], where, "valid_to") if row["valid_to"] else None
    if valid_to is not None and valid_to < valid_from:
        raise ControlTableError(
            f"{where}: valid_to {valid_to} is before valid_from {valid_from}"
        )
    return ControlPeriod(
        unit_id=row["unit_id"],
        name=row["name"],
        level=row["level"],
        admin1_code=row["admin1_code"] or None,
        controller=row["controller"],
        share=share,
        confidence=row["confidence"],
        valid_from=valid_from,
        valid_to=valid_to,
        source=row["source"],
        note=row["note"],
        row=number,
    )


def _check_groups(periods: list[tuple[str, ControlPeriod]]) -> None:
    groups: dict[tuple[str, dt.date], list[tuple[str, ControlPeriod]]] = {}
    identity: dict[str, tuple[str, tuple[str, str, str | None]]] = {}
    for where, p in periods:
        key = (p.name, p.level, p.admin1_code)
        first = identity.setdefault(p.unit_id, (where, key))
        if first[1] != key:
            raise ControlTableError(
                f"{where}: unit {p.unit_id} has name/level/admin1_code {key}, "
                f"but {first[0]} gives {first[1]}"
            )
        groups.setdefault((p.unit_id, p.valid_from), []).append((where, p))
    for (unit, start), members in groups.items():
        where = members[0][0]
        seen: set[str] = set()
        for w, p in members:
            if p.controller in seen:
                raise ControlTableError(
                    f"{w}: controller {p.controller} twice for {unit} from {start}"
                )
            seen.add(p.controller)
            if p.valid_to != members[0][1].valid_to:
                raise ControlTableError(
                    f"{w}: rows of {unit} from {start} must share one valid_to"
                )
        total = sum(p.share for _, p in members)
        if abs(total - 1) > SHARE_TOLERANCE:
            raise ControlTableError(
                f"{where}: shares of {unit} from {start} sum to {total:.2f}, not 1"
            )
    by_unit: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    for (unit, start), members in groups.items():
        by_unit.setdefault(unit, []).append(
            (start, members[0][1].valid_to, members[0][0])
        )
    for unit, ranges in by_unit.items():
        ranges.sort(key=lambda r: r[0])
        for (s1, e1, w1), (s2, _e2, w2) in zip(ranges, ranges[1:], strict=False):
            if e1 is None or e1 >= s2:
                raise ControlTableError(
                    f"{w2}: period of {unit} from {s2} overlaps the one from {s1} "
                    f"({w1}, valid_to {e1 or 'open'})"
                )


def load_control_table(
    periods: Path | str | Iterable[Path | str] | None = None,
    controllers: Path | str | None = None,
) -> ControlTable:
    """Read and validate control periods and controllers.

    Parameters
    ----------
    periods
        One CSV or several; default: every ``data/control/*.csv`` but the
        controller file.
    controllers
        The vocabulary CSV; default ``data/control/controllers.csv``.

    Raises
    ------
    ControlTableError
        With the file, the row and what is wrong.
    """
    controllers_path = Path(controllers or DEFAULT_CONTROL_DIR / CONTROLLER_FILE)
    vocabulary = load_controllers(controllers_path)
    if periods is None:
        paths = sorted(
            p for p in DEFAULT_CONTROL_DIR.glob("*.csv") if p.name != CONTROLLER_FILE
        )
    elif isinstance(periods, (str, Path)):
        paths = [Path(periods)]
    else:
        paths = [Path(p) for p in periods]
    if not paths:
        raise ControlTableError(f"no control period files in {DEFAULT_CONTROL_DIR}")
    parsed: list[tuple[str, ControlPeriod]] = []
    for path in paths:
        for number, row in _read_csv(path, PERIOD_COLUMNS):
            where = f"{path} row {number}"
            parsed.append((where, _parse_period(row, where, number, vocabulary)))
    _check_groups(parsed)
    return ControlTable(vocabulary, tuple(p for _, p in parsed))
