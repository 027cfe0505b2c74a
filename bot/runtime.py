"""The composition root: builds the services, the platform adapters, the worker and the jobs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.core import logs
from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.context import Services
from bot.core.database import Database
from bot.core.inbox import Inbox
from bot.core.outbox import Deliverer
from bot.core.port import ChatPort
from bot.core.worker import Worker
from handlers import build_router, middleware
from handlers.people import channel_reference, dm_reference
from knowledge.library import KnowledgeLibrary
from scheduler import jobs
from scheduler.runner import Scheduler

log = logging.getLogger("kulturbot")


@dataclass
class Runtime:
    settings: Settings
    services: Services
    inbox: Inbox
    deliverer: Deliverer
    worker: Worker
    scheduler: Scheduler
    ports: dict[str, ChatPort]
    slack_app: Any = None
    teams_adapter: Any = None
    teams_bot: Any = None
    http: aiohttp.ClientSession | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start_background(self) -> None:
        """Start the worker, delivery and the scheduled jobs (inside the running loop)."""
        self._tasks = [
            asyncio.create_task(self.worker.run_forever(), name="worker"),
            asyncio.create_task(self.deliverer.run_forever(), name="deliverer"),
        ]
        jobs.register(self.scheduler, self)
        self.scheduler.start()
        await jobs.sweep(self)  # what a previous run left pending

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Finish what is in hand, then stop; anything left stays pending in the database.
        Nothing is cancelled halfway through a transaction or a send unless the grace runs out."""
        self.scheduler.shutdown()
        await self.scheduler.drain(grace_seconds)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace_seconds):
                await self.worker.idle()
        self.deliverer.stop()
        delivering = [t for t in self._tasks if t.get_name() == "deliverer"]
        if delivering:
            await asyncio.wait(delivering, timeout=grace_seconds)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.http is not None:
            await self.http.close()
        await self.services.db.dispose()

    async def settle(self, rounds: int = 50) -> None:
        """Process every stored event and deliver every due message (tests, console)."""
        waits = 0
        for _ in range(rounds):
            await self.worker.idle()
            if await self.deliverer.deliver_due() or not self.worker._queue.empty():
                continue
            # rows still due are in the background deliverer's hands (leased, or next in a lane it
            # is working through): give it a moment, then look again
            while waits < 1000 and await self.deliverer.due_now():
                waits += 1
                await asyncio.sleep(0.01)
                if await self.deliverer.deliver_due():
                    break
            else:
                return


def load_knowledge(settings: Settings) -> KnowledgeLibrary:
    thresholds = {
        k: v
        for k, v in {
            "answer_threshold": settings.kb_answer_threshold,
            "suggest_threshold": settings.kb_suggest_threshold,
        }.items()
        if v is not None
    }
    library = KnowledgeLibrary(settings.kb_path, load=False, **thresholds)  # loaded once, just below
    library.reload()  # logs what it loaded and skipped
    return library


async def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    platforms: tuple[str, ...] = ("slack", "teams"),
    extra_ports: dict[str, ChatPort] | None = None,
) -> Runtime:
    clock = clock or SystemClock()
    logs.protect_payload_loggers()  # before the adapters derive their loggers from ours
    db = Database(settings.database_url)
    if migrate:
        await db.upgrade()
    services = Services(settings=settings, clock=clock, db=db, knowledge=load_knowledge(settings))
    ports: dict[str, ChatPort] = dict(extra_ports or {})
    inbox = Inbox(db, clock)
    deliverer = Deliverer(db, clock, ports, lease_seconds=settings.worker_lease_seconds)
    worker = Worker(services, inbox, deliverer, build_router(), middleware())
    runtime = Runtime(settings, services, inbox, deliverer, worker, Scheduler(settings.timezone), ports)

    if "slack" in platforms:
        if settings.slack_enabled:
            from bot.slack.app import build_app, build_client
            from bot.slack.directory import SlackDirectory
            from bot.slack.port import SlackPort

            # slack_sdk applies its timeout only to sessions it creates: ours carries it
            runtime.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
            client = build_client(settings, runtime.http)
            runtime.slack_app = build_app(settings, worker, client)
            ports["slack"] = SlackPort(client, runtime.http)
            services.directories["slack"] = SlackDirectory(client, lambda: deliverer.platform_down("slack"))
        else:
            log.warning("Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable /slack/events")
    if "teams" in platforms:
        from bot.teams.app import InboxBot, build_adapter
        from bot.teams.port import TeamsPort

        runtime.teams_adapter = build_adapter(settings)
        runtime.teams_bot = InboxBot(worker)

        async def lookup_dm(person: Any) -> dict[str, Any] | None:
            return await dm_reference(db, person)

        async def lookup_channel(channel: str) -> dict[str, Any] | None:
            return await channel_reference(db, "teams", channel)

        if runtime.http is None:
            runtime.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        ports["teams"] = TeamsPort(runtime.teams_adapter, settings.teams_app_id, lookup_dm, lookup_channel, runtime.http)
        if not settings.teams_app_id:
            log.warning("Teams runs anonymous (no MicrosoftAppId): only for local clients and tests")
    if platforms and "default" not in settings.adviser_routes:  # (the console shows cards itself)
        log.warning("ADVISER_CHANNELS has no default route (default=platform:channel): "
                    "tickets are stored, but their cards reach no advisers' channel")
    deliverer.ports.update(ports)
    logs.protect_payload_loggers()  # and the library loggers imported since
    return runtime
