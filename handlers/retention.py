"""What the bot keeps about people, and for how long: retention, export and erasure.

- purge(): questions and closed tickets older than RETENTION_DAYS lose the asker's identity
  and every free text; the numbers (times, outcomes, articles, routes, topics) stay for the
  statistics. Handled inbox events and delivered outbox messages (which carry the text of
  what was said) go after DELIVERY_RETENTION_DAYS; expired pending inputs and old rate
  counters at once; people not seen for RETENTION_DAYS are forgotten.
- export_person(): everything stored about one user, as JSON-ready data.
- forget_person(): erasure on request. Open tickets are withdrawn (the advisers are told, and
  their card loses the text), then identity and text are removed like a purge does.

Every call is recorded in privacy_audit: who, what, when and how many rows; never text.
Messages already shown in Slack or Teams stay there under the workspace's own retention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import SYSTEM, Context, lane_of
from bot.core.model import Person, Place
from bot.core.tables import (
    InboxEvent, OutboxMessage, PendingInput, PostedCard, PrivacyAudit, Question, RateCount, Ticket,
    TicketEvent, TicketMessage, UserRecord,
)

CLOSED_STATES = ("resolved", "withdrawn")  # as in handlers.tickets.store
OPEN_STATES = ("open", "claimed", "answered")
RATE_COUNT_HOURS = 1


@dataclass(frozen=True)
class Subject:
    """Whose data: a user id, optionally narrowed to one platform and workspace."""

    user_id: str
    platform: str | None = None
    workspace: str | None = None

    @classmethod
    def of(cls, person: Person) -> "Subject":
        return cls(person.user_id, person.platform, person.workspace)

    def label(self) -> str:
        platform = "*" if self.platform is None else self.platform
        workspace = "*" if self.workspace is None else self.workspace
        return f"{platform}:{workspace}:{self.user_id}"


async def audit(session: AsyncSession, now: datetime, action: str, actor: str, subject: str | None,
                counts: dict[str, Any]) -> None:
    session.add(PrivacyAudit(at=now, action=action, actor=actor[:255], subject=subject[:255] if subject else None,
                             counts=counts))


def _narrow(columns: tuple[Any, Any, Any], subject: Subject) -> list[Any]:
    platform, workspace, user_id = columns
    where = [user_id == subject.user_id]
    if subject.platform is not None:
        where.append(platform == subject.platform)
    if subject.workspace is not None:
        where.append(workspace == subject.workspace)
    return where


async def identities(session: AsyncSession, subject: Subject) -> list[Person]:
    """Every (platform, workspace) under which this user id left data."""
    found: set[tuple[str, str]] = set()
    for cols in (
        (UserRecord.platform, UserRecord.workspace, UserRecord.user_id),
        (Question.platform, Question.workspace, Question.user_id),
        (Ticket.platform, Ticket.workspace, Ticket.asker_user_id),
    ):
        rows = await session.execute(select(cols[0], cols[1]).where(*_narrow(cols, subject)).distinct())
        found.update((p, w) for p, w in rows)
    return [Person(p, w, subject.user_id) for p, w in sorted(found)]


def _questions_of(person: Person) -> list[Any]:
    return [Question.platform == person.platform, Question.workspace == person.workspace,
            Question.user_id == person.user_id]


def _tickets_of(person: Person) -> list[Any]:
    return [Ticket.platform == person.platform, Ticket.workspace == person.workspace,
            Ticket.asker_user_id == person.user_id]


async def counts_for(session: AsyncSession, person: Person) -> tuple[int, list[int]]:
    """(number of questions, ticket numbers) stored for one person."""
    questions = (await session.execute(select(func.count()).select_from(Question).where(*_questions_of(person)))).scalar_one()
    ids = (await session.execute(select(Ticket.id).where(*_tickets_of(person)).order_by(Ticket.id))).scalars()
    return int(questions), [1000 + i for i in ids]


async def oldest_question(session: AsyncSession, person: Person) -> datetime | None:
    return (await session.execute(select(func.min(Question.asked_at)).where(*_questions_of(person)))).scalar_one()


# ------------------------------------------------------------------ anonymising

async def _anonymise_tickets(session: AsyncSession, tickets: list[Ticket]) -> int:
    """Remove the asker's identity and every free text from these tickets; keep the numbers."""
    if not tickets:
        return 0
    ids = [t.id for t in tickets if t.id is not None]
    for ticket in tickets:
        if ticket.asker_user_id:
            asker_key = f"{ticket.platform}:{ticket.workspace}:{ticket.asker_user_id}"
            await session.execute(
                update(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.actor_key == asker_key)
                .values(actor_key=None, actor_name="")
            )
    await session.execute(
        update(Ticket).where(Ticket.id.in_(ids))  # type: ignore[union-attr]
        .values(asker_user_id=None, asker_name="", asker_place=null(), question_text=None)
    )
    await session.execute(
        update(TicketMessage).where(TicketMessage.ticket_id.in_(ids), TicketMessage.role == "asker")  # type: ignore[attr-defined]
        .values(author_key=None, author_name="")
    )
    await session.execute(update(TicketMessage).where(TicketMessage.ticket_id.in_(ids)).values(text=None))  # type: ignore[attr-defined]
    await session.execute(delete(PendingInput).where(PendingInput.ticket_id.in_(ids)))  # type: ignore[attr-defined]
    # The asker's side of the cards: where they were posted (a DM; a Teams reference names the person)
    for ticket_id in ids:
        await session.execute(delete(PostedCard).where(or_(
            PostedCard.key == f"ticket:{ticket_id}:asker",
            PostedCard.key.like(f"ticket:{ticket_id}:answer:%"),  # type: ignore[attr-defined]
        )))
    return len(ids)


async def purge(session: AsyncSession, now: datetime, *, retention_days: int, delivery_days: int,
                actor: str = "scheduler", batch: int = 500) -> dict[str, int]:
    """Anonymise and drop what is past its time. Idempotent: safe to run on several instances."""
    cutoff = now - timedelta(days=retention_days)
    transport_cutoff = now - timedelta(days=delivery_days)
    counts: dict[str, int] = {}

    result = await session.execute(
        update(Question)
        .where(Question.asked_at < cutoff, or_(Question.user_id.is_not(None), Question.text.is_not(None)))  # type: ignore[union-attr]
        .values(user_id=None, text=None)
    )
    counts["questions"] = result.rowcount or 0

    closed_at = func.coalesce(Ticket.closed_at, Ticket.resolved_at, Ticket.updated_at)
    anonymised = 0
    while True:
        tickets = list((await session.execute(
            select(Ticket)
            .where(Ticket.status.in_(CLOSED_STATES), closed_at < cutoff,  # type: ignore[attr-defined]
                   or_(Ticket.asker_user_id.is_not(None), Ticket.question_text.is_not(None)))  # type: ignore[union-attr]
            .order_by(Ticket.id).limit(batch)
        )).scalars())
        anonymised += await _anonymise_tickets(session, tickets)
        if len(tickets) < batch:
            break
    counts["tickets"] = anonymised

    counts["users"] = (await session.execute(delete(UserRecord).where(UserRecord.last_seen < cutoff))).rowcount or 0
    counts["outbox"] = (await session.execute(
        delete(OutboxMessage).where(OutboxMessage.status.in_(("sent", "failed")),  # type: ignore[attr-defined]
                                    func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < transport_cutoff)
    )).rowcount or 0
    # "install" rows stay: their key is what makes the welcome go out once per person.
    counts["inbox"] = (await session.execute(
        delete(InboxEvent).where(InboxEvent.status.in_(("done", "failed")), InboxEvent.kind != "install",  # type: ignore[attr-defined]
                                 func.coalesce(InboxEvent.done_at, InboxEvent.received_at) < transport_cutoff)
    )).rowcount or 0
    counts["pending_inputs"] = (await session.execute(
        delete(PendingInput).where(PendingInput.expires_at < now))).rowcount or 0
    counts["rate_counts"] = (await session.execute(
        delete(RateCount).where(RateCount.window_start < now - timedelta(hours=RATE_COUNT_HOURS)))).rowcount or 0
    if actor != "scheduler" or any(counts.values()):
        await audit(session, now, "purge", actor, None, counts)
    return counts


# ------------------------------------------------------------------ one person's data

def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export_person(session: AsyncSession, subject: Subject, *, now: datetime, actor: str) -> dict[str, Any]:
    """Everything stored about the user, JSON-ready; the export itself is audited."""
    people: list[dict[str, Any]] = []
    for person in await identities(session, subject):
        record = (await session.execute(
            select(UserRecord).where(UserRecord.platform == person.platform, UserRecord.workspace == person.workspace,
                                     UserRecord.user_id == person.user_id))).scalar_one_or_none()
        questions = (await session.execute(select(Question).where(*_questions_of(person)).order_by(Question.id))).scalars()
        tickets = list((await session.execute(select(Ticket).where(*_tickets_of(person)).order_by(Ticket.id))).scalars())
        ticket_data = []
        for ticket in tickets:
            messages = (await session.execute(
                select(TicketMessage).where(TicketMessage.ticket_id == ticket.id).order_by(TicketMessage.id))).scalars()
            events = (await session.execute(
                select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id))).scalars()
            ticket_data.append({
                "number": ticket.number, "status": ticket.status, "created_at": _iso(ticket.created_at),
                "deadline_at": _iso(ticket.deadline_at), "first_answer_at": _iso(ticket.first_answer_at),
                "resolved_at": _iso(ticket.resolved_at), "closed_at": _iso(ticket.closed_at),
                "question": ticket.question_text, "topic": ticket.topic, "assignee": ticket.assignee_name or None,
                "messages": [{"at": _iso(m.at), "role": m.role, "author": m.author_name or None, "text": m.text}
                             for m in messages],
                "events": [{"at": _iso(e.at), "kind": e.kind, "actor": e.actor_name or None} for e in events],
            })
        own = {t.id for t in tickets}
        written = [
            {"ticket": 1000 + m.ticket_id, "at": _iso(m.at), "role": m.role, "text": m.text}
            for m in (await session.execute(
                select(TicketMessage).where(TicketMessage.author_key == person.key).order_by(TicketMessage.id))).scalars()
            if m.ticket_id not in own
        ]
        people.append({
            "platform": person.platform, "workspace": person.workspace, "user_id": person.user_id,
            "name": (record.name if record else "") or next((t.asker_name for t in tickets if t.asker_name), None),
            "first_seen": _iso(record.first_seen) if record else None,
            "last_seen": _iso(record.last_seen) if record else None,
            "questions": [{"asked_at": _iso(q.asked_at), "text": q.text, "outcome": q.outcome,
                           "article": q.article_id, "feedback": q.feedback} for q in questions],
            "tickets": ticket_data,
            "messages_on_other_tickets": written,
        })
    await audit(session, now, "export", actor, subject.label(), {
        "identities": len(people),
        "questions": sum(len(p["questions"]) for p in people),
        "tickets": sum(len(p["tickets"]) for p in people),
    })
    return {"exported_at": _iso(now), "subject": {"user_id": subject.user_id, "platform": subject.platform,
                                                  "workspace": subject.workspace}, "people": people}


async def forget_person(ctx: Context, subject: Subject, *, actor: str) -> dict[str, int]:
    """Erase a user on request (chat or CLI). Runs in ctx's transaction; cards are re-rendered
    through ctx.out, so the advisers' channel loses the text too."""
    from handlers.cards import text_message
    from handlers.tickets import store
    from handlers.tickets.routing import adviser_place
    from handlers.tickets.service import refresh_cards
    from handlers.tickets.views import adviser_card_key

    session, now = ctx.session, ctx.now()
    counts = {"questions": 0, "tickets": 0, "withdrawn": 0, "users": 0, "outbox": 0}
    for person in await identities(session, subject):
        tickets = list((await session.execute(select(Ticket).where(*_tickets_of(person)).order_by(Ticket.id))).scalars())
        lanes = {f"dm:{person.key}"}
        for ticket in tickets:
            lanes.update(f"card:ticket:{ticket.id}:{side}" for side in ("asker", "advisers"))
            if ticket.asker_place:
                lanes.add(lane_of(Place(**ticket.asker_place)))
            if ticket.status in OPEN_STATES and await store.transition(
                ctx, ticket, OPEN_STATES, status="withdrawn", closed_at=now
            ):
                counts["withdrawn"] += 1
                await store.audit(ctx, ticket, "withdrawn", SYSTEM, reason="privacy")
                ctx.out.in_card_thread(adviser_card_key(ticket), adviser_place(ctx.settings, ticket.route, ticket.platform),
                                       text_message(ctx, "privacy.adviser_withdrawn", number=ticket.number))
        counts["tickets"] += await _anonymise_tickets(session, tickets)
        for ticket in tickets:
            await session.refresh(ticket)
            await refresh_cards(ctx, ticket, asker=False)
        result = await session.execute(update(Question).where(*_questions_of(person)).values(user_id=None, text=None))
        # the person's own chat with the bot: known from Teams' stored reference, or from this event
        dm_ref = (await session.execute(select(UserRecord.dm_ref).where(
            UserRecord.platform == person.platform, UserRecord.workspace == person.workspace,
            UserRecord.user_id == person.user_id))).scalar_one_or_none()
        if isinstance(dm_ref, dict) and (dm_channel := (dm_ref.get("conversation") or {}).get("id")):
            lanes.add(lane_of(Place(person.platform, person.workspace, str(dm_channel), "dm")))
        here = ctx.event.place
        if ctx.event.person.key == person.key and here.kind == "dm":
            lanes.add(lane_of(Place(here.platform, here.workspace, here.channel, "dm")))
        counts["questions"] += result.rowcount or 0
        counts["users"] += (await session.execute(delete(UserRecord).where(
            UserRecord.platform == person.platform, UserRecord.workspace == person.workspace,
            UserRecord.user_id == person.user_id))).rowcount or 0
        await session.execute(delete(PendingInput).where(PendingInput.person_key == person.key))
        # handled events whose dedupe key names the person (Slack clicks, the welcome)
        await session.execute(delete(InboxEvent).where(
            InboxEvent.platform == person.platform, InboxEvent.status.in_(("done", "failed")),  # type: ignore[attr-defined]
            InboxEvent.key.endswith(f":{person.user_id}", autoescape=True)))  # type: ignore[attr-defined]
        await session.execute(delete(RateCount).where(RateCount.person_key == person.key))
        ticket_answer_lanes = [OutboxMessage.lane.like(f"card:ticket:{t.id}:answer:%") for t in tickets]  # type: ignore[attr-defined]
        counts["outbox"] += (await session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(("sent", "failed")),  # type: ignore[attr-defined]
                or_(OutboxMessage.lane.in_(sorted(lanes)), *ticket_answer_lanes),  # type: ignore[attr-defined]
            )
        )).rowcount or 0
    await audit(session, now, "delete", actor, subject.label(), counts)
    return counts
