"""Neutral messages → Adaptive Cards for Teams. User text is defused, never formatted."""

from __future__ import annotations

import re
from typing import Any

from bot.core.model import Block, Button, Message

ZWSP = "\u200b"
_FORMAT_CHARS = re.compile(r"([*_~`])")
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def defuse(text: str) -> str:
    """Text a user wrote: no mention tags, no Markdown emphasis, no disguised links."""
    text = text.replace("<", "<" + ZWSP)
    text = _FORMAT_CHARS.sub(lambda m: m.group(1) + ZWSP, text)
    return text.replace("](", "]" + ZWSP + "(")


def trusted(markdown: str) -> str:
    """Catalogue and article text: Markdown kept, mention tags disarmed."""
    return markdown.replace("<", "<" + ZWSP)


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _block(block: Block) -> list[dict[str, Any]]:
    if block.kind == "heading":
        return [_text(defuse(block.text), weight="Bolder", size="Medium")]
    if block.kind == "markdown":
        return [_text(trusted(block.text))]
    if block.kind == "plain":
        return [_text(defuse(block.text))]
    if block.kind == "note":
        return [_text(trusted(block.text), isSubtle=True, size="Small")]
    if block.kind == "fields":
        return [{"type": "FactSet", "facts": [{"title": defuse(k), "value": defuse(v)} for k, v in block.fields]}]
    if block.kind == "buttons":
        return []  # buttons become the card's actions
    if block.kind == "image":  # a data URI: keep images small, Teams caps a message at ~28 KB
        return [{"type": "Image", "url": f"data:image/png;base64,{block.data}", "altText": block.text,
                 "size": "Stretch"}]
    if block.kind == "select":
        return [{
            "type": "ColumnSet",
            "columns": [
                {"type": "Column", "width": "stretch", "items": [{
                    "type": "Input.ChoiceSet", "id": f"choice_{block.action_id}", "placeholder": block.text,
                    "choices": [{"title": label, "value": value} for label, value in block.options],
                }]},
                {"type": "Column", "width": "auto", "items": [{
                    "type": "ActionSet", "actions": [{
                        "type": "Action.Submit", "title": "OK",
                        "data": {"action_id": block.action_id, "value": "", "choice_from": f"choice_{block.action_id}"},
                    }],
                }]},
            ],
        }]
    raise ValueError(f"unknown block kind {block.kind}")


def _action(button: Button) -> dict[str, Any]:
    style = {"style": "positive" if button.style == "primary" else "destructive"} if button.style != "default" else {}
    submit = {"type": "Action.Submit", "title": button.label, "data": {"action_id": button.action_id, "value": button.value}}
    if button.form is None:
        return {**submit, **style}
    form = button.form
    return {
        "type": "Action.ShowCard",
        "title": button.label,
        **style,
        "card": {
            "type": "AdaptiveCard",
            "body": [{"type": "Input.Text", "id": "text", "label": form.label, "placeholder": form.placeholder,
                      "isMultiline": True, "maxLength": 3000, "isRequired": True, "errorMessage": form.label}],
            "actions": [{**submit, "title": form.submit}],
        },
    }


def card(message: Message) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    for block in message.blocks:
        body.extend(_block(block))
    if not body:
        body.append(_text(trusted(message.text)))
    actions = [_action(button) for button in message.buttons]
    content: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        content["actions"] = actions
    return content


def is_plain_text(message: Message) -> bool:
    """A message with one text part and no buttons goes out as plain chat text, not a card."""
    return not message.buttons and all(b.kind == "markdown" for b in message.blocks) and len(message.blocks) <= 1


def activity_fields(message: Message) -> dict[str, Any]:
    if is_plain_text(message):
        text = message.blocks[0].text if message.blocks else message.text
        return {"type": "message", "text": trusted(text), "text_format": "markdown"}
    return {
        "type": "message",
        "summary": message.text,
        "attachments": [{"content_type": CARD_CONTENT_TYPE, "content": card(message)}],
    }
