"""Database tables (SQLModel). Times are aware UTC; schema changes go through Alembic."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class InboxEvent(SQLModel, table=True):
    """Every accepted platform event, stored before it is acknowledged; key dedupes retries."""

    __tablename__ = "inbox_event"
    __table_args__ = (
        UniqueConstraint("platform", "key", name="uq_inbox_platform_key"),
        Index("ix_inbox_status", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    key: str = Field(max_length=255)
    kind: str = Field(max_length=16)
    payload: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    lease_until: datetime | None = None
    received_at: datetime
    done_at: datetime | None = None
    error: str | None = Field(default=None, max_length=200)


class OutboxMessage(SQLModel, table=True):
    """A message to send, recorded in the same transaction as the change that caused it.

    op: send (to a place) | dm (to a person) | card (post once under card_key, then update) |
    update (a known MessageRef). Messages in one lane are delivered in order.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_pending", "status", "lane", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime
    platform: str = Field(max_length=16)
    op: str = Field(max_length=16)
    lane: str = Field(max_length=255)
    target: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    card_key: str | None = Field(default=None, max_length=128)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=200)
    ref: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class PostedCard(SQLModel, table=True):
    """A card the bot keeps up to date (e.g. a ticket card): where it was posted, so that it can
    be updated, and so that a reply in its thread can be traced back to it."""

    __tablename__ = "posted_card"
    __table_args__ = (Index("ix_posted_card_message", "platform", "channel", "message_id"),)

    key: str = Field(primary_key=True, max_length=128)
    platform: str = Field(max_length=16)
    channel: str = Field(default="", max_length=255)
    message_id: str = Field(default="", max_length=255)
    ref: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime


class UserRecord(SQLModel, table=True):
    """A person the bot has talked with, and how to reach them again by DM."""

    __tablename__ = "chat_user"
    __table_args__ = (UniqueConstraint("platform", "workspace", "user_id", name="uq_user_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    user_id: str = Field(max_length=128)
    name: str = Field(default="", max_length=200)
    dm_ref: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    first_seen: datetime
    last_seen: datetime


class Question(SQLModel, table=True):
    """Each question asked and what the bot did with it: the source of digests and gap reports."""

    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("platform", "event_key", name="uq_question_event"),
        Index("ix_question_asked_at", "asked_at"),
        Index("ix_question_user", "platform", "workspace", "user_id"),
        Index("ix_question_digest", "asked_at", "outcome", "workspace", "article_id", "feedback"),
    )

    id: int | None = Field(default=None, primary_key=True)
    asked_at: datetime
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    user_id: str | None = Field(default=None, max_length=128)
    place_kind: str = Field(max_length=16)
    event_key: str = Field(max_length=255)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    lang: str = Field(default="nb", max_length=4)
    outcome: str = Field(max_length=16)
    article_id: str | None = Field(default=None, max_length=128)
    confidence: float = 0.0
    suggestions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    smalltalk: str | None = Field(default=None, max_length=32)
    feedback: str | None = Field(default=None, max_length=8)


SLA_CHECK_NOW = datetime(2000, 1, 1, tzinfo=timezone.utc)
"""A ticket's sla_check_at that is always due: the sweep plans the ticket on its next run."""


class Ticket(SQLModel, table=True):
    """A question handed to the advisers. number = 1000 + id: short, human, unique."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("question_id", name="uq_ticket_question"),
        Index("ix_ticket_status_deadline", "status", "deadline_at"),
        Index("ix_ticket_asker", "platform", "workspace", "asker_user_id"),
        Index("ix_ticket_sla_check", "status", "sla_check_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="open", max_length=16)  # open|claimed|answered|resolved|withdrawn
    created_at: datetime
    updated_at: datetime
    platform: str = Field(max_length=16)
    workspace: str = Field(max_length=64)
    asker_user_id: str | None = Field(default=None, max_length=128)
    asker_name: str = Field(default="", max_length=200)
    asker_place: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    lang: str = Field(default="nb", max_length=4)
    question_id: int | None = Field(default=None, foreign_key="question.id")
    question_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    unhelpful_article_id: str | None = Field(default=None, max_length=128)
    near_misses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    topic: str | None = Field(default=None, max_length=64)
    route: str = Field(default="default", max_length=64)
    origin: str = Field(default="escalate", max_length=16)  # escalate | request (the asker asked for an adviser)
    assignee_key: str | None = Field(default=None, max_length=255)
    assignee_name: str = Field(default="", max_length=200)
    deadline_at: datetime
    first_answer_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    breached_at: datetime | None = None
    paused_at: datetime | None = None
    paused_seconds: float = 0.0
    # When the SLA sweep (handlers/sla) should look at this ticket next: the due time of its next
    # reminder or breach (open_ticket sets it; the default SLA_CHECK_NOW is "look at once"); NULL: nothing left to do.
    sla_check_at: datetime | None = Field(default=SLA_CHECK_NOW)

    @property
    def number(self) -> int:
        return 1000 + (self.id or 0)


class TicketEvent(SQLModel, table=True):
    """The audit trail: every state change of a ticket (who, what, when)."""

    __tablename__ = "ticket_event"
    __table_args__ = (Index("ix_ticket_event_ticket", "ticket_id", "id"), Index("ix_ticket_event_at", "at"))

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    at: datetime
    kind: str = Field(max_length=32)
    actor_key: str | None = Field(default=None, max_length=255)
    actor_name: str = Field(default="", max_length=200)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TicketMessage(SQLModel, table=True):
    """What the asker and the advisers wrote on a ticket (answers, follow-ups, details)."""

    __tablename__ = "ticket_message"
    __table_args__ = (Index("ix_ticket_message_ticket", "ticket_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    at: datetime
    role: str = Field(max_length=16)  # asker | adviser
    author_key: str | None = Field(default=None, max_length=255)
    author_name: str = Field(default="", max_length=200)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class PendingInput(SQLModel, table=True):
    """The asker pressed "Legg til detaljer": their next message belongs to this ticket."""

    __tablename__ = "pending_input"

    person_key: str = Field(primary_key=True, max_length=255)
    ticket_id: int = Field(foreign_key="ticket.id")
    kind: str = Field(max_length=32)
    expires_at: datetime


class ConversationRef(SQLModel, table=True):
    """How to reach a channel again (Teams needs a conversation reference to post proactively)."""

    __tablename__ = "conversation_ref"

    platform: str = Field(primary_key=True, max_length=16)
    channel: str = Field(primary_key=True, max_length=255)
    ref: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime


class SlaNotice(SQLModel, table=True):
    """A reminder or a breach escalation, recorded once per (ticket, kind) before it is sent."""

    __tablename__ = "sla_notice"
    __table_args__ = (UniqueConstraint("ticket_id", "kind", name="uq_sla_notice"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    kind: str = Field(max_length=32)  # e.g. remind:24h, remind:8h, remind:2h, breach
    due_at: datetime
    created_at: datetime
    status: str = Field(default="sent", max_length=16)  # sent | skipped (superseded after downtime)


class DigestRun(SQLModel, table=True):
    """A digest period sent to one recipient: the unique key makes it go out once."""

    __tablename__ = "digest_run"

    key: str = Field(primary_key=True, max_length=255)
    period_start: datetime
    period_end: datetime
    created_at: datetime


class PrivacyAudit(SQLModel, table=True):
    """Every privacy action: a user's data viewed, exported or deleted, and each retention purge.
    counts: how many rows each step touched. Never message text."""

    __tablename__ = "privacy_audit"
    __table_args__ = (Index("ix_privacy_audit_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    action: str = Field(max_length=16)  # view | export | delete | purge
    actor: str = Field(max_length=255)  # a person key, "cli:<os user>" or "scheduler"
    subject: str | None = Field(default=None, max_length=255)  # whose data (None for a purge)
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class RateCount(SQLModel, table=True):
    """Questions per person in the current minute (the rate limit; shared by every instance)."""

    __tablename__ = "rate_count"

    person_key: str = Field(primary_key=True, max_length=255)
    window_start: datetime
    count: int = 0
