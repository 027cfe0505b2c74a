"""Builds the neutral messages the asker sees: answers, suggestions, small talk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.context import Context
from bot.core.model import Button, Message, buttons, heading, markdown, note

if TYPE_CHECKING:
    from knowledge.articles import Article


def source_label(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")


def answer_card(ctx: Context, article: "Article", question_id: int) -> Message:
    qid = str(question_id)
    blocks = [heading(article.title), markdown(article.body)]
    if article.uncertain:
        blocks.append(note(ctx.t("answer.uncertain")))
    if article.source:
        blocks.append(note(ctx.t("answer.source", label=source_label(article.source), url=article.source)))
    blocks.append(
        buttons(
            Button(ctx.t("button.helpful"), "feedback_up", qid),
            Button(ctx.t("button.not_helpful"), "feedback_down", qid),
            Button(ctx.t("button.ask_adviser"), "ask_adviser", qid, "primary"),
        )
    )
    return Message(text=ctx.t("answer.fallback", title=article.title), blocks=tuple(blocks))


def suggestion_card(ctx: Context, articles: "list[Article]", question_id: int) -> Message:
    qid = str(question_id)
    choices = [Button(a.title[:75], "pick_article", f"{qid}:{a.id}") for a in articles[:3]]
    choices.append(Button(ctx.t("suggest.none"), "ask_adviser", qid, "primary"))
    return Message(
        text=ctx.t("suggest.fallback"),
        blocks=(markdown(ctx.t("suggest.intro")), buttons(*choices)),
    )


def text_message(ctx: Context, key: str, **values: object) -> Message:
    return Message(text=ctx.t(key, **values), blocks=(markdown(ctx.t(key, **values)),))
