"""Dated control tables: who held each unit, from when to when, per which source.

A table is one or more CSV files of periods plus a controller vocabulary.
Every period row names a unit, one controller with its share of the unit,
``valid_from``/``valid_to`` (inclusive; empty ``valid_to`` = still in force),
a confidence and a source. Rows of one unit starting the same day form a
group whose shares sum to 1; groups of one unit never overlap in time, so at
most one group is in force per unit on any day.

Units are governorates (``level`` ``admin1``, keyed by ISO 3166-2) or
contested sub-areas (``place``/``area``, keyed by a slug such as
``sy-manbij``) whose point and radius come from a separate places file
(columns :data:`PLACE_COLUMNS`). A sub-area's rows may cover only part of the
time line: before and after them its governorate's control applies.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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
# A places file gives each sub-area its point (EPSG:4326) and radius.
PLACE_COLUMNS = (
    "unit_id",
    "name",
    "level",
    "admin1_code",
    "lat",
    "lon",
    "radius_km",
    "geonameid",
    "source",
    "note",
)
DEFAULT_RADIUS_KM = 5.0
# The day the shipped tables start (the uprising of 15 March 2011).
TABLE_START = dt.date(2011, 3, 15)
# Units --check requires on every day from TABLE_START to today: Syria's 14
# governorates (ISO 3166-2) and Natural Earth's UNDOF pseudo-unit.
SYRIA_ADMIN1 = (
    "SY-DI",
    "SY-RD",
    "SY-QU",
    "SY-DR",
    "SY-SU",
    "SY-HI",
    "SY-HM",
    "SY-ID",
    "SY-LA",
    "SY-TA",
    "SY-HL",
    "SY-RA",
    "SY-HA",
    "SY-DY",
    "SY-X01~",
)
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
class SubArea:
    """Where a sub-area lies: a point and the radius a mention must fall within."""

    unit_id: str
    name: str
    level: str
    admin1_code: str
    lat: float
    lon: float
    radius_km: float
    geonameid: int | None
    source: str
    note: str
    row: int


@dataclass(frozen=True)
class ControlTable:
    """Controllers (id -> Controller, in file order), their dated periods, and
    the points of the sub-areas (unit id -> SubArea)."""

    controllers: dict[str, Controller]
    periods: tuple[ControlPeriod, ...]
    places: dict[str, SubArea] = field(default_factory=dict)

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

    def admin1_units(self) -> dict[str, tuple[str, str, str | None]]:
        """The units drawn as polygons (``level`` ``admin1``), as :meth:`units`."""
        return {k: v for k, v in self.units().items() if v[1] == "admin1"}

    def span(self, unit_id: str) -> tuple[dt.date, dt.date | None] | None:
        """First ``valid_from`` and last ``valid_to`` (None = open) of one unit.

        Returns
        -------
        tuple or None
            None for a unit without periods.
        """
        periods = [p for p in self.periods if p.unit_id == unit_id]
        if not periods:
            return None
        ends = [p.valid_to for p in periods]
        end = None if None in ends else max(e for e in ends if e)
        return min(p.valid_from for p in periods), end

    def sources(self) -> list[str]:
        """Every distinct source cited, sorted.

        A ``source`` cell may cite several, separated by ``;``; a trailing
        parenthesised remark ("(end of the period only)") is dropped so that
        one source is listed once.
        """
        cited = set()
        for p in self.periods:
            for citation in _split_citations(p.source):
                cited.add(re.sub(r"\s+\([^()]*\)$", "", citation))
        return sorted(cited)

    def low_confidence(self) -> tuple[ControlPeriod, ...]:
        """The periods marked ``low``, in file order."""
        return tuple(p for p in self.periods if p.confidence == "low")

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

    def gaps(
        self, start: dt.date, end: dt.date, units: Iterable[str] | None = None
    ) -> list[str]:
        """Where the table is silent between two dates.

        Parameters
        ----------
        start, end
            The first and last day to check (inclusive).
        units
            The units to check; default every unit of the table.

        Returns
        -------
        list of str
            One message per unit of the table that has no period in force on
            some day in ``[start, end]``, naming the uncovered date ranges,
            e.g. ``"SY-DR: no control data 2021-06-24..2021-07-01"``. Empty
            when every unit is covered on every day.
        """
        messages = []
        for unit in self.units() if units is None else units:
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


def _split_citations(source: str) -> list[str]:
    """Split a source cell at ``;`` outside parentheses."""
    parts, depth, current = [], 0, []
    for char in source:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


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


def _unit_messages(periods: list[tuple[str, ControlPeriod]]) -> Iterator[str]:
    """One name/level/admin1_code per unit id."""
    identity: dict[str, tuple[str, tuple[str, str, str | None]]] = {}
    for where, p in periods:
        key = (p.name, p.level, p.admin1_code)
        first_where, first = identity.setdefault(p.unit_id, (where, key))
        if first != key:
            yield (
                f"{where}: unit {p.unit_id} has name/level/admin1_code "
                f"{key[0]!r}/{key[1]!r}/{key[2]!r}, but {first_where} gives "
                f"{first[0]!r}/{first[1]!r}/{first[2]!r}; use one spelling"
            )


def _group_messages(periods: list[tuple[str, ControlPeriod]]) -> Iterator[str]:
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
                yield (
                    f"{where}: controller {p.controller} appears twice for {unit} "
                    f"from {start} (also {seen[p.controller]}); merge the rows"
                )
            seen[p.controller] = where
            if p.valid_to != first.valid_to:
                yield (
                    f"{where}: valid_to {p.valid_to or 'empty'} differs from "
                    f"{first.valid_to or 'empty'} in {first_where}; rows of {unit} "
                    f"from {start} must end on the same day"
                )
        total = sum(p.share for _, p in members)
        if abs(total - 1) > SHARE_TOLERANCE:
            rows = ", ".join(str(p.row) for _, p in members)
            yield (
                f"{first_where}: shares of {unit} from {start} (rows {rows}) sum "
                f"to {total:.2f}; they must sum to 1 (±{SHARE_TOLERANCE})"
            )
    for unit, spans in _spans_by_unit(groups).items():
        # Sorted by start, any overlap shows up between neighbours.
        for (s1, e1, w1), (s2, _e2, w2) in zip(spans, spans[1:], strict=False):
            if e1 is None or e1 >= s2:
                yield (
                    f"{w2}: period of {unit} from {s2} overlaps the one from {s1} "
                    f"({w1}, valid_to {e1 or 'empty = still in force'}); "
                    f"end that one on {s2 - dt.timedelta(days=1)} or earlier"
                )


def _spans_by_unit(
    groups: dict[tuple[str, dt.date], list[tuple[str, ControlPeriod]]],
) -> dict[str, list[tuple[dt.date, dt.date | None, str]]]:
    """Unit -> its groups as (valid_from, valid_to, where of the first row), sorted."""
    by_unit: dict[str, list[tuple[dt.date, dt.date | None, str]]] = {}
    for (unit, start), members in groups.items():
        where, first = members[0]
        by_unit.setdefault(unit, []).append((start, first.valid_to, where))
    for spans in by_unit.values():
        spans.sort(key=lambda s: s[0])
    return by_unit


def _parse_place(row: dict[str, str], where: str, number: int) -> SubArea:
    for column in ("unit_id", "name", "admin1_code", "source"):
        if not row[column]:
            raise ControlTableError(f"{where}: empty {column}; a value is required")
    if row["level"] not in ("area", "place"):
        raise ControlTableError(
            f"{where}: level {row['level']!r} must be area or place (a sub-area; "
            "governorates are drawn from the boundary polygons)"
        )
    numbers = {}
    for column, low, high in (("lat", -90, 90), ("lon", -180, 180)):
        try:
            numbers[column] = float(row[column])
        except ValueError:
            raise ControlTableError(
                f"{where}: {column} {row[column]!r} is not a number; give decimal "
                "degrees (EPSG:4326)"
            ) from None
        if not low <= numbers[column] <= high:
            raise ControlTableError(
                f"{where}: {column} {row[column]} is outside {low}..{high}"
            )
    try:
        radius = float(row["radius_km"]) if row["radius_km"] else DEFAULT_RADIUS_KM
    except ValueError:
        raise ControlTableError(
            f"{where}: radius_km {row['radius_km']!r} is not a number of km"
        ) from None
    if not 0 < radius <= 200:
        raise ControlTableError(f"{where}: radius_km {radius} must be in (0, 200]")
    if row["geonameid"] and not row["geonameid"].isdigit():
        raise ControlTableError(
            f"{where}: geonameid {row['geonameid']!r} is not a GeoNames id (digits)"
        )
    return SubArea(
        unit_id=row["unit_id"],
        name=row["name"],
        level=row["level"],
        admin1_code=row["admin1_code"],
        lat=numbers["lat"],
        lon=numbers["lon"],
        radius_km=radius,
        geonameid=int(row["geonameid"]) if row["geonameid"] else None,
        source=row["source"],
        note=row["note"],
        row=number,
    )


def _is_places_file(path: Path) -> bool:
    """Whether a CSV's header is a places file's (it has lat and lon)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError):
        return False  # _read_csv reports it properly
    names = {cell.strip() for cell in header}
    return {"lat", "lon"} <= names


def _period_paths(periods: Path | str | Iterable[Path | str] | None) -> list[Path]:
    if periods is None:
        paths = sorted(
            p for p in DEFAULT_CONTROL_DIR.glob("*.csv") if p.name != CONTROLLER_FILE
        )
        if not paths:
            raise ControlTableError(f"{DEFAULT_CONTROL_DIR}: no control period files")
        return paths
    if isinstance(periods, (str, Path)):
        return [Path(periods)]
    paths = [Path(p) for p in periods]
    if not paths:
        raise ControlTableError("no control period files given")
    return paths


@dataclass(frozen=True)
class _Parsed:
    vocabulary: dict[str, Controller]
    periods: list[tuple[str, ControlPeriod]]
    places: dict[str, tuple[str, SubArea]]
    errors: list[str]


def _parse_all(periods, controllers, *, stop_at_first: bool) -> _Parsed:
    """Read every file; row errors are raised at once or collected."""
    controllers_path = Path(
        controllers
        if controllers is not None
        else DEFAULT_CONTROL_DIR / CONTROLLER_FILE
    )
    vocabulary = load_controllers(controllers_path)
    parsed: list[tuple[str, ControlPeriod]] = []
    places: dict[str, tuple[str, SubArea]] = {}
    errors: list[str] = []
    for path in _period_paths(periods):
        is_places = _is_places_file(path)
        columns = PLACE_COLUMNS if is_places else PERIOD_COLUMNS
        for number, row in _read_csv(path, columns):
            where = f"{path} row {number}"
            try:
                if is_places:
                    place = _parse_place(row, where, number)
                    if place.unit_id in places:
                        raise ControlTableError(
                            f"{where}: sub-area {place.unit_id} already placed in "
                            f"{places[place.unit_id][0]}"
                        )
                    places[place.unit_id] = (where, place)
                else:
                    parsed.append(
                        (where, _parse_period(row, where, number, vocabulary))
                    )
            except ControlTableError as exc:
                if stop_at_first:
                    raise
                errors.append(str(exc))
    for message in (*_unit_messages(parsed), *_group_messages(parsed)):
        if stop_at_first:
            raise ControlTableError(message)
        errors.append(message)
    return _Parsed(vocabulary, parsed, places, errors)


def load_control_table(
    periods: Path | str | Iterable[Path | str] | None = None,
    controllers: Path | str | None = None,
) -> ControlTable:
    """Read and validate control periods, sub-area points and controllers.

    Parameters
    ----------
    periods
        One CSV or several: period files (columns :data:`PERIOD_COLUMNS`) and
        places files (:data:`PLACE_COLUMNS`, told apart by their ``lat`` and
        ``lon`` columns); default: every ``data/control/*.csv`` but the
        controller file.
    controllers
        The vocabulary CSV; default ``data/control/controllers.csv``.

    Returns
    -------
    ControlTable
        Periods in file order (files in the order given, default sorted).

    Raises
    ------
    ControlTableError
        At the first problem, with the file, the row, the value and what is
        allowed. :func:`check_control_table` lists them all.
    """
    parsed = _parse_all(periods, controllers, stop_at_first=True)
    return ControlTable(
        parsed.vocabulary,
        tuple(p for _, p in parsed.periods),
        {unit: place for unit, (_, place) in parsed.places.items()},
    )


@dataclass(frozen=True)
class ControlCheck:
    """What :func:`check_control_table` found."""

    table: ControlTable | None
    errors: tuple[str, ...]
    start: dt.date
    end: dt.date

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line: rows, units, coverage and low-confidence rows."""
        if self.table is None or not self.table.periods:
            return f"{len(self.errors)} problem(s); no table loaded"
        first, last = self.table.coverage()
        return (
            f"{len(self.table.periods)} rows, {len(self.table.units())} units, "
            f"covered {first.isoformat()}..{last.isoformat() if last else 'open'}, "
            f"{len(self.table.low_confidence())} low-confidence rows"
        )


def check_control_table(
    periods: Path | str | Iterable[Path | str] | None = None,
    controllers: Path | str | None = None,
    *,
    required: Sequence[str] = SYRIA_ADMIN1,
    start: dt.date = TABLE_START,
    end: dt.date | None = None,
) -> ControlCheck:
    """Validate control tables and list every problem, not just the first.

    Beyond what :func:`load_control_table` checks (bad values and dates,
    unknown controllers, shares not summing to 1, overlapping periods) this
    checks coverage and units:

    * every ``required`` unit has a period in force on every day from
      ``start`` to ``end``;
    * any other unit has no hole between its own first ``valid_from`` and last
      ``valid_to`` (sub-areas may cover only the span the sources describe);
    * a governorate row (``level`` ``admin1``) names a ``required`` unit; a
      sub-area row (``area``/``place``) names a unit with a point in a places
      file, in the same governorate, itself ``required``.

    Parameters
    ----------
    periods, controllers
        As for :func:`load_control_table`.
    required
        Governorate unit ids; default Syria's 14 ISO 3166-2 codes and ``SY-X01~``.
    start, end
        The span every required unit must cover; ``end`` defaults to today.

    Returns
    -------
    ControlCheck
        ``errors`` are one line each, naming the file and row where there is
        one; ``table`` is None when the files cannot be read at all.

    Raises
    ------
    ControlTableError
        Only for a missing or unreadable controller file.
    """
    end = end or dt.date.today()
    try:
        parsed = _parse_all(periods, controllers, stop_at_first=False)
    except ControlTableError as exc:  # a whole file is unreadable
        return ControlCheck(None, (str(exc),), start, end)
    errors = list(parsed.errors)
    table = ControlTable(
        parsed.vocabulary,
        tuple(p for _, p in parsed.periods),
        {unit: place for unit, (_, place) in parsed.places.items()},
    )
    known = set(required)
    first_row: dict[str, str] = {}
    for where, p in parsed.periods:
        first_row.setdefault(p.unit_id, where)
    reported: set[str] = set()
    for where, p in parsed.periods:
        if p.unit_id in reported:
            continue
        if p.level == "admin1" and p.unit_id not in known:
            reported.add(p.unit_id)
            errors.append(
                f"{where}: unknown unit {p.unit_id!r}; governorate rows must use "
                f"one of {', '.join(required)}"
            )
        elif p.level != "admin1":
            place = parsed.places.get(p.unit_id)
            if place is None:
                reported.add(p.unit_id)
                errors.append(
                    f"{where}: unknown unit {p.unit_id!r}: a sub-area without a "
                    "point; add it to a places file (columns "
                    f"{', '.join(PLACE_COLUMNS)})"
                )
            elif place[1].admin1_code != p.admin1_code:
                reported.add(p.unit_id)
                errors.append(
                    f"{where}: sub-area {p.unit_id} is in {p.admin1_code} here but "
                    f"in {place[1].admin1_code} in {place[0]}"
                )
    for unit, (where, place) in parsed.places.items():
        if place.admin1_code not in known:
            errors.append(
                f"{where}: sub-area {unit} names unknown governorate "
                f"{place.admin1_code!r}; use one of {', '.join(required)}"
            )
    # Coverage: required units over [start, end]; others over their own span.
    for unit in required:
        if unit not in first_row:
            errors.append(
                f"unit {unit}: no rows; every governorate needs periods from "
                f"{start} to {end}"
            )
            continue
        for message in table.gaps(start, end, [unit]):
            errors.append(f"{first_row[unit]}: gap: {message}")
    groups: dict[tuple[str, dt.date], list[tuple[str, ControlPeriod]]] = {}
    for where, p in parsed.periods:
        groups.setdefault((p.unit_id, p.valid_from), []).append((where, p))
    for unit, spans in _spans_by_unit(groups).items():
        if unit in known:
            continue
        for (_s1, e1, w1), (s2, _e2, w2) in zip(spans, spans[1:], strict=False):
            if e1 is not None and (s2 - e1).days > 1:
                errors.append(
                    f"{w2}: gap: {unit} has no period "
                    f"{e1 + dt.timedelta(days=1)}..{s2 - dt.timedelta(days=1)} "
                    f"(the one in {w1} ends on {e1}); a sub-area's periods must "
                    "be contiguous over its span"
                )
    return ControlCheck(table, tuple(errors), start, end)
