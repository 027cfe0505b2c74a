"""A fake Bot Framework connector on loopback: records the bot's replies and updates."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Sent:
    verb: str  # "send" | "update"
    conversation: str
    activity: dict[str, Any]
    activity_id: str
    authorization: str = ""  # the Authorization header the bot sent


@dataclass
class FakeConnector:
    sent: list[Sent] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)  # statuses to answer the next calls with
    failure_headers: dict[str, str] = field(default_factory=dict)  # e.g. Retry-After, with each failure
    refused: int = 0  # calls answered with a failure
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Condition | None = None
    runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> "FakeConnector":
        app = web.Application()
        app.router.add_post("/v3/conversations/{conv}/activities", self._send)
        app.router.add_post("/v3/conversations/{conv}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conv}/activities/{activity}", self._update)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        self._changed = asyncio.Condition()
        return self

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()

    async def _record(self, sent: Sent) -> None:
        self.sent.append(sent)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    def _failure(self) -> web.Response | None:
        if self.failures:
            self.refused += 1
            return web.json_response({"error": {"code": "ServiceError"}}, status=self.failures.pop(0),
                                     headers=self.failure_headers)
        return None

    async def _send(self, request: web.Request) -> web.Response:
        if (failed := self._failure()) is not None:
            return failed
        activity_id = f"bot-{next(self._ids)}"
        await self._record(Sent("send", request.match_info["conv"], await request.json(), activity_id,
                                request.headers.get("Authorization", "")))
        return web.json_response({"id": activity_id})

    async def _update(self, request: web.Request) -> web.Response:
        if (failed := self._failure()) is not None:
            return failed
        activity_id = request.match_info["activity"]
        await self._record(Sent("update", request.match_info["conv"], await request.json(), activity_id,
                                request.headers.get("Authorization", "")))
        return web.json_response({"id": activity_id})

    def sends(self) -> list[Sent]:
        return [s for s in self.sent if s.verb == "send"]

    async def wait_for(self, count: int = 1, verb: str = "send", timeout: float = 5.0) -> list[Sent]:
        assert self._changed is not None

        def matching() -> list[Sent]:
            return [s for s in self.sent if s.verb == verb]

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(matching()) >= count)

        await asyncio.wait_for(enough(), timeout)
        return matching()
