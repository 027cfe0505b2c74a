"""Loading and validating knowledge articles (Markdown + YAML front matter).

One article per ``*.md`` file::

    ---
    id: breddeprogram
    title: Hva er breddeprogrammet?
    questions: [Hva er breddeprogram?, Hva betyr breddeprogrammet i rammeplanen?]
    tags: [rammeplan]
    source: https://…
    owner: navn@kulturskoleradet.no
    reviewed: 2026-09-01
    lang: nb
    uncertain: true
    ---
    Markdown answer body.

``load_articles`` never raises: every file that has a problem is reported
(with its line where one is known) and skipped; the other files still load.
Files whose name starts with ``_`` or ``.`` and ``README.md`` are not articles
and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Article", "Problem", "load_articles", "parse_article", "article_files"]

ID_RE = re.compile(r"[a-z0-9_-]+")
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
LANGS = ("nb", "nn")
KNOWN_KEYS = frozenset(
    {"id", "title", "questions", "tags", "source", "owner", "reviewed", "lang", "uncertain"}
)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    questions: tuple[str, ...]
    tags: tuple[str, ...]
    source: str | None
    owner: str | None
    reviewed: date | None
    lang: str
    body: str
    uncertain: bool
    path: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so a bad date is *our* problem
    message ("reviewed is not an ISO date") and not a constructor crash."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


class _Invalid(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (yaml_text, body, body_first_line). Lines are 1-based."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise _Invalid(1, "missing front matter (file must start with a '---' line)")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    raise _Invalid(1, "front matter is not closed (no second '---' line)")


def _key_lines(yaml_text: str) -> dict[str, int]:
    """Map each top-level key to its 1-based line in the file (front matter starts on line 2)."""
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                out.setdefault(str(key_node.value), key_node.start_mark.line + 2)
    return out


def _scalar_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    return None


def _str_list(value: Any, key: str, line: int | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = [part for part in value.split(",")] if key == "tags" else [value]
    elif isinstance(value, list):
        items = value
    else:
        raise _Invalid(line, f"{key} must be a list")
    out = []
    for item in items:
        s = _scalar_str(item)
        if s is None:
            raise _Invalid(line, f"{key} must be a list of strings")
        if s:
            out.append(s)
    return tuple(out)


def parse_article(text: str, path: str) -> Article:
    """Parse one article's text. Raises ``_Invalid`` (with line) on the first problem."""
    yaml_text, body, _body_line = _split_front_matter(text)
    try:
        data = yaml.load(yaml_text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _Invalid(line, f"YAML error: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _Invalid(2, "front matter must be a mapping of keys to values")
    lines = _key_lines(yaml_text)

    def line_of(key: str) -> int | None:
        return lines.get(key, 1)

    # id
    if "id" not in data or data["id"] is None or _scalar_str(data["id"]) == "":
        raise _Invalid(1, "missing id")
    art_id = _scalar_str(data["id"])
    if art_id is None or not ID_RE.fullmatch(art_id):
        raise _Invalid(line_of("id"), "id must match [a-z0-9_-]+")

    # title
    title = _scalar_str(data.get("title"))
    if not title:
        raise _Invalid(line_of("title") if "title" in data else 1, "missing title")

    # questions
    if "questions" not in data or data["questions"] is None:
        raise _Invalid(1, "questions: at least 2 required")
    questions = _str_list(data["questions"], "questions", line_of("questions"))
    if len(questions) < 2:
        raise _Invalid(line_of("questions"), "questions: at least 2 required")

    tags = _str_list(data.get("tags"), "tags", line_of("tags"))

    source = data.get("source")
    if source is not None and _scalar_str(source) is None:
        raise _Invalid(line_of("source"), "source must be a string")
    owner = data.get("owner")
    if owner is not None and _scalar_str(owner) is None:
        raise _Invalid(line_of("owner"), "owner must be a string")

    reviewed: date | None = None
    raw_reviewed = data.get("reviewed")
    if raw_reviewed is not None:
        s = _scalar_str(raw_reviewed)
        if s is None or not ISO_DATE_RE.fullmatch(s):
            raise _Invalid(line_of("reviewed"), "reviewed is not an ISO date (YYYY-MM-DD)")
        try:
            reviewed = date.fromisoformat(s)
        except ValueError:
            raise _Invalid(line_of("reviewed"), "reviewed is not an ISO date (YYYY-MM-DD)") from None

    lang_raw = data.get("lang")
    lang = "nb" if lang_raw is None else (_scalar_str(lang_raw) or "").lower()
    if lang not in LANGS:
        raise _Invalid(line_of("lang"), "lang must be nb or nn")

    uncertain_raw = data.get("uncertain", False)
    if uncertain_raw is None:
        uncertain_raw = False
    if not isinstance(uncertain_raw, bool):
        raise _Invalid(line_of("uncertain"), "uncertain must be true or false")

    body = body.strip()
    if not body:
        raise _Invalid(None, "empty answer")

    extra = {str(k): v for k, v in data.items() if str(k) not in KNOWN_KEYS}
    return Article(
        id=art_id,
        title=title,
        questions=questions,
        tags=tags,
        source=_scalar_str(source) or None,
        owner=_scalar_str(owner) or None,
        reviewed=reviewed,
        lang=lang,
        body=body,
        uncertain=uncertain_raw,
        path=path,
        extra=extra,
    )


def article_files(directory: Path) -> list[Path]:
    """The article files of a directory (recursive, sorted). Raises OSError if
    the directory cannot be listed."""
    directory = Path(directory)
    if not directory.is_dir():
        raise NotADirectoryError(f"not a directory: {directory}")
    files = []
    for p in directory.rglob("*.md"):
        rel = p.relative_to(directory)
        if any(part.startswith((".", "_")) for part in rel.parts):
            continue
        if p.name.lower() == "readme.md" or not p.is_file():
            continue
        files.append(p)
    return sorted(files, key=lambda p: p.relative_to(directory).as_posix())


def _load_files(files: list[Path]) -> tuple[list[Article], list[Problem]]:
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: dict[str, Article] = {}
    for p in files:
        path = str(p)
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(Problem(path, None, "file is not valid UTF-8"))
            continue
        except OSError as exc:
            problems.append(Problem(path, None, f"cannot read file: {exc.strerror or exc}"))
            continue
        try:
            art = parse_article(text, path)
        except _Invalid as exc:
            problems.append(Problem(path, exc.line, exc.message))
            continue
        except Exception as exc:  # never let one odd file take the loader down
            problems.append(Problem(path, None, f"cannot parse file: {type(exc).__name__}: {exc}"))
            continue
        first = seen.get(art.id)
        if first is not None:
            # The id line in the duplicate: recompute from its front matter.
            try:
                line = _key_lines(_split_front_matter(text)[0]).get("id")
            except _Invalid:
                line = None
            problems.append(
                Problem(path, line, f"duplicate id '{art.id}' (also in {Path(first.path).name})")
            )
            continue
        seen[art.id] = art
        articles.append(art)
    return articles, problems


def load_articles(directory: Path) -> tuple[list[Article], list[Problem]]:
    """Load every article under ``directory``: (valid articles, every problem).

    Never raises. An invalid file is skipped and reported; for a duplicate id
    the first file (in path order) wins and the others are reported.
    """
    try:
        files = article_files(Path(directory))
    except OSError as exc:
        return [], [Problem(str(directory), None, f"cannot read directory: {exc.strerror or exc}")]
    return _load_files(files)
