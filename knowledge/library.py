"""The live knowledge base of an article directory (its articles and its
``examples/``), swapped atomically on reload.

A broken edit never takes down the articles that worked: an invalid file is
skipped (and logged), the rest load. If the directory cannot be read at all,
the previous base stays in place.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .articles import Article, Problem, _load_files, article_files
from .examples import Example, example_files, load_examples
from .retrieval import KnowledgeBase

__all__ = ["KnowledgeLibrary", "ReloadReport", "load_directory"]

log = logging.getLogger("kulturbot.knowledge")


def _files(directory: Path) -> list[Path]:
    """Article files, then example files. Raises OSError if the directory cannot be listed."""
    return article_files(directory) + example_files(directory)


def _load(files: list[Path]) -> tuple[list[Article], list[Example], list[Problem]]:
    articles, problems = _load_files([p for p in files if p.suffix == ".md"])
    examples, ex_problems = load_examples([p for p in files if p.suffix == ".jsonl"], (a.id for a in articles))
    return articles, examples, problems + ex_problems


def load_directory(directory: str | Path) -> tuple[list[Article], list[Example], list[Problem]]:
    """Every valid article and example question of an article directory, and
    every problem. Never raises."""
    try:
        files = _files(Path(directory))
    except OSError as exc:
        return [], [], [Problem(str(directory), None, f"cannot read directory: {exc.strerror or exc}")]
    return _load(files)


@dataclass(frozen=True)
class ReloadReport:
    loaded: int
    skipped: list[Problem] = field(default_factory=list)
    changed: bool = False


class KnowledgeLibrary:
    """Holds the current ``KnowledgeBase`` for ``directory``.

    ``current`` is always a complete base (readers never see a half-built one);
    ``reload`` builds a new one off to the side and swaps the reference.
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        load: bool = True,
    ):
        self.directory = Path(directory)
        self._thresholds = {"answer_threshold": answer_threshold, "suggest_threshold": suggest_threshold}
        self._lock = threading.Lock()  # one reload at a time
        self._current = KnowledgeBase.build([], **self._thresholds)
        self._skipped: list[Problem] = []
        self._fingerprint: tuple | None = None
        self._ids: tuple | None = None
        if load:
            self.reload()

    @property
    def current(self) -> KnowledgeBase:
        return self._current

    @property
    def skipped(self) -> list[Problem]:
        return list(self._skipped)

    def _fingerprint_of(self, files: list[Path]) -> tuple:
        fp = []
        for p in files:
            try:
                st = p.stat()
            except OSError:
                fp.append((str(p), None, None))
                continue
            fp.append((str(p), st.st_mtime_ns, st.st_size))
        return tuple(fp)

    def reload(self) -> ReloadReport:
        """Reload every article now. Never raises for bad content."""
        with self._lock:
            return self._reload_locked()

    def _reload_locked(self, files: list[Path] | None = None) -> ReloadReport:
        try:
            if files is None:
                files = _files(self.directory)
        except OSError as exc:
            problem = Problem(str(self.directory), None, f"cannot read directory: {exc.strerror or exc}")
            log.error("knowledge directory unreadable, keeping %d articles: %s", len(self._current), problem)
            return ReloadReport(len(self._current), [problem], False)
        fingerprint = self._fingerprint_of(files)
        articles, examples, problems = _load(files)
        for p in problems:
            log.warning("skipped %s", p)
        try:
            kb = KnowledgeBase.build(articles, examples=examples, **self._thresholds)
        except Exception:  # pragma: no cover - a bug, not bad content: keep serving
            log.exception("building the knowledge base failed; keeping the previous one")
            return ReloadReport(len(self._current), problems, False)
        ids = (tuple((a.id, a) for a in articles), tuple(examples))
        changed = self._ids is None or ids != self._ids or problems != self._skipped
        self._current = kb
        self._skipped = problems
        self._fingerprint = fingerprint
        self._ids = ids
        log.info(
            "knowledge base loaded: %d articles, %d example questions, %d skipped",
            len(articles), len(examples), len(problems),
        )
        return ReloadReport(len(articles), problems, changed)

    def reload_if_changed(self) -> ReloadReport | None:
        """Reload only if an article or example file was added, removed or
        modified (names, mtimes, sizes). Returns the report, or None when nothing changed."""
        with self._lock:
            try:
                files = _files(self.directory)
            except OSError as exc:
                if self._fingerprint != ("unreadable",):
                    log.error("knowledge directory unreadable (%s), keeping the current articles", exc)
                    self._fingerprint = ("unreadable",)
                return None
            if self._fingerprint_of(files) == self._fingerprint:
                return None
            return self._reload_locked(files)

    def __repr__(self) -> str:
        return f"<KnowledgeLibrary {self.directory} {len(self._current)} articles>"

