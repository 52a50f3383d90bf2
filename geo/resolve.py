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
from dataclasses import dataclass

from geo.extract import Extraction, Mention
from geo.gazetteer import Gazetteer, Place

ACCEPT_SCORE = 0.5
KIND_OF = {"city": "city", "admin1": "admin1", "country": "country"}


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


def _cue_kinds(
    mention: Mention, lists: dict[int, list[Mention]]
) -> tuple[set[str], list[str]]:
    """Which kinds the cues point to ("admin1", "city"), with evidence."""
    kinds: set[str] = set()
    evidence: list[str] = []
    own = [c for c in mention.cues if c.startswith(("admin_cue:", "city_cue:"))]
    for cue in own:
        kind = "admin1" if cue.startswith("admin_cue:") else "city"
        kinds.add(kind)
        evidence.append(f'cue "{cue.split(":", 1)[1]}" -> {kind}')
    if not own and mention.list_id is not None:
        for other in lists[mention.list_id]:
            for cue in other.cues:
                if cue.startswith(("admin_cue:", "city_cue:")):
                    kind = "admin1" if cue.startswith("admin_cue:") else "city"
                    kinds.add(kind)
                    evidence.append(
                        f'listed with "{other.text}", which has cue '
                        f'"{cue.split(":", 1)[1]}" -> {kind}'
                    )
    return kinds, evidence


def _place_score(
    mention: Mention,
    place: Place,
    article_countries: Counter,
    lists: dict[int, list[Mention]],
    cue_evidence: list[str],
) -> tuple[float, list[str]]:
    score = 0.5
    evidence: list[str] = []
    label = mention.ner_label
    if label in ("GPE", "LOC", "FAC"):
        score += 0.3
        evidence.append(f"spaCy entity {label}")
    elif label == "PERSON":
        score -= 0.4
        evidence.append("spaCy entity PERSON (weighed against)")
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
        elif cue.startswith("person_after:"):
            score -= 0.3
            evidence.append(f'directly before the name "{cue.split(":", 1)[1]}"')
    if mention.list_id is not None and len(lists[mention.list_id]) > 1:
        others = [m.text for m in lists[mention.list_id] if m is not mention]
        score += 0.2
        evidence.append(f"listed with {', '.join(others)}")
    if place.kind == "country":
        score += 0.2
        evidence.append("country name")
    elif place.country_code in article_countries:
        score += 0.2
        evidence.append(f"in {place.country_code}, a country the article names")
    if place.kind == "admin1" or place.population >= 100_000:
        score += 0.1
    return score, evidence


def _choose(
    mention: Mention,
    candidates: list[Place],
    cue_kinds: set[str],
    article_countries: Counter,
) -> tuple[Place, list[str]]:
    countries = [p for p in candidates if p.kind == "country"]
    if countries and "city" not in cue_kinds:
        return countries[0], [
            "a country's name takes precedence over same-named places"
        ]
    admin1 = [p for p in candidates if p.kind == "admin1"]
    cities = [p for p in candidates if p.kind == "city"]

    def city_rank(p: Place) -> float:
        rank = math.log10(p.population + 1)
        if p.country_code in article_countries:
            rank += 3 + article_countries[p.country_code] * 0.1
        return rank

    cities.sort(key=city_rank, reverse=True)
    admin1.sort(key=lambda p: p.country_code in article_countries, reverse=True)
    if "admin1" in cue_kinds and admin1:
        return admin1[0], ["admin-1 unit chosen by the cue"]
    if "city" in cue_kinds and cities:
        return cities[0], ["city chosen by the cue"]
    if cities:
        best = cities[0]
        reason = [f"most likely city (population {best.population:,})"]
        if best.country_code in article_countries:
            reason.append(f"in {best.country_code}, which the article names")
        same_admin = [a for a in admin1 if a.admin1_code == best.admin1_code]
        if same_admin:
            reason.append("a governorate shares the name; no cue, so the city")
        return best, reason
    return admin1[0], ["admin-1 unit"]


def resolve_mentions(extraction: Extraction, gazetteer: Gazetteer) -> Resolution:
    """Resolve every candidate span of an extraction.

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

    resolved: list[Resolved] = []
    rejected: list[Rejected] = []
    for m in mentions:
        if m.vetoes:
            rejected.append(Rejected(m.start, m.end, m.text, _readable(m.vetoes)))
            continue
        candidates = gazetteer.places_for(m.place_ids)
        cue_kinds, cue_evidence = _cue_kinds(m, lists)
        place, choice = _choose(m, candidates, cue_kinds, article_countries)
        score, evidence = _place_score(m, place, article_countries, lists, cue_evidence)
        if score < ACCEPT_SCORE:
            rejected.append(
                Rejected(
                    m.start, m.end, m.text, (f"place score {score:.2f}", *evidence)
                )
            )
            continue
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
                confidence=round(min(1.0, max(0.0, score)), 2),
                evidence=(*choice, *evidence),
            )
        )

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


def _focus_country(resolved: list[Resolved]) -> str | None:
    """The country the article is mostly about.

    Each mention of a country counts once; each distinct place named inside
    it counts twice (an article about Syria names Idlib and Aleppo, one that
    only mentions Syria does not). Ties go to the country named first.
    """
    score: Counter = Counter()
    first_seen: dict[str, int] = {}
    inside: set[tuple[str, str]] = set()
    for r in resolved:
        if not r.country_code:
            continue
        first_seen.setdefault(r.country_code, r.start)
        if r.kind == "country":
            score[r.country_code] += 1
        elif (r.country_code, r.name) not in inside:
            inside.add((r.country_code, r.name))
            score[r.country_code] += 2
    if not score:
        return None
    return max(score, key=lambda c: (score[c], -first_seen[c]))


def _resolve_region(
    mention: Mention, resolved: list[Resolved], focus: str | None, gazetteer: Gazetteer
) -> Resolved | None:
    evidence = [f'direction "{mention.direction}"']
    reference: Place | None = None
    if mention.reference:
        candidates = gazetteer.candidates(mention.reference)
        same_text = [r for r in resolved if r.text == mention.reference]
        if same_text:
            r = same_text[0]
            reference = (
                gazetteer.country(r.country_code)
                if r.kind == "country"
                else gazetteer.admin1(r.admin1_code or "")
            )
        if reference is None and candidates:
            countries = [p for p in candidates if p.kind == "country"]
            admin1 = [p for p in candidates if p.kind == "admin1"]
            reference = (countries or admin1 or [None])[0]
        if reference is not None:
            evidence.append(f'relative to "{mention.reference}"')
    else:
        # "the country" / "the northeast": the country last named before the
        # phrase, else the article's focus country.
        earlier = [
            r for r in resolved if r.kind == "country" and r.end <= mention.start
        ]
        code = earlier[-1].country_code if earlier else focus
        if code:
            reference = gazetteer.country(code)
            evidence.append(
                f"relative to {code}, the country last named before it"
                if earlier
                else f"relative to the article's focus country {code}"
            )
    if reference is None:
        return None
    confidence = 0.7 if mention.reference else 0.6
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
        admin1_code=reference.admin1_code if reference.kind == "admin1" else None,
        geonameid=None,
        confidence=confidence,
        evidence=tuple(evidence),
        direction=mention.direction,
        reference_kind=reference.kind,
    )


def _readable(vetoes: tuple[str, ...]) -> tuple[str, ...]:
    words = {
        "person": "part of the person's name",
        "organisation": "inside the organisation name",
        "title": "follows the title",
        "entity": "spaCy tags it",
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
