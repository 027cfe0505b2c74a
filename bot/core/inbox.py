"""The inbox: every accepted event is stored before it is acknowledged, once per platform key.

Storing first is what makes "nothing a user sent is lost or done twice" hold: a Slack retry
or a double click hits the unique key; a crash after the ack leaves a pending row that the
next sweep (this process after a restart, or another instance) picks up.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .clock import Clock
from .database import Database
from .model import Event
from .privacy import mask_event
from .tables import InboxEvent


class Inbox:
    def __init__(self, db: Database, clock: Clock, *, lease_seconds: float = 60.0) -> None:
        self.db = db
        self.clock = clock
        self.lease = timedelta(seconds=lease_seconds)
        self._insert = db.driver_insert(
            InboxEvent, ["platform", "key", "kind", "payload", "status", "attempts", "received_at"], ["platform", "key"]
        )

    async def accept(self, event: Event) -> int | None:
        """Store the event; its row id if it is new, None if this key was seen before.
        National ids are masked here, so no row (and nothing after it) ever holds one."""
        event = mask_event(event)
        values = {
            "platform": event.platform,
            "key": event.key[:255],
            "kind": event.kind,
            "payload": event.to_json(),
            "status": "pending",
            "attempts": 0,
            "received_at": self.clock.now(),
        }
        # the platform waits for this one: first in line, and on the driver (database.DriverInsert)
        return await self._insert(values, urgent=True)

    async def claim(self, event_id: int) -> Event | None:
        """Take the event for processing unless someone else holds it or it is done."""
        now = self.clock.now()
        async with self.db.session() as session:
            result = await session.execute(
                update(InboxEvent)
                .where(
                    InboxEvent.id == event_id,
                    InboxEvent.status == "pending",
                    (InboxEvent.lease_until.is_(None)) | (InboxEvent.lease_until < now),  # type: ignore[union-attr]
                )
                .values(lease_until=now + self.lease, attempts=InboxEvent.attempts + 1)
                .returning(InboxEvent.payload)
            )
            payload = result.scalar_one_or_none()
        return Event.from_json(payload) if payload else None

    async def pending(self, limit: int = 100) -> list[int]:
        """Events waiting with no live lease (left by a crash, a failure, or another instance)."""
        now = self.clock.now()
        async with self.db.session() as session:
            rows = await session.execute(
                select(InboxEvent.id)
                .where(
                    InboxEvent.status == "pending",
                    (InboxEvent.lease_until.is_(None)) | (InboxEvent.lease_until < now),  # type: ignore[union-attr]
                )
                .order_by(InboxEvent.id)
                .limit(limit)
            )
            return list(rows.scalars())

    async def mark_done(self, session: AsyncSession, event_id: int) -> None:
        """Inside the handler's transaction: done, and the raw payload dropped (data minimisation)."""
        await session.execute(
            update(InboxEvent)
            .where(InboxEvent.id == event_id)
            .values(status="done", payload=None, done_at=self.clock.now(), lease_until=None)
        )

    async def mark_failed(self, event_id: int, reason: str, *, final: bool, retry_in: float) -> None:
        values: dict[str, object] = {"error": reason[:200]}
        if final:
            values.update(status="failed", payload=None, done_at=self.clock.now(), lease_until=None)
        else:
            values["lease_until"] = self.clock.now() + timedelta(seconds=retry_in) if retry_in > 0 else None
        async with self.db.session() as session:
            await session.execute(update(InboxEvent).where(InboxEvent.id == event_id).values(**values))

    async def status(self, event_id: int) -> tuple[str, int] | None:
        async with self.db.session() as session:
            row = (
                await session.execute(
                    select(InboxEvent.status, InboxEvent.attempts).where(InboxEvent.id == event_id)
                )
            ).first()
        return (row[0], row[1]) if row else None
