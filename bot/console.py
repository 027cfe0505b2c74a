"""`kulturbot chat`: a console adapter that runs the same handlers, with no platform at all."""

from __future__ import annotations

import asyncio
import itertools
import sys
from typing import TextIO

from bot.core.catalogue import t
from bot.core.model import Action, Event, Message, MessageRef, Person, Place, as_text
from bot.runtime import Runtime

PROMPT = "du> "


def render(message: Message) -> str:
    lines = [as_text(message) or message.text]
    for number, button in enumerate(message.buttons, start=1):
        lines.append(f"  [/{number}] {button.label}")
    return "\n".join(lines)


class ConsolePort:
    """Prints what the bot says; remembers the last message's buttons so /N can press one."""

    platform = "console"

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.buttons: list[tuple[str, str]] = []
        self._ids = itertools.count(1)

    async def _print(self, message: Message, prefix: str = "") -> MessageRef:
        self.out.write(prefix + "bot> " + render(message).replace("\n", "\n     ") + "\n")
        self.out.flush()
        if message.buttons:
            self.buttons = [(b.action_id, b.value) for b in message.buttons]
        return MessageRef("console", "console", str(next(self._ids)))

    async def send(self, place: Place, message: Message) -> MessageRef:
        return await self._print(message)

    async def update(self, ref: MessageRef, message: Message) -> None:
        await self._print(message, prefix="(oppdatert) ")

    async def dm(self, person: Person, message: Message) -> MessageRef:
        return await self._print(message)


async def chat(runtime: Runtime, port: ConsolePort, stdin: TextIO, user: str = "console-user") -> None:
    person = Person("console", "local", user, "Konsoll")
    place = Place("console", "local", "console", "dm")
    counter = itertools.count(1)
    session = f"{asyncio.get_running_loop().time():.6f}"
    await runtime.worker.submit(Event("install", "console", f"welcome:{session}", person, place))
    await runtime.settle()
    while True:
        port.out.write(PROMPT)
        port.out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        text = line.strip()
        if text in {"/quit", "/exit", "/avslutt"}:
            break
        key = f"{session}:{next(counter)}"
        if text.startswith("/") and text[1:].isdigit():
            index = int(text[1:]) - 1
            if 0 <= index < len(port.buttons):
                action_id, value = port.buttons[index]
                event = Event("action", "console", key, person, place, action=Action(action_id, value))
            else:
                port.out.write("bot> " + t(runtime.settings.language, "console.no_such_button") + "\n")
                continue
        else:
            event = Event("message", "console", key, person, place, text)
        await runtime.worker.submit(event)
        await runtime.settle()
    sys.stdout.flush()
