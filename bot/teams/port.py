"""The Teams side of the outbound port: proactive sends and updates with the Bot Connector API."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import aiohttp
from botbuilder.integration.aiohttp import CloudAdapter
from botframework.connector.auth import ClaimsIdentity

from bot.core.model import Message, MessageRef, Person, Place
from bot.core.port import DeliveryError

from .render import activity_fields

log = logging.getLogger("kulturbot.teams")

DmLookup = Callable[[Person], Awaitable[dict[str, Any] | None]]
ChannelLookup = Callable[[str], Awaitable[dict[str, Any] | None]]


def _activity(message: Message, reference: dict[str, Any]) -> dict[str, Any]:
    """The activity as the Connector API takes it (JSON), addressed as botbuilder's
    TurnContext.apply_conversation_reference addresses an outgoing one."""
    fields = activity_fields(message)
    activity: dict[str, Any] = {"type": fields["type"], "serviceUrl": reference.get("serviceUrl"),
                                "channelId": reference.get("channelId"), "from": reference.get("bot"),
                                "conversation": reference.get("conversation"), "recipient": reference.get("user"),
                                "inputHint": "acceptingInput"}
    if reference.get("locale"):
        activity["locale"] = reference["locale"]
    for key, name in (("text", "text"), ("text_format", "textFormat"), ("summary", "summary")):
        if fields.get(key) is not None:
            activity[name] = fields[key]
    if fields.get("attachments"):
        activity["attachments"] = [{"contentType": a["content_type"], "content": a["content"]} for a in fields["attachments"]]
    return {k: v for k, v in activity.items() if v is not None}


class TeamsHttpError(Exception):
    """The connector answered with an error status."""

    def __init__(self, status: int, retry_after: str | None) -> None:
        super().__init__(f"teams http {status}")
        self.status = status
        self.retry_after = retry_after


def _delivery_error(exc: Exception) -> DeliveryError:
    if isinstance(exc, TeamsHttpError):
        if exc.status == 429:
            return DeliveryError("teams throttled", retry_after=float(exc.retry_after or 2))
        if exc.status >= 500:
            return DeliveryError(f"teams http {exc.status}", outage=True)
        return DeliveryError(f"teams http {exc.status}", permanent=exc.status in {400, 403, 404})
    if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError)):
        return DeliveryError(f"teams connector unreachable ({type(exc).__name__})", outage=True)
    return DeliveryError(type(exc).__name__)


class TeamsPort:
    platform = "teams"

    def __init__(self, adapter: CloudAdapter, app_id: str, dm_lookup: DmLookup, channel_lookup: ChannelLookup,
                 http: aiohttp.ClientSession) -> None:
        self.app_id = app_id
        self.dm_lookup = dm_lookup
        self.channel_lookup = channel_lookup
        self.http = http
        identity = adapter.create_claims_identity(app_id) if app_id else ClaimsIdentity({}, True)
        self._connectors = adapter.bot_framework_authentication.create_connector_factory(identity)

    async def _call(self, method: str, reference: dict[str, Any], path: str, activity: dict[str, Any]) -> dict[str, Any]:
        """One Connector API call (v3 REST, JSON), with the bot's token when it has an app id.

        Straight over HTTP rather than through a proactive turn (continue_conversation): the turn,
        msrest's serialisation of the activity and its retry pipeline cost ~1.5 ms of CPU per
        message, more than answering the question (bench/load); the outbox does the retrying. The
        token comes from botbuilder's own credentials for this service URL (cached, refreshed by MSAL)."""
        service_url = str(reference.get("serviceUrl") or "")
        if not service_url:
            raise DeliveryError("no service URL in the Teams conversation reference", permanent=True)
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.app_id:
            client = await self._connectors.create(service_url, None)
            token = await asyncio.to_thread(client.config.credentials.get_access_token)
            headers["Authorization"] = f"Bearer {token}"
        url = service_url.rstrip("/") + path
        try:
            async with self.http.request(method, url, data=json.dumps(activity), headers=headers) as response:
                if response.status >= 400:
                    raise TeamsHttpError(response.status, response.headers.get("Retry-After"))
                body = await response.read()
        except Exception as exc:  # noqa: BLE001 - translated for the outbox
            raise _delivery_error(exc) from exc
        try:
            answer = json.loads(body) if body else {}
        except ValueError:
            answer = {}
        return answer if isinstance(answer, dict) else {}

    @staticmethod
    def _conversation_id(reference: dict[str, Any]) -> str:
        conversation_id = str((reference.get("conversation") or {}).get("id") or "")
        if not conversation_id:
            raise DeliveryError("no conversation in the Teams conversation reference", permanent=True)
        return quote(conversation_id, safe="")

    async def send(self, place: Place, message: Message) -> MessageRef:
        reference = place.ref.get("conversation")
        if not reference and place.kind == "channel":
            # A configured channel (the advisers'): known once the bot has seen any activity there.
            reference = await self.channel_lookup(place.channel)
            if not reference:
                raise DeliveryError("the bot has not been added to this Teams channel yet")
        if not reference:
            raise DeliveryError("no conversation reference for this Teams place", permanent=True)
        path = f"/v3/conversations/{self._conversation_id(reference)}/activities"
        sent = await self._call("POST", reference, path, _activity(message, reference))
        return MessageRef("teams", place.channel, str(sent.get("id") or ""), {"conversation": reference})

    async def update(self, ref: MessageRef, message: Message) -> None:
        reference = ref.extra.get("conversation")
        if not reference or not ref.id:
            raise DeliveryError("cannot update a Teams message without its reference", permanent=True)
        activity = {**_activity(message, reference), "id": ref.id}
        path = f"/v3/conversations/{self._conversation_id(reference)}/activities/{quote(ref.id, safe='')}"
        await self._call("PUT", reference, path, activity)

    async def dm(self, person: Person, message: Message) -> MessageRef:
        reference = await self.dm_lookup(person)
        if not reference:
            raise DeliveryError("no personal chat with this Teams user yet", permanent=True)
        place = Place("teams", person.workspace, str(reference.get("conversation", {}).get("id", "")), "dm", None,
                      {"conversation": reference})
        return await self.send(place, message)
