"""Example questions: questions employees asked, with the article that answers
each one, or none (out of scope).

They live beside the articles, in ``examples/*.jsonl`` under the article
directory, one JSON object per line (the format of ``kulturbot kb eval``)::

    {"question": "har dattera mi krav på plass i kulturskolen", "expect": "rett-til-plass"}
    {"question": "hva koster en fiolin?", "expect": null}

The knowledge base does not answer *from* them: it asks how close a new
question is to the examples of the article it would answer, and to the
out-of-scope examples (see ``retrieval.ExampleIndex``). That tells a question
the article answers, in the words employees use, from a near miss that shares
the article's words but asks something else.

``load_examples`` never raises: a bad line (not JSON, no question, an article
id that does not exist) is reported with its file and line and skipped; the
other lines load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .articles import Problem

__all__ = [
    "Example", "EXAMPLES_DIR", "example_files", "load_examples", "json_lines", "same_question", "leave_out",
]

#: The examples' folder inside an article directory.
EXAMPLES_DIR = "examples"


@dataclass(frozen=True)
class Example:
    question: str
    expect: str | None  # article id; None: no article answers it
    source: str  # the file it came from (for leave-one-file-out tuning)


def same_question(text: str) -> str:
    """The key under which two questions count as the same (case and spacing ignored)."""
    return " ".join(text.casefold().split())


def leave_out(examples: Iterable[Example], questions: Iterable[str]) -> list[Example]:
    """``examples`` less those that are one of ``questions`` (``same_question``):
    what a base may hold when it is measured on ``questions``."""
    asked = {same_question(q) for q in questions}
    return [e for e in examples if same_question(e.question) not in asked]


def json_lines(path: Path) -> Iterator[tuple[int, object | None, str | None]]:
    """(line number, parsed object or None, error or None) for each line that is
    not blank and not a comment (``#`` or ``//``). Raises OSError/UnicodeError
    if the file cannot be read."""
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            s = line.strip()
            if not s or s.startswith(("#", "//")):
                continue
            try:
                yield n, json.loads(s), None
            except json.JSONDecodeError as exc:
                yield n, None, f"not JSON: {exc.msg}"


def example_files(directory: Path) -> list[Path]:
    """The example files of an article directory (sorted; none if it has no
    ``examples`` folder)."""
    folder = Path(directory) / EXAMPLES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.jsonl") if p.is_file() and not p.name.startswith((".", "_")))


def _example(obj: object, source: str) -> Example | str:
    if not isinstance(obj, dict):
        return "each line must be a JSON object"
    question = obj.get("question")
    if not isinstance(question, str) or not question.strip():
        return "no question"
    if "expect" not in obj:
        return 'no "expect" (an article id, or null when no article answers it)'
    expect = obj["expect"]
    if expect is not None and (not isinstance(expect, str) or not expect):
        return '"expect" must be an article id or null'
    return Example(question.strip(), expect, source)


def load_examples(
    files: Iterable[Path], article_ids: Iterable[str] | None = None
) -> tuple[list[Example], list[Problem]]:
    """Every valid example of ``files``, and every problem (file and line).
    With ``article_ids``, an example naming another article is a problem."""
    known = set(article_ids) if article_ids is not None else None
    examples: list[Example] = []
    problems: list[Problem] = []
    for p in files:
        path = str(p)
        try:
            for n, obj, error in json_lines(p):
                if error is None:
                    ex = _example(obj, Path(p).name)
                    if isinstance(ex, str):
                        error = ex
                    elif known is not None and ex.expect is not None and ex.expect not in known:
                        error = f"unknown article id '{ex.expect}'"
                    else:
                        examples.append(ex)
                        continue
                problems.append(Problem(path, n, error))
        except UnicodeDecodeError:
            problems.append(Problem(path, None, "file is not valid UTF-8"))
        except OSError as exc:
            problems.append(Problem(path, None, f"cannot read file: {exc.strerror or exc}"))
    return examples, problems
