"""Runs handlers for stored events: claim, handle in one transaction, mark done, wake delivery.

This is the one error path: whatever a handler raises is logged here (without message text),
the transaction is rolled back, and the event is retried; after the last attempt the user is
told politely that something went wrong, so nobody is left without an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator, Sequence

from sqlalchemy.exc import IntegrityError, OperationalError

from .catalogue import t
from .context import Context, Outgoing, Services
from .inbox import Inbox
from .model import Event, Message
from .outbox import Deliverer

log = logging.getLogger("kulturbot.worker")

Handler = Callable[[Context], Awaitable[None]]
Middleware = Callable[[Context, Handler], Awaitable[None]]
MAX_ATTEMPTS = 3


class AckFirst:
    """Acks go before handling. While an event is being stored for its ack, the worker starts no
    new event: in one event loop, every unit of work that starts runs its steps between the
    ack's steps, and under load that, more than the store itself, made acks slow (bench/load).
    Units already running carry on. Waiting is bounded (MAX_WAIT, one waiter at a time), so a
    steady stream of acks slows handling down but never stops it."""

    MAX_WAIT = 0.05

    def __init__(self) -> None:
        self.in_flight = 0
        self._clear = asyncio.Event()
        self._clear.set()
        self._waiters = asyncio.Lock()

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        self.in_flight += 1
        self._clear.clear()
        try:
            yield
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self._clear.set()

    async def wait(self) -> None:
        """Before a unit of background work: until no ack is being stored (or MAX_WAIT)."""
        if not self.in_flight:
            return
        async with self._waiters:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.MAX_WAIT):
                    await self._clear.wait()


class StoreUnavailable(Exception):
    """An event could not be stored (the database is away): the platform should retry (503)."""


class Worker:
    def __init__(
        self,
        services: Services,
        inbox: Inbox,
        deliverer: Deliverer,
        handler: Handler,
        middleware: Sequence[Middleware] = (),
        *,
        concurrency: int = 8,
    ) -> None:
        self.services = services
        self.inbox = inbox
        self.deliverer = deliverer
        self.handler = handler
        self.middleware = list(middleware)
        self.concurrency = concurrency
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._queued: set[int] = set()  # the ids in _queue, so that a sweep adds none twice
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.ack_first = AckFirst()

    async def submit(self, event: Event) -> bool:
        """Store the event (the caller acks after this returns); False if it was a duplicate."""
        try:
            with self.ack_first.acking():
                event_id = await self.inbox.accept(event)
        except Exception as exc:  # noqa: BLE001 - whatever the driver raised, the adapter answers 503
            raise StoreUnavailable(type(exc).__name__) from exc
        if event_id is None:
            log.info("duplicate %s event ignored", event.platform)
            return False
        self._enqueue(event_id)
        return True

    def _enqueue(self, event_id: int) -> None:
        if event_id in self._queued:
            return  # already waiting here: a sweep under a backlog must not queue it again
        self._queued.add(event_id)
        self._idle.clear()
        self._queue.put_nowait(event_id)

    async def run_forever(self) -> None:
        await asyncio.gather(*(self._consume() for _ in range(self.concurrency)))

    async def _consume(self) -> None:
        while True:
            event_id = await self._queue.get()
            self._queued.discard(event_id)
            self._busy += 1
            try:
                await self.ack_first.wait()
                await self.process(event_id)
            except Exception:  # noqa: BLE001 - the loop must survive a DB outage
                log.exception("processing event %s failed outside a handler", event_id)
            finally:
                self._busy -= 1
                self._queue.task_done()
                if self._queue.empty() and self._busy == 0:
                    self._idle.set()

    async def idle(self) -> None:
        """Wait until every queued event has been processed (tests and shutdown)."""
        await self._idle.wait()

    async def sweep(self) -> int:
        """Queue events left pending by a crash, a failure or another instance."""
        ids = await self.inbox.pending()
        for event_id in ids:
            self._enqueue(event_id)
        return len(ids)

    async def process(self, event_id: int) -> None:
        event: Event | None = None
        try:
            async with self.services.db.session() as session:
                event = await self.inbox.claim(session, event_id)
                if event is None:
                    return  # done already, waiting for a retry, or another instance has it
                lang = event.lang or self.services.settings.language
                ctx = Context(self.services, event, session, Outgoing(session, self.services.clock), lang)
                await self._run(ctx)
                await self.inbox.mark_done(session, event_id)
        except Exception as exc:  # noqa: BLE001 - the one error path
            if event is None:  # the claim itself failed (the database is away): the sweep retries
                log.warning("claiming event %s failed: %s", event_id, type(exc).__name__)
                return
            await self._handle_error(event_id, event, exc)
            return
        self.deliverer.wake()

    async def _run(self, ctx: Context) -> None:
        async def call(index: int, c: Context) -> None:
            if index == len(self.middleware):
                await self.handler(c)
            else:
                await self.middleware[index](c, lambda inner: call(index + 1, inner))

        await call(0, ctx)

    async def _handle_error(self, event_id: int, event: Event, exc: Exception) -> None:
        # A lost race (unique key, lock, serialisation) is usually gone at once: the first retry
        # goes straight back on the queue; later ones wait for the sweep, with backoff.
        lost_race = isinstance(exc, (IntegrityError, OperationalError))
        attempts = await self.inbox.mark_failed(
            event_id, type(exc).__name__, max_attempts=MAX_ATTEMPTS,
            retry_in=lambda attempts: 0.0 if lost_race and attempts == 1 else 2.0 ** attempts,
        )
        race = lost_race and attempts == 1
        final = attempts >= MAX_ATTEMPTS
        log.error(
            "handler failed for %s %s event %s (attempt %d%s): %s",
            event.platform, event.kind, event_id, attempts, ", giving up" if final else "",
            type(exc).__name__, exc_info=exc if final else None,
        )
        if race and not final:
            self._enqueue(event_id)
        if final:
            lang = event.lang or self.services.settings.language
            async with self.services.db.session() as session:
                Outgoing(session, self.services.clock).send(
                    event.place, Message(text=t(lang, "error.generic"))
                )
            self.deliverer.wake()
