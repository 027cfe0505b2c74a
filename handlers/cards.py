"""Builds the neutral messages the asker sees: answers, suggestions, small talk.

An article body, as the advisers write it, ends with its source paragraph ("Kilde: …" or
"Kjelde: …") and, when the article is uncertain, a sentence that offers an adviser. The answer
card shows each of these once: the body's source paragraph becomes the card's small source note
(the advisers' own wording, often several links), and the catalogue's source and uncertainty
notes are only added for a body that does not already have them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.catalogue import t
from bot.core.context import Context
from bot.core.model import Button, Message, buttons, heading, markdown, note

if TYPE_CHECKING:
    from knowledge.articles import Article


def source_label(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return host.removeprefix("www.")


_SOURCE_PARAGRAPH = re.compile(r"^\s*(?:\*\*)?(?:kilder?|kjelder?)(?:\*\*)?\s*:", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def split_source(body: str) -> tuple[str, str | None]:
    """The answer text of an article body, and its closing source paragraph if it has one."""
    paragraphs = _PARAGRAPH_BREAK.split(body.strip())
    if len(paragraphs) > 1 and _SOURCE_PARAGRAPH.match(paragraphs[-1]):
        return "\n\n".join(paragraphs[:-1]).rstrip(), paragraphs[-1].strip()
    return body.strip(), None


def _button_names() -> list[str]:
    return [f"«{t(lang, 'button.ask_adviser')}»" for lang in ("nb", "nn")]


def offers_adviser(text: str) -> bool:
    """The text already points at the «Spør en rådgiver» button (in bokmål or nynorsk)."""
    return any(name in text for name in _button_names())


def name_the_button(ctx: Context, text: str) -> str:
    """An article in the other written standard names the button as the bot shows it."""
    shown = f"«{ctx.t('button.ask_adviser')}»"
    for name in _button_names():
        text = text.replace(name, shown)
    return text


def answer_card(ctx: Context, article: "Article", question_id: int) -> Message:
    qid = str(question_id)
    answer, source = split_source(article.body)
    answer = name_the_button(ctx, answer)
    blocks = [heading(article.title), markdown(answer)]
    if article.uncertain and not offers_adviser(answer):
        blocks.append(note(ctx.t("answer.uncertain")))
    if source is not None:
        blocks.append(note(source))
    elif article.source:
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
