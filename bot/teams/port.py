"""The Teams side of the outbound port: proactive sends and updates through the CloudAdapter."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, Attachment, ConversationReference
from botframework.connector.auth import ClaimsIdentity
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.core.model import Message, MessageRef, Person, Place
from bot.core.port import DeliveryError

from .render import activity_fields

log = logging.getLogger("kulturbot.teams")

DmLookup = Callable[[Person], Awaitable[dict[str, Any] | None]]
ChannelLookup = Callable[[str], Awaitable[dict[str, Any] | None]]


def _activity(message: Message) -> Activity:
    fields = activity_fields(message)
    attachments = [Attachment(content_type=a["content_type"], content=a["content"]) for a in fields.pop("attachments", [])]
    return Activity(**fields, attachments=attachments or None)


def _delivery_error(exc: Exception) -> DeliveryError:
    if isinstance(exc, HttpOperationError) and exc.response is not None:
        status = exc.response.status_code
        if status == 429:
            retry = exc.response.headers.get("Retry-After")
            return DeliveryError("teams throttled", retry_after=float(retry or 2))
        if status >= 500:
            return DeliveryError(f"teams http {status}", outage=True)
        return DeliveryError(f"teams http {status}", permanent=status in {400, 403, 404})
    if isinstance(exc, (ClientRequestError, aiohttp.ClientError, asyncio.TimeoutError, ConnectionError)):
        return DeliveryError(f"teams connector unreachable ({type(exc).__name__})", outage=True)
    return DeliveryError(type(exc).__name__)


class TeamsPort:
    platform = "teams"

    def __init__(self, adapter: CloudAdapter, app_id: str, dm_lookup: DmLookup, channel_lookup: ChannelLookup) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.dm_lookup = dm_lookup
        self.channel_lookup = channel_lookup

    async def _continue(self, reference: dict[str, Any], logic: Callable[[TurnContext], Awaitable[None]]) -> None:
        ref = ConversationReference().deserialize(reference)
        try:
            if self.app_id:
                await self.adapter.continue_conversation(ref, logic, self.app_id)
            else:  # anonymous (local Playground, tests): no AAD token to fetch
                await self.adapter.continue_conversation(ref, logic, claims_identity=ClaimsIdentity({}, True))
        except DeliveryError:
            raise
        except Exception as exc:  # noqa: BLE001 - translated for the outbox
            raise _delivery_error(exc) from exc

    async def send(self, place: Place, message: Message) -> MessageRef:
        reference = place.ref.get("conversation")
        if not reference and place.kind == "channel":
            # A configured channel (the advisers'): known once the bot has seen any activity there.
            reference = await self.channel_lookup(place.channel)
            if not reference:
                raise DeliveryError("the bot has not been added to this Teams channel yet")
        if not reference:
            raise DeliveryError("no conversation reference for this Teams place", permanent=True)
        sent: dict[str, str] = {}

        async def logic(turn: TurnContext) -> None:
            response = await turn.send_activity(_activity(message))
            sent["id"] = getattr(response, "id", "") or ""

        await self._continue(reference, logic)
        return MessageRef("teams", place.channel, sent.get("id", ""), {"conversation": reference})

    async def update(self, ref: MessageRef, message: Message) -> None:
        reference = ref.extra.get("conversation")
        if not reference or not ref.id:
            raise DeliveryError("cannot update a Teams message without its reference", permanent=True)

        async def logic(turn: TurnContext) -> None:
            activity = _activity(message)
            activity.id = ref.id
            activity.conversation = turn.activity.conversation
            await turn.update_activity(activity)

        await self._continue(reference, logic)

    async def dm(self, person: Person, message: Message) -> MessageRef:
        reference = await self.dm_lookup(person)
        if not reference:
            raise DeliveryError("no personal chat with this Teams user yet", permanent=True)
        place = Place("teams", person.workspace, str(reference.get("conversation", {}).get("id", "")), "dm", None,
                      {"conversation": reference})
        return await self.send(place, message)
