"""Remembers who talked to the bot and how to reach them again by DM (middleware)."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.context import Context
from bot.core.tables import UserRecord

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
    await call_next(ctx)


async def dm_reference(db, person) -> dict | None:  # type: ignore[no-untyped-def]
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
