"""Neutral messages → Slack Block Kit. Trusted Markdown becomes mrkdwn; user text stays plain."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.core.model import Block, Message

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[-*]\s+", re.MULTILINE)
SECTION_LIMIT = 3000
FORM_PREFIX = "form:"
MODAL_CALLBACK = "kulturbot_form"


def escape(text: str) -> str:
    """Slack's three control characters; after this no <!channel>, <@U…> or <url> survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defuse(text: str) -> str:
    """User text shown as plain_text: Slack does not parse it, and a zero-width space after every
    '<' makes sure no <!channel>, <@U…> or <url|label> could ever be read as one."""
    return text.replace("<", "<\u200b")


def mrkdwn(markdown: str) -> str:
    """The neutral Markdown subset as Slack mrkdwn (links, bold, headings, bullets)."""
    text = escape(markdown)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2).replace("|", "%7C")
        links.append(f"<{url}|{label}>")
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep_link, text)
    text = _HEADING.sub(lambda m: f"**{m.group(1)}**", text)
    text = _BOLD.sub(lambda m: f"*{m.group(1)}*", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], text)


def _chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    out = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        out.append(text[:cut])
        text = text[cut:].lstrip("\n")
    out.append(text)
    return out


def _block(block: Block) -> list[dict[str, Any]]:
    if block.kind == "heading":
        return [{"type": "header", "text": {"type": "plain_text", "text": block.text[:150], "emoji": True}}]
    if block.kind == "markdown":
        return [{"type": "section", "text": {"type": "mrkdwn", "text": part}} for part in _chunks(mrkdwn(block.text))]
    if block.kind == "plain":
        return [
            {"type": "section", "text": {"type": "plain_text", "text": part, "emoji": False}}
            for part in _chunks(defuse(block.text) or " ")
        ]
    if block.kind == "note":
        return [{"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn(block.text)[:3000]}]}]
    if block.kind == "fields":
        return [
            {
                "type": "section",
                "fields": [
                    {"type": "plain_text", "text": defuse(f"{label}: {value}")[:2000], "emoji": True}
                    for label, value in block.fields[i : i + 10]
                ],
            }
            for i in range(0, len(block.fields), 10)
        ]
    if block.kind == "buttons":
        elements = []
        for button in block.buttons[:25]:
            action = f"{FORM_PREFIX}{button.action_id}" if button.form else button.action_id
            value = button.value
            if button.form:  # the adapter opens a modal on click; it needs the form's texts
                form = button.form
                value = json.dumps({"v": button.value, "t": form.title, "l": form.label, "s": form.submit,
                                    "p": form.placeholder}, ensure_ascii=False)
            element: dict[str, Any] = {
                "type": "button",
                "text": {"type": "plain_text", "text": button.label[:75], "emoji": True},
                "action_id": action if action not in _seen_ids(elements) else f"{action}#{len(elements)}",
                "value": value[:2000],
            }
            if button.style in {"primary", "danger"}:
                element["style"] = button.style
            elements.append(element)
        return [{"type": "actions", "elements": elements}]
    if block.kind == "select":
        return [{"type": "actions", "elements": [{
            "type": "static_select",
            "action_id": block.action_id,
            "placeholder": {"type": "plain_text", "text": block.text[:150], "emoji": True},
            "options": [{"text": {"type": "plain_text", "text": label[:75], "emoji": True}, "value": value[:150]}
                        for label, value in block.options[:100]],
        }]}]
    raise ValueError(f"unknown block kind {block.kind}")


def _seen_ids(elements: list[dict[str, Any]]) -> set[str]:
    return {e["action_id"] for e in elements}


def blocks(message: Message) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in message.blocks:
        out.extend(_block(block))
    return out[:50]


def fallback_text(message: Message) -> str:
    return escape(message.text)[:3000]


def action_id(raw: str) -> str:
    """Undo the suffix that keeps action ids unique within one actions block."""
    return raw.split("#", 1)[0]


def modal(form: dict[str, str], metadata: dict[str, Any]) -> dict[str, Any]:
    """The modal a form button opens (form: the texts carried in the button's value)."""
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK,
        "private_metadata": json.dumps(metadata)[:3000],
        "title": {"type": "plain_text", "text": form.get("t", "")[:24] or " ", "emoji": True},
        "submit": {"type": "plain_text", "text": form.get("s", "")[:24] or "OK", "emoji": True},
        "blocks": [{
            "type": "input",
            "block_id": "form",
            "label": {"type": "plain_text", "text": form.get("l", "")[:2000] or " ", "emoji": True},
            "element": {"type": "plain_text_input", "action_id": "text", "multiline": True, "max_length": 3000,
                        **({"placeholder": {"type": "plain_text", "text": form["p"][:150]}} if form.get("p") else {})},
        }],
    }
