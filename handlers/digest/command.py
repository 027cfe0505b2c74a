"""`rapport [uke|måned|uke 47|fra..til]`: a digest on demand, for managers only.

Slack: `/kulturskole rapport …` (the report then comes by DM: a slash command's reply is
ephemeral and cannot carry the chart), a DM or a mention. Teams: the same text in a chat.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.model import Message, Person, markdown
from handlers.router import Router

from .period import PeriodError, looks_like_period, parse_request
from .service import build

router = Router()
WORDS = ("rapport", "rapporter")


def is_report_request(text: str) -> bool:
    first, _, rest = text.partition(" ")
    return first in WORDS and looks_like_period(rest)


async def is_manager(ctx: Context, person: Person | None = None) -> bool:
    """A manager is named in MANAGERS, or is a member of the managers' channel asking from it."""
    person = person or ctx.event.person
    settings = ctx.settings
    if f"{person.platform}:{person.user_id}" in settings.manager_keys:
        return True
    place, channel = ctx.event.place, settings.managers_place
    if channel is not None and place.kind == "channel" and (place.platform, place.channel.split(";")[0]) == channel:
        return await ctx.services.directory(place.platform).is_channel_member(channel[1], person)
    return False


def _private(ctx: Context, key: str) -> Message:
    return Message(text=ctx.t(key), blocks=(markdown(ctx.t(key)),), ephemeral=True)


@router.on_command(is_report_request)
async def report(ctx: Context) -> None:
    if not await is_manager(ctx):
        ctx.reply(_private(ctx, "digest.refuse"))
        return
    words = " ".join(ctx.event.text.split()).partition(" ")[2]
    try:
        period = parse_request(words, ctx.now(), ctx.settings.tz)
    except PeriodError:
        ctx.reply(_private(ctx, "digest.usage"))
        return
    _, digest, picture = await build(ctx.session, ctx.services, period, ctx.lang)
    if ctx.event.place.kind == "slash":
        ctx.reply(_private(ctx, "digest.on_the_way"))
        person = ctx.event.person
        for message in (digest, picture):
            ctx.out.dm(person, message)
        return
    for message in (digest, picture):
        ctx.reply(message)
