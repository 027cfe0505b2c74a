"""Routes a neutral event to its handler: messages, commands, button actions, installs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.context import Context
from bot.core.model import Message

Handler = Callable[[Context], Awaitable[None]]


class Router:
    def __init__(self) -> None:
        self.message_handler: Handler | None = None
        self.install_handler: Handler | None = None
        self.actions: dict[str, Handler] = {}
        self.commands: list[tuple[Callable[[str], bool], Handler]] = []

    def on_message(self, handler: Handler) -> Handler:
        self.message_handler = handler
        return handler

    def on_install(self, handler: Handler) -> Handler:
        self.install_handler = handler
        return handler

    def on_action(self, *action_ids: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for action_id in action_ids:
                self.actions[action_id] = handler
            return handler

        return register

    def on_command(self, matches: Callable[[str], bool]) -> Callable[[Handler], Handler]:
        """A text command ("mine saker", "rapport …") checked before the question handler."""

        def register(handler: Handler) -> Handler:
            self.commands.append((matches, handler))
            return handler

        return register

    def include(self, other: "Router") -> None:
        self.actions.update(other.actions)
        self.commands.extend(other.commands)
        self.message_handler = other.message_handler or self.message_handler
        self.install_handler = other.install_handler or self.install_handler

    async def __call__(self, ctx: Context) -> None:
        event = ctx.event
        if event.kind == "install":
            if self.install_handler:
                await self.install_handler(ctx)
            return
        if event.kind == "action":
            handler = self.actions.get(event.action.action_id if event.action else "")
            if handler is None:
                ctx.reply(Message(text=ctx.t("error.unknown_action"), ephemeral=True))
                return
            await handler(ctx)
            return
        if event.kind != "message":
            return  # e.g. chatter in a channel thread that no ticket owns
        text = " ".join(event.text.split()).lower()
        for matches, handler in self.commands:
            if matches(text):
                await handler(ctx)
                return
        if self.message_handler:
            await self.message_handler(ctx)
