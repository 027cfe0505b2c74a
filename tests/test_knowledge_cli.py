"""`kb validate`, `kb ask`, `kb eval` through typer's CliRunner."""

import json
from pathlib import Path

from typer.testing import CliRunner

from knowledge.commands import BUNDLED_ARTICLES, kb_app

FIXTURES = Path(__file__).parent / "fixtures" / "kb_small"
runner = CliRunner()


def test_bundled_default_is_the_package_directory():
    assert BUNDLED_ARTICLES == Path(__file__).resolve().parent.parent / "knowledge" / "articles"


def test_validate_ok():
    res = runner.invoke(kb_app, ["validate", str(FIXTURES)])
    assert res.exit_code == 0, res.output
    assert "6 valid article(s), 0 example question(s), 0 problem(s)" in res.output


def test_validate_prints_path_line_message_and_fails(tmp_path):
    (tmp_path / "good.md").write_text((FIXTURES / "dks.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\nid: Bad Id\ntitle: T\nquestions: [a, b]\n---\nbody\n", encoding="utf-8")
    (tmp_path / "empty.md").write_text("---\nid: e\ntitle: T\nquestions: [a, b]\n---\n", encoding="utf-8")
    res = runner.invoke(kb_app, ["validate", str(tmp_path)])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert f"{tmp_path / 'bad.md'}:2: id must match [a-z0-9_-]+" in lines
    assert f"{tmp_path / 'empty.md'}: empty answer" in lines
    assert "1 valid article(s), 0 example question(s), 2 problem(s) in 2 file(s)" in lines[-1]


def test_validate_reports_each_bad_example_line(tmp_path):
    (tmp_path / "dks.md").write_text((FIXTURES / "dks.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "asked.jsonl").write_text(
        '{"question": "hva er dks", "expect": "dks"}\n'
        "\n"
        '{"question": "hva koster en fiolin", "expect": null}\n'
        '{"question": "hva er dks" \n'
        '{"question": "hva er spaserstokken", "expect": "spaserstokken"}\n'
        '{"question": "", "expect": "dks"}\n'
        '{"question": "hva er dks"}\n',
        encoding="utf-8",
    )
    res = runner.invoke(kb_app, ["validate", str(tmp_path)])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    path = tmp_path / "examples" / "asked.jsonl"
    assert lines[0].startswith(f"{path}:4: not JSON")
    assert lines[1:4] == [
        f"{path}:5: unknown article id 'spaserstokken'",
        f"{path}:6: no question",
        f'{path}:7: no "expect" (an article id, or null when no article answers it)',
    ]
    assert lines[-1] == "1 valid article(s), 2 example question(s), 4 problem(s) in 1 file(s)"


def test_ask_json_answer():
    res = runner.invoke(kb_app, ["ask", "Hva er breddeprogrammet?", "--kb", str(FIXTURES), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["outcome"] == "answer" and data["article"] == "breddeprogram"
    assert data["suggestions"] == [] and 0 < data["confidence"] <= 1
    assert "smalltalk" not in data


def test_ask_json_smalltalk_and_escalate():
    data = json.loads(runner.invoke(kb_app, ["ask", "hei", "--kb", str(FIXTURES), "--json"]).output)
    assert data == {"outcome": "answer", "article": None, "suggestions": [], "confidence": 1.0, "smalltalk": "greeting"}
    data = json.loads(runner.invoke(kb_app, ["ask", "🎉🎉", "--kb", str(FIXTURES), "--json"]).output)
    assert data["outcome"] == "escalate" and data["article"] is None


def test_ask_text():
    res = runner.invoke(kb_app, ["ask", "Er DKS det samme som kulturskolen?", "--kb", str(FIXTURES)])
    assert res.exit_code == 0
    assert "answer: dks" in res.output and "Den kulturelle skolesekken" in res.output


def test_ask_missing_directory_fails_cleanly(tmp_path):
    res = runner.invoke(kb_app, ["ask", "hei", "--kb", str(tmp_path / "nope")])
    assert res.exit_code == 2


def write_cases(tmp_path: Path) -> Path:
    cases = [
        {"question": "Hva er breddeprogrammet?", "expect": "breddeprogram"},
        {"question": "Kva er breiddeprogrammet?", "expect": "breddeprogram"},
        {"question": "Må kommunen ha kulturskole?", "expect": "lovgrunnlag"},
        {"question": "Hva blir været i morgen?", "expect": None},
    ]
    p = tmp_path / "cases.jsonl"
    p.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", encoding="utf-8")
    return p


def test_eval_json(tmp_path):
    res = runner.invoke(kb_app, ["eval", "--kb", str(FIXTURES), "--cases", str(write_cases(tmp_path)), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert set(data) >= {
        "answer_accuracy", "helpful_rate", "wrong_answer_rate", "false_answer_rate", "n_answerable",
        "n_out_of_scope", "latency_ms_p50", "latency_ms_p99", "failures",
    }
    assert data["n_answerable"] == 3 and data["n_out_of_scope"] == 1
    assert data["answer_accuracy"] == 1.0 and data["false_answer_rate"] == 0.0
    assert data["failures"] == []


def test_eval_text_lists_failures(tmp_path):
    p = tmp_path / "cases.jsonl"
    p.write_text(json.dumps({"question": "Hva er breddeprogrammet?", "expect": "dks"}) + "\n", encoding="utf-8")
    res = runner.invoke(kb_app, ["eval", "--kb", str(FIXTURES), "--cases", str(p)])
    assert res.exit_code == 0
    assert "answer accuracy   0.000" in res.output
    assert "expect=dks got=breddeprogram" in res.output


def test_eval_leaves_out_the_examples_it_is_asked(tmp_path):
    kbdir = tmp_path / "kb"
    kbdir.mkdir()
    for p in FIXTURES.glob("*.md"):
        (kbdir / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (kbdir / "examples").mkdir()
    asked = [
        {"question": "slipper fattige familier å betale", "expect": "friplass"},
        {"question": "er skolesekken det samme som kulturskolen", "expect": "dks"},
        {"question": "hva koster en fiolin", "expect": None},
    ]
    (kbdir / "examples" / "asked.jsonl").write_text("".join(json.dumps(c) + "\n" for c in asked), encoding="utf-8")
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"question": "  Slipper fattige familier  å betale", "expect": "friplass"}) + "\n")
    res = runner.invoke(kb_app, ["eval", "--kb", str(kbdir), "--cases", str(cases)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("6 articles, 2 example questions, 1 answerable")  # the asked one is left out
    res = runner.invoke(kb_app, ["eval", "--kb", str(kbdir), "--cases", str(kbdir / "examples" / "asked.jsonl")])
    assert res.output.startswith("6 articles, 0 example questions, 2 answerable + 1 out-of-scope")


def test_eval_bad_cases_file(tmp_path):
    p = tmp_path / "cases.jsonl"
    p.write_text("{not json\n", encoding="utf-8")
    res = runner.invoke(kb_app, ["eval", "--kb", str(FIXTURES), "--cases", str(p)])
    assert res.exit_code == 2
