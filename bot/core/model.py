"""The platform-neutral model: who said what where, and what the bot says back.

Adapters translate platform payloads into `Event`s and render `Message`s; handlers see only
these types. Everything here is plain data that round-trips through JSON, because events and
outgoing messages are stored (inbox and outbox) before they are handled or sent.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Platform = Literal["slack", "teams", "console"]
PlaceKind = Literal["dm", "channel", "slash"]
EventKind = Literal["message", "action", "install", "command"]


@dataclass(frozen=True)
class Person:
    """A user, unique by (platform, workspace, user_id). workspace: Slack team id / Teams tenant."""

    platform: str
    workspace: str
    user_id: str
    name: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.user_id}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Place:
    """Where a message was said and where a reply goes.

    channel: Slack channel id / Teams conversation id. thread: Slack thread ts (a reply goes
    there). ref: whatever else the adapter needs to reach the place again (a Teams conversation
    reference, a Slack response_url); opaque to handlers.
    """

    platform: str
    workspace: str
    channel: str
    kind: str = "dm"
    thread: str | None = None
    ref: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def in_thread(self, thread: str | None) -> "Place":
        return Place(self.platform, self.workspace, self.channel, self.kind, thread, self.ref)


@dataclass(frozen=True)
class Action:
    """A button press: which action, with which value (never trusted: handlers check it)."""

    action_id: str
    value: str = ""
    message_ref: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """One thing a user did. key is unique per platform (Slack event_id, Teams activity id)."""

    kind: str
    platform: str
    key: str
    person: Person
    place: Place
    text: str = ""
    action: Action | None = None
    lang: str | None = None
    masked: int = 0  # national ids removed from text and inputs before the event was stored

    @property
    def typed_text(self) -> str:
        """What was typed into the form of the button pressed (stripped; "" for none)."""
        return (self.action.inputs.get("text", "") if self.action else "").strip()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Event":
        action = data.get("action")
        return cls(
            kind=data["kind"],
            platform=data["platform"],
            key=data["key"],
            person=Person(**data["person"]),
            place=Place(**data["place"]),
            text=data.get("text", ""),
            action=Action(**action) if action else None,
            lang=data.get("lang"),
            masked=int(data.get("masked") or 0),
        )


# ---------------------------------------------------------------- what the bot says

@dataclass(frozen=True)
class Form:
    """A button that first asks for text (Slack: a modal; Teams: a card that opens below).
    The typed text arrives as Action.inputs["text"]."""

    title: str
    label: str
    submit: str
    placeholder: str = ""


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    style: str = "default"  # default | primary | danger
    form: Form | None = None


@dataclass(frozen=True)
class Block:
    """One part of a message.

    kind:
      heading  – a short bold title (trusted text)
      markdown – trusted text in the neutral Markdown subset (**bold**, _italic_, [t](url), lists)
      plain    – untrusted text (what a user wrote): never formatted, never a mention or a link
      fields   – label/value pairs (values are shown as plain text)
      note     – small trusted Markdown, e.g. a source line or a status
      buttons  – a row of buttons
      select   – a drop-down (text: placeholder; options: (label, value)); choosing one is an
                 action `action_id` with the option's value
      image    – a picture (data: base64 PNG; text: alt text). Slack uploads it as a file after the
                 rest of the message; Teams shows it in the card
    """

    kind: str
    text: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()
    action_id: str = ""
    options: tuple[tuple[str, str], ...] = ()
    data: str = ""


@dataclass(frozen=True)
class Message:
    """What the bot says. `text` is the notification/fallback line and must not carry user text."""

    text: str
    blocks: tuple[Block, ...] = ()
    ephemeral: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Message":
        blocks = tuple(
            Block(
                kind=b["kind"],
                text=b.get("text", ""),
                fields=tuple(tuple(f) for f in b.get("fields", ())),  # type: ignore[misc]
                buttons=tuple(_button(x) for x in b.get("buttons", ())),
                action_id=b.get("action_id", ""),
                options=tuple(tuple(o) for o in b.get("options", ())),  # type: ignore[misc]
                data=b.get("data", ""),
            )
            for b in data.get("blocks", ())
        )
        return cls(text=data["text"], blocks=blocks, ephemeral=data.get("ephemeral", False))

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(b for block in self.blocks if block.kind == "buttons" for b in block.buttons)

    @property
    def selects(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if block.kind == "select")


def _button(data: dict[str, Any]) -> Button:
    form = data.get("form")
    return Button(
        label=data["label"], action_id=data["action_id"], value=data.get("value", ""),
        style=data.get("style", "default"), form=Form(**form) if form else None,
    )


def heading(text: str) -> Block:
    return Block("heading", text)


def markdown(text: str) -> Block:
    return Block("markdown", text)


def plain(text: str) -> Block:
    return Block("plain", text)


def note(text: str) -> Block:
    return Block("note", text)


def fields(*pairs: tuple[str, str]) -> Block:
    return Block("fields", fields=tuple(pairs))


def buttons(*items: Button) -> Block:
    return Block("buttons", buttons=tuple(items))


def select(placeholder: str, action_id: str, options: list[tuple[str, str]]) -> Block:
    return Block("select", placeholder, action_id=action_id, options=tuple(options))


def image(png: bytes, alt: str) -> Block:
    return Block("image", alt, data=base64.b64encode(png).decode("ascii"))


def as_text(message: Message) -> str:
    """A message as plain lines (the console, the command line); buttons left out."""
    lines: list[str] = []
    for block in message.blocks:
        if block.kind == "heading":
            lines.append(block.text.upper())
        elif block.kind in {"markdown", "plain", "note"}:
            lines.append(block.text.replace("**", ""))
        elif block.kind == "fields":
            lines.extend(f"  {label}: {value}" for label, value in block.fields)
    return "\n".join(lines)


@dataclass(frozen=True)
class MessageRef:
    """Where a sent message lives, so that it can be updated: Slack (channel, ts), Teams activity id."""

    platform: str
    channel: str
    id: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
