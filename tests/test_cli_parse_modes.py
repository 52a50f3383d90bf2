"""``python -m geo parse`` resolve-only (``--spans``) and JSON Lines (``--format
jsonl``) modes, run in process on the real parser."""

from __future__ import annotations

import json

import pytest

from geo import cli, pipeline

TEXT = "Clashes near Aleppo on Monday, officials in Damascus said."
ALEPPO = (TEXT.index("Aleppo"), TEXT.index("Aleppo") + len("Aleppo"))
OFFICIALS = (TEXT.index("officials"), TEXT.index("officials") + len("officials"))


@pytest.fixture
def run(full_parser, monkeypatch, capsys):
    """``main(argv)`` on the session's parser: (exit code, stdout, stderr)."""
    monkeypatch.setattr(
        pipeline.Parser, "default", classmethod(lambda cls, **_: full_parser)
    )

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["parse", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def write_spans(tmp_path, spans, name="spans.json"):
    path = tmp_path / name
    path.write_text(json.dumps(spans), encoding="utf-8")
    return str(path)


def as_objects(*spans):
    return [{"start": s, "end": e} for s, e in spans]


# --- --spans: resolve-only ---------------------------------------------------


def test_spans_resolve_exactly_the_spans_given(run, article, tmp_path):
    spans = write_spans(tmp_path, as_objects(ALEPPO, OFFICIALS))
    code, out, err = run(str(article), "--spans", spans)
    assert code == 0, err
    result = json.loads(out)
    assert [(m["start"], m["end"]) for m in result["mentions"]] == [ALEPPO, OFFICIALS]
    aleppo, officials = result["mentions"]
    assert aleppo["text"] == "Aleppo" and aleppo["country_code"] == "SY"
    assert abs(aleppo["lat"] - 36.2) < 0.5 and abs(aleppo["lon"] - 37.16) < 0.5
    # Recognition would drop "officials"; resolve-only keeps it, unplaced.
    assert officials["kind"] == "place" and officials["lat"] is None
    # "Damascus" is not given, so it is not looked for.
    assert all(m["text"] != "Damascus" for m in result["mentions"])


def test_spans_output_has_the_parse_schema(run, article, tmp_path):
    _, normal, _ = run(str(article))
    code, resolved, err = run(
        str(article), "--spans", write_spans(tmp_path, as_objects(ALEPPO))
    )
    assert code == 0, err
    normal, resolved = json.loads(normal), json.loads(resolved)
    assert set(resolved) == set(normal)
    assert set(resolved["article"]) == set(normal["article"])
    assert set(resolved["mentions"][0]) == set(normal["mentions"][0])
    mention = resolved["mentions"][0]
    assert 0 <= mention["confidence"] <= 1 and mention["evidence"]


def test_empty_spans_list_gives_no_mentions(run, article, tmp_path):
    code, out, err = run(str(article), "--spans", write_spans(tmp_path, []))
    assert code == 0, err
    assert json.loads(out)["mentions"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("[{'start': 1", "not valid JSON"),
        ('{"start": 0, "end": 3}', "expected a list"),
        ('[{"start": 0}]', 'integer "start" and "end"'),
        ('[{"start": "0", "end": 3}]', 'integer "start" and "end"'),
        ('[{"start": true, "end": 3}]', 'integer "start" and "end"'),
        ('[{"start": 0, "end": 9999}]', "outside the text (length 58)"),
        ('[{"start": 5, "end": 5}]', "outside the text"),
        ('[{"start": -1, "end": 5}]', "outside the text"),
    ],
)
def test_bad_spans_file_is_one_line_and_exit_2(
    run, article, tmp_path, content, message
):
    spans = tmp_path / "spans.json"
    if content is not None:
        spans.write_text(content, encoding="utf-8")
    code, out, err = run(str(article), "--spans", str(spans))
    assert code == cli.EXIT_BAD_INPUT
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: --spans ")
    assert message in err and "Traceback" not in err


def test_parser_parse_with_spans(full_parser):
    from geo.articles import Article

    result = full_parser.parse(Article(text=TEXT), spans=[ALEPPO])
    assert [m.mention.text for m in result.mentions] == ["Aleppo"]
    with pytest.raises(ValueError, match="outside the text"):
        full_parser.parse(Article(text=TEXT), spans=[(0, 999)])


# --- --format jsonl ----------------------------------------------------------


def write_lines(tmp_path, *lines):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n" for ln in lines),
        encoding="utf-8",
    )
    return str(path)


def test_jsonl_one_result_per_line_in_order_with_ids(run, tmp_path):
    path = write_lines(
        tmp_path,
        {"id": "b", "text": "Shelling hit Aleppo.", "date": "2020-02-01"},
        "",
        {"id": 7, "text": "Talks were held in Damascus."},
    )
    code, out, err = run(path, "--format", "jsonl")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert first["id"] == "b" and second["id"] == 7
    assert first["article"]["date"] == "2020-02-01"
    assert [m["text"] for m in first["mentions"]] == ["Aleppo"]
    assert [m["text"] for m in second["mentions"]] == ["Damascus"]
    assert set(first) == {"id", "article", "mentions", "regions"}


def test_jsonl_line_with_spans_is_resolve_only(run, tmp_path):
    path = write_lines(
        tmp_path,
        {"id": "r", "text": TEXT, "spans": as_objects(OFFICIALS)},
        {"id": "n", "text": TEXT},
    )
    code, out, err = run(path, "--format", "jsonl")
    assert code == 0, err
    resolve_only, normal = map(json.loads, out.splitlines())
    assert [m["text"] for m in resolve_only["mentions"]] == ["officials"]
    assert "officials" not in [m["text"] for m in normal["mentions"]]
    assert {"Aleppo", "Damascus"} <= {m["text"] for m in normal["mentions"]}


def test_jsonl_bad_lines_reported_others_parsed_exit_2(run, tmp_path):
    path = write_lines(
        tmp_path,
        {"id": 1, "text": "Shelling hit Aleppo."},
        "{not json",
        {"text": "no id here"},
        {"id": 4, "text": "abc", "spans": as_objects((0, 10))},
        {"id": 5, "text": "abc", "date": "yesterday"},
        [1, 2],
        {"id": 7, "text": "Talks were held in Damascus."},
    )
    code, out, err = run(path, "--format", "jsonl")
    assert code == cli.EXIT_BAD_INPUT
    assert [json.loads(line)["id"] for line in out.splitlines()] == [1, 7]
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert [e.split(" line ")[1].split(":")[0] for e in errors] == [
        "2",
        "3",
        "4",
        "5",
        "6",
    ]
    assert "not valid JSON" in errors[0]
    assert "'id'" in errors[1]
    assert "outside the text" in errors[2]
    assert "YYYY-MM-DD" in errors[3]
    assert "Traceback" not in err


def test_jsonl_missing_file_and_spans_flag_refused(run, tmp_path):
    code, _, err = run(str(tmp_path / "none.jsonl"), "--format", "jsonl")
    assert code == cli.EXIT_BAD_INPUT and "no such file" in err
    path = write_lines(tmp_path, {"id": 1, "text": "Aleppo."})
    spans = write_spans(tmp_path, [])
    code, out, err = run(path, "--format", "jsonl", "--spans", spans)
    assert code == cli.EXIT_BAD_INPUT and out == ""
    assert err.count("\n") == 1 and "--spans" in err
