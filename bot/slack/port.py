"""The Slack side of the outbound port: chat.postMessage / chat.update / response_url."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.model import Message, MessageRef, Person, Place
from bot.core.port import DeliveryError

from .render import blocks, fallback_text

log = logging.getLogger("kulturbot.slack")

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
            return DeliveryError(f"slack http {status}")
        return DeliveryError(f"slack error {error}", permanent=error in PERMANENT_ERRORS)
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ClientError)):
        return DeliveryError(f"slack unreachable ({type(exc).__name__})")
    return DeliveryError(type(exc).__name__)


class SlackPort:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, session: aiohttp.ClientSession | None = None) -> None:
        self.client = client
        self._session = session

    async def _post(self, **kwargs: object) -> MessageRef:
        try:
            response = await self.client.chat_postMessage(**kwargs)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - translated for the outbox
            raise _delivery_error(exc) from exc
        return MessageRef("slack", str(response["channel"]), str(response["ts"]))

    async def send(self, place: Place, message: Message) -> MessageRef:
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
                    raise DeliveryError(f"slack http {response.status}")
                if response.status >= 400:
                    raise DeliveryError(f"response_url http {response.status}", permanent=True)
        except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
            raise DeliveryError(f"slack unreachable ({type(exc).__name__})") from exc
        finally:
            if self._session is None:
                await session.close()
        return MessageRef("slack", place.channel, "")

    async def update(self, ref: MessageRef, message: Message) -> None:
        try:
            await self.client.chat_update(
                channel=ref.channel, ts=ref.id, text=fallback_text(message), blocks=blocks(message)
            )
        except Exception as exc:  # noqa: BLE001
            raise _delivery_error(exc) from exc

    async def dm(self, person: Person, message: Message) -> MessageRef:
        # chat.postMessage with a user id as channel posts in the bot's DM with that user.
        return await self._post(
            channel=person.user_id, text=fallback_text(message), blocks=blocks(message),
            unfurl_links=False, unfurl_media=False,
        )
