"""Slack names and channel membership, cached briefly (users.info, conversations.members)."""

from __future__ import annotations

import logging
import time

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.model import Person

log = logging.getLogger("kulturbot.slack")
TTL_SECONDS = 300.0


class SlackDirectory:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._names: dict[str, tuple[float, str]] = {}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    async def display_name(self, person: Person) -> str:
        cached = self._names.get(person.user_id)
        if cached and time.monotonic() - cached[0] < TTL_SECONDS:
            return cached[1]
        try:
            response = await self.client.users_info(user=person.user_id)
            user = response.get("user") or {}
            profile = user.get("profile") or {}
            name = str(profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name") or "")
        except Exception as exc:  # noqa: BLE001 - a name is nice to have, never required
            log.warning("users.info failed: %s", type(exc).__name__)
            return person.name
        self._names[person.user_id] = (time.monotonic(), name)
        return name or person.name

    async def is_channel_member(self, channel: str, person: Person) -> bool:
        cached = self._members.get(channel)
        if not cached or time.monotonic() - cached[0] >= TTL_SECONDS:
            members: set[str] = set()
            cursor = None
            try:
                while True:
                    response = await self.client.conversations_members(channel=channel, cursor=cursor, limit=1000)
                    members.update(response.get("members") or [])
                    cursor = (response.get("response_metadata") or {}).get("next_cursor")
                    if not cursor:
                        break
            except Exception as exc:  # noqa: BLE001 - unknown membership means no
                log.warning("conversations.members failed: %s", type(exc).__name__)
                return False
            cached = (time.monotonic(), frozenset(members))
            self._members[channel] = cached
        return person.user_id in cached[1]
