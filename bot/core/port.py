"""The outbound port: how the core reaches a chat platform. One implementation per adapter."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Protocol

from .model import Message, MessageRef, Person, Place

# The outbox row being sent ("outbox:<id>"), for ports that can tag a message with it (Slack
# message metadata) and find it again after a crash (OutboxLookup).
DELIVERY_KEY: ContextVar[str | None] = ContextVar("delivery_key", default=None)


class DeliveryError(Exception):
    """A send failed. retry_after: seconds the platform asked us to wait (429).
    permanent: retrying will not help (channel gone, bot removed, bad request).
    outage: the platform as a whole refused or could not be reached (429, 5xx, timeout), not
    just this message: the deliverer holds back every send to it and probes (bot.core.outbox)."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False,
                 outage: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.outage = outage or retry_after is not None


class ChatPort(Protocol):
    platform: str

    async def send(self, place: Place, message: Message) -> MessageRef:
        """Post a message to a place (a DM, a channel, a thread)."""
        ...

    async def update(self, ref: MessageRef, message: Message) -> None:
        """Replace a message the bot posted earlier."""
        ...

    async def dm(self, person: Person, message: Message) -> MessageRef:
        """Send a direct message to a person."""
        ...


class OutboxLookup(Protocol):
    """A port that can tell whether a message tagged with DELIVERY_KEY was posted (Slack). The
    outbox asks only when an earlier attempt ended unrecorded (a crash, an expired lease): then a
    message Slack already has is recorded as sent instead of posted again."""

    async def find_sent(self, target: Place | Person, key: str, since: datetime) -> MessageRef | None:
        ...


class Directory(Protocol):
    """Who people are: names for cards, channel membership for authorisation."""

    async def display_name(self, person: Person) -> str:
        ...

    async def is_channel_member(self, channel: str, person: Person) -> bool:
        ...


class EventDirectory:
    """For platforms whose events carry the display name and only deliver channel messages
    to members (Teams, the console)."""

    async def display_name(self, person: Person) -> str:
        return person.name

    async def is_channel_member(self, channel: str, person: Person) -> bool:
        return True
