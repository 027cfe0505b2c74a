"""The question log: each question and what the bot did with it (digests and gap reports)."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from bot.core.context import Context
from bot.core.tables import Question


async def log_question(
    ctx: Context,
    text: str,
    *,
    outcome: str,
    article_id: str | None = None,
    confidence: float = 0.0,
    suggestions: list[str] | None = None,
    smalltalk: str | None = None,
) -> Question:
    event = ctx.event
    values = {
        "asked_at": ctx.now(), "platform": event.platform, "workspace": event.person.workspace,
        "user_id": event.person.user_id, "place_kind": event.place.kind, "event_key": event.key[:255],
        "text": text, "lang": ctx.lang, "outcome": outcome, "article_id": article_id,
        "confidence": round(float(confidence), 4), "suggestions": list(suggestions or []), "smalltalk": smalltalk,
    }
    # one prepared INSERT … RETURNING id, not the ORM's unit of work (a message's hot path); the
    # row handed back is not in the session: read it, don't change it
    question_id = (await ctx.session.execute(_INSERT, values)).scalar_one()
    return Question(id=question_id, **values)


_INSERT = insert(Question.__table__).returning(Question.__table__.c.id)  # type: ignore[attr-defined]


async def own_question(ctx: Context, value: str) -> Question | None:
    """The question a button refers to, only if it belongs to the person who pressed it."""
    from handlers.tickets.store import row_id

    question_id = row_id(value.split(":", 1)[0])
    if question_id is None:
        return None
    person = ctx.event.person
    return (
        await ctx.session.execute(
            select(Question).where(
                Question.id == question_id,
                Question.platform == person.platform,
                Question.workspace == person.workspace,
                Question.user_id == person.user_id,
            )
        )
    ).scalar_one_or_none()


async def set_feedback(ctx: Context, question: Question, feedback: str) -> bool:
    """Record 👍/👎 once; False if this question already has feedback."""
    result = await ctx.session.execute(
        update(Question)
        .where(Question.id == question.id, Question.feedback.is_(None))  # type: ignore[union-attr]
        .values(feedback=feedback)
    )
    return result.rowcount == 1
