"""Faults: what survives a killed process, a failing Slack, a restarted PostgreSQL, two instances.

    .venv/bin/python -m bench.faults [--scenario kill,slack-429,slack-5xx,slack-timeout,pg-restart,two-instances]
                                     [--db sqlite,postgres] [--outage 600] [--rate 20] [--seconds 20] [--kills 3]

Each scenario drives real `kulturbot serve` processes over signed HTTP, with this script playing
Slack: it retries whatever was not acknowledged (a refused connection, a 5xx), with the same event
id, as Slack does. Then it prints what survived, checked against the database and the fake Slack
Web API's record:
  - every acknowledged question answered or ticketed exactly once (one question row, one reply in
    the asker's DM), every ticket with exactly one advisers' card, every adviser answer relayed
    exactly once, nothing left pending in the inbox or the outbox, nothing half-written (an
    escalated question without its ticket, a ticket without its card or its audit event).

kill           SIGKILL `serve` (--kills times) during a burst of questions and ticket actions
               (claims, answers), restart it, let the unacknowledged requests be retried.
slack-429/5xx/timeout
               the fake Slack Web API answers 429 with Retry-After, or 503, or hangs past the
               client's timeout, for --outage seconds (default 600) while questions keep coming;
               then it recovers: the acks must never have stalled, and everything is delivered once.
pg-restart     `pg_ctlcluster … restart` under load: requests in the gap get 503 (events, which
               Slack retries) or the polite "prøv igjen om litt" (slash commands, button clicks and
               Teams messages, fired every 50 ms through the restart), never a 500.
two-instances  two `serve` processes on one PostgreSQL behind a round-robin proxy (in this script),
               Slack retries landing on the other instance, advisers racing for the same tickets,
               and one instance killed halfway.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import signal
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from sqlalchemy import func, select

from bench.load import (
    ADVISERS, TEAM, Serve, drop_database, free_port, machine, new_database, questions, serve_env, sign,
)
from bot.core.database import Database
from bot.core.tables import InboxEvent, OutboxMessage, PostedCard, Question, Ticket, TicketEvent, TicketMessage
from tests.fakes.connector import FakeConnector
from tests.fakes.slack_api import FakeSlackApi

UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset?"
ADVISER = "UOLA"
LEASE_SECONDS = "10"


class FlakySlackApi(FakeSlackApi):
    """The fake Slack Web API, with an outage switch: 429, 503, or hanging past the timeout."""

    mode: str | None = None
    refused: int = 0

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if self.mode and method != "auth.test":
            self.refused += 1
            if self.mode == "429":
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "30"})
            if self.mode == "5xx":
                return web.json_response({"ok": False, "error": "internal_error"}, status=503)
            await asyncio.sleep(15)  # past the bot's 10 s timeout; the request never reached Slack
            return web.json_response({"ok": False, "error": "timeout"}, status=504)
        return await super()._handle(request)


# ------------------------------------------------------------------ playing Slack

@dataclass
class Sent:
    key: str
    kind: str  # question | claim | answer | command
    body: str
    content_type: str
    user: str = ""
    ticket: int = 0
    acked: bool = False
    attempts: int = 0
    statuses: Counter = field(default_factory=Counter)


class SlackSide:
    """Builds signed requests, sends them, and retries what was not acknowledged, like Slack."""

    def __init__(self, urls: list[str], response_url: str = "http://127.0.0.1:9/none") -> None:
        self.urls = urls
        self.response_url = response_url
        self._rr = itertools.cycle(range(len(urls)))
        self.sent: list[Sent] = []
        self.latencies: list[float] = []
        self.http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "SlackSide":
        self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        return self

    async def __aexit__(self, *exc: Any) -> None:
        assert self.http is not None
        await self.http.close()

    def question(self, text: str, user: str | None = None) -> Sent:
        user = user or f"U{uuid.uuid4().hex[:10].upper()}"
        key = f"Ev{uuid.uuid4().hex[:12]}"
        body = json.dumps({"token": "x", "team_id": TEAM, "api_app_id": "A1", "type": "event_callback",
                           "event_id": key, "event_time": int(time.time()),
                           "event": {"type": "message", "channel_type": "im", "channel": "D" + user[1:], "user": user,
                                     "text": text, "ts": f"{time.time():.6f}"}})
        return Sent(key, "question", body, "application/json", user)

    def click(self, action: str, value: str, user: str, channel: str, message_ts: str) -> Sent:
        key = f"{time.time():.6f}{uuid.uuid4().hex[:4]}"
        payload = {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM},
                   "api_app_id": "A1", "trigger_id": f"t{key}", "channel": {"id": channel},
                   "container": {"type": "message", "channel_id": channel, "message_ts": message_ts},
                   "message": {"ts": message_ts}, "response_url": self.response_url,
                   "actions": [{"type": "button", "action_id": action, "value": value, "action_ts": key}]}
        return Sent(f"act:{key}", "claim", urlencode({"payload": json.dumps(payload)}),
                    "application/x-www-form-urlencoded", user, int(value))

    def form(self, action: str, value: str, user: str, channel: str, message_ts: str, text: str) -> Sent:
        view_id = f"V{uuid.uuid4().hex[:8]}"
        payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM},
                   "api_app_id": "A1", "trigger_id": f"t{view_id}",
                   "view": {"id": view_id, "hash": "h1", "type": "modal", "callback_id": "kulturbot_form",
                            "private_metadata": json.dumps({"a": action, "v": value, "c": channel, "m": message_ts}),
                            "state": {"values": {"form": {"text": {"type": "plain_text_input", "value": text}}}}}}
        return Sent(f"view:{view_id}", "answer", urlencode({"payload": json.dumps(payload)}),
                    "application/x-www-form-urlencoded", user, int(value))

    def command(self, text: str, user: str) -> Sent:
        trigger = f"trig{uuid.uuid4().hex[:10]}"
        form = {"token": "x", "team_id": TEAM, "channel_id": "C300", "user_id": user, "user_name": "x",
                "command": "/kulturskole", "text": text, "response_url": self.response_url,
                "trigger_id": trigger, "api_app_id": "A1"}
        return Sent(f"cmd:{trigger}", "command", urlencode(form), "application/x-www-form-urlencoded", user)

    async def send(self, item: Sent, url: str | None = None) -> int | str:
        assert self.http is not None
        if item not in self.sent:
            self.sent.append(item)
        ts = str(int(time.time()))
        headers = {"Content-Type": item.content_type, "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": sign(item.body, ts)}
        if item.attempts:
            headers.update({"X-Slack-Retry-Num": str(item.attempts), "X-Slack-Retry-Reason": "http_error"})
        item.attempts += 1
        target = url or self.urls[next(self._rr)]
        started = time.perf_counter()
        try:
            async with self.http.post(target + "/slack/events", data=item.body.encode(), headers=headers) as response:
                text = await response.text()
                status: int | str = response.status
                if item.kind == "command" and response.status == 200 and text.startswith("{"):
                    with contextlib.suppress(ValueError):  # the JSON escapes ø: read it, not the raw text
                        if "Prøv igjen om litt" in str(json.loads(text).get("text")):
                            status = "polite"
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            status = type(exc).__name__
        self.latencies.append((time.perf_counter() - started) * 1000)
        item.statuses[status] += 1
        if status == 200:
            item.acked = True
        return status

    async def retry_unacked(self, rounds: int = 30, pause: float = 1.0) -> None:
        """Slack retries what was not acknowledged (it gives up after a few; we keep going)."""
        for _ in range(rounds):
            pending = [s for s in self.sent if not s.acked and s.kind not in ("command", "click")]
            if not pending:
                return
            await asyncio.gather(*(self.send(s) for s in pending))
            await asyncio.sleep(pause)

    async def stream(self, make: Any, rate: float, seconds: float) -> None:
        start = time.perf_counter()
        tasks = []
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.send(make(i))))
        await asyncio.gather(*tasks)


# ------------------------------------------------------------------ what survived

@dataclass
class Survival:
    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def check(self, label: str, good: bool, detail: str = "") -> None:
        self.ok &= good
        shown = f": {detail}" if detail and not good else ""
        self.lines.append(f"    {'ok  ' if good else 'LOST'} {label}{shown}")


async def survived(db: Database, slack: FakeSlackApi, side: SlackSide, answers: dict[int, str]) -> Survival:
    out = Survival()
    acked = [s for s in side.sent if s.acked and s.kind == "question"]
    async with db.session() as session:
        keys = Counter((await session.execute(select(Question.event_key).where(
            Question.event_key.in_([s.key for s in acked])))).scalars())  # type: ignore[attr-defined]
        tickets = list((await session.execute(select(Ticket))).scalars())
        escalated = list((await session.execute(select(Question.id).where(Question.outcome == "escalate"))).scalars())
        with_ticket = set((await session.execute(select(Ticket.question_id))).scalars())
        cards = set((await session.execute(select(PostedCard.key))).scalars())
        opened = Counter((await session.execute(select(TicketEvent.ticket_id).where(TicketEvent.kind == "opened"))).scalars())
        answered_events = Counter((await session.execute(select(TicketEvent.ticket_id).where(TicketEvent.kind == "answered"))).scalars())
        messages = Counter((await session.execute(select(TicketMessage.text).where(TicketMessage.role == "adviser"))).scalars())
        inbox = dict((await session.execute(select(InboxEvent.status, func.count()).group_by(InboxEvent.status))).all())
        outbox = dict((await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all())
    missing = [s.key for s in acked if keys[s.key] != 1]
    out.check(f"{len(acked)} acknowledged questions, each in the question log once", not missing,
              f"{len(missing)} missing" if missing else "")
    posts = [c for c in slack.calls if c.method == "chat.postMessage" and not c.args.get("thread_ts")]
    replies = Counter(c.args.get("channel") for c in posts)
    same = Counter((c.args.get("channel"), json.dumps(c.args.get("blocks"), sort_keys=True)) for c in posts)
    dms = ["D" + s.user[1:] for s in acked]
    lost = [d for d in dms if replies[d] == 0]
    doubled = [key[0] for key, n in same.items() if n > 1]
    out.check("each answered or ticketed exactly once (a reply in each asker's DM, no message posted twice)",
              not lost and not doubled, f"{len(lost)} without a reply, {len(doubled)} messages posted twice")
    card_posts = Counter()
    for c in slack.calls:
        if c.method == "chat.postMessage" and c.args.get("channel") == ADVISERS and not c.args.get("thread_ts"):
            heading = str(((c.args.get("blocks") or [{}])[0].get("text") or {}).get("text", ""))
            number = next((w[1:] for w in heading.split() if w.startswith("#") and w[1:].isdigit()), "?")
            card_posts[number] += 1
    card_problems = [t.number for t in tickets if card_posts[str(t.number)] != 1]
    out.check(f"{len(tickets)} tickets, each with exactly one advisers' card", not card_problems,
              f"tickets {card_problems[:10]} with {[card_posts[str(n)] for n in card_problems[:10]]} cards" if card_problems else "")
    half = [q for q in escalated if q not in with_ticket]
    no_card = [t.number for t in tickets if f"ticket:{t.id}:advisers" not in cards]
    no_audit = [t.number for t in tickets if opened[t.id] != 1]
    out.check("nothing half-written (every escalated question has its ticket, card and audit event)",
              not half and not no_card and not no_audit,
              f"{len(half)} questions without a ticket, {len(no_card)} tickets without a card, {len(no_audit)} without one 'opened'")
    if answers:
        relays = Counter()
        for c in slack.calls:
            if c.method == "chat.postMessage" and not c.args.get("thread_ts"):
                for block in c.args.get("blocks") or []:
                    text = str((block.get("text") or {}).get("text", ""))
                    if text in answers.values():
                        relays[text] += 1
        acked_answers = {t: a for t, a in answers.items()
                         if any(s.acked and s.kind == "answer" and s.ticket == t for s in side.sent)}
        bad = {a: relays[a] for a in acked_answers.values() if relays[a] != 1 or messages[a] != 1}
        out.check(f"{len(acked_answers)} acknowledged adviser answers, each stored and relayed exactly once", not bad,
                  f"{bad}" if bad else "")
        by_ticket = {t.id: t for t in tickets}
        double_answer_events = [t for t, n in answered_events.items() if n > 1 and t in by_ticket]
        out.check("no ticket answered twice in the audit trail", not double_answer_events, str(double_answer_events))
    lookups = sum(1 for c in slack.calls if c.method in {"conversations.history", "conversations.replies"})
    if lookups:
        out.lines.append(f"    ({lookups} sends whose attempt ended unrecorded were first looked up in Slack)")
    out.check("inbox drained", set(inbox) <= {"done"}, str(inbox))
    out.check("outbox drained (everything delivered)", set(outbox) <= {"sent"}, str(outbox))
    return out


async def wait_drained(db: Database, timeout: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        async with db.session() as session:
            inbox = (await session.execute(select(func.count()).select_from(InboxEvent)
                                           .where(InboxEvent.status != "done"))).scalar_one()
            outbox = (await session.execute(select(func.count()).select_from(OutboxMessage)
                                            .where(OutboxMessage.status != "sent"))).scalar_one()
        if inbox == 0 and outbox == 0:
            return time.perf_counter() - started
        await asyncio.sleep(0.5)
    return None


def statuses(side: SlackSide) -> str:
    total: Counter = Counter()
    for s in side.sent:
        total.update(s.statuses)
    return ", ".join(f"{k}: {v}" for k, v in sorted(total.items(), key=str))


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")


# ------------------------------------------------------------------ scenarios

@dataclass
class Bench:
    db_kind: str
    tmp: Path
    slack: FlakySlackApi = field(default_factory=FlakySlackApi)
    url: str = ""
    db: Database | None = None
    serves: list[Serve] = field(default_factory=list)

    async def __aenter__(self) -> "Bench":
        await self.slack.start()
        self.slack.add_user(ADVISER, "Ola Rådgiver", ADVISERS)
        self.url = new_database(self.db_kind, self.tmp)
        self.db = Database(self.url)
        await self.db.upgrade()  # once, before the instances start
        return self

    async def __aexit__(self, *exc: Any) -> None:
        for serve in self.serves:
            await serve.stop()
        assert self.db is not None
        await self.db.dispose()
        await self.slack.stop()
        drop_database(self.url)

    def serve(self, name: str, **extra: str) -> Serve:
        env = serve_env(self.url, self.slack, ADVISERS=f"slack:{ADVISER}", WORKER_LEASE_SECONDS=LEASE_SECONDS,
                        SWEEP_SECONDS="2", **extra)
        serve = Serve(env, log=self.tmp / f"serve-{name}.log")
        self.serves.append(serve)
        return serve

    async def open_tickets(self, side: SlackSide, n: int) -> list[tuple[int, str]]:
        """n tickets whose cards are posted: (ticket id, card ts)."""
        for _ in range(n):
            await side.send(side.question(UNKNOWN))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            posts = [c for c in self.slack.calls if c.method == "chat.postMessage" and c.args.get("channel") == ADVISERS
                     and not c.args.get("thread_ts")]
            if len(posts) >= n:
                break
            await asyncio.sleep(0.2)
        found = []
        for c in posts:
            heading = str(((c.args.get("blocks") or [{}])[0].get("text") or {}).get("text", ""))
            number = next(int(w[1:]) for w in heading.split() if w.startswith("#") and w[1:].isdigit())
            found.append((number - 1000, c.ts))
        return found


async def scenario_kill(db_kind: str, tmp: Path, rate: float, seconds: float, kills: int) -> Survival:
    texts = questions()
    async with Bench(db_kind, tmp) as bench:
        serve = await bench.serve("kill").start()
        async with SlackSide([serve.url], bench.slack.response_url()) as side:
            tickets = await bench.open_tickets(side, max(kills * 4, 8))
            answers: dict[int, str] = {}
            work = []
            for ticket_id, ts in tickets:
                work.append(side.click("ticket_claim", str(ticket_id), ADVISER, ADVISERS, ts))
                answers[ticket_id] = f"Svar på sak #{1000 + ticket_id}: ta kontakt med kommunen ({uuid.uuid4().hex[:6]})."
                work.append(side.form("ticket_answer", str(ticket_id), ADVISER, ADVISERS, ts, answers[ticket_id]))
            per_kill = max(1, len(work) // kills)
            print(f"  {len(tickets)} tickets open; burst of questions at {rate:g}/s with {len(work)} adviser actions, "
                  f"SIGKILL {kills}× mid-burst (lease {LEASE_SECONDS} s)")
            killed_acked = 0
            for k in range(kills):
                actions = work[k * per_kill:(k + 1) * per_kill] if k < kills - 1 else work[k * per_kill:]

                def make(i: int, actions: list[Sent] = actions) -> Sent:
                    if i % 5 == 2 and actions:
                        return actions.pop(0)
                    return side.question(texts[i % len(texts)])

                burst = asyncio.create_task(side.stream(make, rate, seconds))
                await asyncio.sleep(seconds * (0.3 + 0.4 * (k % 2)))
                before = sum(1 for s in side.sent if s.acked)
                serve.kill(signal.SIGKILL)
                killed_acked += before
                await burst
                for rest in actions:  # whatever the stream did not get to
                    await side.send(rest)
                serve.process = None
                await serve.start()
                await side.retry_unacked()
            drained = await wait_drained(bench.db, 180)  # type: ignore[arg-type]
            result = await survived(bench.db, bench.slack, side, answers)  # type: ignore[arg-type]
            result.lines.insert(0, f"    requests: {statuses(side)}; drained {drained:.1f} s after the last restart"
                                if drained is not None else f"    requests: {statuses(side)}; NOT drained in 180 s")
            return result


async def scenario_slack_outage(db_kind: str, tmp: Path, mode: str, outage: float, rate: float) -> Survival:
    texts = questions()
    async with Bench(db_kind, tmp) as bench:
        serve = await bench.serve(f"slack-{mode}").start()
        async with SlackSide([serve.url], bench.slack.response_url()) as side:
            await side.send(side.question(texts[0]))
            await wait_drained(bench.db, 30)  # type: ignore[arg-type]
            side.latencies.clear()
            bench.slack.mode = mode
            print(f"  Slack Web API {mode} for {outage:g} s; questions at {rate:g}/s all the while")
            await side.stream(lambda i: side.question(texts[i % len(texts)]), rate, outage)
            during = list(side.latencies)
            bench.slack.mode = None
            recovered = time.perf_counter()
            await side.retry_unacked()
            drained = await wait_drained(bench.db, max(900.0, outage * 1.5))  # type: ignore[arg-type]
            took = time.perf_counter() - recovered
            result = await survived(bench.db, bench.slack, side, {})  # type: ignore[arg-type]
            failed = sum(1 for s in side.sent if not s.acked)
            result.check(f"the bot kept accepting during the outage (acks: p99 {p99(during):.0f} ms, max "
                         f"{max(during or [0]):.0f} ms; Slack refused {bench.slack.refused} calls)",
                         failed == 0 and p99(during) < 3000)
            result.lines.insert(0, f"    requests: {statuses(side)}; everything delivered {took:.0f} s after Slack recovered"
                                if drained is not None else "    NOT drained after recovery")
            return result


async def scenario_pg_restart(tmp: Path, rate: float, seconds: float) -> Survival:
    texts = questions()
    cluster = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    connector = await FakeConnector().start()
    async with Bench("postgres", tmp) as bench:
        serve = await bench.serve("pg-restart").start()
        async with SlackSide([serve.url], bench.slack.response_url()) as side:
            def make(i: int) -> Sent:
                if i % 10 == 5:
                    return side.command(texts[i % len(texts)], f"UCMD{i:05d}")
                return side.question(texts[i % len(texts)])

            print(f"  questions and slash commands at {rate:g}/s for {seconds:g} s; PostgreSQL {cluster} restarted at "
                  f"{seconds / 3:.0f} s; meanwhile, every 50 ms, a slash command, a button click and a Teams message")
            stream = asyncio.create_task(side.stream(make, rate, seconds))
            await asyncio.sleep(seconds / 3)
            started = time.perf_counter()
            restart = await asyncio.create_subprocess_exec(  # not subprocess.run: the load keeps coming meanwhile
                "pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart",
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
            gap = GapProbe(side, serve.url, connector.url)
            probing = asyncio.create_task(gap.run(lambda: restart.returncode is not None))
            await restart.wait()
            took = time.perf_counter() - started
            await probing
            await stream
            await side.retry_unacked()
            drained = await wait_drained(bench.db, 120)  # type: ignore[arg-type]
            result = await survived(bench.db, bench.slack, side, {})  # type: ignore[arg-type]
            everything: Counter = Counter()
            for s in side.sent:
                everything.update(s.statuses)
            everything.update(gap.teams)
            result.check("no 500 at any time", everything[500] == 0, f"{everything[500]} × 500")
            commands = [s for s in side.sent if s.kind == "command"]
            told = sum(1 for s in commands if s.statuses["polite"])
            result.check(f"slash commands in the gap were told to try again ({told} of {len(commands)} told, the rest "
                         "answered)", told > 0 and all(set(s.statuses) <= {200, "polite"} for s in commands),
                         "none landed in the gap" if not told else "")
            clicks_told = len([c for c in bench.slack.calls if c.method == "response_url"
                               and "Prøv igjen om litt" in str(c.args.get("text"))])
            result.check(f"button clicks in the gap got 200 and were told to try again ({clicks_told} told, "
                         f"{gap.clicks[200]} of {sum(gap.clicks.values())} clicks answered 200)",
                         clicks_told > 0 and set(gap.clicks) <= {200}, str(dict(gap.clicks)))
            teams_told = len([x for x in connector.sends() if "Prøv igjen om litt" in str(x.activity.get("text"))])
            result.check(f"Teams messages in the gap were told to try again ({teams_told} told; statuses "
                         f"{dict(gap.teams)})", teams_told > 0 and all(k != 500 for k in gap.teams))
            result.lines.insert(0, f"    restart took {took:.1f} s; acks p99 {p99(side.latencies):.0f} ms, max "
                                f"{max(side.latencies or [0]):.0f} ms; requests: {statuses(side)}; drained "
                                f"{drained if drained is None else round(drained, 1)} s after the last retry")
    await connector.stop()
    return result


class GapProbe:
    """Requests Slack and Teams do not retry, fired every 50 ms while PostgreSQL restarts (and a
    second after): slash commands, button clicks (a thumbs-up on no question) and Teams messages."""

    def __init__(self, side: SlackSide, url: str, service_url: str) -> None:
        self.side, self.url, self.service_url = side, url, service_url
        self.clicks: Counter = Counter()
        self.teams: Counter = Counter()

    async def run(self, finished: Any) -> None:
        texts = questions()
        after: float | None = None
        n = 0
        while after is None or time.perf_counter() < after:
            if after is None and finished():
                after = time.perf_counter() + 1.0
            n += 1
            asyncio.create_task(self.side.send(self.side.command(texts[n % len(texts)], f"UGAP{n:04d}")))
            asyncio.create_task(self._click(n))
            asyncio.create_task(self._teams(n, texts[n % len(texts)]))
            await asyncio.sleep(0.05)
        await asyncio.sleep(2.0)  # let the last ones come back

    async def _click(self, n: int) -> None:
        item = self.side.click("feedback_up", "0", f"UGAPC{n:04d}", f"DGAPC{n:04d}", "1700000000.000001")
        item.kind = "click"
        status = await self.side.send(item)
        self.clicks[status] += 1

    async def _teams(self, n: int, text: str) -> None:
        assert self.side.http is not None
        activity = {"type": "message", "id": f"gap-{uuid.uuid4().hex[:10]}", "channelId": "msteams",
                    "serviceUrl": self.service_url, "from": {"id": f"29:gap{n}", "name": "Bench Bruker"},
                    "conversation": {"id": f"conv-gap-{n}", "conversationType": "personal", "tenantId": "tenant-1"},
                    "recipient": {"id": "28:kulturbot", "name": "Kulturbot"}, "text": text, "locale": "nb-NO"}
        try:
            async with self.side.http.post(self.url + "/api/messages", json=activity) as response:
                await response.read()
                self.teams[response.status] += 1
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            self.teams[type(exc).__name__] += 1


async def round_robin(urls: list[str], dead: set[str]) -> tuple[web.AppRunner, str]:
    """A tiny proxy: each request to the next live instance; a refused one goes to the next."""
    cycle = itertools.cycle(urls)
    session = aiohttp.ClientSession()

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        for _ in range(len(urls)):
            target = next(cycle)
            if target in dead:
                continue
            try:
                async with session.post(target + request.path, data=body, headers={
                        k: v for k, v in request.headers.items() if k.lower() not in {"host", "content-length"}}) as r:
                    return web.Response(status=r.status, body=await r.read(), content_type=r.content_type)
            except aiohttp.ClientError:
                continue
        return web.Response(status=502)

    app = web.Application()
    app.router.add_post("/{tail:.*}", forward)

    async def close(_: web.Application) -> None:
        await session.close()

    app.on_cleanup.append(close)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


async def scenario_two_instances(tmp: Path, rate: float, seconds: float) -> Survival:
    texts = questions()
    async with Bench("postgres", tmp) as bench:
        one = await bench.serve("one").start()
        two = await bench.serve("two").start()
        dead: set[str] = set()
        proxy, url = await round_robin([one.url, two.url], dead)
        try:
            async with SlackSide([url], bench.slack.response_url()) as side:
                tickets = await bench.open_tickets(side, 10)
                answers: dict[int, str] = {}
                print(f"  two instances behind a round-robin proxy; {len(tickets)} tickets; questions at {rate:g}/s, "
                      "each event delivered twice (a Slack retry reaching the other instance), two advisers "
                      "claiming each ticket at once; one instance SIGKILLed halfway")
                for ticket_id, ts in tickets[:5]:
                    answers[ticket_id] = f"Svar fra to instanser på #{1000 + ticket_id} ({uuid.uuid4().hex[:6]})."
                counter = itertools.count()

                async def twice(item: Sent) -> None:
                    await asyncio.gather(side.send(item, one.url if one.url not in dead else two.url),
                                         side.send(item, two.url))

                def make(i: int) -> Sent:
                    return side.question(texts[i % len(texts)])

                async def burst() -> None:
                    start = time.perf_counter()
                    tasks = []
                    for i in range(int(rate * seconds)):
                        delay = start + i / rate - time.perf_counter()
                        if delay > 0:
                            await asyncio.sleep(delay)
                        tasks.append(asyncio.create_task(twice(make(next(counter)))))
                    await asyncio.gather(*tasks)

                running = asyncio.create_task(burst())
                for ticket_id, ts in tickets:  # two advisers (one configured, one by channel) race for each
                    bench.slack.add_user("UPER", "Per Rådgiver", ADVISERS)
                    await asyncio.gather(side.send(side.click("ticket_claim", str(ticket_id), ADVISER, ADVISERS, ts), one.url),
                                         side.send(side.click("ticket_claim", str(ticket_id), "UPER", ADVISERS, ts), two.url))
                for ticket_id, ts in tickets[:5]:
                    await side.send(side.form("ticket_answer", str(ticket_id), ADVISER, ADVISERS, ts, answers[ticket_id]))
                await asyncio.sleep(seconds / 2)
                one.kill(signal.SIGKILL)
                dead.add(one.url)
                await running
                await side.retry_unacked()
                drained = await wait_drained(bench.db, 180)  # type: ignore[arg-type]
                result = await survived(bench.db, bench.slack, side, answers)  # type: ignore[arg-type]
                async with bench.db.session() as session:  # type: ignore[union-attr]
                    claims = Counter((await session.execute(select(TicketEvent.ticket_id)
                                                            .where(TicketEvent.kind == "claimed"))).scalars())
                    assignees = dict((await session.execute(select(Ticket.id, Ticket.assignee_key))).all())
                # An answer (sent right after the claims, through the other instance) may be handled
                # before both claims: the ticket is then the answering adviser's, and both claims are
                # refused. Never two claims, never a raced ticket without its one adviser.
                first = sum(1 for t, _ in tickets if claims[t] == 0)
                result.check(f"each raced ticket claimed at most once and has one adviser ({first} answered before "
                             "either claim was handled)",
                             all(claims[t] <= 1 and assignees.get(t) for t, _ in tickets),
                             str({1000 + t: (claims[t], assignees.get(t)) for t, _ in tickets
                                  if claims[t] > 1 or not assignees.get(t)}))
                result.lines.insert(0, f"    requests: {statuses(side)}; drained "
                                    f"{drained if drained is None else round(drained, 1)} s after the last retry")
                return result
        finally:
            await proxy.cleanup()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="kill,slack-429,slack-5xx,slack-timeout,pg-restart,two-instances")
    parser.add_argument("--db", default="sqlite,postgres", help="for kill and the Slack outages")
    parser.add_argument("--outage", type=float, default=600.0, help="seconds the Slack Web API fails (default 600)")
    parser.add_argument("--rate", type=float, default=20.0, help="questions per second during the bursts")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the bursts")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--logs", type=Path, default=None, help="keep the serve logs in this directory")
    args = parser.parse_args()
    print(f"kulturbot faults: {machine()}")
    results: list[tuple[str, Survival]] = []
    with tempfile.TemporaryDirectory(prefix="kulturbot-faults-") as tmp_dir:
        tmp = Path(tmp_dir)
        if args.logs:
            args.logs.mkdir(parents=True, exist_ok=True)
            tmp = args.logs
        for scenario in args.scenario.split(","):
            kinds = args.db.split(",") if scenario == "kill" or scenario.startswith("slack-") else ["postgres"]
            for db_kind in kinds:
                label = f"{scenario} ({db_kind})"
                print(f"\n{label}", flush=True)
                if scenario == "kill":
                    result = await scenario_kill(db_kind, tmp, args.rate, args.seconds, args.kills)
                elif scenario.startswith("slack-"):
                    result = await scenario_slack_outage(db_kind, tmp, scenario.removeprefix("slack-"), args.outage,
                                                         min(args.rate, 5.0))
                elif scenario == "pg-restart":
                    result = await scenario_pg_restart(tmp, args.rate, args.seconds)
                elif scenario == "two-instances":
                    result = await scenario_two_instances(tmp, args.rate, args.seconds)
                else:
                    raise SystemExit(f"unknown scenario {scenario}")
                print("\n".join(result.lines), flush=True)
                results.append((label, result))
    print("\nsummary:")
    for label, result in results:
        print(f"  {'SURVIVED' if result.ok else 'LOST SOMETHING'}  {label}")


if __name__ == "__main__":
    asyncio.run(main())
