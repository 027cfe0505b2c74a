"""A fake Slack Web API on loopback: records every call, answers like Slack, fails on demand."""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_USER_ID = "UBOT"
TEAM_ID = "T0001"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    ts: str = ""  # the ts the fake answered with (chat.postMessage)


@dataclass
class FakeSlackApi:
    calls: list[Call] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str], str | None]] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id → bytes (files upload v2)
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition | None = None
    runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> "FakeSlackApi":
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)
        app.router.add_post("/response/{token}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/api/"
        self._changed = asyncio.Condition()
        return self

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()

    def response_url(self, token: str = "r1") -> str:
        return self.url.replace("/api/", f"/response/{token}")

    def fail_next(self, status: int, times: int = 1, headers: dict[str, str] | None = None,
                  method: str | None = None) -> None:
        """The next `times` calls (of `method`, or of any method) fail with `status`."""
        self.failures.extend([(status, headers or {}, method)] * times)

    def _take_failure(self, method: str) -> tuple[int, dict[str, str]] | None:
        for i, (status, headers, only) in enumerate(self.failures):
            if only is None or only == method:
                del self.failures[i]
                return status, headers
        return None

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.method == "GET":
            args = dict(request.query)
        elif request.content_type == "application/json":
            args = await request.json()
        else:
            args = dict(parse_qsl(await request.text()))
            for key in ("blocks", "attachments"):
                if isinstance(args.get(key), str):
                    args[key] = json.loads(args[key])
        if request.method == "POST" and request.query:  # slack_sdk sends some methods' arguments as a query
            args = {**request.query, **args}
        failure = self._take_failure(method) if method != "auth.test" else None
        if failure is not None:
            status, headers = failure
            await self._record(Call(f"{method}!{status}", args))
            return web.json_response({"ok": False, "error": "ratelimited" if status == 429 else "internal_error"},
                                     status=status, headers=headers)
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": BOT_USER_ID, "bot_id": "BBOT", "team_id": TEAM_ID,
                                      "team": "Eksempel kommune", "user": "kulturbot", "url": "https://example.slack.com/"})
        ts = f"1700000000.{next(self._ts):06d}"
        await self._record(Call(method, args, ts if method in {"chat.postMessage", "chat.postEphemeral"} else ""))
        if method in {"chat.postMessage", "chat.postEphemeral"}:
            channel = args.get("channel", "")
            if channel.startswith("U"):
                channel = "D" + channel[1:]
            return web.json_response({"ok": True, "channel": channel, "ts": ts, "message_ts": ts,
                                      "message": {"ts": ts, "text": args.get("text")}})
        if method == "chat.update":
            return web.json_response({"ok": True, "channel": args.get("channel"), "ts": args.get("ts")})
        if method == "users.info":
            user = self.users.get(args.get("user", ""), {"id": args.get("user"), "real_name": "Ukjent", "profile": {}})
            return web.json_response({"ok": True, "user": user})
        if method == "conversations.members":
            return web.json_response({"ok": True, "members": self.members.get(args.get("channel", ""), []),
                                      "response_metadata": {"next_cursor": ""}})
        if method in {"conversations.history", "conversations.replies"}:
            return web.json_response({"ok": True, "messages": self._history(args), "has_more": False})
        if method == "conversations.open":
            user = str(args.get("users", "")).split(",")[0]
            return web.json_response({"ok": True, "channel": {"id": "D" + user[1:]}})
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):06d}"
            return web.json_response({"ok": True, "file_id": file_id,
                                      "upload_url": self.url.replace("/api/", f"/upload/{file_id}")})
        if method == "files.completeUploadExternal":
            files = json.loads(args["files"]) if isinstance(args.get("files"), str) else args.get("files", [])
            args["files"] = files
            return web.json_response({"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]})
        if method == "views.open":
            return web.json_response({"ok": True, "view": {"id": f"V{next(self._ts)}", "hash": "h1", **args.get("view", {})}})
        return web.json_response({"ok": True})

    def _history(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """What chat.postMessage put in a channel (a user id posts in the DM "D…"), newest first;
        with the thread's ts: that thread's replies. Metadata only if asked for, as Slack does.
        `oldest` is not applied: the fake's ts are counters, not times."""
        channel, thread = args.get("channel", ""), args.get("ts")
        found = []
        for call in self.named("chat.postMessage"):
            posted_in = call.args.get("channel", "")
            posted_in = "D" + posted_in[1:] if posted_in.startswith("U") else posted_in
            if posted_in != channel or (call.args.get("thread_ts") or None) != (thread or None):
                continue
            message: dict[str, Any] = {"type": "message", "ts": call.ts, "text": call.args.get("text", "")}
            if call.args.get("metadata") and str(args.get("include_all_metadata")).lower() in {"true", "1"}:
                message["metadata"] = call.args["metadata"]
            found.append(message)
        return list(reversed(found))

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await request.json()))
        return web.Response(text="ok")

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        await self._record(Call("upload", {"file_id": file_id, "length": len(self.uploads[file_id])}))
        return web.Response(text=f"OK - {len(self.uploads[file_id])}")

    def shared_files(self, channel: str | None = None) -> list[tuple[dict[str, Any], bytes]]:
        """Files completed into a conversation: (files.completeUploadExternal args, each file's bytes)."""
        return [(c.args, self.uploads.get(f["id"], b"")) for c in self.named("files.completeUploadExternal")
                if channel is None or c.args.get("channel_id") == channel for f in c.args.get("files", [])]

    def named(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def to_channel(self, channel: str) -> list[Call]:
        """Messages posted to, or updated in, one channel, in order."""
        return [c for c in self.calls if c.method in {"chat.postMessage", "chat.update", "chat.postEphemeral"}
                and c.args.get("channel") == channel]

    def add_user(self, user_id: str, name: str, *channels: str) -> None:
        self.users[user_id] = {"id": user_id, "name": name.split()[0].lower(), "real_name": name,
                               "profile": {"display_name": name, "real_name": name}}
        for channel in channels:
            self.members.setdefault(channel, []).append(user_id)

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until `count` calls of `method` have arrived (the bot acks before it answers)."""
        assert self._changed is not None

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.named(method)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.named(method)
