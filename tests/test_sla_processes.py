"""Exactly once with real processes: two `kulturbot serve` against one PostgreSQL send each
reminder once, and a process killed with SIGKILL in the middle of a send loses nothing.

The processes run on the real clock: tickets are seeded with deadlines relative to now, so
that their reminders are already due. The tests wait by polling what the fake Slack Web API
received (bounded), never by sleeping a fixed time."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.core.database import Database
from bot.core.tables import OutboxMessage, SlaNotice, Ticket
from tests.fakes.slack_api import FakeSlackApi
from tests.harness import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]
KULTURBOT = ROOT / ".venv" / "bin" / "kulturbot"
ADVISERS = "CADV"

pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(pg_url: str, slack: FakeSlackApi, log: Path, **env: str) -> subprocess.Popen[bytes]:
    values = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")},
        "DATABASE_URL": pg_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.url, "ADVISER_CHANNELS": f"default=slack:{ADVISERS}", "MANAGERS": "slack:UBOSS",
        "SWEEP_SECONDS": "0.5", "SLA_SWEEP_SECONDS": "0.3", "KB_RELOAD_SECONDS": "3600", "LOG_LEVEL": "INFO",
        **env,
    }
    return subprocess.Popen([str(KULTURBOT), "serve", "--port", str(free_port())], cwd=ROOT, env=values,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


async def until(condition, timeout: float = 60.0, what: str = "") -> None:  # type: ignore[no-untyped-def]
    """Poll a condition (sync or async) until it holds, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


async def seed(db: Database, specs: list[tuple[timedelta, str | None]]) -> None:
    """Tickets whose deadline is now + offset; assignee 'slack:T0001:UOLA' or None."""
    now = datetime.now(timezone.utc)
    async with db.session() as session:
        for offset, assignee in specs:
            deadline = now + offset
            created = deadline - timedelta(hours=48)
            session.add(Ticket(
                status="claimed" if assignee else "open", created_at=created, updated_at=created, platform="slack",
                workspace="T0001", asker_user_id="U100", asker_name="Kari Nordmann", lang="nb",
                asker_place={"platform": "slack", "workspace": "T0001", "channel": "DU100", "kind": "dm",
                             "thread": None, "ref": {}},
                question_text="Et spørsmål", route="default", assignee_key=assignee,
                assignee_name="Ola Rådgiver" if assignee else "", deadline_at=deadline,
            ))


def numbers(calls: list, prefix: str) -> Counter[str]:  # type: ignore[type-arg]
    """How many times each ticket number was named in messages starting with prefix (several
    reminders for one channel or adviser in one sweep share a message)."""
    found: Counter[str] = Counter()
    for call in calls:
        text = call.args.get("text", "")
        if call.method == "chat.postMessage" and text.startswith(prefix):
            found.update(re.findall(r"#(\d+)", text))
    return found


async def outbox_left(db: Database) -> list[tuple[str, str, int, str | None]]:
    async with db.session() as session:
        rows = await session.execute(select(OutboxMessage.status, OutboxMessage.lane, OutboxMessage.attempts,
                                            OutboxMessage.last_error).where(OutboxMessage.status != "sent"))
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def drained(db: Database) -> None:
    try:
        await until(lambda: all_delivered(db), what="the outbox to drain")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; left: {await outbox_left(db)}") from None


async def all_delivered(db: Database) -> bool:
    async with db.session() as session:
        pending = (await session.execute(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent"))).scalar_one()
        total = (await session.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()
    return total > 0 and pending == 0


@pytest.mark.asyncio
async def test_two_serve_processes_send_each_reminder_once(pg_url: str, slack_api: FakeSlackApi, tmp_path: Path) -> None:
    db = Database(pg_url)
    await db.upgrade()
    specs = ([(timedelta(minutes=90), None)] * 12            # 2 h reminder to the channel (24 h, 8 h skipped)
             + [(timedelta(hours=20), "slack:T0001:UOLA")] * 8  # 24 h reminder by DM
             + [(timedelta(minutes=-30), None)] * 5)          # breached: the manager is told
    await seed(db, specs)
    processes = [serve(pg_url, slack_api, tmp_path / f"serve{i}.log") for i in range(2)]
    try:
        await until(lambda: sum(numbers(slack_api.calls, "⏰").values()) + sum(numbers(slack_api.calls, "🔴").values()) >= 25,
                    what="25 notices")
        await drained(db)
        await until(lambda: all(p.poll() is None for p in processes), timeout=1, what="both processes alive")
    finally:
        for process in processes:
            stop(process)
    channel = numbers([c for c in slack_api.calls if c.args.get("channel") == ADVISERS], "⏰")
    dms = numbers([c for c in slack_api.calls if c.args.get("channel") == "UOLA"], "⏰")
    breaches = numbers([c for c in slack_api.calls if c.args.get("channel") == "UBOSS"], "🔴")
    assert sorted(channel) == [str(1000 + i) for i in range(1, 13)] and set(channel.values()) == {1}
    assert sorted(dms) == [str(1000 + i) for i in range(13, 21)] and set(dms.values()) == {1}
    assert sorted(breaches) == [str(1000 + i) for i in range(21, 26)] and set(breaches.values()) == {1}
    async with db.session() as session:
        kinds = Counter((await session.execute(select(SlaNotice.kind, SlaNotice.status))).all())
    # the 12 near the deadline and the 5 past it skip their stale reminders; the 8 get their first
    assert kinds == {("remind:2h", "sent"): 12, ("remind:24h", "sent"): 8, ("breach", "sent"): 5,
                     ("remind:24h", "skipped"): 17, ("remind:8h", "skipped"): 17, ("remind:2h", "skipped"): 5}
    logs = "".join((tmp_path / f"serve{i}.log").read_text() for i in range(2))
    assert "IntegrityError" not in logs and "ERROR kulturbot" not in logs  # no conflict surfaced as an error
    await db.dispose()


class HoldingSlackApi(FakeSlackApi):
    """Holds reminders in flight, the way a slow Slack does, so that a test can kill the sender.

    "⏰ Sak …" (to the channel): held before Slack accepts it, then refused: the send never happened.
    "⏰ Du har …" (a DM): accepted and recorded, but the answer is held: the sender dies before it
    can mark the message sent."""

    holding = True

    async def start(self) -> "HoldingSlackApi":
        self.release = asyncio.Event()
        self.held: list[str] = []
        await super().start()
        return self

    async def _handle(self, request: web.Request) -> web.Response:
        if not (self.holding and request.match_info["method"] == "chat.postMessage"):
            return await super()._handle(request)
        raw = await request.read()  # aiohttp keeps the body: the fake can still read it
        args = json.loads(raw) if request.content_type == "application/json" else dict(parse_qsl(raw.decode()))
        text = str(args.get("text", ""))
        if text.startswith("⏰ Sak"):
            self.held.append(text)
            await self.release.wait()
            return web.json_response({"ok": False, "error": "internal_error"}, status=503)
        if text.startswith("⏰ Du har"):
            response = await super()._handle(request)
            self.held.append(text)
            await self.release.wait()
            return response
        return await super()._handle(request)


@pytest.mark.asyncio
async def test_sigkill_in_the_middle_of_a_send(pg_url: str, tmp_path: Path) -> None:
    slack = await HoldingSlackApi().start()
    db = Database(pg_url)
    await db.upgrade()
    await seed(db, [(timedelta(minutes=90), None), (timedelta(minutes=90), "slack:T0001:UOLA")])
    lease = {"WORKER_LEASE_SECONDS": "1"}
    first = serve(pg_url, slack, tmp_path / "first.log", **lease)
    second = None
    try:
        # Both reminders are recorded (notice + outbox row, one transaction) and in flight.
        await until(lambda: len(slack.held) == 2, what="both reminders in flight")
        first.send_signal(signal.SIGKILL)
        first.wait(5)
        slack.holding = False
        slack.release.set()

        second = serve(pg_url, slack, tmp_path / "second.log", **lease)
        await until(lambda: numbers(slack.calls, "⏰ Sak"), what="the restarted process to resend")
        await drained(db)
    finally:
        stop(first)
        if second is not None:
            stop(second)
        slack.release.set()
        await slack.stop()
    # Killed between record and send: delivered once, by the restarted process.
    assert numbers(slack.calls, "⏰ Sak") == {"1001": 1}
    # Killed between Slack accepting and the outbox marking it sent: the restarted process finds
    # the message in Slack by its delivery key (message metadata) and records it, not twice.
    assert numbers(slack.calls, "⏰ Du har") == {"1002": 1}
    assert slack.named("conversations.history")
    async with db.session() as session:
        sent = (await session.execute(select(SlaNotice.ticket_id, SlaNotice.kind).where(SlaNotice.status == "sent"))).all()
    assert sorted(sent) == [(1, "remind:2h"), (2, "remind:2h")]
    await db.dispose()
