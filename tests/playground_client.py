"""Drives the Microsoft 365 Agents Playground (a local Teams client) from a test, without a browser.

The Playground runs as a Node subprocess pointed at the bot's /api/messages. It is the Teams
channel and the bot's connector at once: the activities it sends carry
`serviceUrl = http://localhost:PORT/_connector`, so the bot's replies go back to it, and it
streams them to us on a WebSocket. The HTTP and WebSocket API used here is the one the
Playground's own web UI uses (see the team note teams-playground.md).

    async with Playground(bot_url + "/api/messages", workdir=tmp_path) as pg:
        await pg.install(pg.personal_chat)
        welcome = await pg.wait_for_message(lambda m: "48 timer" in m.text)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import tempfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

PLAYGROUND_DIR = Path(__file__).resolve().parent / "playground"
PLAYGROUND_BIN = PLAYGROUND_DIR / "node_modules" / ".bin" / "agentsplayground"
INSTALL_HINT = "run `npm ci --prefix tests/playground`"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
_LISTENING = re.compile(r"Listening on (\d+)")


def missing() -> str | None:
    """Why the Playground cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not PLAYGROUND_BIN.exists():
        return f"the Agents Playground is not installed ({INSTALL_HINT})"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class BotMessage:
    """One frame of the Playground's conversation stream: something the bot posted or changed."""

    action: str  # "createMessage" | "updateMessage" | …
    conversation: str  # the Playground's conversation id (a channel post: "team-id;messageid=…")
    message: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.message.get("messageId", ""))

    @property
    def sender(self) -> str:
        return str((self.message.get("from") or {}).get("id", ""))

    @property
    def text(self) -> str:
        return str(self.message.get("text") or "")

    @property
    def card(self) -> dict[str, Any] | None:
        """The first Adaptive Card attached, or None."""
        for attachment in self.message.get("attachments") or []:
            if attachment.get("contentType") == CARD_CONTENT_TYPE:
                return attachment.get("content")
        return None

    def button(self, title: str) -> dict[str, Any]:
        """The card action with this title (raises KeyError when there is none)."""
        for action in (self.card or {}).get("actions", []):
            if action.get("title") == title:
                return action
        raise KeyError(f"no button {title!r} on message {self.id}")

    def short(self) -> str:
        card = self.card
        what = f"card {card['body'][0].get('text', '')!r}" if card and card.get("body") else repr(self.text[:80])
        return f"{self.action} in {self.conversation} from {self.sender}: {what}"


@dataclass(frozen=True)
class Posted:
    """What the Playground answered when the user posted: its message id and the conversation the
    post lives in (for a channel post that is a new thread, `team-id;messageid=…`)."""

    message_id: str
    conversation: str


class Playground:
    """The Agents Playground as a subprocess, with the user's side of the conversation as methods."""

    def __init__(self, bot_endpoint: str, *, workdir: Path | None = None, startup_timeout: float = 30.0,
                 channel: str = "msteams") -> None:
        self.bot_endpoint = bot_endpoint
        self.channel = channel
        self.startup_timeout = startup_timeout
        self._own_workdir = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="playground-")) if workdir is None else workdir
        self.port = 0
        self.base = ""
        self.config: dict[str, Any] = {}
        self.messages: list[BotMessage] = []  # every bot frame seen, in arrival order
        self.output: deque[str] = deque(maxlen=200)  # the Playground's last lines of output
        self._process: asyncio.subprocess.Process | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._changed = asyncio.Condition()

    # ------------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> "Playground":
        try:
            return await self.start()
        except BaseException:
            await self.close()
            raise

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> "Playground":
        if (reason := missing()) is not None:
            raise RuntimeError(reason)
        self.workdir.mkdir(parents=True, exist_ok=True)  # it writes devTools/ logs into its cwd
        env = dict(os.environ, TEAMSAPPTESTER_BROWSER="none", APPLICATION_INSIGHTS_NO_STATSBEAT="true")
        env.pop("M365_AGENTS_PLAYGROUND_CONFIG_PATH", None)  # the default mock tenant, nothing else
        self._process = await asyncio.create_subprocess_exec(
            str(PLAYGROUND_BIN), "-e", self.bot_endpoint, "-c", self.channel, "-p", str(free_port()),
            "--disable-telemetry",
            cwd=self.workdir, env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # its own process group: close() ends node and anything it spawned
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.startup_timeout
        # If the port was taken meanwhile it silently picks another: trust the line, not the argument.
        self.port = await asyncio.wait_for(self._read_listening_port(), self.startup_timeout)
        self._tasks.append(asyncio.create_task(self._drain_output(), name="playground-output"))
        self.base = f"http://127.0.0.1:{self.port}"
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        await self._wait_for_ping(deadline)
        # The config endpoint first waits (up to 15 s, then gives up quietly) until the bot's
        # endpoint answers at all: start the bot before the Playground.
        async with self._http.get(f"{self.base}/_internal/v1/config",
                                  timeout=aiohttp.ClientTimeout(total=max(5.0, deadline - loop.time()))) as response:
            response.raise_for_status()
            self.config = (await response.json())["config"]
        self._ws = await self._http.ws_connect(
            f"ws://127.0.0.1:{self.port}/_ws_conversation/v1/conversations/stream", heartbeat=None)
        self._tasks.append(asyncio.create_task(self._read_stream(), name="playground-stream"))
        return self

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._http is not None:
            await self._http.close()
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)  # the group we created: node and its children only
                try:
                    await asyncio.wait_for(process.wait(), grace)
                    break
                except TimeoutError:
                    continue
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    async def _read_listening_port(self) -> int:
        assert self._process is not None and self._process.stdout is not None
        while True:
            raw = await self._process.stdout.readline()
            if not raw:
                await self._process.wait()
                raise RuntimeError(f"the Playground exited ({self._process.returncode}) before listening:\n"
                                   + self.tail())
            line = raw.decode(errors="replace").rstrip()
            self.output.append(line)
            if match := _LISTENING.search(line):
                return int(match.group(1))

    async def _drain_output(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        while raw := await self._process.stdout.readline():
            self.output.append(raw.decode(errors="replace").rstrip())

    async def _wait_for_ping(self, deadline: float) -> None:
        assert self._http is not None
        loop = asyncio.get_running_loop()
        while True:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self._http.get(f"{self.base}/_debug/ping") as response:
                    if response.status == 200 and (await response.text()).strip() == "pong":
                        return
            if loop.time() > deadline or (self._process is not None and self._process.returncode is not None):
                raise RuntimeError("the Playground never answered /_debug/ping:\n" + self.tail())
            await asyncio.sleep(0.05)  # a short poll, bounded by the deadline

    async def _read_stream(self) -> None:
        assert self._ws is not None
        async for frame in self._ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            try:
                data = json.loads(frame.data)
            except ValueError:
                continue
            if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
                continue  # "typing" and anything else without a message
            message = BotMessage(str(data.get("action", "")), str(data.get("actionConversationId", "")), data["message"])
            async with self._changed:
                self.messages.append(message)
                self._changed.notify_all()
        async with self._changed:  # the stream ended: wake waiters so that they fail fast
            self._changed.notify_all()

    def tail(self, lines: int = 30) -> str:
        """The Playground's last lines of output and of its log (devTools/ in its working folder)."""
        text = "\n".join(list(self.output)[-lines:])
        log = self.workdir / "devTools" / "m365agentsplayground.log"
        with contextlib.suppress(OSError):
            logged = log.read_text(errors="replace").splitlines()[-lines:]
            text += f"\n--- {log.name}:\n" + "\n".join(line[:400] for line in logged)
        return text

    # ------------------------------------------------------------------ who is who
    @property
    def bot_id(self) -> str:
        return str(self.config["bot"]["id"])

    @property
    def bot_name(self) -> str:
        return str(self.config["bot"].get("name") or "Bot")

    @property
    def user_id(self) -> str:
        return str(self.config["currentUser"]["id"])

    @property
    def personal_chat(self) -> str:
        return str(self.config["personalChat"]["id"])

    @property
    def group_chat(self) -> str:
        return str(self.config["groupChats"][0]["id"])

    @property
    def general_channel(self) -> str:
        """The first team's General channel (its id is the team id)."""
        return str(self.config["teams"][0]["id"])

    # ------------------------------------------------------------------ the user's side
    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        assert self._http is not None, "start() the Playground first"
        async with self._http.post(self.base + path, json=body) as response:
            text = await response.text()
            if response.status >= 400:
                raise AssertionError(f"Playground POST {path} → {response.status}: {text[:500]}")
            try:
                data = json.loads(text) if text.strip() else {}
            except ValueError:
                data = {}
            return data if isinstance(data, dict) else {}

    async def install(self, conversation: str) -> None:
        """Install the app: the bot gets installationUpdate and conversationUpdate (membersAdded)."""
        await self._post(f"/_debug/conversation/{conversation}/installation", {})

    async def say(self, conversation: str, text: str, *, mention: bool = False) -> Posted:
        """The current user posts `text`; with mention=True it starts with an @mention of the bot
        (in a group chat or channel the bot gets nothing without one, as in real Teams)."""
        body: dict[str, Any] = {"from": {"id": self.user_id}, "text": text, "textFormat": "plain"}
        if mention:
            tag = f"<at>{self.bot_name}</at>"
            body["text"] = f"{tag} {text}"
            body["mentions"] = [{"mentioned": {"id": self.bot_id}, "text": tag}]
        data = await self._post(f"/_conversation/v1/conversations/{conversation}/messages", body)
        return Posted(str(data.get("messageId", "")), str(data.get("postConversationId") or conversation))

    async def submit(self, conversation: str, card_message_id: str, value: dict[str, Any]) -> None:
        """Click an Action.Submit button: the bot gets a message activity whose value is `value`
        (the button's data), replying to the card."""
        await self._post("/_conversation/v1/submit", {
            "conversation": {"id": conversation}, "from": {"id": self.user_id},
            "replyToId": card_message_id, "value": value,
        })

    async def click(self, card: BotMessage, title: str) -> None:
        """Click the card's Action.Submit button with this title, as the UI would."""
        action = card.button(title)
        assert action.get("type") == "Action.Submit", f"{title!r} is {action.get('type')}, not Action.Submit"
        await self.submit(card.conversation, card.id, dict(action.get("data") or {}))

    # ------------------------------------------------------------------ what the bot posted
    def from_bot(self, conversation: str | None = None) -> list[BotMessage]:
        return [m for m in self.messages if m.sender == self.bot_id
                and (conversation is None or m.conversation == conversation)]

    async def wait_for_message(self, predicate: Callable[[BotMessage], bool], timeout: float = 10.0, *,
                               since: int = 0) -> BotMessage:
        """The first streamed message (from index `since` on) that satisfies `predicate`; waits on the
        WebSocket, never on a fixed sleep. Raises AssertionError with what did arrive on timeout."""
        found: list[BotMessage] = []

        def match() -> bool:
            found[:] = [m for m in self.messages[since:] if predicate(m)][:1]
            return bool(found) or (self._ws is not None and self._ws.closed)

        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(match), timeout)
        except TimeoutError:
            pass
        if found:
            return found[0]
        seen = "\n".join("  " + m.short() for m in self.messages[since:]) or "  (nothing)"
        raise AssertionError(f"no matching bot message within {timeout} s; the stream had:\n{seen}\n"
                             f"Playground output:\n{self.tail()}")
