"""Slack names and channel membership, cached briefly (users.info, conversations.members)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.model import Person

log = logging.getLogger("kulturbot.slack")
TTL_SECONDS = 300.0
# Handlers ask the directory inside their database transaction: while Slack is failing or slow,
# skip it for a while instead of holding every transaction for a timeout.
PAUSE_AFTER_FAILURE_SECONDS = 30.0
TIMEOUT_SECONDS = 2.0


class SlackDirectory:
    def __init__(self, client: AsyncWebClient, slack_down: Callable[[], bool] | None = None) -> None:
        """slack_down: whether Slack is failing as a whole right now (the outbox knows): then the
        directory does not ask at all, instead of waiting for its timeout inside a transaction."""
        self.client = client
        self._names: dict[str, tuple[float, str]] = {}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}
        self._paused_until = 0.0
        self._slack_down = slack_down or (lambda: False)

    def _available(self) -> bool:
        return time.monotonic() >= self._paused_until and not self._slack_down()

    def _failed(self, method: str, exc: Exception) -> None:
        log.warning("%s failed: %s; not asking Slack for %.0f s", method, type(exc).__name__,
                    PAUSE_AFTER_FAILURE_SECONDS)
        self._paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS

    async def display_name(self, person: Person) -> str:
        cached = self._names.get(person.user_id)
        if cached and time.monotonic() - cached[0] < TTL_SECONDS:
            return cached[1]
        if not self._available():
            return person.name
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                response = await self.client.users_info(user=person.user_id)
            user = response.get("user") or {}
            profile = user.get("profile") or {}
            name = str(profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name") or "")
        except Exception as exc:  # noqa: BLE001 - a name is nice to have, never required
            self._failed("users.info", exc)
            return person.name
        self._names[person.user_id] = (time.monotonic(), name)
        return name or person.name

    async def is_channel_member(self, channel: str, person: Person) -> bool:
        cached = self._members.get(channel)
        if not cached or time.monotonic() - cached[0] >= TTL_SECONDS:
            if not self._available():
                return person.user_id in cached[1] if cached else False
            members: set[str] = set()
            cursor = None
            try:
                while True:
                    async with asyncio.timeout(TIMEOUT_SECONDS):
                        response = await self.client.conversations_members(channel=channel, cursor=cursor, limit=1000)
                    members.update(response.get("members") or [])
                    cursor = (response.get("response_metadata") or {}).get("next_cursor")
                    if not cursor:
                        break
            except Exception as exc:  # noqa: BLE001 - unknown membership means no (or what we knew)
                self._failed("conversations.members", exc)
                return person.user_id in cached[1] if cached else False
            cached = (time.monotonic(), frozenset(members))
            self._members[channel] = cached
        return person.user_id in cached[1]
