"""Disambiguation: decide what each candidate span is, and say why.

Each span gets a place-ness score from its context (entity label, cue words,
lists, the countries the article speaks of) and, if it is a place, the best
candidate: a country name beats a same-named town; a cue decides between a
city and the governorate that shares its name ("the Governorate of Idlib" vs
"the city of Aleppo"); otherwise population and the article's countries rank
the cities. Directional regions are tied to the place they are relative to,
or to the article's focus country ("the northwestern part of the country").
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from geo.extract import LARGE_TOWN, Extraction, Mention
from geo.gazetteer import Gazetteer, Place, normalize_name

ACCEPT_SCORE = 0.5
# Cues that do not say a name is a place.
WEAK_CUES = frozenset(["capitalised_before", "person_after"])
# A large town (LARGE_TOWN, from extract): a little more likely meant than a
# small one, keeps competing with a same-named admin-1 unit, and is never
# taken for a plain word.
# A city this large wins over own-name towns WORLD_CITY_RATIO times smaller
# unless the article places them: near its other places, or in a unit that
# holds at least TOWN_UNIT_PLACES or a third of them (tuned on the dev halves).
WORLD_CITY = 500_000
WORLD_CITY_RATIO = 50
TOWN_UNIT_PLACES = 3
# A second-level unit ("Walker County") is output as a "place": the schema's
# kinds stay city|admin1|country|region|place.
KIND_OF = {
    "city": "city",
    "admin2": "place",
    "admin1": "admin1",
    "country": "country",
    "region": "region",
}


@dataclass(frozen=True)
class Resolved:
    """A mention resolved to a place (or a region relative to one).

    For a region, ``lat``/``lon`` start as the reference place's and
    :mod:`geo.join` replaces them with a point inside the region.
    """

    start: int
    end: int
    text: str
    sentence: int
    kind: str
    name: str
    lat: float | None
    lon: float | None
    country_code: str | None
    admin1_code: str | None
    geonameid: int | None
    confidence: float
    evidence: tuple[str, ...]
    direction: str | None = None
    reference_kind: str | None = None
    # The admin-1 units a region (or a directional region's reference) is
    # made of ("Darfur": its states), for the map to draw; () for others.
    units: tuple[str, ...] = ()
    # The countries a region (or a directional region's reference) is made
    # of ("West Africa"), for the map to draw; () for others.
    member_countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejected:
    """A candidate span judged not to be a place, with the reasons."""

    start: int
    end: int
    text: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Resolution:
    resolved: tuple[Resolved, ...]
    rejected: tuple[Rejected, ...]
    focus_country: str | None


# Cue prefixes and the kind each speaks for.
KIND_CUES = {"admin_cue:": "admin1", "city_cue:": "city"}


def _cue_kinds(
    mention: Mention, lists: dict[int, list[Mention]]
) -> tuple[set[str], list[str]]:
    """Which kinds the cues point to ("admin1", "city"), with evidence."""
    kinds: set[str] = set()
    evidence: list[str] = []
    own = [c for c in mention.cues if c.startswith(tuple(KIND_CUES))]
    for cue in own:
        kind = KIND_CUES[cue.split(":", 1)[0] + ":"]
        kinds.add(kind)
        evidence.append(f'cue "{cue.split(":", 1)[1]}" -> {kind}')
    if not own and mention.list_id is not None:
        for other in lists.get(mention.list_id, ()):
            for cue in other.cues:
                if cue.startswith(tuple(KIND_CUES)):
                    kind = KIND_CUES[cue.split(":", 1)[0] + ":"]
                    kinds.add(kind)
                    evidence.append(
                        f'listed with "{other.text}", which has cue '
                        f'"{cue.split(":", 1)[1]}" -> {kind}'
                    )
    return kinds, evidence


def _takings(mentions: list[Mention]) -> list[str | None]:
    """Each mention's words of taking ground, its own or, failing that, the
    first said of another member of its list ("captured Kandahar and
    Herat"). One pass over the list members, not one per member (a list can
    hold thousands of names)."""

    def own(m: Mention) -> str | None:
        cue = next((c for c in m.cues if c.startswith("seat_cue:")), None)
        return None if cue is None else cue.split(":", 1)[1]

    words = [own(m) for m in mentions]
    of_list: dict[int, str] = {}
    for m, word in zip(mentions, words, strict=True):
        if word is not None and m.list_id is not None and not m.vetoes:
            of_list.setdefault(m.list_id, word)
    return [
        word if word is not None else of_list.get(m.list_id)
        for m, word in zip(mentions, words, strict=True)
    ]


def _place_score(
    mention: Mention,
    place: Place,
    article_countries: Counter,
    lists: dict[int, list[Mention]],
    cue_evidence: list[str],
    capitals: frozenset[int] = frozenset(),
) -> tuple[float, list[str]]:
    score = 0.5
    evidence: list[str] = []
    label = mention.ner_label
    speaks = next((c[7:] for c in mention.cues if c.startswith("speaks:")), None)
    if (
        speaks
        and label == "PERSON"
        and place.id in capitals
        and place.country_code in article_countries
        and normalize_name(place.name) == normalize_name(mention.text)
    ):
        # "Baku said", "Yerevan accused": a capital of a country the article
        # names speaks for its government; spaCy's person reading is set aside.
        label = None
        score += 0.2
        evidence.append(f'the capital of {place.country_code}, which "{speaks}"')
    if "admin2" in mention.cues and place.kind == "admin2":
        # "Rapides Parish": the unit word says place, whatever the label.
        score += 0.5
        evidence.append("named with its unit word (county, parish...)")
    elif "demonym" in mention.cues and place.kind in ("country", "region"):
        # "Israeli troops": a reference to the country, whatever spaCy's
        # NORP/ORG label says about the word.
        score += 0.5
        evidence.append(f"demonym: a reference to the {place.kind}")
    elif label in ("GPE", "LOC", "FAC"):
        score += 0.3
        evidence.append(f"spaCy entity {label}")
    elif label == "PERSON":
        score -= 0.4
        evidence.append("spaCy entity PERSON (weighed against)")
    elif label == "NORP" and place.kind == "country" and "demonym" not in mention.cues:
        # "Saudi Arabia" is a country's name, never a nationality.
        evidence.append("spaCy entity NORP, but the name is the country's")
    elif label == "NORP":
        score -= 0.4
        evidence.append("spaCy entity NORP (weighed against)")
    elif label == "ORG" and not cue_evidence:
        score -= 0.2
        evidence.append("spaCy entity ORG (weighed against)")
    if cue_evidence:
        score += 0.3
        evidence.extend(cue_evidence)
    for cue in mention.cues:
        if cue.startswith("preposition:"):
            score += 0.2
            evidence.append(f'after the preposition "{cue.split(":", 1)[1]}"')
        elif cue.startswith("capitalised_before:"):
            score -= 0.3
            evidence.append(
                f'follows the capitalised word "{cue.split(":", 1)[1]}" '
                "(part of a longer name?)"
            )
        elif cue.startswith("local:"):
            score += 0.3
            evidence.append(f'its people or parts follow ("{cue.split(":", 1)[1]}")')
        elif cue == "known_whole":
            evidence.append(
                "the gazetteer knows the whole name (spaCy's PERSON reading set aside)"
            )
        elif cue == "arabic_article":
            score += 0.2
            evidence.append(
                "written with its Arabic article, as news writes Arabic place names"
            )
        elif cue == "named_again":
            score += 0.2
            evidence.append("opens a sentence, and the text names it again")
        elif cue == "dateline":
            score += 0.3
            evidence.append("opens a news dateline")
        elif cue.startswith("institution:"):
            score += 0.3
            evidence.append(
                f'the place\'s own institution follows ("{cue.split(":", 1)[1]}")'
            )
        elif cue.startswith("hometown:"):
            score += 0.3
            evidence.append(
                f'a legislator\'s home town, after the party ("{cue.split(":", 1)[1]}")'
            )
        elif cue.startswith("person_after:"):
            score -= 0.3
            evidence.append(f'directly before the name "{cue.split(":", 1)[1]}"')
    if mention.list_id is not None and len(lists.get(mention.list_id, ())) > 1:
        others = [m.text for m in lists.get(mention.list_id, ()) if m is not mention]
        score += 0.2
        evidence.append(f"listed with {', '.join(others)}")
    if place.kind == "country":
        score += 0.2
        evidence.append("country name")
    elif place.kind == "region":
        score += 0.2
        evidence.append("name of a region or natural feature")
    elif place.country_code in article_countries:
        score += 0.2
        evidence.append(f"in {place.country_code}, a country the article names")
    if place.kind == "admin1" or place.population >= LARGE_TOWN:
        score += 0.1
    return score, evidence


class _Less(Mapping):
    """A tally less one name's own share of it, read without copying: a
    context per name built as a fresh count of every other name's votes made
    an article listing thousands of places quadratic."""

    def __init__(self, total: Mapping, own: Mapping) -> None:
        self.total, self.own = total, own

    def __getitem__(self, key):
        value = self.total.get(key, 0) - self.own.get(key, 0)
        return value if value > 1e-9 else 0

    def get(self, key, default=None):
        value = self[key]
        return value if value else default

    def __iter__(self):
        return (key for key in self.total if self[key])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def most_common(self, n: int) -> list:
        return Counter({key: self[key] for key in self}).most_common(n)


class _Tally:
    """Every name's votes counted once (countries, admin-1 units, candidate
    support, points), so that a name's :class:`Context` is this tally less
    its own votes."""

    def __init__(
        self, votes: list[_Vote], unit_votes: dict[str, Counter] | None = None
    ) -> None:
        self.countries: Counter = Counter()
        self.admin1: Counter = Counter()
        self.own_countries: dict[str, Counter] = {}
        self.own_admin1: dict[str, Counter] = {}
        self.points: list[tuple[float, float, str | None]] = []
        owners: list[str] = []
        anywhere: list[tuple[float, float]] = []
        anywhere_owners: list[str] = []
        for name, country_code, codes, point, at in votes:
            if at is not None:
                anywhere.append(at)
                anywhere_owners.append(name)
            if country_code:
                self.countries[country_code] += 1
                self.own_countries.setdefault(name, Counter())[country_code] += 1
            for code in codes:
                self.admin1[code] += 1
                self.own_admin1.setdefault(name, Counter())[code] += 1
            if point is not None:
                self.points.append(point)
                owners.append(name)
        self.unit_votes = unit_votes or {}
        self.support: Counter = Counter()
        for spread in self.unit_votes.values():
            self.support.update(spread)
        self.owners = np.array(owners, dtype=object)
        self.anywhere = np.radians(np.array(anywhere, dtype=float).reshape(-1, 2))
        self.anywhere_owners = np.array(anywhere_owners, dtype=object)
        self.radians = np.radians(
            np.array([(lat, lon) for lat, lon, _ in self.points], dtype=float).reshape(
                -1, 2
            )
        )

    def context(self, exclude: str) -> Context:
        """What every name but ``exclude`` says."""
        return Context(
            countries=_Less(self.countries, self.own_countries.get(exclude, {})),
            admin1=_Less(self.admin1, self.own_admin1.get(exclude, {})),
            support=_Less(self.support, self.unit_votes.get(exclude, {})),
            tally=self,
            exclude=exclude,
        )


@dataclass(frozen=True)
class Context:
    """What the rest of the article says, seen from one mention.

    Built from every *other* name in the article (a name does not vote for
    itself): the countries and admin-1 units its places lie in, how strongly
    the other names' *candidates* point to each admin-1 unit (each name
    spreads one vote over the units its candidates lie in), and their points.
    """

    countries: Mapping
    admin1: Mapping
    support: Mapping
    tally: _Tally
    exclude: str

    @cached_property
    def _others(self) -> np.ndarray:
        """Which of the tally's points are other names'."""
        return self.tally.owners != self.exclude

    @cached_property
    def points(self) -> tuple[tuple[float, float, str | None], ...]:
        """lat, lon, admin-1 of the other names' places."""
        kept = zip(self.tally.points, self._others, strict=True)
        return tuple(p for p, keep in kept if keep)

    @cached_property
    def _other_radians(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Latitudes, longitudes (radians) and latitude cosines of the other
        names' points, computed once per context (nearest_km runs often)."""
        rows = self.tally.radians[self._others]
        return rows[:, 0], rows[:, 1], np.cos(rows[:, 0])

    def has_points(self) -> bool:
        return bool(self._others.any()) if len(self._others) else False

    def nearest_place_km(self, lat: float, lon: float) -> float:
        """Distance from (lat, lon) to the nearest of the other names' places
        of any kind but regions (a country counts at its point)."""
        rows = self.tally.anywhere[self.tally.anywhere_owners != self.exclude]
        if not len(rows):
            return math.inf
        lat2, lon2 = rows[:, 0], rows[:, 1]
        p1, l1 = math.radians(lat), math.radians(lon)
        return float(_haversine_km(p1, l1, lat2, lon2, np.cos(lat2)).min())

    def nearest_km(self, lat: float, lon: float, other: bool = False) -> float:
        """Great-circle distance from (lat, lon) to the nearest point (haversine,
        as :func:`_distance_km`); ``other``: ignore points within 0.5 km (the
        same place under another name, "Mexico" and "Mexico City")."""
        p2, l2, cos_p2 = self._other_radians
        km = _haversine_km(math.radians(lat), math.radians(lon), p2, l2, cos_p2)
        if other:
            km = km[km > 0.5]
        return float(km.min()) if km.size else math.inf


# Ranking weights (log10 population is the base of a city's rank).
ADMIN1_BASE = 6.0
COUNTRY_BASE = 8.0
IN_NAMED_COUNTRY = 3.0
IN_NAMED_ADMIN1 = 2.5
QUALIFIED = 20.0
PRIMARY_NAME = 1.0
LIST_ALIKE = 0.75  # share of a list's other members that sets its kind
CAPITAL = 1.0  # a national capital under its own name ("Washington said")
SUPPORT = 3.0  # times the other names' candidate support for the unit
CUE = 10.0
NEAR_KM = (40.0, 150.0)
# A town of a country's name this close to the article's other places is meant.
TOWN_NEAR_KM = 40.0
LOCAL_NOT_COUNTRY = 6.0
TOWNS_PEOPLE = frozenset(
    ["man", "woman", "men", "women", "boy", "girl", "teen", "teenager"]
)
# A county's bare name ("Barrow") weighs below a same-named town unless the
# article's context points at the county's state.
BARE_ADMIN2 = 1.5


def _haversine_km(
    p1: float, l1: float, lat2: np.ndarray, lon2: np.ndarray, cos2: np.ndarray
) -> np.ndarray:
    """Great-circle km from one point to many (radians; ``cos2`` the cosines
    of ``lat2``), as :func:`_distance_km`."""
    a = (
        np.sin((lat2 - p1) / 2) ** 2
        + math.cos(p1) * cos2 * np.sin((lon2 - l1) / 2) ** 2
    )
    return 12742.0 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _qualifier(mention: Mention) -> str | None:
    for cue in mention.cues:
        if cue.startswith("qualifier:"):
            return cue.split(":", 1)[1]
    return None


def _towns_people(mention: Mention) -> bool:
    """Does a town's people word follow the name ("a Jordan man")?"""
    return any(c.startswith("local:") and c[6:] in TOWNS_PEOPLE for c in mention.cues)


def _rank(
    mention: Mention,
    place: Place,
    cue_kinds: set[str],
    context: Context | None,
    named_units: set[str] = frozenset(),
    capitals: frozenset[int] = frozenset(),
) -> tuple[float, list[str]]:
    """A candidate's rank and the reasons, highest wins."""
    why: list[str] = []
    if place.kind in ("country", "region"):
        rank = COUNTRY_BASE
        if _towns_people(mention):
            # "a Jordan man", "a Lebanon teen": a town's people; a country's
            # would be "a Jordanian man", "a Lebanese teen".
            rank -= LOCAL_NOT_COUNTRY
            why.append("its people are written as a town's, not a country's")
    elif place.kind == "admin1":
        rank = ADMIN1_BASE
    else:
        rank = math.log10(place.population + 1)
        if place.kind == "admin2" and "admin2" not in mention.cues:
            rank -= BARE_ADMIN2
    qualifier = _qualifier(mention)
    if normalize_name(place.name) == normalize_name(mention.text):
        # The name as the gazetteer writes it, not one of its alternates
        # ("California" the state, not Califon, once called California).
        rank += PRIMARY_NAME
        why.append("the place's own name")
    if qualifier is not None:
        if qualifier in (place.admin1_code, place.country_code):
            rank += QUALIFIED
            why.append(f'qualified by "{qualifier}" in the text ("Place, {qualifier}")')
        else:
            rank -= QUALIFIED / 2
    if "demonym" in mention.cues and place.kind in ("country", "region"):
        rank += QUALIFIED
        why.append("demonym")
    if place.id in capitals and normalize_name(place.name) == normalize_name(
        mention.text
    ):
        # A capital under its own name stands for its government
        # ("Washington said"); not Hong Kong, once called Victoria.
        rank += CAPITAL
        why.append(f"the capital of {place.country_code}")
    if "admin1" in cue_kinds and place.kind == "admin1":
        rank += CUE
    if "city" in cue_kinds and place.kind == "city":
        rank += CUE
    if "country" in cue_kinds and place.kind == "country":
        rank += CUE
    if context is None:
        return rank, why
    if context.countries.get(place.country_code):
        rank += IN_NAMED_COUNTRY + 0.1 * min(10, context.countries[place.country_code])
        why.append(f"in {place.country_code}, where the article's other places are")
    if place.kind != "admin1" and context.admin1.get(place.admin1_code):
        rank += IN_NAMED_ADMIN1
        why.append(f"in {place.admin1_code}, an admin-1 unit the article names")
    support = (
        context.support.get(place.admin1_code, 0.0)
        if place.kind in ("city", "admin2")
        and place.admin1_code
        and place.admin1_code not in named_units
        else 0.0
    )
    if support >= 0.1:
        rank += SUPPORT * min(support, 2.0)
        why.append(
            f"other names in the article can lie in {place.admin1_code} "
            f"(support {support:.1f})"
        )
    if place.kind in ("city", "admin2") and context.has_points():
        nearest = context.nearest_km(place.lat, place.lon)
        if nearest <= NEAR_KM[0]:
            rank += 2.0
            why.append(f"{nearest:.0f} km from another place in the article")
        elif nearest <= NEAR_KM[1]:
            rank += 1.0
            why.append(f"{nearest:.0f} km from another place in the article")
    return rank, why


def _stray(
    m: Mention, place: Place, context: Context, cue_kinds: set[str]
) -> str | None:
    """Why a name's best reading is no place of this article, or None: a
    town's other name that spaCy reads as an organisation or a person, in a
    country no other place of the article is in, with no qualifier or cue
    of kind to speak for it ("Hamas" is also a name of Hamm, Germany)."""
    if (
        place.kind != "city"
        or context.countries.get(place.country_code)
        or _qualifier(m) is not None
        or cue_kinds
    ):
        return None
    if m.ner_label in ("ORG", "PERSON") and normalize_name(
        place.name
    ) != normalize_name(m.text):
        return (
            f"only another name of {place.name} in {place.country_code}, where no "
            f"other place of the article is, and spaCy reads it as {m.ner_label}"
        )
    return None


def _far_towns(
    resolved: list[Resolved], small: set[int]
) -> tuple[list[Resolved], list[Rejected]]:
    """Small towns (``small``: indices of unqualified, uncued towns under
    LARGE_TOWN) in a country none of the article's other names is in, over
    STRAY_KM from all of them (STRAY_PLACES names at least): read under
    another name of theirs, no place of the article ("Hadi", the Yemeni
    president, is also a name of Hardy, Arkansas); under their own name,
    doubtful ("near Muse" in a Myanmar story read as Muse, Pennsylvania,
    which the gazetteer has and the Burmese town not; but also "a soldier
    from Wapakoneta was killed in Kandahar"). Repeats of the town's own name
    count for nothing."""
    placed = [i for i, r in enumerate(resolved) if r.lat is not None]
    if not small or len(placed) <= STRAY_PLACES:
        return resolved, []
    names = np.array([resolved[i].text.lower() for i in placed], dtype=object)
    lat = np.radians([resolved[i].lat for i in placed])
    lon = np.radians([resolved[i].lon for i in placed])
    codes = np.array([resolved[i].country_code or "" for i in placed], dtype=object)
    out, dropped, rejected = list(resolved), set(), []
    for i in small:
        town = resolved[i]
        others = names != town.text.lower()
        if others.sum() < STRAY_PLACES or (codes[others] == town.country_code).any():
            continue
        p1, l1 = math.radians(town.lat), math.radians(town.lon)
        lat2, lon2 = lat[others], lon[others]
        nearest = float(_haversine_km(p1, l1, lat2, lon2, np.cos(lat2)).min())
        if nearest <= STRAY_KM:
            continue
        far = (
            f"{nearest:,.0f} km from the nearest of the article's other places, "
            "in a country none of them is in"
        )
        if normalize_name(town.name) != normalize_name(town.text):
            dropped.add(i)
            rejected.append(
                Rejected(
                    town.start,
                    town.end,
                    town.text,
                    (
                        f"its best reading is {town.name}, which bears the name "
                        f"only as another of its names, {far}",
                    ),
                )
            )
        else:
            out[i] = replace(
                town,
                confidence=min(town.confidence, FAR_CONFIDENCE),
                evidence=(*town.evidence, f"{far}{DOUBTFUL}"),
            )
    return [r for i, r in enumerate(out) if i not in dropped], rejected


# A unit's town taken in the news holds at least this share of the people
# the gazetteer counts in the unit (see ``_seat``).
SEAT_SHARE = 0.1
# Of regions sharing a short name, one this near the article's places wins.
SHARED_NAME_KM = 1500.0
# A small town abroad this far from all of an article's places (at least
# this many) is doubtful, and its confidence at most this.
STRAY_KM = 3000.0
STRAY_PLACES = 2
FAR_CONFIDENCE = 0.3
# How a doubtful town's last evidence ends (the focus tally skips it).
DOUBTFUL = ": doubtful"


def _unit_holds_article(context: Context, code: str | None) -> bool:
    """Does admin-1 unit ``code`` hold at least TOWN_UNIT_PLACES of the
    article's other places, or a third of them ("In Illinois, Chicago and
    Springfield, Cairo flooded": three)?"""
    held = context.admin1.get(code, 0) if code else 0
    return held >= TOWN_UNIT_PLACES or (
        held > 0 and 3 * held >= sum(context.countries.values())
    )


def _seat(
    best: Place, candidates: list[Place], cue_kinds: set[str], taking: str | None
) -> Place | None:
    """The town to read instead of the unit ``best`` where the text speaks of
    taking ground ("captured", "besieged", "the fall of"): the largest
    candidate town in that unit ("the Taliban captured Kandahar", "advanced
    on Sirte", "the outskirts of Hama"), if it holds at least ``SEAT_SHARE``
    of the people the gazetteer counts in the unit. A village of the name
    is no seat (Zaporizhzhia oblast's 656-person namesake, a Xinjiang of no
    people); where the text speaks for the unit ("Idlib province"), or the
    unit holds no town of the name ("captured Florida"), the unit stays."""
    if taking is None or "admin1" in cue_kinds or best.kind != "admin1":
        return None
    towns = [
        p for p in candidates if p.kind == "city" and p.admin1_code == best.admin1_code
    ]
    seat = max(towns, key=lambda p: p.population, default=None)
    if seat is None or seat.population < SEAT_SHARE * best.population:
        return None
    return seat


def _is_seat(place: Place, candidates: list[Place], taking: str | None) -> bool:
    """Is ``place`` the town taken for a unit of its name (see ``_seat``)?"""
    return (
        taking is not None
        and place.kind == "city"
        and any(
            p.kind == "admin1" and p.admin1_code == place.admin1_code
            for p in candidates
        )
    )


def _choose(
    mention: Mention,
    candidates: list[Place],
    cue_kinds: set[str],
    context: Context | None,
    capitals: frozenset[int] = frozenset(),
    taking: str | None = None,
) -> tuple[Place, list[str], float]:
    """The best candidate, the reasons, and its margin over the runner-up;
    ``taking``: words of taking ground said of the name (see ``_seat``)."""
    key = normalize_name(mention.text)
    everyone = candidates
    # Towns whose own name it is (Minneota, once "Minnesota", is not one).
    local = [
        p
        for p in candidates
        if p.kind in ("city", "admin2") and normalize_name(p.name) == key
    ]

    # What speaks for a town of the name over a bigger namesake: a qualifier,
    # a city cue, or a town of the name next to the article's other places
    # ("Jordan" beside Shakopee, Minnesota). Asked only where a bigger
    # namesake is there: the distances cost.
    def town_said() -> bool:
        return (
            _qualifier(mention) is not None
            or "city" in cue_kinds
            or (
                context is not None
                and context.has_points()
                and any(
                    0.5 < context.nearest_km(p.lat, p.lon, other=True) <= TOWN_NEAR_KM
                    for p in local
                )
            )
        )

    if (
        any(p.kind in ("country", "region") for p in candidates)
        # "a Jordan man": a town's people, not a country's
        and not _towns_people(mention)
        and not town_said()
    ):
        # A country's name beats same-named towns ("Russia" is not Russia,
        # Ohio, however Ohio-heavy the article); admin-1 units stay in
        # ("Georgia" the state).
        candidates = [p for p in candidates if p.kind not in ("city", "admin2")]
    elif context is not None and any(
        p.kind == "admin1"
        and normalize_name(p.name) == normalize_name(mention.text)
        and context.countries.get(p.country_code)
        for p in candidates
    ):
        # The same for a unit's own name in a country the article is about:
        # "California" in a list of states is the state, not California,
        # Missouri, however much the list speaks for Missouri; only a large
        # town of the name stays in ("New York"). A unit abroad does not
        # (Dublin, Ohio is not County Dublin). Where the text speaks for a
        # town, the towns in the article's countries stay in: "Bali airport"
        # beside Indonesia is the island's, not that of Bāli, India.
        said = town_said()
        candidates = [
            p
            for p in candidates
            if p.kind not in ("city", "admin2")
            or p.population >= LARGE_TOWN
            and not said
            or said
            and context.countries.get(p.country_code)
        ]
    big = max(
        (p for p in local if p.kind == "city"), key=lambda p: p.population, default=None
    )
    world = big.population if big is not None else 0
    if (
        world >= WORLD_CITY
        and _qualifier(mention) is None
        and context is not None
        and context.countries.get(big.country_code)
    ):
        # A world city's name, in an article that names its country too, is
        # that city ("Cairo airport" beside Egypt, "Medina" after Mecca), not
        # a town a fiftieth its size whose only support is its own country
        # or its state named once among many places; a town next to the
        # article's other places, in a state the article is about, or
        # qualified, stays in (London, Kentucky beside Corbin; Cairo after
        # Illinois, Chicago and Springfield).
        candidates = [
            p
            for p in candidates
            if p.kind not in ("city", "admin2")
            or p.population * WORLD_CITY_RATIO >= world
            or _unit_holds_article(context, p.admin1_code)
            or (
                context.has_points()
                and context.nearest_km(p.lat, p.lon, other=True) <= NEAR_KM[1]
            )
        ]
    shared = [
        p for p in candidates if p.kind == "region" and normalize_name(p.name) != key
    ]
    nearest_note = None
    if len(shared) > 1:
        # Regions that bear the name as a short one ("the Gulf": the Persian
        # Gulf, the Gulf of Mexico): the one nearest the article's places,
        # where one lies within SHARED_NAME_KM of them ("Houston", "Iran");
        # else the one the table lists first, the sense of world news ("US
        # troops in the Gulf": the United States' point is in Kansas).
        km = {
            p.id: context.nearest_place_km(p.lat, p.lon) if context else math.inf
            for p in shared
        }
        near = min(shared, key=lambda p: (km[p.id], p.id))
        if km[near.id] > SHARED_NAME_KM:
            near = min(shared, key=lambda p: p.id)
            why = f"the first of the {len(shared)} regions also called "
            why += f'"{mention.text}": none lies within {SHARED_NAME_KM:,.0f} km '
            why += "of the article's other places"
        else:
            why = f'of the {len(shared)} regions also called "{mention.text}", the '
            why += f"nearest to the article's other places ({km[near.id]:,.0f} km)"
        candidates = [p for p in candidates if p not in shared or p is near]
        nearest_note = (near, why)
    qualifies = next((c[10:] for c in mention.cues if c.startswith("qualifies:")), None)
    units = [
        p
        for p in candidates
        if (p.kind == "admin1" and p.admin1_code == qualifies)
        or (p.kind == "country" and p.country_code == qualifies)
    ]
    if units:
        # "Buffalo, New York": the unit that qualifies the place before it.
        candidates = units
    elif "admin2" in mention.cues and any(p.kind == "admin2" for p in candidates):
        # "Walker County" is a county, not a town called Walker.
        candidates = [p for p in candidates if p.kind == "admin2"]
    elif any(p.kind in ("admin1", "country", "region") for p in candidates):
        # A bare "Texas" is the state, never Texas County, Missouri.
        candidates = [p for p in candidates if p.kind != "admin2"]
    # A town that only once bore the name, or bears it as another name
    # (Beeville, "Maryville"), gives way to a larger town whose own name it is.
    own = [
        p.population
        for p in candidates
        if p.kind == "city" and normalize_name(p.name) == key
    ]
    if own:
        candidates = [
            p
            for p in candidates
            if p.kind != "city"
            or normalize_name(p.name) == key
            or p.population >= max(own)
        ]
    # A unit of this very name is a candidate: the other names' support for
    # that unit speaks for the unit, not for a town inside it ("Minnesota"
    # is not Minneota, Minnesota).
    named_units = {p.admin1_code for p in candidates if p.kind == "admin1"}
    ranked = sorted(
        (
            (*_rank(mention, p, cue_kinds, context, named_units, capitals), p)
            for p in candidates
        ),
        key=lambda r: (-r[0], -r[2].population, r[2].id),
    )
    rank, why, best = ranked[0]
    margin = rank - ranked[1][0] if len(ranked) > 1 else 10.0
    head = {
        "country": "country",
        "admin1": "admin-1 unit",
        "city": f"populated place (population {best.population:,})",
        "admin2": "second-level unit (county)",
        "region": "named region or natural feature",
    }.get(best.kind, best.kind)
    reasons = [f"{head} ranked first of {len(candidates)} candidate(s)", *why]
    seat = _seat(best, everyone, cue_kinds, taking)
    if seat is not None:
        reasons = [
            f"populated place (population {seat.population:,}), the largest "
            f"town of the name in {best.name}, the unit ranked first",
            f'taking ground ("{taking}") is taking the town: city chosen by the cue',
        ]
        best = seat
    if best.kind == "admin1" and "admin1" in cue_kinds:
        reasons.append("admin-1 unit chosen by the cue")
    if best.kind == "city" and "city" in cue_kinds:
        reasons.append("city chosen by the cue")
    if nearest_note is not None and nearest_note[0] is best:
        reasons.append(nearest_note[1])
    if (
        best.kind == "country"
        and not why
        and any(p.kind != "country" for p in candidates)
    ):
        reasons.append("a country's name takes precedence over same-named places")
    return best, reasons, margin


# name, country, admin-1 codes, a town's point (lat, lon, admin-1), and the
# point of any place that is no region (towns, units, countries).
_Vote = tuple[
    str,
    str,
    tuple[str, ...],
    tuple[float, float, str | None] | None,
    tuple[float, float] | None,
]


def _votes(provisional: dict[int, Place], mentions: list[Mention]) -> list[_Vote]:
    """What each provisionally placed mention says about the article: its
    name, country, admin-1 units (its place's, a qualifier's) and point.
    Computed once; :func:`_context` runs once per distinct name over them."""
    votes = []
    for i, place in provisional.items():
        codes = [place.admin1_code] if place.admin1_code else []
        qualifier = _qualifier(mentions[i])
        if qualifier and "-" in qualifier:
            codes.append(qualifier)
        point = (place.lat, place.lon, place.admin1_code)
        votes.append(
            (
                mentions[i].text.lower(),
                place.country_code,
                tuple(codes),
                point if place.kind in ("city", "admin2") else None,
                (place.lat, place.lon) if place.kind != "region" else None,
            )
        )
    return votes


def _unit_votes(
    mentions: list[Mention], candidates_of: list[list[Place]], accept_all: bool
) -> dict[str, Counter]:
    """Per distinct name: one vote spread evenly over the admin-1 units its
    candidates lie in ("Hall County" -> GA, NE, TX... a third each). A unit
    several names can share ("Gainesville", "Hall County", "Georgia") is
    likely the article's, whichever reading each name got on its own."""
    units_of: dict[str, set[str]] = {}
    for m, candidates in zip(mentions, candidates_of, strict=True):
        if m.vetoes and not accept_all:
            continue
        if any(p.kind in ("country", "region") for p in candidates):
            # "Russia", "Macedonia": the towns of Ohio named after countries
            # say nothing of the article; the name votes only for a unit of
            # its own name ("Georgia" the state).
            candidates = [p for p in candidates if p.kind == "admin1"]
        units = units_of.setdefault(m.text.lower(), set())
        units.update(p.admin1_code for p in candidates if p.admin1_code)
    return {
        name: Counter({code: 1 / len(units) for code in units})
        for name, units in units_of.items()
        if units
    }


def resolve_mentions(
    extraction: Extraction, gazetteer: Gazetteer, *, accept_all: bool = False
) -> Resolution:
    """Resolve every candidate span of an extraction.

    Parameters
    ----------
    accept_all
        Resolve-only mode: every span is taken to be a place (vetoes and the
        place score do not reject it); a span the gazetteer does not know
        comes back as kind ``place`` without coordinates.

    Returns
    -------
    Resolution
        Places and regions accepted (text order), spans rejected with their
        reasons, and the article's focus country.
    """
    mentions = [m for m in extraction.mentions if m.direction is None]
    lists: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.list_id is not None and not m.vetoes:
            lists.setdefault(m.list_id, []).append(m)
    article_countries: Counter = Counter()
    for m in mentions:
        if m.vetoes:
            continue
        for place in gazetteer.places_for(m.place_ids):
            if place.kind == "country":
                article_countries[place.country_code] += 1
                break

    # Pass 1: each name on its own (population, cues, qualifiers) gives a
    # provisional place; pass 2 re-ranks each name by what the *other* names
    # say (countries, admin-1 units, distance). One sense per name: a name's
    # qualified or cued reading carries to its bare repeats.
    candidates_of = [gazetteer.places_for(m.place_ids) for m in mentions]
    cue_of = [_cue_kinds(m, lists) for m in mentions]
    taking_of = _takings(mentions)
    for i, taking in enumerate(taking_of):
        if taking is not None:
            # Taking ground is done to places ("Wagner captured Bakhmut"); it
            # says nothing of the kind (see _seat).
            cue_of[i] = (cue_of[i][0], [*cue_of[i][1], f'taking ground: "{taking}"'])
    provisional: dict[int, Place] = {}
    for i, m in enumerate(mentions):
        if (m.vetoes and not accept_all) or not candidates_of[i]:
            continue
        place, _, _ = _choose(
            m, candidates_of[i], cue_of[i][0], None, gazetteer.capitals, taking_of[i]
        )
        score, _ = _place_score(
            m, place, article_countries, lists, cue_of[i][1], gazetteer.capitals
        )
        if score >= ACCEPT_SCORE or accept_all:
            provisional[i] = place
    # A list's members are of one kind: "Ohio, New York and Iowa" are states,
    # "France, Germany and Georgia" countries, "Egypt and Niger" too. Where
    # nearly all the others (two or more for units) read as units (or
    # countries), so does a name
    # that can (one odd reading, Georgia the country among thirty states,
    # does not break the list).
    members: dict[int, list[int]] = {}
    for i in provisional:
        if mentions[i].list_id is not None:
            members.setdefault(mentions[i].list_id, []).append(i)
    for i, m in enumerate(mentions):
        if m.list_id is None or i not in provisional:
            continue
        others = [provisional[j] for j in members.get(m.list_id, ()) if j != i]
        for kind in ("admin1", "country"):
            alike = sum(p.kind == kind for p in others)
            if (
                # Two members suffice for countries ("Egypt and Niger"), not
                # for units: "California and Mexico" is a state and a country.
                alike >= (1 if kind == "country" else 2)
                and alike >= LIST_ALIKE * len(others)
                and any(p.kind == kind for p in candidates_of[i])
            ):
                kinds, evidence = cue_of[i]
                listed = ", ".join(
                    mentions[j].text for j in members[m.list_id] if j != i
                )
                cue_of[i] = (
                    kinds | {kind},
                    [*evidence, f"listed with {listed}, all read as {kind}"],
                )
    qualified: dict[str, Place] = {}
    # The town taken for the unit of its name: its bare repeats are that
    # town too ("advanced on Sirte ... Sirte and Jufra").
    seated: dict[str, Place] = {}
    for i, place in provisional.items():
        if _qualifier(mentions[i]) is not None:
            qualified.setdefault(mentions[i].text.lower(), place)
        elif _is_seat(place, candidates_of[i], taking_of[i]):
            seated.setdefault(mentions[i].text.lower(), place)

    resolved: list[Resolved] = []
    small: set[int] = set()  # indices of small towns (see _far_towns)
    rejected: list[Rejected] = []
    streets: list[Mention] = []
    # A name's context (the other names' places) is the same at each of its
    # repeats; built once per name, not once per mention (quadratic otherwise).
    contexts: dict[str, Context] = {}
    votes = _votes(provisional, mentions)
    unit_votes = _unit_votes(mentions, candidates_of, accept_all)
    tally = _Tally(votes, unit_votes)
    # Pass 2 once more on pass 2's own readings: a name read in context
    # ("Huntsville" as Huntsville, Texas beside "Walker County") then speaks
    # for its reading, not for the most populous namesake it started as.
    refined: dict[int, Place] = {}
    for i, place in provisional.items():
        if len(candidates_of[i]) == 1:
            refined[i] = place  # nothing to choose again
            continue
        m = mentions[i]
        name = m.text.lower()
        if name not in contexts:
            contexts[name] = tally.context(name)
        better, _, _ = _choose(
            m,
            candidates_of[i],
            cue_of[i][0],
            contexts[name],
            gazetteer.capitals,
            taking_of[i],
        )
        # Within the country first read: across countries a handful of small
        # namesakes can pull each other abroad ("Mecca" and "Medina", Ohio).
        refined[i] = better if better.country_code == place.country_code else place
    # Both readings vote: alternating on one alone can swing a pair of names
    # back and forth ("Huntsville" and "Walker County" trading states).
    tally = _Tally(votes + _votes(refined, mentions), unit_votes)
    contexts.clear()
    for i, m in enumerate(mentions):
        if m.vetoes and not accept_all:
            rejected.append(Rejected(m.start, m.end, m.text, _readable(m.vetoes)))
            continue
        candidates = candidates_of[i]
        cue_kinds, cue_evidence = cue_of[i]
        name = m.text.lower()
        if name not in contexts:
            contexts[name] = tally.context(name)
        context = contexts[name]
        if "admin2" in m.cues and not any(p.kind == "admin2" for p in candidates):
            admin2 = _admin2(m, candidates, context, gazetteer)
            if admin2 is not None:
                resolved.append(admin2)
                continue
        unlisted = _unlisted(m, candidates, context, gazetteer)
        if unlisted is not None:
            resolved.append(unlisted)
            continue
        if not candidates:
            if "street" in m.cues and not accept_all:
                streets.append(m)
            elif accept_all:
                resolved.append(_unknown(m))
            continue
        place, choice, margin = _choose(
            m, candidates, cue_kinds, context, gazetteer.capitals, taking_of[i]
        )
        repeat = qualified.get(m.text.lower())
        seat = seated.get(m.text.lower())
        if repeat is not None and _qualifier(m) is None and not cue_kinds:
            place = repeat
            choice = [f"{place.name}, as the article qualifies this name elsewhere"]
        elif (
            seat is not None
            and taking_of[i] is None
            and _qualifier(m) is None
            and not cue_kinds
        ):
            place = seat
            choice = [f"{place.name}, the town the article speaks of taking elsewhere"]
        score, evidence = _place_score(
            m, place, article_countries, lists, cue_evidence, gazetteer.capitals
        )
        if (
            not accept_all
            and place.kind == "city"
            and place.population < LARGE_TOWN
            and m.ner_label not in ("GPE", "LOC", "FAC")
            and not any(c.split(":", 1)[0] not in WEAK_CUES for c in m.cues)
            and m.list_id is None
            and not context.countries.get(place.country_code)
            # the town taken for the unit of its name ("recaptured Kherson")
            and not _is_seat(place, candidates, taking_of[i])
            and place is not seated.get(m.text.lower())
        ):
            # "Kristina" (Ristiina, Finland), "Titan" (Afghanistan): a bare
            # word that a small town far from the article's places bears,
            # with nothing around it to say it is a place, is another word.
            rejected.append(
                Rejected(
                    m.start,
                    m.end,
                    m.text,
                    (
                        f"its best reading is the small town {place.name} in "
                        f"{place.country_code}, where no other place of the article "
                        "is, and nothing around the name says it is a place",
                    ),
                )
            )
            continue
        stray = None if accept_all else _stray(m, place, context, cue_kinds)
        if stray is not None:
            rejected.append(Rejected(m.start, m.end, m.text, (stray,)))
            continue
        if score < ACCEPT_SCORE and not accept_all:
            rejected.append(
                Rejected(
                    m.start, m.end, m.text, (f"place score {score:.2f}", *evidence)
                )
            )
            continue
        confidence = min(1.0, max(0.0, score)) * (0.6 + 0.4 * min(1.0, margin / 3))
        feature = next((c for c in m.cues if c.startswith("feature:")), None)
        if feature is not None:
            # "Kanawha River": the gazetteer knows the name it is named for.
            resolved.append(_feature(m, place, feature.split(":", 1)[1], choice))
            continue
        if (
            place.kind == "city"
            and place.population < LARGE_TOWN
            and _qualifier(m) is None
            and not cue_kinds
        ):
            small.add(len(resolved))
        resolved.append(
            Resolved(
                start=m.start,
                end=m.end,
                text=m.text,
                sentence=m.sentence,
                kind=KIND_OF[place.kind],
                name=place.name,
                lat=place.lat,
                lon=place.lon,
                country_code=place.country_code,
                admin1_code=place.admin1_code,
                geonameid=place.geonameid,
                confidence=round(confidence, 2),
                evidence=(*choice, *evidence),
                units=gazetteer.units_of(place.id),
                member_countries=gazetteer.countries_of(place.id),
            )
        )
    resolved, far = _far_towns(resolved, small)
    rejected.extend(far)

    towns = _Towns(resolved) if streets else None
    for m in streets:
        street = towns.place(m)
        if street is None:
            rejected.append(
                Rejected(
                    m.start,
                    m.end,
                    m.text,
                    ("a street or road, and no town in the article to place it in",),
                )
            )
        else:
            resolved.append(street)
    focus = _focus_country(resolved)
    for m in extraction.mentions:
        if m.direction is None:
            continue
        region = _resolve_region(m, resolved, focus, gazetteer)
        if region is None:
            rejected.append(
                Rejected(
                    m.start, m.end, m.text, ("no place to take the direction from",)
                )
            )
        else:
            resolved.append(region)
    resolved.sort(key=lambda r: r.start)
    return Resolution(tuple(resolved), tuple(rejected), focus)


def _admin2(
    mention: Mention, candidates: list[Place], context: Context, gazetteer: Gazetteer
) -> Resolved | None:
    """A second-level unit the gazetteer lacks (it has US counties only):
    placed by its admin-1 unit's other places in the article.

    The unit is the one a qualifier names, else the admin-1 unit the
    article's places mostly lie in. A same-named town inside that unit
    stands for the county (counties are small); otherwise the mean of the
    article's places in the unit; otherwise the unit's own point.
    """
    code = _qualifier(mention)
    if code is None and context.admin1:
        code = context.admin1.most_common(1)[0][0]
    if code is None or "-" not in code:
        return None
    unit = gazetteer.admin1(code)
    if unit is None:
        return None
    inside = [p for p in candidates if p.kind == "city" and p.admin1_code == code]
    evidence = [f"second-level unit in {code}"]
    if inside:
        lat, lon = inside[0].lat, inside[0].lon
        evidence.append(f"a town of the same name, {inside[0].name}, lies in {code}")
    else:
        lat, lon, where = _in_unit(unit, context)
        evidence.append(where)
    return _as_place(mention, (lat, lon), unit.country_code, code, 0.5, tuple(evidence))


def _in_unit(unit: Place, context: Context) -> tuple[float, float, str]:
    """Where to put a place known only to lie in ``unit``: the mean of the
    article's places in it, else the unit's own point; and why."""
    code = unit.admin1_code if unit.kind == "admin1" else None
    near = [
        (lat, lon) for lat, lon, a1 in context.points if code is not None and a1 == code
    ]
    if near:
        lat = sum(p[0] for p in near) / len(near)
        lon = sum(p[1] for p in near) / len(near)
        why = f"placed at the mean of the article's {len(near)} place(s) in {code}"
        return lat, lon, why
    return unit.lat, unit.lon, f"placed at {unit.name}'s point"


def _unlisted(
    mention: Mention, candidates: list[Place], context: Context, gazetteer: Gazetteer
) -> Resolved | None:
    """A place its qualifier puts in a unit where the gazetteer has no place
    of the name ("Fort Detrick, Maryland"; "Stroud, Ontario", whose
    namesakes lie abroad, in a story that names another Canadian place):
    placed in that unit, approximately."""
    code = _qualifier(mention)
    if code is None:
        # The unit names its own country once; another place must too.
        unheld = [c[7:] for c in mention.cues if c.startswith("unheld:")]
        if not unheld or context.countries.get(unheld[0].split("-")[0], 0) < 2:
            return None
        code = unheld[0]
    unit = gazetteer.admin1(code) if "-" in code else gazetteer.country(code)
    if unit is None or any(
        p.admin1_code == code if unit.kind == "admin1" else p.country_code == code
        for p in candidates
    ):
        return None
    lat, lon, where = _in_unit(unit, context)
    evidence = (
        f'qualified by "{code}" in the text, where the gazetteer has no place '
        "of this name",
        f"{where} (approximate)",
    )
    return _as_place(
        mention,
        (lat, lon),
        unit.country_code,
        code if unit.kind == "admin1" else None,
        0.3,
        evidence,
    )


def _as_place(
    mention: Mention,
    point: tuple[float, float] | None,
    country_code: str | None,
    admin1_code: str | None,
    confidence: float,
    evidence: tuple[str, ...],
) -> Resolved:
    """A mention of kind ``place`` under its own name: a place the gazetteer
    has no entry of, at the point the evidence explains (or none)."""
    lat, lon = point if point is not None else (None, None)
    return Resolved(
        start=mention.start,
        end=mention.end,
        text=mention.text,
        sentence=mention.sentence,
        kind="place",
        name=mention.text,
        lat=lat,
        lon=lon,
        country_code=country_code,
        admin1_code=admin1_code,
        geonameid=None,
        confidence=confidence,
        evidence=evidence,
    )


def _unknown(mention: Mention) -> Resolved:
    """A span given as a place that no gazetteer entry matches."""
    return _as_place(
        mention,
        None,
        None,
        None,
        0.0,
        ("given as a place; no gazetteer entry matches the name",),
    )


def _focus_scores(resolved: list[Resolved]) -> tuple[Counter, dict[str, int]]:
    """Each country's focus points, and where the article first names it.

    Each mention of a country counts once; each distinct place named inside
    it counts twice (an article about Syria names Idlib and Aleppo, one that
    only mentions Syria does not). A doubtful town counts for nothing.
    """
    score: Counter = Counter()
    first_seen: dict[str, int] = {}
    inside: set[tuple[str, str]] = set()
    for r in resolved:
        if not r.country_code or r.evidence[-1:] and r.evidence[-1].endswith(DOUBTFUL):
            continue
        first_seen.setdefault(r.country_code, r.start)
        if r.kind == "country":
            score[r.country_code] += 1
        elif (r.country_code, r.name) not in inside:
            inside.add((r.country_code, r.name))
            score[r.country_code] += 2
    return score, first_seen


def _focus_country(resolved: list[Resolved]) -> str | None:
    """The country the article is mostly about (most points, see
    :func:`_focus_scores`); ties go to the country named first."""
    score, first_seen = _focus_scores(resolved)
    if not score:
        return None
    return max(score, key=lambda c: (score[c], -first_seen[c]))


def _clear_focus(resolved: list[Resolved], focus: str | None) -> bool:
    """Does the focus country lead clearly: FOCUS_LEAD points or more, and
    twice any other country's?"""
    score, _ = _focus_scores(resolved)
    if focus is None or score[focus] < FOCUS_LEAD:
        return False
    return all(score[focus] >= 2 * v for c, v in score.items() if c != focus)


FOCUS_LEAD = 4


def _resolve_region(
    mention: Mention, resolved: list[Resolved], focus: str | None, gazetteer: Gazetteer
) -> Resolved | None:
    evidence = [f'direction "{mention.direction}"']
    reference: Place | Resolved | None = None
    if mention.reference:
        candidates = gazetteer.candidates(mention.reference)
        same_text = [r for r in resolved if r.text == mention.reference]
        town_read = False
        if same_text:
            # The article's own reading of the name: its country or unit;
            # a town's unit only where it bears the town's name ("southern
            # Idlib" is the governorate; "South Los Angeles" is no part of
            # California).
            r = same_text[0]
            if r.kind == "country":
                reference = gazetteer.country(r.country_code)
            elif r.kind in ("admin1", "city"):
                unit = gazetteer.admin1(r.admin1_code or "")
                if r.kind == "admin1" or (
                    unit is not None
                    and normalize_name(unit.name) == normalize_name(mention.reference)
                ):
                    reference = unit
                else:
                    # The article reads the name as a town: "southern
                    # Jordan" after Jordan, Minnesota, is that town's south.
                    town_read = True
        if reference is None and candidates and not town_read:
            countries = [p for p in candidates if p.kind == "country"]
            admin1 = [p for p in candidates if p.kind == "admin1"]
            # With a focus, a unit is a reference only in a country the
            # article names: "the Central Plateau" of a Haiti story is no
            # part of Nigeria's Plateau State.
            named = {r.country_code for r in resolved if r.country_code}
            if focus is not None and not any(p.country_code in named for p in admin1):
                admin1 = []
            # "West Africa", "the eastern Mediterranean": a continent or a
            # named region or sea, before any town of the name (Asia, Cebu).
            regions = [p for p in candidates if p.kind == "region"]
            reference = (countries or admin1 or regions or [None])[0]
        if reference is not None and reference.kind == "region":
            made_of = (
                "admin-1 units"
                if gazetteer.units_of(reference.id)
                else "countries"
                if gazetteer.countries_of(reference.id)
                else None
            )
            evidence.append(
                f'relative to the region "{reference.name}", made of its {made_of}'
                if made_of
                else f'relative to the region "{reference.name}" (drawn at its '
                "point; it has no polygon here)"
            )
        elif reference is not None:
            evidence.append(f'relative to "{mention.reference}"')
        else:
            # "south Fargo", "East Jerusalem": part of a town, which has no
            # polygon here; the region stands at the town's point.
            reference = _town(same_text, candidates, focus)
            if reference is not None:
                evidence.append(
                    f'relative to the town "{reference.name}" (drawn at its point)'
                )
    else:
        # "the northeast": the article's focus country where it leads
        # clearly (a Yemen story's "positions near Marib, ... in the north",
        # whatever the "Saudi-led" and "U.S." before it); "the country", and
        # any phrase where no country leads: the country last named by name
        # before the phrase ("talks in Washington" do not make Ethiopia's
        # north America's), else the focus.
        # A demonym names no country a phrase refers back to: "Saudi-led
        # jets", "Russian jets", "the Iraqi army said Turkish jets..."
        earlier = [
            r
            for r in resolved
            if r.kind == "country"
            and r.end <= mention.start
            and not gazetteer.is_demonym(r.text)
        ]
        bare = "country" not in mention.text.lower()
        if bare and _clear_focus(resolved, focus):
            code = focus
            evidence.append(f"relative to the article's focus country {code}")
        elif earlier:
            code = earlier[-1].country_code
            evidence.append(f"relative to {code}, the country last named before it")
        else:
            code = focus
            if code:
                evidence.append(f"relative to the article's focus country {code}")
        if code:
            reference = gazetteer.country(code)
    if reference is None:
        return None
    confidence = 0.7 if mention.reference and reference.kind != "city" else 0.6
    return Resolved(
        start=mention.start,
        end=mention.end,
        text=mention.text,
        sentence=mention.sentence,
        kind="region",
        name=f"{mention.direction} {reference.name}",
        lat=reference.lat,
        lon=reference.lon,
        country_code=reference.country_code,
        admin1_code=(
            reference.admin1_code if reference.kind in ("admin1", "city") else None
        ),
        geonameid=None,
        confidence=confidence,
        evidence=tuple(evidence),
        direction=mention.direction,
        reference_kind=reference.kind,
        # (a town the article reads the name as is a Resolved, no Place)
        units=gazetteer.units_of(reference.id) if isinstance(reference, Place) else (),
        member_countries=(
            gazetteer.countries_of(reference.id) if isinstance(reference, Place) else ()
        ),
    )


def _feature(mention: Mention, place: Place, word: str, choice: list[str]) -> Resolved:
    """A feature or site named for a place ("Kanawha River"), at the point
    of the place it is named for: near it, not on it."""
    inner = mention.text[: -len(word)].strip()
    return _as_place(
        mention,
        (place.lat, place.lon),
        place.country_code,
        place.admin1_code,
        0.4,
        (
            f'a {word.lower()} named "{inner}"; the gazetteer has no such feature',
            f"placed at {place.name} ({place.kind}), the place of that name "
            "(approximate)",
            *choice,
        ),
    )


class _Towns:
    """Where the article's streets are: its towns and admin-1 units, by
    sentence, and the town it names most. Built once per article (one scan
    of every mention per street was quadratic)."""

    def __init__(self, resolved: list[Resolved]) -> None:
        self.by_sentence: dict[int, list[Resolved]] = {}
        towns = []
        for r in resolved:
            if r.kind in ("city", "admin1") and r.lat is not None:
                self.by_sentence.setdefault(r.sentence, []).append(r)
                if r.kind == "city":
                    towns.append(r)
        counts = Counter(r.name for r in towns)
        self.most = max(towns, key=lambda r: (counts[r.name], -r.start), default=None)

    def place(self, mention: Mention) -> Resolved | None:
        """A street or road at its town: the nearest town named in its
        sentence (an admin-1 unit if no town is), else the town the article
        names most. The gazetteer has no streets, so the point is the town's
        and the confidence low."""
        near = self.by_sentence.get(mention.sentence)
        if near:
            town = min(
                near, key=lambda r: (r.kind != "city", abs(r.start - mention.start))
            )
            what = "town" if town.kind == "city" else "admin-1 unit"
            why = f'placed at "{town.text}", the {what} named nearest to it'
        elif self.most is not None:
            town = self.most
            why = f'placed at "{town.text}", the town the article names most'
        else:
            return None
        return replace(
            town,
            start=mention.start,
            end=mention.end,
            text=mention.text,
            sentence=mention.sentence,
            kind="place",
            name=f"{mention.text}, {town.name}",
            geonameid=None,
            confidence=0.3,
            evidence=(
                "a street or road by its name; the gazetteer has no streets",
                f"{why}; the point is {town.name}'s, approximate",
            ),
            direction=None,
            reference_kind=None,
        )


def _town(
    same_text: list[Resolved], candidates: list[Place], focus: str | None
) -> Resolved | Place | None:
    """The town a directional phrase is relative to: the article's reading of
    the name if it has one, else the most populous town of that name, in the
    article's focus country if it has one, else a large one."""
    towns = [r for r in same_text if r.kind == "city" and r.lat is not None]
    if towns:
        return towns[0]
    cities = [p for p in candidates if p.kind == "city"]
    if focus is not None and any(p.country_code == focus for p in cities):
        cities = [p for p in cities if p.country_code == focus]
    elif focus is not None:
        # No town of the name in the article's country: only a large one
        # abroad ("central Mumbai"), not a small one ("western Kasai" in a
        # Congolese story is not Kasai, Japan).
        cities = [p for p in cities if p.population >= LARGE_TOWN]
    return max(cities, key=lambda p: p.population) if cities else None


def _readable(vetoes: tuple[str, ...]) -> tuple[str, ...]:
    words = {
        "person": "part of the person's name",
        "organisation": "inside the organisation name",
        "title": "follows the title",
        "initial": "a surname after the first name and initial",
        "not_place_word": "a word English uses for no place:",
        "feature_word": "a feature's word inside a longer name:",
        "name_head": "the first word of a longer name:",
        "entity": "spaCy tags it",
        "calendar": "a month or weekday",
        "street": "part of a street name, before",
        "inside": "the end of a longer name",
        "compass": "a compass word alone, not a place:",
        "language": "a language here, after or before",
    }
    out = []
    for veto in vetoes:
        key, _, value = veto.partition(":")
        if key == "person_name_in_article":
            out.append("the article uses this word in a person's full name")
        elif key == "title_word":
            out.append("a person's title, not a place")
        else:
            out.append(f'{words.get(key, key)} "{value}"' if value else key)
    return tuple(out)
