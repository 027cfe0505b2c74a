"""Remembers who talked to the bot and how to reach them again by DM (middleware)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.context import Context
from bot.core.database import Database
from bot.core.model import Person
from bot.core.tables import ConversationRef, UserRecord

from .router import Handler


async def remember_person(ctx: Context, call_next: Handler) -> None:
    person, place = ctx.event.person, ctx.event.place
    if person.user_id:
        record = (
            await ctx.session.execute(
                select(UserRecord).where(
                    UserRecord.platform == person.platform,
                    UserRecord.workspace == person.workspace,
                    UserRecord.user_id == person.user_id,
                )
            )
        ).scalar_one_or_none()
        now = ctx.now()
        if record is None:
            record = UserRecord(platform=person.platform, workspace=person.workspace, user_id=person.user_id,
                                first_seen=now, last_seen=now)
            ctx.session.add(record)
        record.last_seen = now
        if person.name:
            record.name = person.name[:200]
        if place.kind == "dm" and place.ref.get("conversation"):
            record.dm_ref = place.ref["conversation"]
    if place.kind == "channel" and place.ref.get("conversation"):
        await remember_channel(ctx, place.channel.split(";")[0], place.ref["conversation"])
    await call_next(ctx)


async def remember_channel(ctx: Context, channel: str, reference: dict) -> None:  # type: ignore[type-arg]
    """Keep how to reach a channel, so the bot can post there later (Teams advisers' channel)."""
    reference = dict(reference)
    conversation = dict(reference.get("conversation") or {})
    conversation["id"] = channel
    reference["conversation"] = conversation
    reference.pop("activityId", None)
    row = await ctx.session.get(ConversationRef, (ctx.event.platform, channel))
    if row is None:
        ctx.session.add(ConversationRef(platform=ctx.event.platform, channel=channel, ref=reference, updated_at=ctx.now()))
    else:
        row.ref = reference
        row.updated_at = ctx.now()


async def channel_reference(db: Database, platform: str, channel: str) -> dict | None:  # type: ignore[type-arg]
    async with db.session() as session:
        row = await session.get(ConversationRef, (platform, channel.split(";")[0]))
    return dict(row.ref) if row else None


async def dm_reference(db: Database, person: Person) -> dict | None:  # type: ignore[type-arg]
    """The stored personal-chat reference for a person (Teams needs one to DM)."""
    async with db.session() as session:
        record = (
            await session.execute(
                select(UserRecord.dm_ref).where(
                    UserRecord.platform == person.platform,
                    UserRecord.workspace == person.workspace,
                    UserRecord.user_id == person.user_id,
                )
            )
        ).scalar_one_or_none()
    return record
