"""Reading what the bot sent to the fake Slack Web API."""

from __future__ import annotations

from typing import Any


def block_texts(blocks: list[dict[str, Any]]) -> str:
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if "text" in element:
                parts.append(element["text"] if isinstance(element["text"], str) else element["text"]["text"])
        for field in block.get("fields", []):
            parts.append(field["text"])
    return "\n".join(parts)


def buttons_of(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Buttons by their visible label."""
    return {e["text"]["text"]: e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"}


def select_of(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    return next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                if e["type"] == "static_select" and e["action_id"] == action_id)


def option(select: dict[str, Any], label: str) -> dict[str, Any]:
    """A select's option as a click payload (action_id and value)."""
    chosen = next(o for o in select["options"] if o["text"]["text"] == label)
    return {"action_id": select["action_id"], "selected_option": chosen}
