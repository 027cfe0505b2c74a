"""The SLA sweep: finds the tickets whose next reminder or breach is due, records each notice once
and hands it to the outbox.

Finding due work is one index range scan, however many tickets are open: every ticket carries
sla_check_at, the due time of its next notice (index ix_ticket_sla_check on status,
sla_check_at). A new ticket is opened with the due time of its first notice (sla.first_check);
after each notice the ticket's sla_check_at moves to the next one, or to NULL when nothing is left
(breach, pause; a resumed ticket starts at SLA_CHECK_NOW and is planned by the next sweep).
Answered and closed tickets leave the scanned range by their status. Only due tickets are loaded, in
batches of BATCH rows, so memory stays flat as tickets grow; grouped reminders keep a burst (10,000
due in one minute) to a few hundred platform calls. On PostgreSQL the batch is locked with FOR
UPDATE SKIP LOCKED: several `kulturbot serve` processes share the due work instead of queueing
behind each other.

Exactly once. Each notice is a row in sla_notice, unique on (ticket_id, kind), inserted with
ON CONFLICT DO NOTHING in the same transaction as the outbox rows that send it. Only the process
whose insert created the row records the messages; a second process, a retried sweep or a
restart finds the row and sends nothing. After downtime the due notices of a ticket are all
recorded, but only the most urgent is sent; the older ones are recorded as "skipped".

Which side of the record/send race: record first. The notice and its outbox rows commit
together, and the outbox delivers them afterwards, retrying 429 (Retry-After), 5xx and timeouts
with backoff. A crash (even SIGKILL) after the commit loses nothing: the rows are pending and the
next deliverer (this process after a restart, or another instance) sends them once their lease
runs out. A crash before the commit rolls back notice and messages together: the next sweep
finds the ticket still due and does it then. The one window left is the outbox's own: when the
platform has accepted a message but the process dies before marking the row sent, that message
is sent again after WORKER_LEASE_SECONDS. We chose this side because a missed reminder or a
silent breach breaks the promise, while a rare repeated reminder does not; "send, then record"
would turn the same crash into a lost escalation.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import Context, Services, lane_of, system_context
from bot.core.model import Person, Place
from bot.core.tables import Ticket, TicketEvent, UserRecord
from handlers.tickets.routing import adviser_place
from handlers.tickets.service import known_advisers, person_from_key
from handlers.tickets.views import adviser_card, adviser_card_key

from . import notices
from .calendar import SlaCalendar, calendar_for
from .plan import BREACH, WAITING, Decision, Notice, decide
from .record import record_notices

log = logging.getLogger("kulturbot.sla")

BATCH = 500
HISTORY_LINES = 4
GROUP_AT = 4  # this many reminders for one channel or adviser in one batch: one message
GROUP_SIZE = 20  # lines per grouped message at most


@dataclass
class SweepReport:
    looked_at: int = 0
    sent: Counter[str] = field(default_factory=Counter)  # notice kind → sent
    skipped: int = 0
    batches: int = 0

    @property
    def total_sent(self) -> int:
        return sum(self.sent.values())


async def sweep(services: Services, *, batch: int = BATCH, max_batches: int = 1000) -> SweepReport:
    """Record and hand to the outbox every notice due now. Safe to run anywhere, any time, as
    often as wanted, in several processes at once."""
    report = SweepReport()
    for _ in range(max_batches):
        async with services.db.session() as session:
            found = await _sweep_batch(services, session, report, batch)
        report.batches += 1
        if found < batch:
            break
    if report.total_sent or report.skipped:
        log.info("sla sweep: %s sent, %d skipped (%d tickets looked at)",
                 dict(report.sent), report.skipped, report.looked_at)
    return report


def due_query(now: datetime, limit: int):  # type: ignore[no-untyped-def]
    """The due work: one range scan of ix_ticket_sla_check per waiting status."""
    return (
        select(Ticket)
        .where(Ticket.status.in_(WAITING), Ticket.sla_check_at <= now)  # type: ignore[attr-defined,operator]
        .order_by(Ticket.sla_check_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


async def _sweep_batch(services: Services, session: AsyncSession, report: SweepReport, batch: int) -> int:
    settings = services.settings
    calendar = calendar_for(settings)
    ctx = system_context(services, session)
    now = ctx.now()
    tickets = list((await session.execute(due_query(now, batch))).scalars())
    if not tickets:
        return 0
    report.looked_at += len(tickets)

    rows: list[dict[str, object]] = []
    decisions: dict[int | None, Decision] = {}
    for ticket in tickets:
        decision = decide(ticket, now, settings, calendar)
        ticket.sla_check_at = decision.next_check
        for notice in decision.skip:
            rows.append(_row(ticket, notice, now, "skipped"))
        if decision.send is not None:
            rows.append(_row(ticket, decision.send, now, "sent"))
            decisions[ticket.id] = decision
            if decision.send.kind == BREACH:
                ticket.breached_at = ticket.deadline_at
    inserted = await record_notices(session, services.db.is_sqlite, rows)
    report.skipped += sum(1 for r in rows if r["status"] == "skipped" and (r["ticket_id"], r["kind"]) in inserted)
    due = []
    for ticket in tickets:
        decision = decisions.get(ticket.id)
        if decision is not None and decision.send is not None and (ticket.id, decision.send.kind) in inserted:
            due.append((ticket, decision.send, card_changes(decision)))
    if due:
        await _send(ctx, due, now, calendar)
        report.sent.update(notice.kind for _, notice, _ in due)
    return len(tickets)


def _row(ticket: Ticket, notice: Notice, now: datetime, status: str) -> dict[str, object]:
    return {"ticket_id": ticket.id, "kind": notice.kind, "due_at": notice.due_at, "created_at": now, "status": status}


async def _send(ctx: Context, due: list[tuple[Ticket, Notice, bool]], now: datetime, calendar: SlaCalendar) -> None:
    """Record the messages of the notices this sweep created (outbox rows, same transaction).

    Reminders are recorded first, so that the deliverer (which takes the oldest rows first)
    sends them before the card updates. Several reminders for the same channel or adviser in one
    batch become one message (GROUP_AT or more; GROUP_SIZE lines at most): after downtime or on a
    busy day nobody gets a wall of separate pings, and the platform's per-channel rate limit is
    spent on few messages."""
    settings = ctx.settings
    reminders = [t for t, n, _ in due if n.kind != BREACH]
    dm_unreachable = await _teams_without_dm(ctx.session, reminders)
    by_channel: dict[str, tuple[Place, list[Ticket]]] = {}
    by_adviser: dict[str, tuple[Person, list[Ticket]]] = {}
    for ticket in reminders:
        assignee = person_from_key(ticket.assignee_key or "", ticket.assignee_name)
        if assignee is not None and ticket.assignee_key not in dm_unreachable:
            by_adviser.setdefault(assignee.key, (assignee, []))[1].append(ticket)
        else:
            place = adviser_place(settings, ticket.route, ticket.platform)
            by_channel.setdefault(lane_of(place), (place, []))[1].append(ticket)
    for place, tickets in by_channel.values():
        for group in _groups(tickets):
            ctx.out.send(place, notices.channel_reminder(ctx, group[0], now, calendar) if len(group) == 1
                         else notices.channel_reminders(ctx, group, now, calendar))
    for person, tickets in by_adviser.values():
        for group in _groups(tickets):
            ctx.out.dm(person, notices.dm_reminder(ctx, group[0], now, calendar) if len(group) == 1
                       else notices.dm_reminders(ctx, group, now, calendar))

    breaches = [t for t, n, _ in due if n.kind == BREACH]
    managers = await manager_people(ctx) if breaches else []
    managers_place = settings.managers_place
    told = bool(managers) or managers_place is not None
    for ticket in breaches:
        message = notices.breach_for_managers(ctx, ticket, now)
        for person in managers:
            ctx.out.dm(person, message)
        if managers_place is not None:
            ctx.out.send(Place(managers_place[0], "", managers_place[1], "channel"), message)
        if not told:
            log.warning("ticket %s breached its deadline and no MANAGERS or MANAGERS_CHANNEL is set", ticket.id)

    # The card shows the time left, the warning state and the breach: bring it up to date at each
    # notice (a breach also gets a line in the card's thread; it waits in the card's lane until
    # the card is posted).
    changed = [t for t, _, card_changes in due if card_changes]
    if not changed:
        return
    advisers = await known_advisers(ctx)
    history = await _histories(ctx.session, [t.id or 0 for t in changed])
    for ticket in changed:
        place = adviser_place(settings, ticket.route, ticket.platform)
        ctx.out.card(adviser_card_key(ticket), place, adviser_card(ctx, ticket, history.get(ticket.id or 0, []), advisers))
        if ticket.breached_at is not None:
            ctx.out.in_card_thread(adviser_card_key(ticket), place,
                                   notices.breach_in_thread(ctx, ticket, now, managers_told=told))


def _groups(tickets: list[Ticket]) -> list[list[Ticket]]:
    if len(tickets) < GROUP_AT:
        return [[ticket] for ticket in tickets]
    return [tickets[i:i + GROUP_SIZE] for i in range(0, len(tickets), GROUP_SIZE)]


def card_changes(decision: Decision) -> bool:
    """Does this notice change how the advisers' card looks? Every one does: the card's time
    left is drawn when the card is, so each reminder point brings it up to date (the first one
    inside the warning window also turns it orange), and the breach marks it."""
    return decision.send is not None


async def _histories(session: AsyncSession, ticket_ids: list[int]) -> dict[int, list[TicketEvent]]:
    """The last few audit events of each ticket, for the cards (one query per batch)."""
    found: dict[int, list[TicketEvent]] = defaultdict(list)
    rows = await session.execute(
        select(TicketEvent).where(TicketEvent.ticket_id.in_(ticket_ids)).order_by(TicketEvent.ticket_id, TicketEvent.id)  # type: ignore[attr-defined]
    )
    for event in rows.scalars():
        found[event.ticket_id].append(event)
    return {key: events[-HISTORY_LINES:] for key, events in found.items()}


async def manager_people(ctx: Context) -> list[Person]:
    """MANAGERS as people to DM, with the workspace/tenant the bot has seen them in."""
    wanted = [item.partition(":") for item in sorted(ctx.settings.manager_keys)]
    if not wanted:
        return []
    rows = await ctx.session.execute(
        select(UserRecord.platform, UserRecord.user_id, UserRecord.workspace, UserRecord.name)
        .where(UserRecord.user_id.in_([user for _, _, user in wanted]))  # type: ignore[attr-defined]
    )
    seen = {(platform, user): (workspace, name) for platform, user, workspace, name in rows}
    people = []
    for platform, _, user in wanted:
        workspace, name = seen.get((platform, user), ("", ""))
        people.append(Person(platform, workspace, user, name))
    return people


async def _teams_without_dm(session: AsyncSession, tickets: list[Ticket]) -> set[str]:
    """Teams assignees the bot cannot DM (no personal chat yet): they are reminded in the channel."""
    keys = {t.assignee_key for t in tickets if t.assignee_key and t.assignee_key.startswith("teams:")}
    if not keys:
        return set()
    people = [p for p in (person_from_key(k) for k in keys) if p is not None]
    rows = await session.execute(
        select(UserRecord.workspace, UserRecord.user_id, UserRecord.dm_ref)
        .where(UserRecord.platform == "teams", UserRecord.user_id.in_([p.user_id for p in people]))  # type: ignore[attr-defined]
    )
    reachable = {f"teams:{workspace}:{user}" for workspace, user, dm_ref in rows if dm_ref}
    return keys - reachable
