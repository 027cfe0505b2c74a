"""Per-user rate limit on questions (middleware): RATE_LIMIT_PER_MINUTE, 0 turns it off.

The count lives in the database (rate_count, one row per person, a fixed one-minute window,
bumped with one atomic upsert in the event's own transaction), so every instance sharing a
PostgreSQL database enforces the same limit. Over the limit the person is told once per window,
politely; everything else in that window is dropped quietly: no question is logged, no ticket
opened, so a flood never reaches the advisers' channel.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import bindparam, text

from bot.core.context import Context
from bot.core.tables import RateCount

from .cards import text_message
from .router import Handler
from .tickets.routing import is_adviser_channel

log = logging.getLogger("kulturbot.ratelimit")

# Actions that can open a ticket count like a question.
COUNTED_ACTIONS = {"ask_adviser"}


def counted(ctx: Context) -> bool:
    event = ctx.event
    if event.kind == "message":
        # advisers answering in their own channel's threads (Teams) are not asking questions
        return not is_adviser_channel(ctx.settings, event.place.platform, event.place.channel)
    return event.kind == "action" and event.action is not None and event.action.action_id in COUNTED_ACTIONS


# One statement, the same on SQLite (3.35+) and PostgreSQL; plain SQL text, so there is no
# statement to build and no cache key to compute on every message.
BUMP = text(
    "INSERT INTO rate_count (person_key, window_start, count) VALUES (:key, :window, 1) "
    "ON CONFLICT (person_key) DO UPDATE SET "
    "count = CASE WHEN rate_count.window_start = excluded.window_start THEN rate_count.count + 1 ELSE 1 END, "
    "window_start = excluded.window_start "
    "RETURNING count"
).bindparams(bindparam("window", type_=RateCount.__table__.c.window_start.type))  # type: ignore[attr-defined]


async def bump(ctx: Context, person_key: str) -> int:
    """Count one more event for this person in the current minute; the new count."""
    window = ctx.now().replace(second=0, microsecond=0)
    return int((await ctx.session.execute(BUMP, {"key": person_key[:255], "window": window})).scalar_one())


async def rate_limit(ctx: Context, call_next: Handler) -> None:
    limit = ctx.settings.rate_limit_per_minute
    if not limit or not ctx.event.person.user_id or not counted(ctx):
        await call_next(ctx)
        return
    count = await bump(ctx, ctx.event.person.key)
    if count <= limit:
        await call_next(ctx)
        return
    if count == limit + 1:
        log.info("rate limit reached on %s (%d per minute); further events this minute are dropped",
                 ctx.event.platform, limit)
        ctx.reply(replace(text_message(ctx, "ratelimit.slow_down"), ephemeral=True))
