"""Drives the real `serve` app over HTTP: signed Slack requests, Bot Framework activities."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from bot.core.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.server import build_web_app
from tests.fakes.connector import FakeConnector
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi

SIGNING_SECRET = "test-signing-secret"
_seq = itertools.count(1)


def slack_signature(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def _action_payload(element: dict[str, Any], action_ts: str) -> dict[str, Any]:
    if "selected_option" in element:
        return {"type": "static_select", "action_id": element["action_id"], "block_id": "b",
                "selected_option": element["selected_option"], "action_ts": action_ts}
    return {"type": "button", "action_id": element["action_id"], "value": element.get("value", ""),
            "block_id": "b", "action_ts": action_ts}


@dataclass
class BotUnderTest:
    runtime: Runtime
    url: str
    slack: FakeSlackApi
    connector: FakeConnector
    http: aiohttp.ClientSession
    runner: web.AppRunner
    tenant: str = "tenant-1"
    _sequence: Any = field(default_factory=lambda: itertools.count(1))

    # ------------------------------------------------------------------ Slack
    async def slack_post(self, body: str, content_type: str, *, timestamp: str | None = None,
                         signature: str | None = None, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
        ts = timestamp or str(int(time.time()))
        sig = signature or slack_signature(body, ts)
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}
        all_headers.update(headers or {})
        async with self.http.post(self.url + "/slack/events", data=body.encode(), headers=all_headers) as response:
            await response.read()
            return response

    async def slack_event(self, event: dict[str, Any], *, event_id: str | None = None, **kwargs: Any) -> aiohttp.ClientResponse:
        body = {
            "token": "x", "team_id": TEAM_ID, "api_app_id": "A1", "type": "event_callback",
            "event_id": event_id or f"Ev{next(_seq):08d}", "event_time": int(time.time()), "event": event,
        }
        return await self.slack_post(json.dumps(body), "application/json", **kwargs)

    async def slack_dm(self, text: str, user: str = "U100", **kwargs: Any) -> aiohttp.ClientResponse:
        n = next(self._sequence)
        event = {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user, "text": text,
                 "ts": f"1700001000.{n:06d}", "event_ts": f"1700001000.{n:06d}"}
        return await self.slack_event(event, **kwargs)

    async def slack_mention(self, text: str, channel: str = "C200", user: str = "U100", thread_ts: str | None = None) -> aiohttp.ClientResponse:
        n = next(self._sequence)
        event = {"type": "app_mention", "channel": channel, "user": user, "text": f"<@UBOT> {text}",
                 "ts": f"1700002000.{n:06d}", "event_ts": f"1700002000.{n:06d}"}
        if thread_ts:
            event["thread_ts"] = thread_ts
        return await self.slack_event(event)

    async def slack_command(self, text: str, user: str = "U100", channel: str = "C300") -> aiohttp.ClientResponse:
        n = next(self._sequence)
        form = {"token": "x", "team_id": TEAM_ID, "channel_id": channel, "user_id": user, "user_name": "kari",
                "command": "/kulturskole", "text": text, "response_url": self.slack.response_url(f"r{n}"),
                "trigger_id": f"trig.{n}", "api_app_id": "A1"}
        return await self.slack_post(urlencode(form), "application/x-www-form-urlencoded")

    async def slack_click(self, button: dict[str, Any], *, user: str = "U100", channel: str = "DU100",
                          message_ts: str = "1700000000.000001", thread_ts: str | None = None) -> aiohttp.ClientResponse:
        n = next(self._sequence)
        message: dict[str, Any] = {"ts": message_ts, "type": "message"}
        if thread_ts:
            message["thread_ts"] = thread_ts
        payload = {
            "type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": user, "team_id": TEAM_ID, "name": user.lower()},
            "api_app_id": "A1", "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
            "channel": {"id": channel}, "message": message, "trigger_id": f"click.{n}",
            "response_url": self.slack.response_url(f"c{n}"),
            "actions": [_action_payload(button, f"1700003000.{n:06d}")],
        }
        return await self.slack_post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def slack_submit_form(self, view: dict[str, Any], text: str, *, user: str = "U100") -> aiohttp.ClientResponse:
        """Submit a modal the bot opened (as recorded by the fake views.open)."""
        payload = {
            "type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": user, "team_id": TEAM_ID, "name": user.lower()},
            "api_app_id": "A1", "trigger_id": f"sub.{next(self._sequence)}",
            "view": {**view, "id": view.get("id", "V1"), "hash": f"h{next(self._sequence)}",
                     "state": {"values": {"form": {"text": {"type": "plain_text_input", "value": text}}}}},
        }
        return await self.slack_post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    # ------------------------------------------------------------------ Teams
    def activity(self, text: str = "", *, conversation: str = "conv-personal", kind: str = "personal",
                 user: str = "29:kari", name: str = "Kari Nordmann", value: dict[str, Any] | None = None,
                 activity_type: str = "message", **extra: Any) -> dict[str, Any]:
        n = next(self._sequence)
        activity: dict[str, Any] = {
            "type": activity_type, "id": f"act-{n}", "timestamp": "2026-11-25T12:00:00Z", "channelId": "msteams",
            "serviceUrl": self.connector.url, "from": {"id": user, "name": name, "aadObjectId": f"aad-{user}"},
            "conversation": {"id": conversation, "conversationType": kind, "tenantId": self.tenant},
            "recipient": {"id": "28:kulturbot", "name": "Kulturbot"}, "text": text, "locale": "nb-NO",
            "channelData": {"tenant": {"id": self.tenant}},
        }
        if value is not None:
            activity["value"] = value
        activity.update(extra)
        return activity

    async def teams_post(self, activity: dict[str, Any] | str, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
        data = activity if isinstance(activity, str) else json.dumps(activity)
        all_headers = {"Content-Type": "application/json"}
        all_headers.update(headers or {})
        async with self.http.post(self.url + "/api/messages", data=data.encode(), headers=all_headers) as response:
            await response.read()
            return response

    async def settle(self) -> None:
        await self.runtime.settle()

    async def close(self) -> None:
        await self.http.close()
        await self.runner.cleanup()


async def start_bot(database_url: str, slack: FakeSlackApi, connector: FakeConnector, clock: Any,
                    **settings: Any) -> BotUnderTest:
    values: dict[str, Any] = {
        "DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.url, "SWEEP_SECONDS": 3600, "KB_RELOAD_SECONDS": 3600,
    }
    values.update(settings)
    config = Settings(**values)
    runtime = await build_runtime(config, clock=clock)
    app = build_web_app(runtime)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return BotUnderTest(runtime, f"http://127.0.0.1:{port}", slack, connector, aiohttp.ClientSession(), runner)
