"""Bot Framework activities → neutral events."""

from __future__ import annotations

import re
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.core.model import Action, Event, Person, Place

_AT = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


def reference_of(activity: Activity) -> dict[str, Any]:
    return TurnContext.get_conversation_reference(activity).serialize()


def _tenant(activity: Activity) -> str:
    conv = activity.conversation
    tenant = getattr(conv, "tenant_id", None) if conv else None
    if not tenant and isinstance(activity.channel_data, dict):
        tenant = (activity.channel_data.get("tenant") or {}).get("id")
    return str(tenant or "")


def _place(activity: Activity) -> Place:
    conv = activity.conversation
    personal = (getattr(conv, "conversation_type", None) or "personal") == "personal"
    return Place(
        "teams", _tenant(activity), str(conv.id if conv else ""), "dm" if personal else "channel", None,
        {"conversation": reference_of(activity), "user": activity.from_property.id if activity.from_property else ""},
    )


def _person(activity: Activity) -> Person:
    sender = activity.from_property
    return Person("teams", _tenant(activity), str(sender.id if sender else ""), str((sender.name if sender else "") or ""))


def to_event(activity: Activity) -> Event | None:
    conversation, sender = activity.conversation, activity.from_property
    if not (activity.id and conversation and conversation.id and sender and sender.id):
        return None  # no id to dedupe on, nowhere to answer, or nobody: not something a channel sends
    if activity.type == ActivityTypes.message:
        if activity.from_property and activity.recipient and activity.from_property.id == activity.recipient.id:
            return None  # our own message
        value = activity.value if isinstance(activity.value, dict) else None
        if value and value.get("action_id"):
            inputs = {k: str(v) for k, v in value.items() if k not in {"action_id", "value"} and isinstance(v, (str, int, float))}
            chosen = inputs.get(str(value.get("choice_from") or ""), "")
            ref = {"platform": "teams", "channel": str(activity.conversation.id), "id": str(activity.reply_to_id or ""),
                   "extra": {"conversation": reference_of(activity)}}
            action = Action(str(value["action_id"]), str(value.get("value") or chosen), ref, inputs)
            return Event("action", "teams", f"act:{activity.id}", _person(activity), _place(activity), action=action)
        text = " ".join(_AT.sub(" ", activity.text or "").split())
        return Event("message", "teams", f"msg:{activity.id}", _person(activity), _place(activity), text)
    if activity.type == ActivityTypes.conversation_update:
        added = activity.members_added or []
        if activity.recipient and any(m.id == activity.recipient.id for m in added):
            return _welcome(activity)
        return None
    if activity.type == ActivityTypes.installation_update and (activity.action or "").startswith("add"):
        return _welcome(activity)
    return None


def _welcome(activity: Activity) -> Event:
    # conversationUpdate and installationUpdate both arrive on install: one key, one welcome.
    return Event("install", "teams", f"welcome:{activity.conversation.id}", _person(activity), _place(activity))
