"""Remembers who talked to the bot and how to reach them again by DM (middleware)."""

from __future__ import annotations

from sqlalchemy import TextClause, bindparam, select, text

from bot.core.context import Context
from bot.core.database import Database
from bot.core.model import Person
from bot.core.tables import ConversationRef, UserRecord

from .router import Handler


def _upsert(with_dm: bool) -> TextClause:
    """One statement per event, the same on SQLite (3.35+) and PostgreSQL: the person is added or
    their last_seen (and name, and DM reference when this is their personal chat) brought up to date."""
    columns = _USER.c
    return text(
        "INSERT INTO chat_user (platform, workspace, user_id, name, dm_ref, first_seen, last_seen) "
        f"VALUES (:platform, :workspace, :user_id, :name, {':dm_ref' if with_dm else 'NULL'}, :now, :now) "
        "ON CONFLICT (platform, workspace, user_id) DO UPDATE SET last_seen = excluded.last_seen, "
        "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE chat_user.name END"
        + (", dm_ref = excluded.dm_ref" if with_dm else "")
    ).bindparams(
        bindparam("now", type_=columns.last_seen.type),
        *([bindparam("dm_ref", type_=columns.dm_ref.type)] if with_dm else []),
    )


_USER = UserRecord.__table__  # type: ignore[attr-defined]
REMEMBER = {True: _upsert(True), False: _upsert(False)}


async def remember_person(ctx: Context, call_next: Handler) -> None:
    person, place = ctx.event.person, ctx.event.place
    if person.user_id:
        dm_ref = place.ref.get("conversation") if place.kind == "dm" else None
        values = {"platform": person.platform, "workspace": person.workspace, "user_id": person.user_id,
                  "name": (person.name or "")[:200], "now": ctx.now()}
        if dm_ref:
            values["dm_ref"] = dm_ref
        await ctx.session.execute(REMEMBER[bool(dm_ref)], values)
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
