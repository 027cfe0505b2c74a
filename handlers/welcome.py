"""The bot is installed or added to a conversation: say what it does."""

from __future__ import annotations

from bot.core.context import Context

from .cards import text_message
from .router import Router

router = Router()


@router.on_install
async def welcome(ctx: Context) -> None:
    ctx.reply(text_message(ctx, "welcome"))
