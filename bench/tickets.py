"""Tickets: time from the Slack event to the advisers' card, with 200 tickets opened at once.

    .venv/bin/python -m bench.tickets [--tickets 200] [--rounds 3] [--db sqlite,postgres]

For each database a real `kulturbot serve` subprocess runs on loopback against a fake Slack Web
API in this process. Each round sends --tickets signed Slack events at the same moment, one DM
each from its own user, each a question the knowledge base cannot answer (checked in-process
before the run), so each opens a ticket. Latency per ticket = the moment the fake received the
chat.postMessage of its card in the advisers' channel minus the moment its event was sent (same
clock: the sender and the fake share this process). The ack latency is printed beside it.

Checked after every round, in the database and in the fake's record: every event is one question
and one ticket, every ticket has exactly one card (no more, no fewer), and nothing is left in the
inbox or the outbox. PostgreSQL databases get a random name on 127.0.0.1:5432 and are dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

from bench.load import ADVISERS, Serve, drop_database, machine, new_database, serve_env, slack_dm, wait_until
from bot.core.config import Settings
from bot.core.database import Database
from bot.core.tables import InboxEvent, OutboxMessage, Question, Ticket
from bot.runtime import load_knowledge
from tests.fakes.slack_api import Call, FakeSlackApi

ROOT = Path(__file__).resolve().parents[1]

# Out of the knowledge base's scope (knowledge/articles/examples/*.jsonl, expect null, and alike):
# each, with its ticket's tag, is checked to escalate before the run.
OUT_OF_SCOPE = [
    "hvordan blir været i morgen",
    "jeg har glemt passordet til outlook",
    "skriveren på kontoret virker ikke",
    "hvordan bestiller jeg møterom",
    "Hvilket parkeringshus er nærmest rådhuset i Bodø?",
    "Når går bussen fra Molde til Ålesund på lørdag?",
    "hvordan stemme en fiolin",
    "beste noter for nybegynnere på piano",
    "hvordan booke sal i kulturhuset",
    "introduksjonsstønad satser",
    "lønnstrinn kulturskolerektor",
    "hvem har ansvar for brøyting av skoleveien",
]


def tag(run: str, i: int) -> str:
    return f"bq{run}x{i:04d}"


def escalating_texts(run: str, count: int) -> list[str]:
    """count questions, each with its own tag (to find its card), each one that escalates."""
    kb = load_knowledge(Settings(_env_file=None)).current  # type: ignore[call-arg]
    texts = []
    for i in range(count):
        for j in range(len(OUT_OF_SCOPE)):
            text = f"{OUT_OF_SCOPE[(i + j) % len(OUT_OF_SCOPE)]} ({tag(run, i)})"
            if kb.ask(text).kind == "escalate":
                texts.append(text)
                break
        else:
            raise SystemExit(f"no out-of-scope question escalates with tag {tag(run, i)}: fix OUT_OF_SCOPE")
    return texts


class TimedSlackApi(FakeSlackApi):
    """The fake Slack Web API, noting when each advisers' card arrived (by the tag in its text)."""

    async def start(self) -> "TimedSlackApi":
        self.cards: dict[str, list[float]] = {}
        await super().start()
        return self

    async def _record(self, call: Call) -> None:
        if call.method == "chat.postMessage" and call.args.get("channel") == ADVISERS and not call.args.get("thread_ts"):
            arrived = time.perf_counter()
            dumped = json.dumps(call.args, ensure_ascii=False)
            start = dumped.find("(bq")
            if start >= 0:
                self.cards.setdefault(dumped[start + 1:dumped.index(")", start)], []).append(arrived)
        await super()._record(call)


@dataclass
class Round:
    sent_at: dict[str, float] = field(default_factory=dict)
    ack_ms: list[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    card_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def burst(url: str, fake: TimedSlackApi, db: Database, count: int) -> Round:
    run = uuid.uuid4().hex[:6]
    texts = escalating_texts(run, count)
    requests = [slack_dm(run, i, texts[i]) for i in range(count)]
    result = Round()
    connector = aiohttp.TCPConnector(limit=count)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
        async with http.get(url + "/healthz"):  # one warm connection is not enough to matter; it checks we are up
            pass
        gate = asyncio.Event()

        async def one(i: int) -> None:
            request = requests[i]
            await gate.wait()
            started = time.perf_counter()
            result.sent_at[tag(run, i)] = started
            try:
                async with http.post(url + request.path, data=request.body, headers=request.headers) as response:
                    await response.read()
                    if response.status != 200:
                        result.failures[response.status] += 1
            except Exception as exc:  # noqa: BLE001 - counted
                result.failures[type(exc).__name__] += 1
            result.ack_ms.append((time.perf_counter() - started) * 1000)

        tasks = [asyncio.create_task(one(i)) for i in range(count)]
        await asyncio.sleep(0.05)
        gate.set()  # all at once
        await asyncio.gather(*tasks)

    tags = set(result.sent_at)

    async def all_cards() -> bool:
        return tags <= fake.cards.keys()

    if await wait_until(all_cards, timeout=120, every=0.05) is None:
        result.problems.append(f"only {len(tags & fake.cards.keys())}/{count} cards arrived within 120 s")

    async def settled() -> bool:
        async with db.session() as session:
            inbox = (await session.execute(select(func.count()).select_from(InboxEvent)
                                           .where(InboxEvent.status != "done"))).scalar_one()
            outbox = (await session.execute(select(func.count()).select_from(OutboxMessage)
                                            .where(OutboxMessage.status != "sent"))).scalar_one()
        return inbox == 0 and outbox == 0

    if await wait_until(settled, timeout=60) is None:
        result.problems.append("inbox or outbox not empty 60 s after the last card")
    await asyncio.sleep(1.0)  # a doubled card would arrive by now
    for t in tags:
        arrivals = fake.cards.get(t, [])
        if arrivals:
            result.card_ms.append((arrivals[0] - result.sent_at[t]) * 1000)
    doubled = sum(1 for t in tags if len(fake.cards.get(t, [])) > 1)
    if doubled:
        result.problems.append(f"{doubled} tickets got more than one card")
    async with db.session() as session:
        questions = (await session.execute(select(func.count()).select_from(Question)
                                           .where(Question.event_key.like(f"Ev{run}%")))).scalar_one()
        tickets = (await session.execute(select(func.count()).select_from(Ticket)
                                         .join(Question, Question.id == Ticket.question_id)
                                         .where(Question.event_key.like(f"Ev{run}%")))).scalar_one()
    if questions != count or tickets != count:
        result.problems.append(f"{questions} questions and {tickets} tickets for {count} events")
    return result


async def bench_database(kind: str, count: int, rounds: int, tmp: Path) -> list[Round]:
    fake = await TimedSlackApi().start()
    url = new_database(kind, tmp)
    serve = Serve(serve_env(url, fake), log=tmp / f"serve-tickets-{kind}.log")
    db = Database(url)
    results = []
    try:
        await serve.start()
        for n in range(rounds):
            load = os.getloadavg()[0]
            r = await burst(serve.url, fake, db, count)
            results.append(r)
            fails = ",".join(f"{k}:{v}" for k, v in r.failures.items()) or "none"
            print(f"  {kind:<9} round {n + 1}: {count} at once (load {load:.2f})  card p50 {pct(r.card_ms, 0.5):7.0f} ms  "
                  f"p99 {pct(r.card_ms, 0.99):7.0f} ms  max {max(r.card_ms or [float('nan')]):7.0f} ms   "
                  f"ack p50 {pct(r.ack_ms, 0.5):6.0f} ms  p99 {pct(r.ack_ms, 0.99):6.0f} ms  failed acks {fails}  "
                  f"{'one card per ticket' if not r.problems else 'PROBLEMS: ' + '; '.join(r.problems)}", flush=True)
    finally:
        await serve.stop()
        await db.dispose()
        await fake.stop()
        drop_database(url)
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=200, help="tickets opened at the same moment (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="bursts per database, one after the other (default 3)")
    parser.add_argument("--db", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"kulturbot tickets: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{args.tickets} escalating questions sent at once, {args.rounds} rounds per database", flush=True)
    summary = []
    with tempfile.TemporaryDirectory(prefix="kulturbot-tickets-") as tmp_dir:
        for kind in args.db.split(","):
            rounds = await bench_database(kind, args.tickets, args.rounds, Path(tmp_dir))
            cards = [ms for r in rounds for ms in r.card_ms]
            acks = [ms for r in rounds for ms in r.ack_ms]
            ok = all(not r.problems and not r.failures for r in rounds)
            summary.append(f"  {kind:<9} {len(cards)} tickets: event → advisers' card p50 {pct(cards, 0.5):.0f} ms, "
                           f"p99 {pct(cards, 0.99):.0f} ms, max {max(cards or [float('nan')]):.0f} ms "
                           f"(ack p50 {statistics.median(acks):.0f} ms, p99 {pct(acks, 0.99):.0f} ms); "
                           f"{'every ticket exactly one card' if ok else 'NOT every ticket exactly one card: see above'}")
    print(f"\nevent → advisers' card, {args.tickets} tickets opened at once (issue 4; no target figure given):")
    print("\n".join(summary))


if __name__ == "__main__":
    asyncio.run(main())
