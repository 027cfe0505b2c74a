"""Tickets in the database: creation, guarded state changes and the audit trail.

Every change is a compare-and-set UPDATE on the expected status, so two advisers clicking
"Ta saken" at the same moment, a double click or a retried event can change a ticket once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.context import Context
from bot.core.model import Person
from bot.core.tables import PendingInput, PostedCard, Question, Ticket, TicketEvent, TicketMessage

OPEN_STATES = ("open", "claimed", "answered")
CLOSED_STATES = ("resolved", "withdrawn")


MAX_ID = 2**31 - 1  # the range of an id column on PostgreSQL


def row_id(text: str) -> int | None:
    """A row id from untrusted text (a button value): plain ASCII digits within the column's range."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def ticket_id_from_number(text: str) -> int | None:
    number = row_id(text.strip().lstrip("#"))
    return number - 1000 if number is not None and number > 1000 else None


async def get(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id, populate_existing=True)


async def for_question(session: AsyncSession, question_id: int) -> Ticket | None:
    return (await session.execute(select(Ticket).where(Ticket.question_id == question_id))).scalar_one_or_none()


async def audit(ctx: Context, ticket: Ticket, kind: str, actor: Person | None, **data: Any) -> None:
    ctx.session.add(
        TicketEvent(
            ticket_id=ticket.id or 0, at=ctx.now(), kind=kind,
            actor_key=actor.key if actor else None, actor_name=(actor.name if actor else "")[:200], data=data,
        )
    )


async def history(session: AsyncSession, ticket_id: int, limit: int = 4) -> list[TicketEvent]:
    rows = await session.execute(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id.desc()).limit(limit)  # type: ignore[union-attr]
    )
    return list(reversed(rows.scalars().all()))


async def add_message(ctx: Context, ticket: Ticket, role: str, author: Person, text: str) -> TicketMessage:
    message = TicketMessage(ticket_id=ticket.id or 0, at=ctx.now(), role=role, author_key=author.key,
                            author_name=author.name[:200], text=text)
    ctx.session.add(message)
    await ctx.session.flush()
    return message


async def transition(ctx: Context, ticket: Ticket, expected: tuple[str, ...], **values: Any) -> bool:
    """Change the ticket only if it is still in one of the expected states (compare-and-set)."""
    values.setdefault("updated_at", ctx.now())
    result = await ctx.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status.in_(expected)).values(**values)  # type: ignore[attr-defined]
    )
    if result.rowcount != 1:
        await ctx.session.refresh(ticket)
        return False
    await ctx.session.refresh(ticket)
    return True


async def open_tickets_of(session: AsyncSession, person: Person) -> list[Ticket]:
    rows = await session.execute(
        select(Ticket)
        .where(Ticket.platform == person.platform, Ticket.workspace == person.workspace,
               Ticket.asker_user_id == person.user_id)
        .order_by(Ticket.id.desc())
        .limit(20)
    )
    return list(rows.scalars())


async def ticket_of_card_message(session: AsyncSession, platform: str, channel: str, message_id: str) -> tuple[Ticket, str] | None:
    """The ticket whose card (advisers' or asker's) is the message a thread hangs under."""
    row = (
        await session.execute(
            select(PostedCard.key).where(PostedCard.platform == platform, PostedCard.channel == channel,
                                         PostedCard.message_id == message_id)
        )
    ).scalar_one_or_none()
    if not row or not row.startswith("ticket:"):
        return None
    _, ticket_id, side = row.split(":", 2)
    ticket = await get(session, int(ticket_id))
    return (ticket, side.split(":")[0]) if ticket else None


async def take_pending_input(ctx: Context) -> Any | None:
    """The input this person was asked for (ticket_id, kind), if it has not expired; taken either
    way. One statement, run for every message: usually it finds nothing."""
    row = (await ctx.session.execute(_TAKE_PENDING, {"key": ctx.event.person.key})).first()
    return row if row is not None and row.expires_at >= ctx.now() else None


_PENDING = PendingInput.__table__  # type: ignore[attr-defined]
_TAKE_PENDING = (
    delete(_PENDING).where(_PENDING.c.person_key == bindparam("key"))
    .returning(_PENDING.c.ticket_id, _PENDING.c.kind, _PENDING.c.expires_at)
)


async def question_of(session: AsyncSession, ticket: Ticket) -> Question | None:
    return await session.get(Question, ticket.question_id) if ticket.question_id else None
