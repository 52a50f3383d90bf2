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

A *theatre* (a folder under ``data/control/`` holding a ``theatre.csv``) is
data, not code: its localities (towns, villages, city districts, bases: a
point, aliases, a kind and a population) and their dated periods, each period
citing one canonical source with a quote, and a "valid through" date past
which the theatre says nothing. Its admin-1 units are then drawn as a
*summary derived from the localities* (population-weighted shares, with the
unknown share shown), not from hand-written shares; a written admin-1 row
stands only on days none of the unit's localities has a known controller.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
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
# A theatre's own files (a folder of data/control/ with a theatre.csv).
THEATRE_FILE = "theatre.csv"
THEATRE_COLUMNS = ("theatre_id", "name", "country_codes", "valid_through", "note")
LOCALITY_COLUMNS = (
    "locality_id",
    "name",
    "aliases",
    "kind",
    "admin1_code",
    "lat",
    "lon",
    "radius_km",
    "population",
    "geonameid",
    "source",
    "note",
)
LOCALITY_PERIOD_COLUMNS = (
    "locality_id",
    "valid_from",
    "valid_to",
    "controller",
    "source_url",
    "source_title",
    "publisher",
    "published",
    "quote",
    "last_checked",
    "note",
)
# Source fields every sourced locality period must fill.
SOURCE_FIELDS = (
    "source_url",
    "source_title",
    "publisher",
    "published",
    "quote",
    "last_checked",
)
# How far (km) from a locality's point a mentioned place still counts as that
# locality, by kind, unless the row gives radius_km: a city's built-up area,
# a town's, a village's, a city district's blocks.
LOCALITY_RADIUS_KM = {
    "city": 6.0,
    "town": 3.0,
    "village": 1.5,
    "district": 0.7,
    "camp": 1.0,
    "base": 2.0,
    "area": 10.0,
}
# The weight of a locality without a population in a derived summary: a
# village's size (GeoNames cities500 lists places of 500 people and more).
MIN_LOCALITY_WEIGHT = 1000
# A period whose source was last checked longer ago than this is flagged.
STALE_AFTER_DAYS = 365
# Controllers that say no one is known to hold the ground.
UNKNOWN = "unknown"
# Wikipedia and other reference works give no one publication date.
UNDATED = "n.d."
_PUBLISHED = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
MIRROR_FILE = "mirror_domains.txt"
# The day the shipped tables start (the uprising of 15 March 2011).
TABLE_START = dt.date(2011, 3, 15)
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
    # A locality period's citation, field by field (empty for older tables,
    # whose ``source`` is one string).
    source_url: str = ""
    source_title: str = ""
    publisher: str = ""
    published: str = ""
    quote: str = ""
    last_checked: dt.date | None = None
    theatre: str | None = None
    # True for an admin-1 summary computed from the localities on one day.
    derived: bool = False

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
    """Where a sub-area or locality lies: a point and the radius a mention must
    fall within. A theatre's localities also carry their aliases, kind and
    population (the weight of their control in the admin-1 summary)."""

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
    aliases: tuple[str, ...] = ()
    kind: str = ""
    population: int | None = None
    theatre: str | None = None

    @property
    def weight(self) -> int:
        """The locality's weight in a derived summary: its population, or a
        village's (:data:`MIN_LOCALITY_WEIGHT`) where none is known."""
        return max(self.population or 0, MIN_LOCALITY_WEIGHT)


@dataclass(frozen=True)
class Theatre:
    """A war's data: its countries and the last day its tables speak for."""

    theatre_id: str
    name: str
    country_codes: tuple[str, ...]
    valid_through: dt.date
    note: str
    folder: Path


@dataclass(frozen=True)
class ControlTable:
    """Controllers (id -> Controller, in file order), their dated periods, the
    points of the sub-areas and localities (unit id -> SubArea), and the
    theatres the localities belong to."""

    controllers: dict[str, Controller]
    periods: tuple[ControlPeriod, ...]
    places: dict[str, SubArea] = field(default_factory=dict)
    theatres: dict[str, Theatre] = field(default_factory=dict)
    _days: dict = field(default_factory=dict, compare=False, repr=False)

    def valid_through(self, unit_id: str | None = None) -> dt.date | None:
        """The last day the tables speak for.

        Parameters
        ----------
        unit_id
            A locality, or an admin-1 code (its country's theatre); None for
            the earliest date over all theatres.

        Returns
        -------
        date or None
            None where no theatre covers the unit (older tables: open-ended).
        """
        theatre = self._theatre_of(unit_id) if unit_id else None
        if theatre is not None:
            return theatre.valid_through
        if unit_id is None and self.theatres:
            return min(t.valid_through for t in self.theatres.values())
        return None

    def country_valid_through(self, country_code: str) -> dt.date | None:
        """The valid-through date of the theatre covering a country, if any."""
        for theatre in self.theatres.values():
            if country_code in theatre.country_codes:
                return theatre.valid_through
        return None

    def _theatre_of(self, unit_id: str) -> Theatre | None:
        place = self.places.get(unit_id)
        if place is not None and place.theatre:
            return self.theatres.get(place.theatre)
        for theatre in self.theatres.values():
            if any(unit_id.startswith(f"{c}-") for c in theatre.country_codes):
                return theatre
        return None

    def _in_theatre_range(self, period: ControlPeriod, day: dt.date) -> bool:
        """A theatre's rows say nothing past its valid-through date."""
        if period.theatre is None:
            return True
        theatre = self.theatres.get(period.theatre)
        return theatre is None or day <= theatre.valid_through

    def as_of(self, day: dt.date) -> dict[str, tuple[ControlPeriod, ...]]:
        """The periods in force on one day, per unit.

        Localities give their own periods. An admin-1 unit of a theatre gets
        the summary derived from its localities (:meth:`summary`), unless
        none of them has a known controller that day and a written admin-1
        row is in force. Past a theatre's valid-through date its units and
        localities have nothing.

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
        cached = self._days.get(day)
        if cached is not None:
            return cached
        found: dict[str, list[ControlPeriod]] = {}
        for period in self.periods:
            if period.covers(day) and self._in_theatre_range(period, day):
                found.setdefault(period.unit_id, []).append(period)
        out = {
            unit: tuple(sorted(ps, key=lambda p: (-p.share, p.controller)))
            for unit, ps in found.items()
        }
        for code, summary in self._summaries(day, out).items():
            written = out.get(code, ())
            known = any(p.controller != UNKNOWN for p in summary)
            if known or not written:
                out[code] = summary
        if len(self._days) > 512:  # a playback over years stays bounded
            self._days.clear()
        self._days[day] = out
        return out

    def summary(self, admin1_code: str, day: dt.date) -> tuple[ControlPeriod, ...]:
        """An admin-1 unit's control derived from its localities on one day.

        Each locality of the unit weighs its population (or
        :data:`MIN_LOCALITY_WEIGHT`); its controller that day is its period in
        force, or ``unknown`` where it has none. The shares are the weights
        per controller over the unit's total weight.

        Returns
        -------
        tuple of ControlPeriod
            Largest share first, ``derived`` set, valid on ``day`` only; empty
            when the unit has no localities or the day is past its theatre's
            valid-through date.
        """
        return self._summaries(day, self.as_of(day)).get(admin1_code, ())

    def _summaries(
        self, day: dt.date, in_force: dict[str, tuple[ControlPeriod, ...]]
    ) -> dict[str, tuple[ControlPeriod, ...]]:
        weights: dict[str, dict[str, int]] = {}
        counts: dict[str, list[int]] = {}
        for place in self.places.values():
            theatre = self.theatres.get(place.theatre) if place.theatre else None
            if theatre is None or day > theatre.valid_through:
                continue
            held = in_force.get(place.unit_id, ())
            controller = held[0].controller if held else UNKNOWN
            unit = weights.setdefault(place.admin1_code, {})
            unit[controller] = unit.get(controller, 0) + place.weight
            tally = counts.setdefault(place.admin1_code, [0, 0])
            tally[0] += 1
            tally[1] += controller != UNKNOWN
        out = {}
        for code, by_controller in weights.items():
            total = sum(by_controller.values())
            n, known = counts[code]
            source = (
                f"Derived from {n} localities ({known} with a sourced controller "
                f"on {day.isoformat()}), weighted by population"
            )
            out[code] = tuple(
                ControlPeriod(
                    unit_id=code,
                    name=code,
                    level="admin1",
                    admin1_code=code,
                    controller=controller,
                    share=weight / total,
                    confidence="derived",
                    valid_from=day,
                    valid_to=day,
                    source=source,
                    note=(
                        "Summary of the unit's localities, not a measured area: "
                        "each locality weighs its GeoNames population (a village "
                        f"{MIN_LOCALITY_WEIGHT:,} where none is known)."
                    ),
                    row=0,
                    derived=True,
                )
                for controller, weight in sorted(
                    by_controller.items(), key=lambda kv: (-kv[1], kv[0])
                )
            )
        return out

    def localities_as_of(
        self, day: dt.date, country_codes: Iterable[str] | None = None
    ) -> list[tuple[SubArea, str]]:
        """Every locality of a theatre with its controller on one day.

        Parameters
        ----------
        day
            The date.
        country_codes
            Keep only localities whose admin-1 code is in these countries.

        Returns
        -------
        list of (SubArea, controller id)
            ``unknown`` where the locality has no period in force; localities
            past their theatre's valid-through date are left out.
        """
        in_force = self.as_of(day)
        wanted = tuple(f"{c}-" for c in country_codes) if country_codes else None
        out = []
        for place in self.places.values():
            if not place.theatre:
                continue
            if wanted and not place.admin1_code.startswith(wanted):
                continue
            theatre = self.theatres.get(place.theatre)
            if theatre is None or day > theatre.valid_through:
                continue
            held = in_force.get(place.unit_id, ())
            out.append((place, held[0].controller if held else UNKNOWN))
        return out

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
        for place in self.places.values():
            if place.theatre:
                out.setdefault(
                    place.admin1_code, (place.admin1_code, "admin1", place.admin1_code)
                )
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
        ends = [
            self.theatres[p.theatre].valid_through
            if p.theatre in self.theatres and p.valid_to is None
            else p.valid_to
            for p in self.periods
        ]
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


def _file_kind(path: Path) -> str:
    """What a CSV holds, by its header: ``theatre``, ``localities``,
    ``locality_periods``, ``places`` (sub-area points) or ``periods``."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return "periods"  # _read_csv reports it properly
    names = {cell.strip() for cell in header}
    if "valid_through" in names:
        return "theatre"
    if "locality_id" in names and "quote" in names:
        return "locality_periods"
    if "locality_id" in names:
        return "localities"
    if {"lat", "lon"} <= names:
        return "places"
    return "periods"


_COLUMNS_OF = {
    "theatre": THEATRE_COLUMNS,
    "localities": LOCALITY_COLUMNS,
    "locality_periods": LOCALITY_PERIOD_COLUMNS,
    "places": PLACE_COLUMNS,
    "periods": PERIOD_COLUMNS,
}


def _csvs_in(folder: Path) -> list[Path]:
    """A folder's control CSVs and its theatre folders' (one level down)."""
    return sorted(
        p
        for p in (*folder.glob("*.csv"), *folder.glob(f"*/{THEATRE_FILE}"))
        if p.name != CONTROLLER_FILE
    ) + sorted(
        p
        for theatre in folder.glob(f"*/{THEATRE_FILE}")
        for p in theatre.parent.glob("*.csv")
        if p.name != THEATRE_FILE
    )


def _period_paths(periods: Path | str | Iterable[Path | str] | None) -> list[Path]:
    if periods is None:
        paths = _csvs_in(DEFAULT_CONTROL_DIR)
        if not paths:
            raise ControlTableError(f"{DEFAULT_CONTROL_DIR}: no control period files")
        return paths
    given = [Path(periods)] if isinstance(periods, (str, Path)) else list(periods)
    paths = []
    for path in map(Path, given):
        if path.is_dir():
            # A theatre folder or a control folder: its CSVs.
            found = _csvs_in(path) or sorted(path.glob("*.csv"))
            if not found:
                raise ControlTableError(f"{path}: a folder with no control CSVs")
            paths += [p for p in found if p.name != CONTROLLER_FILE]
        else:
            paths.append(path)
    if not paths:
        raise ControlTableError("no control period files given")
    # The theatre file first, so its folder's other files know their theatre.
    return sorted(paths, key=lambda p: p.name != THEATRE_FILE)


@dataclass(frozen=True)
class _Parsed:
    vocabulary: dict[str, Controller]
    periods: list[tuple[str, ControlPeriod]]
    places: dict[str, tuple[str, SubArea]]
    errors: list[str]
    theatres: dict[str, Theatre] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    locality_periods: list[tuple[str, ControlPeriod]] = field(default_factory=list)


def _parse_theatre(row: dict[str, str], where: str, folder: Path) -> Theatre:
    for column in ("theatre_id", "name", "country_codes", "valid_through"):
        if not row[column]:
            raise ControlTableError(f"{where}: empty {column}; a value is required")
    codes = tuple(c.strip().upper() for c in row["country_codes"].split("|"))
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        raise ControlTableError(
            f"{where}: country_codes {row['country_codes']!r} must be ISO 3166-1 "
            "alpha-2 codes separated by |, e.g. SY or UA|RU"
        )
    return Theatre(
        theatre_id=row["theatre_id"],
        name=row["name"],
        country_codes=codes,
        valid_through=_date(row["valid_through"], where, "valid_through"),
        note=row["note"],
        folder=folder,
    )


def _parse_locality(
    row: dict[str, str], where: str, number: int, theatre: Theatre | None
) -> SubArea:
    if theatre is None:
        raise ControlTableError(
            f"{where}: a localities file must sit in a theatre folder (one with "
            f"a {THEATRE_FILE} giving its countries and valid-through date)"
        )
    for column in ("locality_id", "name", "kind", "admin1_code", "source"):
        if not row[column]:
            raise ControlTableError(f"{where}: empty {column}; a value is required")
    if row["kind"] not in LOCALITY_RADIUS_KM:
        raise ControlTableError(
            f"{where}: kind {row['kind']!r} must be one of "
            f"{', '.join(LOCALITY_RADIUS_KM)}"
        )
    if not row["admin1_code"].startswith(tuple(f"{c}-" for c in theatre.country_codes)):
        raise ControlTableError(
            f"{where}: admin1_code {row['admin1_code']!r} is not in theatre "
            f"{theatre.theatre_id}'s countries ({', '.join(theatre.country_codes)})"
        )
    place = _parse_place(
        {
            "unit_id": row["locality_id"],
            "name": row["name"],
            "level": "area" if row["kind"] == "area" else "place",
            "admin1_code": row["admin1_code"],
            "lat": row["lat"],
            "lon": row["lon"],
            "radius_km": row["radius_km"] or str(LOCALITY_RADIUS_KM[row["kind"]]),
            "geonameid": row["geonameid"],
            "source": row["source"],
            "note": row["note"],
        },
        where,
        number,
    )
    population = None
    if row["population"]:
        if not row["population"].isdigit():
            raise ControlTableError(
                f"{where}: population {row['population']!r} is not a whole number"
            )
        population = int(row["population"])
    aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
    return replace(
        place,
        aliases=aliases,
        kind=row["kind"],
        population=population,
        theatre=theatre.theatre_id,
    )


def citation(period: ControlPeriod) -> str:
    """A locality period's source as one line: title, publisher, date, URL."""
    if not period.source_url:
        return period.source
    return (
        f"{period.source_title} — {period.publisher}, {period.published}. "
        f"{period.source_url}"
    )


def _parse_locality_period(
    row: dict[str, str],
    where: str,
    number: int,
    controllers: dict[str, Controller],
    place: SubArea | None,
    theatre: Theatre | None,
) -> ControlPeriod:
    if place is None:
        raise ControlTableError(
            f"{where}: unknown locality {row['locality_id']!r}; add it to the "
            "theatre's localities file first"
        )
    last_checked = (
        _date(row["last_checked"], where, "last_checked")
        if row["last_checked"]
        else None
    )
    period = _parse_period(
        {
            "unit_id": place.unit_id,
            "name": place.name,
            "level": place.level,
            "admin1_code": place.admin1_code,
            "valid_from": row["valid_from"],
            "valid_to": row["valid_to"],
            "controller": row["controller"],
            "share": "1",
            "confidence": "low" if row["controller"] == UNKNOWN else "high",
            "source": row["source_url"] or "no source found",
            "note": row["note"],
        },
        where,
        number,
        controllers,
    )
    period = replace(
        period,
        source_url=row["source_url"],
        source_title=row["source_title"],
        publisher=row["publisher"],
        published=row["published"],
        quote=row["quote"],
        last_checked=last_checked,
        theatre=theatre.theatre_id if theatre else None,
    )
    return replace(period, source=citation(period))


def _mirror_domains() -> frozenset[str]:
    path = DEFAULT_CONTROL_DIR / MIRROR_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(
        line.split("#", 1)[0].strip().lower()
        for line in lines
        if line.split("#", 1)[0].strip()
    )


def source_problems(period: ControlPeriod, mirrors: frozenset[str]) -> list[str]:
    """What is wrong with a locality period's source, one message each.

    A sourced period needs every field of :data:`SOURCE_FIELDS`; its URL must
    name a page (not a bare domain) on the publisher's own site (not a mirror
    listed in ``data/control/mirror_domains.txt``), and its publication date
    must be a date, a month, a year or ``n.d.`` (reference works only).
    An ``unknown`` period needs no source.
    """
    if period.controller == UNKNOWN:
        return []
    values = {
        "source_url": period.source_url,
        "source_title": period.source_title,
        "publisher": period.publisher,
        "published": period.published,
        "quote": period.quote,
        "last_checked": period.last_checked,
    }
    problems = [
        f"empty {column}: a sourced period needs its {column.replace('_', ' ')}"
        for column, value in values.items()
        if not value
    ]
    if period.source_url:
        parts = urllib.parse.urlsplit(period.source_url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        if parts.scheme not in ("http", "https") or not host:
            problems.append(f"source_url {period.source_url!r} is not a web address")
        elif parts.path.strip("/") == "" and not parts.query:
            problems.append(
                f"source_url {period.source_url!r} is a bare domain; cite the page"
            )
        if any(host == m or host.endswith(f".{m}") for m in mirrors):
            problems.append(
                f"source_url {period.source_url!r} is a mirror ({host}); cite the "
                "publisher's own page"
            )
    if period.published and not (
        _PUBLISHED.fullmatch(period.published) or period.published == UNDATED
    ):
        problems.append(
            f"published {period.published!r} must be YYYY-MM-DD, YYYY-MM, YYYY "
            f"or {UNDATED}"
        )
    return problems


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
    theatres: dict[str, Theatre] = {}
    by_folder: dict[Path, Theatre] = {}
    errors: list[str] = []
    deferred: list[tuple[Path, int, dict[str, str]]] = []

    def fail(message: str) -> None:
        if stop_at_first:
            raise ControlTableError(message)
        errors.append(message)

    paths = _period_paths(periods)
    # Theatres, then localities, then everything else: a period file may come
    # before the localities it names.
    order = {"theatre": 0, "localities": 1, "places": 1}
    kinds = {path: _file_kind(path) for path in paths}
    for path in sorted(paths, key=lambda p: order.get(kinds[p], 2)):
        kind = kinds[path]
        theatre = by_folder.get(path.resolve().parent)
        for number, row in _read_csv(path, _COLUMNS_OF[kind]):
            where = f"{path} row {number}"
            try:
                if kind == "theatre":
                    found = _parse_theatre(row, where, path.resolve().parent)
                    if (
                        found.theatre_id in theatres
                        or path.resolve().parent in by_folder
                    ):
                        raise ControlTableError(
                            f"{where}: a theatre file holds one theatre, and "
                            f"{found.theatre_id} may be defined once"
                        )
                    theatres[found.theatre_id] = found
                    by_folder[found.folder] = found
                elif kind in ("places", "localities"):
                    place = (
                        _parse_place(row, where, number)
                        if kind == "places"
                        else _parse_locality(row, where, number, theatre)
                    )
                    if place.unit_id in places:
                        raise ControlTableError(
                            f"{where}: {place.unit_id} already placed in "
                            f"{places[place.unit_id][0]}"
                        )
                    places[place.unit_id] = (where, place)
                elif kind == "locality_periods":
                    deferred.append((path, number, row))
                else:
                    period = _parse_period(row, where, number, vocabulary)
                    if theatre is not None:
                        period = replace(period, theatre=theatre.theatre_id)
                    parsed.append((where, period))
            except ControlTableError as exc:
                fail(str(exc))
    locality_periods: list[tuple[str, ControlPeriod]] = []
    for path, number, row in deferred:
        where = f"{path} row {number}"
        try:
            found = places.get(row["locality_id"])
            period = _parse_locality_period(
                row,
                where,
                number,
                vocabulary,
                found[1] if found else None,
                by_folder.get(path.resolve().parent),
            )
            locality_periods.append((where, period))
            parsed.append((where, period))
        except ControlTableError as exc:
            fail(str(exc))
    for message in (*_unit_messages(parsed), *_group_messages(parsed)):
        fail(message)
    return _Parsed(
        vocabulary,
        parsed,
        places,
        errors,
        theatres,
        locality_periods=locality_periods,
    )


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
        dict(parsed.theatres),
    )


@dataclass(frozen=True)
class ControlCheck:
    """What :func:`check_control_table` found."""

    table: ControlTable | None
    errors: tuple[str, ...]
    start: dt.date
    end: dt.date
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line: rows, units, coverage and low-confidence rows; per
        theatre its localities, periods, sources and valid-through date."""
        if self.table is None or not self.table.periods:
            return f"{len(self.errors)} problem(s); no table loaded"
        first, last = self.table.coverage()
        line = (
            f"{len(self.table.periods)} rows, {len(self.table.units())} units, "
            f"covered {first.isoformat()}..{last.isoformat() if last else 'open'}, "
            f"{len(self.table.low_confidence())} low-confidence rows"
        )
        for theatre in self.table.theatres.values():
            ids = {
                u
                for u, p in self.table.places.items()
                if p.theatre == theatre.theatre_id
            }
            rows = [p for p in self.table.periods if p.unit_id in ids]
            urls = {p.source_url for p in rows if p.source_url}
            line += (
                f"; {theatre.theatre_id}: {len(ids)} localities, {len(rows)} periods, "
                f"{len(urls)} sources, valid through {theatre.valid_through}"
            )
        return line


def check_control_table(
    periods: Path | str | Iterable[Path | str] | None = None,
    controllers: Path | str | None = None,
    *,
    required: Sequence[str] = (),
    start: dt.date = TABLE_START,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> ControlCheck:
    """Validate control tables and list every problem, not just the first.

    Beyond what :func:`load_control_table` checks (bad values and dates,
    unknown controllers, shares not summing to 1, overlapping periods) this
    checks coverage, units and sources:

    * every ``required`` unit has a period in force on every day from
      ``start`` to ``end``;
    * any other admin-1 unit or sub-area has no hole between its own first
      ``valid_from`` and last ``valid_to``;
    * a sub-area row (``area``/``place``) names a unit with a point, in the
      same admin-1 unit;
    * every locality with periods is covered from ``start`` to its theatre's
      valid-through date (``unknown`` rows fill what no source covers);
    * every sourced locality period cites a page (not a bare domain, not a
      mirror) with its title, publisher, publication date, a quote and the
      day it was last checked (:func:`source_problems`);
    * a theatre's valid-through date is not in the future.

    Periods whose ``last_checked`` is more than :data:`STALE_AFTER_DAYS` old
    are listed as warnings, not errors.

    Parameters
    ----------
    periods, controllers
        As for :func:`load_control_table`.
    required
        Admin-1 unit ids that must be covered every day from ``start`` to
        ``end`` (none by default: a theatre's admin-1 units are derived from
        its localities).
    start, end
        The span every required unit must cover; ``end`` defaults to today.
    today
        The day staleness and valid-through dates are judged against
        (default: today).

    Returns
    -------
    ControlCheck
        ``errors`` and ``warnings`` are one line each, naming the file and row
        where there is one; ``table`` is None when the files cannot be read
        at all.

    Raises
    ------
    ControlTableError
        Only for a missing or unreadable controller file.
    """
    today = today or dt.date.today()
    end = end or today
    try:
        parsed = _parse_all(periods, controllers, stop_at_first=False)
    except ControlTableError as exc:  # a whole file is unreadable
        return ControlCheck(None, (str(exc),), start, end)
    errors = list(parsed.errors)
    warnings: list[str] = []
    table = ControlTable(
        parsed.vocabulary,
        tuple(p for _, p in parsed.periods),
        {unit: place for unit, (_, place) in parsed.places.items()},
        dict(parsed.theatres),
    )
    known = set(required)
    first_row: dict[str, str] = {}
    for where, p in parsed.periods:
        first_row.setdefault(p.unit_id, where)
    reported: set[str] = set()
    for where, p in parsed.periods:
        if p.unit_id in reported or p.level == "admin1":
            continue
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
    if known:
        for unit, (where, place) in parsed.places.items():
            if place.admin1_code not in known and not place.theatre:
                errors.append(
                    f"{where}: sub-area {unit} names unknown admin-1 unit "
                    f"{place.admin1_code!r}; use one of {', '.join(required)}"
                )
    # Coverage: required units over [start, end]; others over their own span.
    for unit in required:
        if unit not in first_row:
            errors.append(
                f"unit {unit}: no rows; every required unit needs periods from "
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
                    f"(the one in {w1} ends on {e1}); a unit's periods must "
                    "be contiguous over its span (write an unknown row where "
                    "no source speaks)"
                )
    errors += _theatre_messages(parsed, table, start, today)
    stale = today - dt.timedelta(days=STALE_AFTER_DAYS)
    for where, p in parsed.locality_periods:
        if p.last_checked is not None and p.last_checked < stale:
            warnings.append(
                f"{where}: {p.unit_id} from {p.valid_from}: last checked "
                f"{p.last_checked}, more than a year ago; check the source again"
            )
    return ControlCheck(table, tuple(errors), start, end, tuple(warnings))


def _theatre_messages(
    parsed: _Parsed, table: ControlTable, start: dt.date, today: dt.date
) -> list[str]:
    """Sources, valid-through dates and full coverage of a theatre's localities."""
    errors = []
    mirrors = _mirror_domains()
    for where, p in parsed.locality_periods:
        errors += [
            f"{where}: {p.unit_id} from {p.valid_from}: {problem}"
            for problem in source_problems(p, mirrors)
        ]
    for theatre in parsed.theatres.values():
        if theatre.valid_through > today:
            errors.append(
                f"{theatre.folder / THEATRE_FILE}: valid_through "
                f"{theatre.valid_through} is after today ({today}); a table "
                "cannot vouch for days not yet checked"
            )
    first_row: dict[str, str] = {}
    for where, p in parsed.locality_periods:
        first_row.setdefault(p.unit_id, where)
    for unit, where in first_row.items():
        theatre = table._theatre_of(unit)
        if theatre is None:
            continue
        for message in table.gaps(start, theatre.valid_through, [unit]):
            errors.append(
                f"{where}: gap: {message}; a locality with periods is covered "
                f"from {start} to the valid-through date {theatre.valid_through} "
                "(write an unknown row where no source speaks)"
            )
    return errors
