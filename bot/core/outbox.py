"""The outbox: messages are recorded with the change that caused them, then delivered.

Delivery is at-least-once with the record first: a row is written in the handler's
transaction and marked sent after the platform accepted it. A crash between the platform's
acceptance and the mark can repeat that one message after the lease runs out (on Teams; Slack
is asked first, below); a crash before the send never loses it. We chose this side because a
lost adviser answer or a lost ticket card breaks the 48-hour promise, while a rare repeated
line does not.

Messages in one lane (a conversation, a card) go out in order; a lane whose head waits for a
retry holds back only that lane.

An attempt that ends unrecorded (the process killed between the platform's acceptance and the
mark, or a lease that ran out) leaves the row marked IN_FLIGHT; the next claim sees that and,
where the port can look (Slack: each message carries its row's key as metadata), first asks
whether the message is already there: then it is recorded as sent, not posted twice.

A platform that fails as a whole (429 with Retry-After, 5xx, timeouts: DeliveryError.outage)
holds back every send to it: after the wait, one message goes as a probe; while it fails the
wait grows (Retry-After, or doubling up to a minute), and once it goes through, the messages it
held back go at once (a message that failed itself waits its own Retry-After or at most a
minute). A ten-minute outage then costs about one call per wait, not one per queued message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .clock import Clock
from .database import BEFORE_COMMIT, Database
from .model import Message, MessageRef, Person, Place
from .port import DELIVERY_KEY, ChatPort, DeliveryError
from .tables import OutboxMessage, PostedCard

# The hot path (every message) uses Core statements on the table: no ORM bookkeeping per row.
_OUT = OutboxMessage.__table__  # type: ignore[attr-defined]
_CARDS = PostedCard.__table__  # type: ignore[attr-defined]
Row = Any  # a claimed outbox row (sqlalchemy Row with OutboxMessage's columns)

log = logging.getLogger("kulturbot.outbox")

MAX_BACKOFF_SECONDS = 600.0
MAX_OUTAGE_WAIT_SECONDS = 60.0
IN_FLIGHT = "in flight"  # last_error while an attempt is under way
UNRECORDED = "an attempt ended unrecorded"  # ...and when the next claim finds it still so
GIVE_UP_AFTER = timedelta(hours=24)


@dataclass
class _Outage:
    """A platform that failed as a whole: nothing is sent to it before `until`, then one probe."""

    until: datetime
    failures: int = 1
    probing: bool = False
    rate_limited: bool = False  # a 429: only posting is refused, the platform's other methods may work


def _place(data: Mapping[str, Any]) -> Place:
    return Place(**data)


def _ref(data: Mapping[str, Any]) -> MessageRef:
    return MessageRef(**data)


_RECORDED = "kulturbot.outbox"  # session.info key: the unit of work's messages, not yet inserted


def record(
    session: AsyncSession,
    *,
    now: Any,
    op: str,
    platform: str,
    lane: str,
    target: dict[str, Any],
    message: Message,
    card_key: str | None = None,
) -> None:
    """Keep the message for this transaction's outbox insert: all of a unit of work's messages go
    in one statement just before it commits (Database.session runs its before-commit steps), in the
    order they were recorded. Nothing is written if the unit of work fails."""
    rows = session.info.get(_RECORDED)
    if rows is None:
        rows = session.info[_RECORDED] = []
        session.info.setdefault(BEFORE_COMMIT, []).append(_insert_recorded)
    rows.append({
        "created_at": now, "platform": platform, "op": op, "lane": lane[:255], "target": target,
        "payload": message.to_json(), "card_key": card_key, "next_attempt_at": now,
        "status": "pending", "attempts": 0,
    })


async def _insert_recorded(session: AsyncSession) -> None:
    rows = session.info.pop(_RECORDED, None)
    if rows:
        await session.execute(_INSERT, rows)


@dataclass
class _Sent:
    """A row the platform accepted, waiting to be marked sent."""

    row: Row
    ref: MessageRef | None
    new_card: bool


def _card_key(row: Row) -> str | None:
    """The card a row posts or updates, or replies under."""
    return row.card_key if row.op == "card" else (row.target or {}).get("thread_of")


# Statements of every round, built once (building one costs more than running it).
_HEADS = select(func.min(_OUT.c.id).label("id")).where(_OUT.c.status == "pending").group_by(_OUT.c.lane).subquery()
_DUE_HEADS = (  # the oldest pending row of each lane, when it is due now and its platform not held back
    select(_OUT.c.id, _OUT.c.platform)
    .join(_HEADS, _HEADS.c.id == _OUT.c.id)
    .where(_OUT.c.next_attempt_at <= bindparam("now"), _OUT.c.platform.not_in(bindparam("held", expanding=True)))
)
_LEASE_FREE = (_OUT.c.lease_until.is_(None)) | (_OUT.c.lease_until < bindparam("now"))
_LANE_HEADS = _DUE_HEADS.where(_LEASE_FREE).order_by(_OUT.c.id).limit(bindparam("limit"))
_DUE_COUNT = select(func.count()).select_from(_DUE_HEADS.subquery())
_CLAIM_ROWS = (
    update(_OUT)
    .where(_OUT.c.id.in_(bindparam("ids", expanding=True)), _OUT.c.status == "pending",
           _OUT.c.next_attempt_at <= bindparam("now"), _LEASE_FREE)
    .values(lease_until=bindparam("lease_until"), attempts=_OUT.c.attempts + 1,
            last_error=case((_OUT.c.last_error.in_([IN_FLIGHT, UNRECORDED]), UNRECORDED), else_=IN_FLIGHT))
    .returning(*_OUT.c)  # the claimed rows themselves: no second query
)
_CARDS_BY_KEY = select(*_CARDS.c).where(_CARDS.c.key.in_(bindparam("keys", expanding=True)))
_INSERT = insert(_OUT)
_MARK_SENT = (
    update(_OUT)
    .where(_OUT.c.id == bindparam("row_id"))
    .values(status="sent", sent_at=bindparam("sent_at"), lease_until=None, last_error=None, ref=bindparam("sent_ref"))
)


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF_SECONDS, 2.0 ** max(0, attempts - 1))


class Deliverer:
    """Sends due outbox rows through the platform ports."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        ports: Mapping[str, ChatPort],
        *,
        lease_seconds: float = 60.0,
        concurrency: int = 16,
    ) -> None:
        self.db = db
        self.clock = clock
        self.ports = dict(ports)
        self.lease = timedelta(seconds=lease_seconds)
        self._wake = asyncio.Event()
        self._stopping = False
        self._limit = asyncio.Semaphore(concurrency)
        self._outages: dict[str, _Outage] = {}
        self._unrecorded: list[_Sent] = []  # sent, waiting for their mark (see _sent)
        self._recording = asyncio.Lock()

    def wake(self) -> None:
        self._wake.set()

    def platform_down(self, platform: str) -> bool:
        """The platform is failing as a whole (5xx, unreachable; not a rate limit): the directory
        asks this before it calls the platform inside a handler's transaction."""
        outage = self._outages.get(platform)
        return outage is not None and not outage.rate_limited

    def stop(self) -> None:
        """Finish the round in hand, then leave run_forever (no send is cut off halfway)."""
        self._stopping = True
        self._wake.set()

    async def run_forever(self, idle_seconds: float = 1.0) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                sent = await self.deliver_due()
            except Exception as exc:  # noqa: BLE001 - a DB outage must not end delivery
                log.warning("outbox delivery round failed: %s", type(exc).__name__)
                sent = 0
            if sent:
                continue
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
                # that arrives as its timeout fires, and this loop would then never stop
                async with asyncio.timeout(idle_seconds):
                    await self._wake.wait()
            except TimeoutError:
                pass

    def _held_back(self, now: datetime) -> list[str]:
        """Platforms in an outage that are not due for a probe now (one probe at a time)."""
        return [p for p, o in self._outages.items() if o.probing or o.until > now]

    async def lane_heads(self, limit: int = 200) -> list[tuple[int, str]]:
        """The oldest pending row of each lane that is due now and not leased: (id, platform)."""
        now = self.clock.now()
        async with self.db.session() as session:
            rows = await session.execute(_LANE_HEADS, {"now": now, "held": self._held_back(now), "limit": limit})
            return [(row_id, platform) for row_id, platform in rows.all()]

    async def due_now(self) -> int:
        """Lanes whose oldest pending row is due now: waiting for a deliverer or being sent (settle).
        Rows of a platform held back by an outage are not due until its next probe."""
        now = self.clock.now()
        async with self.db.session() as session:
            return (await session.execute(_DUE_COUNT, {"now": now, "held": self._held_back(now)})).scalar_one()

    async def deliver_due(self) -> int:
        """One round: claim each lane's due head (one statement for all), send them in parallel,
        and record what went through. Returns rows sent. The lanes' next rows go in the next round."""
        heads = await self.lane_heads()
        chosen: list[int] = []
        probes: set[str] = set()
        for row_id, platform in heads:
            outage = self._outages.get(platform)
            if outage is not None:  # due for a probe: this row alone, until it tells us more
                if outage.probing:
                    continue
                outage.probing = True
                probes.add(platform)
            chosen.append(row_id)
        if not chosen:
            return 0
        try:
            claimed = await self._claim(chosen)
        except BaseException:
            for platform in probes:
                self._probe_done(platform)
            raise
        for platform in probes - {row.platform for row, _ in claimed}:
            self._probe_done(platform)  # the probe's row was gone or leased elsewhere: the next may go
        results = await asyncio.gather(*(self._deliver_one(row, posted) for row, posted in claimed))
        return sum(results)

    async def _claim(self, row_ids: list[int]) -> list[tuple[Row, Row | None]]:
        """Lease the rows that are still due (one statement); with them, in the same transaction,
        the cards they update or reply under."""
        now = self.clock.now()
        async with self.db.session() as session:
            rows = (await session.execute(_CLAIM_ROWS, {"ids": row_ids, "now": now, "lease_until": now + self.lease})).all()
            keys = {key for row in rows if (key := _card_key(row))}
            posted = {}
            if keys:
                posted = {card.key: card for card in (await session.execute(_CARDS_BY_KEY, {"keys": list(keys)})).all()}
        rows.sort(key=lambda row: row.id)
        return [(row, posted.get(_card_key(row))) for row in rows]

    async def _deliver_one(self, row: Row, posted: Row | None) -> int:
        """Send and record one claimed row: 1 if it went through."""
        port = self.ports.get(row.platform)
        try:
            async with self._limit:
                if port is None:
                    raise DeliveryError(f"no adapter for platform {row.platform}", permanent=True)
                ref = await self._send(port, row, posted)
        except DeliveryError as exc:
            await self._failed(row, exc)
            return 0
        except Exception as exc:  # noqa: BLE001 - unknown errors are retried like 5xx
            log.exception("outbox send crashed (row %s, %s)", row.id, row.op)
            await self._failed(row, DeliveryError(type(exc).__name__))
            return 0
        await self._sent(row, ref, new_card=row.op == "card" and posted is None)
        return 1

    async def _send(self, port: ChatPort, row: Row, posted: Row | None) -> MessageRef | None:
        message = Message.from_json(row.payload)
        target = row.target
        key = f"outbox:{row.id}"
        token = DELIVERY_KEY.set(key)
        try:
            if row.op == "send":
                place = _place(target["place"])
                if target.get("thread_of"):
                    place = self._in_card_thread(place, target["thread_of"], posted)
                return await self._already_sent(port, row, place, key) or await port.send(place, message)
            if row.op == "dm":
                person = Person(**target["person"])
                return await self._already_sent(port, row, person, key) or await port.dm(person, message)
            return await self._send_other(port, row, posted, message, key)
        finally:
            DELIVERY_KEY.reset(token)

    async def _already_sent(self, port: ChatPort, row: Row, target: Place | Person, key: str) -> MessageRef | None:
        """After an unrecorded attempt: the message, if the platform already has it."""
        find = getattr(port, "find_sent", None)
        if row.last_error != UNRECORDED or find is None:
            return None
        try:
            found = await find(target, key, row.created_at)
        except Exception as exc:  # noqa: BLE001 - cannot tell: send again (at least once)
            log.warning("outbox %s to %s: could not look for an earlier attempt (%s); sending again",
                        row.op, row.platform, type(exc).__name__)
            return None
        if found is not None:
            log.info("outbox %s to %s: an earlier attempt had got through; recorded, not sent again", row.op, row.platform)
        return found  # type: ignore[no-any-return]

    async def _send_other(self, port: ChatPort, row: Row, posted: Row | None, message: Message,
                          key: str) -> MessageRef | None:
        target = row.target
        if row.op == "update":
            ref = _ref(target["ref"])
            await port.update(ref, message)
            return ref
        if row.op == "card":
            if posted is not None:
                ref = _ref(posted.ref)
                await port.update(ref, message)
                return ref
            place = _place(target["place"])  # _sent records where it went
            return await self._already_sent(port, row, place, key) or await port.send(place, message)
        raise DeliveryError(f"unknown outbox op {row.op}", permanent=True)

    def _in_card_thread(self, place: Place, card_key: str, posted: Row | None) -> Place:
        """A reply in the thread under a card (the card goes first: it is in the same lane)."""
        if posted is None:
            raise DeliveryError(f"card {card_key} is not posted yet")
        ref = _ref(posted.ref)
        if place.platform == "teams":
            conversation = dict(ref.extra.get("conversation") or place.ref.get("conversation") or {})
            channel = str(conversation.get("conversation", {}).get("id", place.channel)).split(";")[0]
            if conversation and place.kind == "channel":
                conversation["conversation"] = {**conversation.get("conversation", {}), "id": f"{channel};messageid={ref.id}"}
            return Place(place.platform, place.workspace, channel, place.kind, ref.id, {**place.ref, "conversation": conversation})
        return place.in_thread(ref.id)

    def _probe_done(self, platform: str | None) -> None:
        """A probe that never reached the platform (row gone, leased elsewhere): the next may go."""
        for name, outage in self._outages.items():
            if platform in (None, name):
                outage.probing = False

    async def _sent(self, row: Row, ref: MessageRef | None, *, new_card: bool = False) -> None:
        """Mark the row sent (a card posted for the first time is recorded in the same transaction);
        returns once that is committed. Rows sent while another mark is being written wait for it
        and are then marked together, in one transaction: under load the marks cost a few
        statements a round, not two per message. The first success after an outage ends it: the
        rows it held back go in the next round."""
        self._unrecorded.append(_Sent(row, ref, new_card))
        async with self._recording:
            if not self._unrecorded:
                return  # a mark written while we waited had ours in it
            batch, self._unrecorded = self._unrecorded, []
            now = self.clock.now()
            cards = [{"key": s.row.card_key, "platform": s.row.platform, "channel": s.ref.channel[:255],
                      "message_id": s.ref.id[:255], "ref": s.ref.to_json(), "updated_at": now}
                     for s in batch if s.new_card and s.ref is not None]
            async with self.db.session() as session:
                if cards:
                    await session.execute(insert(_CARDS), cards)
                await session.execute(_MARK_SENT, [{"row_id": s.row.id, "sent_at": now,
                                                    "sent_ref": s.ref.to_json() if s.ref else None} for s in batch])
        recovered = [p for p in {s.row.platform for s in batch} if self._outages.pop(p, None) is not None]
        for platform in recovered:
            log.info("outbox: %s accepts messages again; sending what waited", platform)
        if recovered:  # what the outage held back is due (a row that failed keeps its own wait: Retry-After)
            self.wake()

    async def _failed(self, row: Row, exc: DeliveryError) -> None:
        now = self.clock.now()
        attempts = row.attempts
        give_up = exc.permanent or now - row.created_at > GIVE_UP_AFTER
        wait = exc.retry_after if exc.retry_after is not None else backoff(attempts)
        if exc.outage and not give_up:
            wait = self._outage(row.platform, now, exc)
        else:
            self._probe_done(row.platform)
        log.warning(
            "outbox %s to %s failed (attempt %d): %s%s",
            row.op, row.platform, attempts, exc.reason, "; giving up" if give_up else f"; retry in {wait:.0f}s",
        )
        values: dict[str, Any] = {"last_error": exc.reason[:200], "lease_until": None}
        if give_up:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = now + timedelta(seconds=wait)
        async with self.db.session() as session:
            await session.execute(update(_OUT).where(_OUT.c.id == row.id).values(**values))

    def _outage(self, platform: str, now: datetime, exc: DeliveryError) -> float:
        """The platform failed as a whole: hold back every send to it. Seconds until the next probe."""
        outage = self._outages.get(platform)
        if outage is None:
            outage = self._outages[platform] = _Outage(until=now)
            log.warning("outbox: %s is failing as a whole (%s); holding back its messages", platform, exc.reason)
        elif outage.probing:  # the probe failed: wait longer (sends that were under way count once)
            outage.failures += 1
        outage.rate_limited = exc.retry_after is not None
        wait = exc.retry_after if exc.retry_after is not None else min(
            MAX_OUTAGE_WAIT_SECONDS, 2.0 ** (outage.failures - 1))
        outage.until = max(outage.until, now + timedelta(seconds=wait))
        outage.probing = False
        return wait
