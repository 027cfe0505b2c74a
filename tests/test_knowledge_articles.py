"""Loading and validating articles: every problem kind, with file and line."""

from datetime import date
from pathlib import Path

import pytest

from knowledge.articles import Article, Problem, load_articles

FIXTURES = Path(__file__).parent / "fixtures" / "kb_small"

GOOD = """---
id: {id}
title: Hva er breddeprogrammet?
questions:
  - Hva betyr breddeprogram?
  - Hvem er breddeprogrammet for?
tags: [rammeplan]
source: https://example.org/a
owner: navn@kulturskoleradet.no
reviewed: 2026-09-01
---
Breddeprogrammet er et av tre programområder.
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def only_problem(tmp_path: Path, text: str) -> Problem:
    write(tmp_path, "a.md", text)
    articles, problems = load_articles(tmp_path)
    assert articles == []
    assert len(problems) == 1, problems
    assert problems[0].path.endswith("a.md")
    return problems[0]


def test_fixture_articles_load_with_all_fields():
    articles, problems = load_articles(FIXTURES)
    assert problems == []
    by_id = {a.id: a for a in articles}
    assert {"breddeprogram", "soknad-plass", "friplass", "dks", "lovgrunnlag", "kompetanse-laerarar"} <= set(by_id)
    a = by_id["breddeprogram"]
    assert isinstance(a, Article)
    assert a.title == "Hva er breddeprogrammet?"
    assert a.questions[0] == "Hva betyr breddeprogram i rammeplanen?"
    assert a.tags == ("rammeplan", "programområder")
    assert a.reviewed == date(2026, 9, 1)
    assert a.lang == "nb" and a.uncertain is False
    assert a.body.startswith("Breddeprogrammet er et av tre")
    assert by_id["friplass"].uncertain is True
    assert by_id["kompetanse-laerarar"].lang == "nn"
    assert by_id["soknad-plass"].lang == "nb"  # default


def test_unknown_keys_are_kept_in_extra(tmp_path):
    write(tmp_path, "a.md", GOOD.format(id="a").replace("tags:", "audience: rektorer\npriority: 3\ntags:"))
    [a], problems = load_articles(tmp_path)
    assert problems == []
    assert a.extra == {"audience": "rektorer", "priority": 3}


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("no front matter\n", 1, "missing front matter"),
        ("---\nid: a\ntitle: x\n", 1, "front matter is not closed"),
        ("---\ntitle: T\nquestions: [a, b]\n---\nbody\n", 1, "missing id"),
        ("---\nid: Bad Id\ntitle: T\nquestions: [a, b]\n---\nbody\n", 2, "id must match [a-z0-9_-]+"),
        ("---\nid: a\nquestions: [a, b]\n---\nbody\n", 1, "missing title"),
        ("---\nid: a\ntitle: T\nquestions: [only one]\n---\nbody\n", 4, "questions: at least 2 required"),
        ("---\nid: a\ntitle: T\nquestions: [a, b]\nreviewed: 1. mai\n---\nbody\n", 5, "reviewed is not an ISO date"),
        ("---\nid: a\ntitle: T\nquestions: [a, b]\nreviewed: 2026-13-45\n---\nbody\n", 5, "reviewed is not an ISO date"),
        ("---\nid: a\ntitle: T\nquestions: [a, b]\n---\n\n   \n", None, "empty answer"),
        ("---\nid: a\ntitle: T\nquestions: [a, b]\nlang: se\n---\nbody\n", 5, "lang must be nb or nn"),
        ("---\nid: a\ntitle: T\nquestions: [a, b]\nuncertain: kanskje\n---\nbody\n", 5, "uncertain must be true or false"),
        ("---\nid: a\ntitle: T\nquestions: {a: b}\n---\nbody\n", 4, "questions must be a list"),
    ],
)
def test_each_problem_kind_has_file_and_line(tmp_path, text, line, message):
    p = only_problem(tmp_path, text)
    assert p.line == line
    assert message in p.message


def test_yaml_error_reports_the_line(tmp_path):
    p = only_problem(tmp_path, "---\nid: a\ntitle: T\nquestions: [a, b\ntags: x\n---\nbody\n")
    assert p.message.startswith("YAML error:")
    assert p.line is not None and 4 <= p.line <= 6


def test_front_matter_must_be_a_mapping(tmp_path):
    p = only_problem(tmp_path, "---\n- a\n- b\n---\nbody\n")
    assert "mapping" in p.message


def test_not_utf8(tmp_path):
    (tmp_path / "a.md").write_bytes(b"---\nid: a\ntitle: \xff\xfe\n---\nbody\n")
    articles, [p] = load_articles(tmp_path)
    assert articles == [] and "UTF-8" in p.message


def test_duplicate_id_first_wins_and_the_other_is_reported_with_line(tmp_path):
    write(tmp_path, "a.md", GOOD.format(id="same"))
    write(tmp_path, "b.md", GOOD.format(id="same").replace("Hva er", "Hva var"))
    articles, problems = load_articles(tmp_path)
    assert [a.path for a in articles] == [str(tmp_path / "a.md")]
    [p] = problems
    assert p.path == str(tmp_path / "b.md")
    assert p.line == 2
    assert p.message == "duplicate id 'same' (also in a.md)"


def test_invalid_file_is_skipped_others_load(tmp_path):
    write(tmp_path, "good.md", GOOD.format(id="good"))
    write(tmp_path, "bad.md", "---\nid: bad\n---\n")
    articles, problems = load_articles(tmp_path)
    assert [a.id for a in articles] == ["good"]
    assert len(problems) == 1 and problems[0].path.endswith("bad.md")


def test_readme_and_underscore_files_are_not_articles(tmp_path):
    write(tmp_path, "README.md", "# Articles\n")
    write(tmp_path, "_template.md", "---\nid: x\n---\n")
    write(tmp_path, "good.md", GOOD.format(id="good"))
    articles, problems = load_articles(tmp_path)
    assert [a.id for a in articles] == ["good"] and problems == []


def test_missing_directory_is_a_problem_not_an_exception(tmp_path):
    articles, [p] = load_articles(tmp_path / "nope")
    assert articles == [] and "cannot read directory" in p.message


def test_problem_str_is_path_line_message():
    assert str(Problem("a.md", 3, "missing id")) == "a.md:3: missing id"
    assert str(Problem("a.md", None, "empty answer")) == "a.md: empty answer"


def test_dates_and_crlf_and_bom(tmp_path):
    text = "\ufeff" + GOOD.format(id="crlf").replace("\n", "\r\n")
    (tmp_path / "a.md").write_bytes(text.encode("utf-8"))
    [a], problems = load_articles(tmp_path)
    assert problems == []
    assert a.reviewed == date(2026, 9, 1) and a.questions == ("Hva betyr breddeprogram?", "Hvem er breddeprogrammet for?")
