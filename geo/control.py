"""Dated control tables: who held each unit, from when to when, per which source.

A table is one or more CSV files of periods plus a controller vocabulary.
Every period row names a unit, one controller with its share of the unit,
``valid_from``/``valid_to`` (inclusive; empty ``valid_to`` = still in force),
a confidence and a source. Rows of one unit starting the same day form a
group whose shares sum to 1; groups of one unit never overlap in time, so at
most one group is in force per unit on any day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
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
REQUIRED_PERIOD_VALUES = ("unit_id", "name", "controller", "source")
CONFIDENCE = ("high", "medium", "low")
LEVELS = ("admin1", "area", "place")
SHARE_TOLERANCE = 0.01
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class ControlTableError(ValueError):
    """A control table is malformed; the message names the file and row."""


@dataclass(frozen=True)
class Controller:
    """One entry of the controller vocabulary (a map legend entry)."""

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
        """Is this period in force on ``day``?

        Parameters
        ----------
        day
            The date to test.

        Returns
        -------
        bool
            True when ``valid_from <= day <= valid_to`` (no upper bound when
            ``valid_to`` is None).
        """
        return self.valid_from <= day and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class ControlTable:
    """Controllers (id -> Controller, in file order) and their dated periods."""

    controllers: dict[str, Controller]
    periods: tuple[ControlPeriod, ...]

    def as_of(self, day: dt.date) -> dict[str, tuple[ControlPeriod, ...]]:
        """The periods in force on one day, per unit.

        Parameters
        ----------
        day
            The date whose control is wanted (e.g. an article's date).

        Returns
        -------
        dict
            Unit id -> periods in force that day, largest share first (ties by
            controller id). Units with nothing in force that day are absent.
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
        """Every period of one unit, oldest first.

        Parameters
        ----------
        unit_id
            The unit, e.g. ``"SY-ID"``.

        Returns
        -------
        tuple of ControlPeriod
            Sorted by ``valid_from``, then largest share first; empty for an
            unknown unit.
        """
        return tuple(
            sorted(
                (p for p in self.periods if p.unit_id == unit_id),
                key=lambda p: (p.valid_from, -p.share, p.controller),
            )
        )

    def units(self) -> dict[str, tuple[str, str, str | None]]:
        """Every unit in the table.

        Returns
        -------
        dict
            Unit id -> ``(name, level, admin1_code)``, in file order.
        """
        out: dict[str, tuple[str, str, str | None]] = {}
        for p in self.periods:
            out.setdefault(p.unit_id, (p.name, p.level, p.admin1_code))
        return out

    def coverage(self) -> tuple[dt.date, dt.date | None]:
        """The span of dates the table says anything about.

        Returns
        -------
        tuple
            Earliest ``valid_from`` and latest ``valid_to`` (None when some
            period is open-ended).

        Raises
        ------
        ControlTableError
            If the table has no periods.
        """
        if not self.periods:
            raise ControlTableError("control table has no periods")
        start = min(p.valid_from for p in self.periods)
        ends = [p.valid_to for p in self.periods]
        return start, None if None in ends else max(e for e in ends if e)

    def gaps(self, start: dt.date, end: dt.date) -> list[str]:
        """Where the table is silent between two dates.

        Parameters
        ----------
        start, end
            The first and last day to check (inclusive).

        Returns
        -------
        list of str
            One message per unit of the table that has no period in force on
            some day in ``[start, end]``, naming the uncovered date ranges,
            e.g. ``"SY-DR: no control data 2021-06-24..2021-07-01"``. Empty
            when every unit is covered on every day.
        """
        messages = []
        for unit in self.units():
            spans = sorted(
                {(p.valid_from, p.valid_to) for p in self.periods if p.unit_id == unit}
            )
            holes = []
            day: dt.date | None = start  # first day not yet known to be covered
            for valid_from, valid_to in spans:
                if day is None or day > end:
                    break
                if valid_to is not None and valid_to < day:
                    continue
                if valid_from > day:
                    holes.append((day, min(valid_from - dt.timedelta(days=1), end)))
                if valid_to is None or valid_to >= end:
                    day = None
                else:
                    day = valid_to + dt.timedelta(days=1)
            if day is not None and day <= end:
                holes.append((day, end))
            if holes:
                ranges = ", ".join(
                    a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}"
                    for a, b in holes
                )
                messages.append(f"{unit}: no control data {ranges}")
        return messages


def dominant(periods: Sequence[ControlPeriod]) -> ControlPeriod | None:
    """The period with the largest share.

    Parameters
    ----------
    periods
        Periods of one unit in force on one day (as from :meth:`ControlTable.as_of`).

    Returns
    -------
    ControlPeriod or None
        The largest share (the first of equals, so as_of's order breaks ties);
        None for no periods.
    """
    best: ControlPeriod | None = None
    for period in periods:
        if best is None or period.share > best.share:
            best = period
    return best


def control_as_of(
    table: ControlTable, day: dt.date
) -> dict[str, tuple[ControlPeriod, ...]]:
    """The periods in force on ``day``, per unit.

    Parameters
    ----------
    table
        A loaded control table.
    day
        The date whose control is wanted.

    Returns
    -------
    dict
        Same as :meth:`ControlTable.as_of`.
    """
    return table.as_of(day)


def _read_csv(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV as ``(spreadsheet row number, {column: stripped value})``."""
    if not path.is_file():
        raise ControlTableError(f"{path}: no such file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ControlTableError(
            f"{path}: not UTF-8 text (undecodable byte 0x{exc.object[exc.start]:02x} "
            f"at offset {exc.start}); save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise ControlTableError(f"{path}: cannot read ({exc.strerror})") from None
    # csv.reader, not DictReader: it yields blank lines too, so the row numbers
    # match what a spreadsheet shows (a quoted multi-line cell is one row).
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or not any(cell.strip() for cell in records[0]):
        raise ControlTableError(
            f"{path} row 1: empty file; expected a header with columns "
            f"{', '.join(columns)}"
        )
    header = [cell.strip() for cell in records[0]]
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing or extra or repeated:
        raise ControlTableError(
            f"{path} row 1: columns must be {', '.join(columns)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unexpected {', '.join(repr(c) for c in extra)}" if extra else "")
            + (f"; repeated {', '.join(repeated)}" if repeated else "")
        )
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(header):
            raise ControlTableError(
                f"{path} row {number}: {len(record)} fields, expected "
                f"{len(header)} ({', '.join(header)})"
            )
        rows.append(
            (number, {k: v.strip() for k, v in zip(header, record, strict=True)})
        )
    if not rows:
        raise ControlTableError(f"{path}: no data rows below the header")
    return rows


def _date(value: str, where: str, column: str) -> dt.date:
    if _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ControlTableError(
        f"{where}: {column} {value!r} is not a date; use YYYY-MM-DD"
    )


def load_controllers(path: Path | str) -> dict[str, Controller]:
    """Read and validate the controller vocabulary.

    Parameters
    ----------
    path
        A CSV with columns ``id,label,colour,description``.

    Returns
    -------
    dict
        Controller id -> :class:`Controller`, in file order.

    Raises
    ------
    ControlTableError
        On a missing file, bad columns, an empty or repeated id, or a colour
        that is not ``#rrggbb``.
    """
    path = Path(path)
    controllers: dict[str, Controller] = {}
    for number, row in _read_csv(path, CONTROLLER_COLUMNS):
        where = f"{path} row {number}"
        if not row["id"]:
            raise ControlTableError(f"{where}: empty id")
        if row["id"] in controllers:
            raise ControlTableError(f"{where}: controller {row['id']!r} listed twice")
        if not _COLOUR.fullmatch(row["colour"]):
            raise ControlTableError(
                f"{where}: colour {row['colour']!r} is not a hex colour #rrggbb"
            )
        controllers[row["id"]] = Controller(
            row["id"], row["label"] or row["id"], row["colour"], row["description"]
        )
    return controllers


def _parse_period(
    row: dict[str, str], where: str, number: int, controllers: dict[str, Controller]
) -> ControlPeriod:
    for column in REQUIRED_PERIOD_VALUES:
        if not row[column]:
            raise ControlTableError(f"{where}: empty {column}; a value is required")
    if row["controller"] not in controllers:
        raise ControlTableError(
            f"{where}: unknown controller {row['controller']!r}; "
            f"allowed: {', '.join(controllers)}"
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
            f"{where}: share {row['share']!r} is not a number; use a fraction "
            "in (0, 1], e.g. 0.25"
        ) from None
    if not 0 < share <= 1:  # also rejects nan
        raise ControlTableError(
            f"{where}: share {row['share']!r} must be in (0, 1] (a fraction of "
            "the unit)"
        )
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


def _check_units(periods: list[tuple[str, ControlPeriod]]) -> None:
    """One name/level/admin1_code per unit id."""
    identity: dict[str, tuple[str, tuple[str, str, str | None]]] = {}
    for where, p in periods:
        key = (p.name, p.level, p.admin1_code)
        first_where, first = identity.setdefault(p.unit_id, (where, key))
        if first != key:
            raise ControlTableError(
                f"{where}: unit {p.unit_id} has name/level/admin1_code "
                f"{key[0]!r}/{key[1]!r}/{key[2]!r}, but {first_where} gives "
                f"{first[0]!r}/{first[1]!r}/{first[2]!r}; use one spelling"
            )


def _check_groups(periods: list[tuple[str, ControlPeriod]]) -> None:
    """Groups (unit, valid_from): one end, distinct controllers, shares sum to 1,
    no overlap in time with the unit's other groups."""
    groups: dict[tuple[str, dt.date], list[tuple[str, ControlPeriod]]] = {}
    for where, p in periods:
        groups.setdefault((p.unit_id, p.valid_from), []).append((where, p))
    for (unit, start), members in groups.items():
        first_where, first = members[0]
        seen: dict[str, str] = {}
        for where, p in members:
            if p.controller in seen:
                raise ControlTableError(
                    f"{where}: controller {p.controller} appears twice for {unit} "
                    f"from {start} (also {seen[p.controller]}); merge the rows"
                )
            seen[p.controller] = where
            if p.valid_to != first.valid_to:
                raise ControlTableError(
                    f"{where}: valid_to {p.valid_to or 'empty'} differs from "
                    f"{first.valid_to or 'empty'} in {first_where}; rows of {unit} "
                    f"from {start} must end on the same day"
                )
        total = sum(p.share for _, p in members)
        if abs(total - 1) > SHARE_TOLERANCE:
            rows = ", ".join(str(p.row) for _, p in members)
            raise ControlTableError(
                f"{first_where}: shares of {unit} from {start} (rows {rows}) sum "
                f"to {total:.2f}; they must sum to 1 (±{SHARE_TOLERANCE})"
            )
    by_unit: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    for (unit, start), members in groups.items():
        where, first = members[0]
        by_unit.setdefault(unit, []).append((start, first.valid_to, where))
    for unit, spans in by_unit.items():
        spans.sort(key=lambda s: s[0])
        # Sorted by start, any overlap shows up between neighbours.
        for (s1, e1, w1), (s2, _e2, w2) in zip(spans, spans[1:], strict=False):
            if e1 is None or e1 >= s2:
                raise ControlTableError(
                    f"{w2}: period of {unit} from {s2} overlaps the one from {s1} "
                    f"({w1}, valid_to {e1 or 'empty = still in force'}); "
                    f"end that one on {s2 - dt.timedelta(days=1)} or earlier"
                )


def load_control_table(
    periods: Path | str | Iterable[Path | str] | None = None,
    controllers: Path | str | None = None,
) -> ControlTable:
    """Read and validate control periods and controllers.

    Parameters
    ----------
    periods
        One period CSV or several; default: every ``data/control/*.csv`` but
        the controller file.
    controllers
        The vocabulary CSV; default ``data/control/controllers.csv``.

    Returns
    -------
    ControlTable
        Periods in file order (files in the order given, default sorted).

    Raises
    ------
    ControlTableError
        With the file, the row, the value and what is allowed.
    """
    controllers_path = Path(
        controllers
        if controllers is not None
        else DEFAULT_CONTROL_DIR / CONTROLLER_FILE
    )
    vocabulary = load_controllers(controllers_path)
    if periods is None:
        paths = sorted(
            p for p in DEFAULT_CONTROL_DIR.glob("*.csv") if p.name != CONTROLLER_FILE
        )
        if not paths:
            raise ControlTableError(f"{DEFAULT_CONTROL_DIR}: no control period files")
    elif isinstance(periods, (str, Path)):
        paths = [Path(periods)]
    else:
        paths = [Path(p) for p in periods]
        if not paths:
            raise ControlTableError("no control period files given")
    parsed: list[tuple[str, ControlPeriod]] = []
    for path in paths:
        for number, row in _read_csv(path, PERIOD_COLUMNS):
            where = f"{path} row {number}"
            parsed.append((where, _parse_period(row, where, number, vocabulary)))
    _check_units(parsed)
    _check_groups(parsed)
    return ControlTable(vocabulary, tuple(p for _, p in parsed))
