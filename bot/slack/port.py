"""The Slack side of the outbound port: chat.postMessage / chat.update / response_url."""

from __future__ import annotations

import asyncio
import base64
import logging
from dataclasses import replace
from datetime import datetime

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.model import Message, MessageRef, Person, Place
from bot.core.port import DELIVERY_KEY, DeliveryError

from .render import blocks, fallback_text, mrkdwn

log = logging.getLogger("kulturbot.slack")

METADATA_EVENT = "kulturbot_delivery"  # message metadata: the outbox row's key, never content
PERMANENT_ERRORS = {
    "channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "invalid_blocks",
    "invalid_auth", "account_inactive", "token_revoked", "no_permission", "cant_update_message",
    "message_not_found", "user_not_found", "restricted_action", "invalid_arguments",
}


def _delivery_error(exc: Exception) -> DeliveryError:
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        error = str(exc.response.get("error", "") or f"http_{status}")
        if status == 429:
            retry = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
            return DeliveryError("slack rate limited", retry_after=float(retry or 1))
        if status >= 500:
            return DeliveryError(f"slack http {status}", outage=True)
        return DeliveryError(f"slack error {error}", permanent=error in PERMANENT_ERRORS)
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ClientError)):
        return DeliveryError(f"slack unreachable ({type(exc).__name__})", outage=True)
    return DeliveryError(type(exc).__name__)


class SlackPort:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, session: aiohttp.ClientSession | None = None) -> None:
        self.client = client
        self._session = session

    async def _post(self, **kwargs: object) -> MessageRef:
        if (key := DELIVERY_KEY.get()) is not None:  # so find_sent can tell, after a crash, that it went
            kwargs["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        try:
            response = await self.client.chat_postMessage(**kwargs)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - translated for the outbox
            raise _delivery_error(exc) from exc
        return MessageRef("slack", str(response["channel"]), str(response["ts"]))

    async def send(self, place: Place, message: Message) -> MessageRef:
        if any(block.kind == "image" for block in message.blocks):
            return await self._send_with_images(place, message)
        if place.kind == "slash" and place.ref.get("response_url"):
            try:
                return await self._respond(place, message)
            except DeliveryError as exc:
                if exc.permanent:  # response_url expired: reach the person by DM instead
                    return await self.dm(Person("slack", place.workspace, place.ref["user"]), message)
                raise
        if message.ephemeral and place.ref.get("user") and place.kind == "channel":
            try:
                response = await self.client.chat_postEphemeral(
                    channel=place.channel, user=place.ref["user"], text=fallback_text(message),
                    blocks=blocks(message), thread_ts=place.thread,
                )
            except Exception as exc:  # noqa: BLE001
                raise _delivery_error(exc) from exc
            return MessageRef("slack", place.channel, str(response.get("message_ts", "")))
        return await self._post(
            channel=place.channel, thread_ts=place.thread, text=fallback_text(message),
            blocks=blocks(message), unfurl_links=False, unfurl_media=False,
        )

    async def _respond(self, place: Place, message: Message) -> MessageRef:
        body = {"response_type": "ephemeral", "text": fallback_text(message), "blocks": blocks(message)}
        session = self._session or aiohttp.ClientSession()
        try:
            async with session.post(
                place.ref["response_url"], json=body, timeout=aiohttp.ClientTimeout(total=10)
            ) as response:
                if response.status == 429:
                    raise DeliveryError("slack rate limited", retry_after=float(response.headers.get("Retry-After", 1)))
                if response.status >= 500:
                    raise DeliveryError(f"slack http {response.status}", outage=True)
                if response.status >= 400:
                    raise DeliveryError(f"response_url http {response.status}", permanent=True)
        except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
            raise DeliveryError(f"slack unreachable ({type(exc).__name__})", outage=True) from exc
        finally:
            if self._session is None:
                await session.close()
        return MessageRef("slack", place.channel, "")

    async def find_sent(self, target: Place | Person, key: str, since: datetime) -> MessageRef | None:
        """The message posted with this delivery key since `since`, if Slack has it (the outbox
        asks after an attempt that ended unrecorded). None also where nothing can be found: a
        slash command's private answer, a picture."""
        if isinstance(target, Place):
            if target.kind == "slash":
                return None
            channel, thread = target.channel, target.thread
        else:
            channel, thread = target.user_id, None
        if channel.startswith(("U", "W")):
            channel = await self._conversation(channel)
        oldest = f"{since.timestamp() - 1:.6f}"
        try:
            if thread:
                response = await self.client.conversations_replies(
                    channel=channel, ts=thread, oldest=oldest, limit=200, include_all_metadata=True)
            else:
                response = await self.client.conversations_history(
                    channel=channel, oldest=oldest, limit=200, include_all_metadata=True)
        except Exception as exc:  # noqa: BLE001
            raise _delivery_error(exc) from exc
        for found in response.get("messages") or []:
            metadata = found.get("metadata") or {}
            if metadata.get("event_type") == METADATA_EVENT and (metadata.get("event_payload") or {}).get("key") == key:
                return MessageRef("slack", channel, str(found.get("ts", "")))
        return None

    async def update(self, ref: MessageRef, message: Message) -> None:
        try:
            await self.client.chat_update(
                channel=ref.channel, ts=ref.id, text=fallback_text(message), blocks=blocks(message)
            )
        except Exception as exc:  # noqa: BLE001
            raise _delivery_error(exc) from exc

    async def dm(self, person: Person, message: Message) -> MessageRef:
        if any(block.kind == "image" for block in message.blocks):
            return await self._send_with_images(Place("slack", person.workspace, person.user_id, "dm"), message)
        # chat.postMessage with a user id as channel posts in the bot's DM with that user.
        return await self._post(
            channel=person.user_id, text=fallback_text(message), blocks=blocks(message),
            unfurl_links=False, unfurl_media=False,
        )

    async def _send_with_images(self, place: Place, message: Message) -> MessageRef:
        """Images go through the files upload v2 flow (files.getUploadURLExternal → upload →
        files.completeUploadExternal) into the same conversation and thread. Text blocks beside
        them travel as the upload's comment: one Slack message. Other blocks (buttons, fields) are
        posted first; a failed upload then retries the whole message, so a sender that cannot
        afford a repeated text sends its image as a message of its own."""
        images = [block for block in message.blocks if block.kind == "image"]
        rest = replace(message, blocks=tuple(block for block in message.blocks if block.kind != "image"))
        if place.kind == "slash":  # a response_url cannot carry files: the images go to the DM
            place = Place("slack", place.workspace, str(place.ref.get("user") or place.channel), "dm")
        comment: str | None = fallback_text(message)
        ref = None
        if all(block.kind in {"markdown", "note"} for block in rest.blocks):  # the text rides along
            comment = "\n".join(mrkdwn(block.text) for block in rest.blocks) or comment
        else:
            ref = await self.send(place, rest)
            comment = None
        channel = ref.channel if ref is not None else await self._conversation(place.channel)
        file_id = ""
        try:
            for number, block in enumerate(images, start=1):
                response = await self.client.files_upload_v2(
                    channel=channel, thread_ts=place.thread, file=base64.b64decode(block.data),
                    filename=f"kulturbot-{number}.png", title=block.text[:250] or "kulturbot.png",
                    alt_txt=block.text[:1000] or None,
                    initial_comment=comment if number == 1 else None,
                )
                file_id = file_id or str((response.get("file") or {}).get("id", ""))
        except Exception as exc:  # noqa: BLE001
            raise _delivery_error(exc) from exc
        return ref or MessageRef("slack", channel, file_id)

    async def _conversation(self, channel: str) -> str:
        """A channel id for files.completeUploadExternal: a user id becomes their DM's id."""
        if not channel.startswith(("U", "W")):
            return channel
        try:
            response = await self.client.conversations_open(users=channel)
        except Exception as exc:  # noqa: BLE001
            raise _delivery_error(exc) from exc
        return str(response["channel"]["id"])
