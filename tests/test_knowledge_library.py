"""KnowledgeLibrary: reloads keep working articles when an edit is broken."""

import logging
import os
import shutil
import threading
from pathlib import Path

import pytest

from knowledge.library import KnowledgeLibrary, ReloadReport
from knowledge.retrieval import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures" / "kb_small"


@pytest.fixture
def kbdir(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    shutil.copytree(FIXTURES, d)
    return d


def bump(p: Path) -> None:
    """Make sure the fingerprint changes even on coarse mtime clocks."""
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_loads_on_construction(kbdir):
    lib = KnowledgeLibrary(kbdir)
    assert isinstance(lib.current, KnowledgeBase)
    assert len(lib.current) == 6
    assert lib.skipped == []
    assert lib.current.ask("Hva er breddeprogrammet?").article.id == "breddeprogram"


def test_thresholds_are_passed_to_the_base(kbdir):
    lib = KnowledgeLibrary(kbdir, answer_threshold=0.9, suggest_threshold=0.1)
    assert lib.current.answer_threshold == 0.9
    assert lib.current.suggest_threshold == 0.1


def test_broken_edit_keeps_the_other_articles_and_fix_is_picked_up(kbdir, caplog):
    lib = KnowledgeLibrary(kbdir)
    target = kbdir / "friplass.md"
    good = target.read_text(encoding="utf-8")

    target.write_text(good.replace("id: friplass", "id: friplass\n  bad: [indent"), encoding="utf-8")
    bump(target)
    with caplog.at_level(logging.WARNING, logger="kulturbot.knowledge"):
        report = lib.reload_if_changed()
    assert isinstance(report, ReloadReport)
    assert report.loaded == 5 and report.changed
    [problem] = report.skipped
    assert problem.path.endswith("friplass.md") and problem.line is not None
    assert lib.skipped == report.skipped
    assert lib.current.get("friplass") is None
    assert lib.current.get("breddeprogram") is not None
    assert any("friplass.md" in r.getMessage() for r in caplog.records)

    target.write_text(good.replace("Kan familier", "Kan familiar"), encoding="utf-8")
    bump(target)
    report = lib.reload_if_changed()
    assert report is not None and report.loaded == 6 and report.skipped == []
    assert lib.current.get("friplass").title.startswith("Kan familiar")


def test_reload_if_changed_is_cheap_when_nothing_changed(kbdir):
    lib = KnowledgeLibrary(kbdir)
    before = lib.current
    assert lib.reload_if_changed() is None
    assert lib.current is before


def test_new_and_removed_files_are_noticed(kbdir):
    lib = KnowledgeLibrary(kbdir)
    shutil.copy(kbdir / "dks.md", kbdir / "dks2.md")
    text = (kbdir / "dks2.md").read_text(encoding="utf-8").replace("id: dks", "id: dks-to")
    (kbdir / "dks2.md").write_text(text, encoding="utf-8")
    report = lib.reload_if_changed()
    assert report.loaded == 7 and lib.current.get("dks-to") is not None
    (kbdir / "dks2.md").unlink()
    report = lib.reload_if_changed()
    assert report.loaded == 6 and lib.current.get("dks-to") is None


def test_unreadable_directory_keeps_the_previous_base(kbdir, caplog):
    lib = KnowledgeLibrary(kbdir)
    before = lib.current
    shutil.rmtree(kbdir)
    with caplog.at_level(logging.ERROR, logger="kulturbot.knowledge"):
        assert lib.reload_if_changed() is None
        report = lib.reload()
    assert lib.current is before and len(lib.current) == 6
    assert report.changed is False and report.loaded == 6
    assert "cannot read directory" in report.skipped[0].message
    assert caplog.records


def test_reload_reports_unchanged(kbdir):
    lib = KnowledgeLibrary(kbdir)
    report = lib.reload()
    assert report == ReloadReport(loaded=6, skipped=[], changed=False)


def test_example_questions_are_loaded_and_an_edit_to_them_is_picked_up(kbdir, caplog):
    lib = KnowledgeLibrary(kbdir)
    assert lib.current.examples == 0
    (kbdir / "examples").mkdir()
    asked = kbdir / "examples" / "asked.jsonl"
    asked.write_text(
        '{"question": "slipper fattige familier å betale", "expect": "friplass"}\n'
        '{"question": "hva koster en fiolin", "expect": null}\n',
        encoding="utf-8",
    )
    report = lib.reload_if_changed()
    assert report is not None and report.changed and report.skipped == []
    assert lib.current.examples == 2
    assert lib.current.answer_threshold != KnowledgeLibrary(FIXTURES).current.answer_threshold  # its own model

    # a broken line and an example of an article that does not exist are skipped, the rest stay
    with caplog.at_level(logging.WARNING, logger="kulturbot.knowledge"):
        asked.write_text(
            asked.read_text(encoding="utf-8") + '{"question": "hva er\n{"question": "x?", "expect": "borte"}\n',
            encoding="utf-8",
        )
        bump(asked)
        report = lib.reload_if_changed()
    assert report is not None
    assert [(Path(p.path).name, p.line) for p in report.skipped] == [("asked.jsonl", 3), ("asked.jsonl", 4)]
    assert lib.current.examples == 2 and len(lib.current) == 6
    assert any("asked.jsonl:4: unknown article id 'borte'" in r.getMessage() for r in caplog.records)


def test_logs_never_contain_question_text(kbdir, caplog):
    lib = KnowledgeLibrary(kbdir)
    with caplog.at_level(logging.DEBUG, logger="kulturbot.knowledge"):
        lib.current.ask("Hemmelig spørsmål om eleven Kari Nordmann")
        lib.reload()
    assert not any("Kari" in r.getMessage() for r in caplog.records)


def test_readers_always_see_a_complete_base_during_reloads(kbdir):
    lib = KnowledgeLibrary(kbdir)
    stop = threading.Event()
    errors: list[BaseException] = []

    def reader():
        while not stop.is_set():
            try:
                kb = lib.current
                out = kb.ask("Hva er breddeprogrammet?")
                assert out.article is not None and out.article.id == "breddeprogram"
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(5):
        lib.reload()
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
