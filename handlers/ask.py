"""An employee asks a question: answer it, suggest articles, or hand it to an adviser."""

from __future__ import annotations

from bot.core.context import Context

from .cards import answer_card, suggestion_card, text_message
from .questions import log_question
from .router import Router
from .tickets.asker import escalate

router = Router()


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


@router.on_message
async def ask(ctx: Context) -> None:
    text = ctx.event.text.strip()
    if not has_words(text):
        ctx.reply(text_message(ctx, "input.empty"))
        return
    limit = ctx.settings.max_question_chars
    if len(text) > limit:
        ctx.reply(text_message(ctx, "input.too_long", length=len(text), limit=limit))
        return
    # national ids were masked before the event was stored (bot.core.inbox); the asker was told

    outcome = ctx.services.knowledge.current.ask(text)
    if outcome.smalltalk:
        await log_question(ctx, text, outcome="smalltalk", smalltalk=outcome.smalltalk, confidence=outcome.confidence)
        ctx.reply(text_message(ctx, f"smalltalk.{outcome.smalltalk}"))
        return

    suggestions = [a.id for a in outcome.suggestions]
    question = await log_question(
        ctx, text, outcome=outcome.kind, confidence=outcome.confidence, suggestions=suggestions,
        article_id=outcome.article.id if outcome.article else None,
    )
    if outcome.kind == "answer" and outcome.article is not None:
        ctx.reply(answer_card(ctx, outcome.article, question.id or 0))
    elif outcome.kind == "suggest" and outcome.suggestions:
        ctx.reply(suggestion_card(ctx, list(outcome.suggestions), question.id or 0))
    else:
        await escalate(ctx, question)
