"""Database tables (SQLModel). Times are aware UTC; schema changes go through Alembic."""

from __future__ import annotations

from datetime import datetime
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
    """A card the bot keeps up to date (e.g. a ticket card): where it was posted."""

    __tablename__ = "posted_card"

    key: str = Field(primary_key=True, max_length=128)
    platform: str = Field(max_length=16)
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
