"""``kulturbot kb …``: validate articles, ask a question, evaluate a question set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .evaluation import case_question, evaluate, load_cases
from .examples import leave_out
from .library import load_directory
from .retrieval import KnowledgeBase

__all__ = ["kb_app", "BUNDLED_ARTICLES"]

BUNDLED_ARTICLES = Path(__file__).resolve().parent / "articles"

kb_app = typer.Typer(
    name="kb",
    help="Knowledge base: validate articles, ask a question, evaluate a question set.",
    no_args_is_help=True,
    add_completion=False,
)

KbOption = typer.Option(None, "--kb", help="Article directory (default: the bundled knowledge/articles).")


def _load_kb(kb: Optional[Path], asked: list[str] | None = None) -> KnowledgeBase:
    """The base of an article directory, without the example questions that
    are one of ``asked``."""
    directory = kb or BUNDLED_ARTICLES
    articles, examples, problems = load_directory(directory)
    if not articles and problems and problems[0].message.startswith("cannot read directory"):
        typer.echo(f"error: {problems[0]}", err=True)
        raise typer.Exit(2)
    if problems:
        typer.echo(f"warning: {len(problems)} problem(s) skipped (run `kb validate {directory}`)", err=True)
    if asked:
        examples = leave_out(examples, asked)
    return KnowledgeBase.build(articles, examples=examples)


@kb_app.command()
def validate(path: Path = typer.Argument(BUNDLED_ARTICLES, help="Article directory to check.")) -> None:
    """Check every article file and example question; print each problem as path:line: message."""
    articles, examples, problems = load_directory(path)
    for p in problems:
        typer.echo(str(p))
    bad_files = len({p.path for p in problems})
    typer.echo(
        f"{len(articles)} valid article(s), {len(examples)} example question(s), "
        f"{len(problems)} problem(s) in {bad_files} file(s)"
    )
    if problems:
        raise typer.Exit(1)


@kb_app.command()
def ask(
    question: str = typer.Argument(..., help="The question, in quotes."),
    kb: Optional[Path] = KbOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Ask the knowledge base one question."""
    base = _load_kb(kb)
    out = base.ask(question)
    if as_json:
        data = {
            "outcome": out.kind,
            "article": out.article.id if out.article else None,
            "suggestions": [a.id for a in out.suggestions],
            "confidence": out.confidence,
        }
        if out.smalltalk:
            data["smalltalk"] = out.smalltalk
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    if out.smalltalk:
        typer.echo(f"small talk: {out.smalltalk}")
    elif out.kind == "answer" and out.article:
        a = out.article
        typer.echo(f"answer: {a.id} (confidence {out.confidence:.2f})")
        typer.echo(f"# {a.title}\n\n{a.body}")
        if a.source:
            typer.echo(f"\nsource: {a.source}")
        if a.uncertain:
            typer.echo("(uncertain: offer an adviser)")
    elif out.kind == "suggest":
        typer.echo(f"suggest (confidence {out.confidence:.2f}):")
        for a in out.suggestions:
            typer.echo(f"  - {a.id}: {a.title}")
    else:
        typer.echo(f"escalate to an adviser (confidence {out.confidence:.2f})")


@kb_app.command("eval")
def eval_cmd(
    cases: Path = typer.Option(..., "--cases", help="JSON lines: {question, expect}."),
    kb: Optional[Path] = KbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the result dict as JSON."),
) -> None:
    """Evaluate a question set against the knowledge base. Example questions
    that are also in the set are left out, so no case is scored against itself."""
    try:
        items = load_cases(cases)
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    base = _load_kb(kb, [case_question(c) for c in items])
    res = evaluate(base, items)
    if as_json:
        typer.echo(json.dumps(res, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{len(base)} articles, {base.examples} example questions, {res['n_answerable']} answerable + {res['n_out_of_scope']} out-of-scope questions\n"
        f"answer accuracy   {res['answer_accuracy']:.3f}\n"
        f"helpful rate      {res['helpful_rate']:.3f}\n"
        f"wrong answers     {res['wrong_answer_rate']:.3f}\n"
        f"false answers     {res['false_answer_rate']:.3f}\n"
        f"latency p50/p99   {res['latency_ms_p50']:.2f} / {res['latency_ms_p99']:.2f} ms"
    )
    if res["failures"]:
        typer.echo(f"\n{len(res['failures'])} failure(s):")
        for f in res["failures"]:
            got = f["article"] or (",".join(f["suggestions"]) if f["suggestions"] else "-")
            typer.echo(f"  [{f['outcome']:<8} {f['confidence']:.2f}] expect={f['expect']} got={got}  {f['question']}")


if __name__ == "__main__":  # pragma: no cover
    kb_app()
