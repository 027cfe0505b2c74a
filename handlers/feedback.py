"""👍/👎 on an answer, and picking one of the suggested articles."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.model import Button, Message, buttons, markdown

from .cards import answer_card, text_message
from .questions import own_question, set_feedback
from .router import Router

router = Router()


@router.on_action("feedback_up", "feedback_down")
async def feedback(ctx: Context) -> None:
    action = ctx.event.action
    assert action is not None
    question = await own_question(ctx, action.value)
    if question is None:
        ctx.reply(text_message(ctx, "error.not_yours"))
        return
    up = action.action_id == "feedback_up"
    if not await set_feedback(ctx, question, "up" if up else "down"):
        ctx.reply(text_message(ctx, "feedback.already"))
        return
    if up:
        ctx.reply(text_message(ctx, "feedback.thanks"))
    else:
        ctx.reply(
            Message(
                text=ctx.t("feedback.sorry"),
                blocks=(
                    markdown(ctx.t("feedback.sorry")),
                    buttons(Button(ctx.t("button.ask_adviser"), "ask_adviser", str(question.id), "primary")),
                ),
            )
        )


@router.on_action("pick_article")
async def pick_article(ctx: Context) -> None:
    action = ctx.event.action
    assert action is not None
    question = await own_question(ctx, action.value)
    article_id = action.value.split(":", 1)[1] if ":" in action.value else ""
    article = ctx.services.knowledge.current.get(article_id)
    if question is None or article is None or article_id not in question.suggestions:
        ctx.reply(text_message(ctx, "error.stale_button"))
        return
    question.article_id = article.id
    question.outcome = "picked"
    ctx.reply(answer_card(ctx, article, question.id or 0))
