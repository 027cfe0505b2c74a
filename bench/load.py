"""Load: the highest rate `kulturbot serve` sustains with p99 ack under 100 ms and every question
handled exactly once, for Slack events and for Bot Framework activities, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.load [--seconds 60] [--rates 50,100,150,200,250,300,400]
                                   [--db sqlite,postgres] [--platform slack,teams] [--profile]

For each database and platform a real `kulturbot serve` subprocess runs on loopback against a
fake Slack Web API and a fake Bot Framework connector (both in this process). Real questions
from knowledge/articles/examples/*.jsonl (some answered, some suggestions, some opening tickets) go in
at rising open-loop rates, each for --seconds; every event is its own user in its own DM, so
"handled exactly once" is checkable: one question row per event, one reply per DM in the fake
API's record, one advisers' card per ticket, nothing left in the inbox or the outbox. Ack latency
is measured from the moment a request was due (not sent), so a stalled server cannot hide.
Two verdicts per rate:
  acked    p99 ack < 100 ms, no request failed, and once the backlog is worked off every
           question was handled exactly once (the wait for it ends when it is cleared, when it
           made no progress for --stall seconds, or after --drain-cap seconds);
  kept up  the same, and the backlog (handling and delivery) was cleared within a quarter of the
           window: the handling keeps pace with the arrivals, not only the acks.
The ladder climbs while a rate is acked. Before it, a warm-up (not measured) lets the first-use
costs pass (auth.test, statement caches, the connection pools).

Beside every rate: the load average and the CPU that other processes on the machine used during
the window (from /proc/stat, minus serve and this process), in cores: the figures are only as
good as the CPU that was left for them.

In the same run a bare aiohttp endpoint (a subprocess that only returns 200) gets its own ladder
(doubling from the first rate, --bare-seconds a window, until p99 ≥ 100 ms), and the ratio of the
sustained rates is printed. PostgreSQL databases are created with a random name on
127.0.0.1:5432 and dropped after. --profile records the serve process with py-spy at every rate
(py-spy must be on PATH; it is not a project dependency) and prints where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable

import aiohttp
from sqlalchemy import func, select

from bot.core.database import Database
from bot.core.tables import InboxEvent, OutboxMessage, Question, Ticket
from tests.fakes.connector import FakeConnector
from tests.fakes.slack_api import FakeSlackApi

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"
TEAM = "T0001"
ADVISERS = "CADV"
TARGET_RATE = 200
P99_LIMIT_MS = 100.0
PG_ADMIN = os.environ.get("KULTURBOT_TEST_PG", "postgresql://root@127.0.0.1:5432/postgres")


def questions() -> list[str]:
    found = []
    for path in sorted((ROOT / "knowledge" / "articles" / "examples").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(json.loads(line)["question"])
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sign(body: str, timestamp: str) -> str:
    return "v0=" + hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()


# ------------------------------------------------------------------ databases

def new_database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    name = f"kulturbot_bench_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", PG_ADMIN, "-qAtc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    return f"postgresql://root@127.0.0.1:5432/{name}"


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        subprocess.run(["psql", PG_ADMIN, "-qAtc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                       check=False, capture_output=True)


# ------------------------------------------------------------------ processes

@dataclass
class Serve:
    """A `kulturbot serve` subprocess on loopback."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    log: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 90.0) -> "Serve":
        env = {**os.environ, **self.env}
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "kulturbot"), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, cwd=ROOT, stdout=out, stderr=out,
        )
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"serve exited with {self.process.returncode}; see {self.log}")
                try:
                    async with http.get(self.url + "/healthz") as response:
                        if response.status == 200:
                            return self
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError("serve did not become healthy")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)

    async def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            for _ in range(300):
                if self.process.poll() is not None:
                    return
                await asyncio.sleep(0.1)
            self.kill()


def cpu_seconds(pid: int, part: str = "both") -> float:
    """User + system (or one of them) CPU time of a process so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        user, system = int(fields[11]), int(fields[12])
        ticks = {"both": user + system, "user": user, "system": system}[part]
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine spent busy so far (/proc/stat, all cores)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class Contention:
    """How much CPU other processes took during a window: machine busy minus serve and us, in cores."""

    def __init__(self, serve_pid: int) -> None:
        self.pid = serve_pid
        self.started = time.perf_counter()
        self.machine = machine_busy_seconds()
        self.serve = cpu_seconds(serve_pid) if serve_pid else 0.0
        self.own = time.process_time()
        self.load = os.getloadavg()[0]

    def others_cores(self) -> float:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        serve = (cpu_seconds(self.pid) - self.serve) if self.pid else 0.0
        others = machine_busy_seconds() - self.machine - serve - (time.process_time() - self.own)
        return max(0.0, others) / elapsed

    def describe(self) -> str:
        return f"load {self.load:4.1f}, others {self.others_cores():3.1f} of {os.cpu_count()} cores"


def serve_env(database_url: str, slack: FakeSlackApi, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.url, "ADVISER_CHANNELS": f"default=slack:{ADVISERS}", "LOG_LEVEL": "WARNING",
        "KB_RELOAD_SECONDS": "3600", "MicrosoftAppId": "", "MicrosoftAppPassword": "", **extra,
    }


BARE_SERVER = """
import sys
from aiohttp import web
async def ok(request):
    await request.read()
    return web.Response(status=200)
app = web.Application()
app.router.add_post("/{tail:.*}", ok)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=lambda *a: None)
"""


# ------------------------------------------------------------------ requests

@dataclass
class Request:
    path: str
    body: bytes
    headers: dict[str, str]


def slack_dm(step: str, i: int, text: str) -> Request:
    user = f"U{step}{i:06d}".upper()
    body = json.dumps({
        "token": "x", "team_id": TEAM, "api_app_id": "A1", "type": "event_callback",
        "event_id": f"Ev{step}{i:06d}", "event_time": int(time.time()),
        "event": {"type": "message", "channel_type": "im", "channel": "D" + user[1:], "user": user, "text": text,
                  "ts": f"{1700000000 + i}.000100", "event_ts": f"{1700000000 + i}.000100"},
    })
    ts = str(int(time.time()))
    return Request("/slack/events", body.encode(), {"Content-Type": "application/json",
                                                    "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(body, ts)})


def teams_message(step: str, i: int, text: str, service_url: str) -> Request:
    body = json.dumps({
        "type": "message", "id": f"a{step}{i:06d}", "timestamp": "2026-11-25T12:00:00Z", "channelId": "msteams",
        "serviceUrl": service_url, "from": {"id": f"29:u{step}{i:06d}", "name": "Bench Bruker"},
        "conversation": {"id": f"conv-{step}-{i:06d}", "conversationType": "personal", "tenantId": "tenant-1"},
        "recipient": {"id": "28:kulturbot", "name": "Kulturbot"}, "text": text, "locale": "nb-NO",
        "channelData": {"tenant": {"id": "tenant-1"}},
    })
    return Request("/api/messages", body.encode(), {"Content-Type": "application/json"})


@dataclass
class Window:
    rate: int
    sent: int
    latencies_ms: list[float]
    failures: Counter

    def p(self, q: float) -> float:
        if not self.latencies_ms:
            return float("inf")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def open_loop(url: str, rate: int, seconds: float, make: Callable[[int], Request]) -> Window:
    """Send rate requests per second for seconds, each when due; latency from due to response.

    The collector is off in this process while it sends: its full collections (the fake APIs'
    records grow by every call) paused it for 80-120 ms twice a minute, and a request sent late
    counts as the server's latency (it is measured from when it was due)."""
    total = int(rate * seconds)
    latencies: list[float] = []
    failures: Counter = Counter()
    connector = aiohttp.TCPConnector(limit=512, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        async def one(i: int, due: float) -> None:
            request = make(i)
            try:
                async with http.post(url + request.path, data=request.body, headers=request.headers) as response:
                    await response.read()
                    if response.status >= 300:
                        failures[response.status] += 1
            except Exception as exc:  # noqa: BLE001 - counted, never raised
                failures[type(exc).__name__] += 1
            latencies.append((time.perf_counter() - due) * 1000)

        tasks = []
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter() + 0.05
            for i in range(total):
                due = start + i / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(one(i, due)))
            await asyncio.gather(*tasks)
        finally:
            gc.enable()
    return Window(rate, total, latencies, failures)


# ------------------------------------------------------------------ checking "exactly once"

async def wait_until(check: Callable[[], Awaitable[bool]], timeout: float, every: float = 0.25) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if await check():
            return time.perf_counter() - started
        await asyncio.sleep(every)
    return None


@dataclass
class Outcome:
    questions: int
    tickets: int
    replies_once: bool
    cards: int
    inbox_left: int
    outbox_left: int
    detail: str = ""

    def ok(self, sent: int) -> bool:
        return (self.questions == sent and self.replies_once and self.cards == self.tickets
                and self.inbox_left == 0 and self.outbox_left == 0)


async def db_counts(db: Database, key_prefix: str) -> tuple[int, int, int, int]:
    async with db.session() as session:
        questions = (await session.execute(select(func.count()).select_from(Question)
                                           .where(Question.event_key.like(f"{key_prefix}%")))).scalar_one()
        tickets = (await session.execute(select(func.count()).select_from(Ticket).join(Question, Question.id == Ticket.question_id)
                                         .where(Question.event_key.like(f"{key_prefix}%")))).scalar_one()
        inbox = (await session.execute(select(func.count()).select_from(InboxEvent)
                                       .where(InboxEvent.status != "done"))).scalar_one()
        outbox = (await session.execute(select(func.count()).select_from(OutboxMessage)
                                        .where(OutboxMessage.status != "sent"))).scalar_one()
    return questions, tickets, inbox, outbox


def slack_replies(slack: FakeSlackApi, channel_prefix: str) -> Counter:
    return Counter(c.args.get("channel") for c in slack.calls
                   if c.method == "chat.postMessage" and str(c.args.get("channel", "")).startswith(channel_prefix)
                   and not c.args.get("thread_ts"))


def cards_for(slack: FakeSlackApi, since: int) -> int:
    return sum(1 for c in slack.calls[since:] if c.method == "chat.postMessage" and c.args.get("channel") == ADVISERS
               and not c.args.get("thread_ts"))


def teams_replies(connector: FakeConnector, prefix: str) -> Counter:
    return Counter(s.conversation for s in connector.sent if s.verb == "send" and s.conversation.startswith(prefix))


# ------------------------------------------------------------------ one ladder

@dataclass
class StepResult:
    window: Window
    drain_s: float | None  # seconds after the last request until the backlog was cleared (None: not within the cap)
    drain_limit: float  # "kept up" if cleared within this
    outcome: Outcome | None
    cpu_ms: float = float("nan")  # serve's CPU per event, handling and delivery included
    sys_ms: float = float("nan")  # of which in the kernel (mostly loopback sockets)
    contention: str = ""

    @property
    def acked(self) -> bool:
        """p99 ack under the limit, nothing failed, and every question handled exactly once in the end."""
        return (self.window.p(0.99) < P99_LIMIT_MS and not self.window.failures and self.drain_s is not None
                and self.outcome is not None and self.outcome.ok(self.window.sent))

    @property
    def kept_up(self) -> bool:
        return self.acked and self.drain_s is not None and self.drain_s <= self.drain_limit


def row(label: str, result: StepResult) -> str:
    w = result.window
    fails = ",".join(f"{k}:{v}" for k, v in w.failures.items()) or "-"
    drain = f"{result.drain_s:5.1f}s" if result.drain_s is not None else "  not"
    once = "yes" if result.outcome and result.outcome.ok(w.sent) else f"NO {result.outcome.detail if result.outcome else ''}"
    verdict = "kept up" if result.kept_up else "acked" if result.acked else "FAIL"
    return (f"  {label:<15} {w.rate:>4}/s  sent {w.sent:>6}  ack p50 {w.p(0.5):6.1f}  p99 {w.p(0.99):7.1f}  "
            f"max {max(w.latencies_ms or [0]):7.1f} ms  fail {fails:<8} drain {drain}  "
            f"cpu {result.cpu_ms:5.1f} ms/ev (sys {result.sys_ms:3.1f})  once {once}  [{result.contention}]  {verdict}")


async def ladder(platform: str, db_kind: str, rates: list[int], seconds: float, texts: list[str], tmp: Path,
                 profile: bool, drain_cap: float = 900.0, stall: float = 30.0) -> tuple[int, int]:
    """Climb the rates until one is not acked; (highest rate acked, highest rate kept up)."""
    slack = await FakeSlackApi().start()
    connector = await FakeConnector().start()
    url = new_database(db_kind, tmp)
    serve = Serve(serve_env(url, slack), log=tmp / f"serve-{platform}-{db_kind}.log")
    db = Database(url)
    best = kept = 0
    try:
        await serve.start()
        print(f"\n{platform} on {db_kind}: serve pid {serve.process.pid if serve.process else '?'}, log {serve.log}")

        def requests(step: str) -> tuple[Callable[[int], Request], str]:
            if platform == "slack":
                return (lambda i: slack_dm(step, i, texts[i % len(texts)])), f"Ev{step}"
            return (lambda i: teams_message(step, i, texts[i % len(texts)], connector.url)), f"msg:a{step}"

        async def drained_after(key_prefix: str, sent: int, timeout: float) -> float | None:
            """Seconds until the backlog was cleared; None if it stalled for `stall` s or ran past timeout."""
            started = last_move = time.perf_counter()
            seen: tuple[int, int, int] | None = None
            while time.perf_counter() - started < timeout:
                questions, _, inbox, outbox = await db_counts(db, key_prefix)
                if questions >= sent and inbox == 0 and outbox == 0:
                    return time.perf_counter() - started
                if (questions, inbox, outbox) != seen:
                    seen, last_move = (questions, inbox, outbox), time.perf_counter()
                elif time.perf_counter() - last_move > stall:
                    return None
                await asyncio.sleep(0.25)
            return None

        # warm-up, not measured: auth.test, statement caches, pools, the first of everything
        make, key_prefix = requests(uuid.uuid4().hex[:6])
        warm = await open_loop(serve.url, 20, 3, make)
        await drained_after(key_prefix, warm.sent, 60)

        for rate in rates:
            step = uuid.uuid4().hex[:6]
            since = len(slack.calls)
            make, key_prefix = requests(step)
            spy = start_profile(serve, rate, seconds, tmp, platform, db_kind) if profile else None
            pid = serve.process.pid if serve.process else 0
            cpu_before, sys_before = cpu_seconds(pid), cpu_seconds(pid, "system")
            contention = Contention(pid)
            window = await open_loop(serve.url, rate, seconds, make)
            others = contention.describe()  # the window only, not the drain
            drain = await drained_after(key_prefix, window.sent, drain_cap)
            questions, tickets, inbox, outbox = await db_counts(db, key_prefix)
            if platform == "slack":
                replies = slack_replies(slack, "D" + step.upper())
            else:
                replies = teams_replies(connector, f"conv-{step}-")
            twice = sum(1 for n in replies.values() if n > 1)
            outcome = Outcome(questions, tickets, len(replies) == window.sent and twice == 0, cards_for(slack, since),
                              inbox, outbox, f"(replies {len(replies)}/{window.sent}, doubled {twice})")
            result = StepResult(window, drain, max(5.0, seconds / 4), outcome,
                                1000 * (cpu_seconds(pid) - cpu_before) / max(window.sent, 1),
                                1000 * (cpu_seconds(pid, "system") - sys_before) / max(window.sent, 1), others)
            print(row(f"{platform}/{db_kind}", result), flush=True)
            if spy is not None:
                finish_profile(spy)
            if not result.acked:
                break
            best = rate
            if result.kept_up:
                kept = rate
    finally:
        await serve.stop()
        await db.dispose()
        await slack.stop()
        await connector.stop()
        drop_database(url)
    return best, kept


async def bare_ladder(first: int, seconds: float, highest: int = 20000) -> int:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)], cwd=ROOT)
    best = 0
    try:
        url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.post(url + "/x", data=b"{}") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
        print("\nbare aiohttp endpoint (returns 200, nothing else):")
        body = slack_dm("bare", 0, "hva er breddeprogrammet")
        rate = first
        while rate <= highest:
            contention = Contention(process.pid)
            window = await open_loop(url, rate, seconds, lambda i: body)
            passed = window.p(0.99) < P99_LIMIT_MS and not window.failures
            print(f"  {'bare':<15} {rate:>4}/s  sent {window.sent:>6}  ack p50 {window.p(0.5):6.1f}  p99 {window.p(0.99):7.1f}  "
                  f"[{contention.describe()}]  {'PASS' if passed else 'FAIL'}", flush=True)
            if not passed:
                break
            best = rate
            rate *= 2
    finally:
        process.terminate()
        process.wait(timeout=10)
    return best


# ------------------------------------------------------------------ profiling

def start_profile(serve: Serve, rate: int, seconds: float, tmp: Path, platform: str, db_kind: str) -> Any:
    spy = shutil.which("py-spy")
    if not spy or serve.process is None:
        print("  (py-spy not found on PATH: no profile)")
        return None
    keep = Path(tempfile.gettempdir()) / "kulturbot-profiles"
    keep.mkdir(exist_ok=True)
    out = keep / f"profile-{platform}-{db_kind}-{rate}.txt"
    process = subprocess.Popen([spy, "record", "--pid", str(serve.process.pid), "--duration", str(int(seconds)),
                                "--rate", "200", "--gil", "--format", "raw", "--output", str(out), "--nonblocking"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, out


def finish_profile(spy: Any) -> None:
    process, out = spy
    process.wait(timeout=120)
    if out.exists():
        print(f"  profile ({out}):")
        for line in summarize_profile(out):
            print("    " + line)


def summarize_profile(path: Path, top: int = 14) -> list[str]:
    """Where the serve process's time goes: self time by function, and inclusive time of the
    steps that matter (ack path, handlers, delivery, database driver, HTTP client)."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = idle = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        leaf = frames[-1]
        if "select (selectors.py" in leaf or "wait (threading.py" in leaf or "_worker (concurrent" in leaf or "get (queue.py" in leaf:
            idle += n
            continue
        own[leaf] += n
        for frame in set(frames):
            if any(key in frame for key in ("bot/", "handlers/", "knowledge/", "aiosqlite", "asyncpg", "sqlalchemy/orm/session",
                                            "slack_sdk", "slack_bolt/app", "botbuilder", "msrest", "aiohttp/client.py",
                                            "json/")):
                inclusive[frame] += n
    busy = max(total - idle, 1)
    lines = [f"{total} samples, {100 * idle / max(total, 1):.0f}% idle (all threads); of the busy samples:"]
    lines += [f"  self {100 * n / busy:5.1f}%  {frame[:130]}" for frame, n in own.most_common(top)]
    lines += [f"  incl {100 * n / busy:5.1f}%  {frame[:130]}" for frame, n in inclusive.most_common(top + 10)]
    return lines


# ------------------------------------------------------------------ main

def machine() -> str:
    mem = "?"
    try:
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} CPUs, {mem} RAM, Python {sys.version.split()[0]}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each rate's window (default 60)")
    parser.add_argument("--rates", default="50,100,150,200,250,300,400,500")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--platform", default="slack,teams")
    parser.add_argument("--no-bare", action="store_true")
    parser.add_argument("--bare-seconds", type=float, default=20.0, help="window of each bare endpoint rate (default 20)")
    parser.add_argument("--drain-cap", type=float, default=900.0,
                        help="at most this many seconds to wait for a backlog to clear (default 900)")
    parser.add_argument("--stall", type=float, default=30.0,
                        help="stop waiting for a backlog that made no progress for this many seconds (default 30)")
    parser.add_argument("--profile", action="store_true", help="py-spy the serve process at every rate (py-spy on PATH)")
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]
    texts = questions()
    print(f"kulturbot load: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{len(texts)} example questions; window {args.seconds:g} s per rate; acked = p99 ack < {P99_LIMIT_MS:g} ms, "
          f"no failed request, every question handled exactly once in the end; kept up = also the backlog cleared "
          f"within {max(5.0, args.seconds / 4):g} s")
    results: dict[tuple[str, str], tuple[int, int]] = {}
    with tempfile.TemporaryDirectory(prefix="kulturbot-load-") as tmp_dir:
        tmp = Path(tmp_dir)
        for platform in args.platform.split(","):
            for db_kind in args.db.split(","):
                results[(platform, db_kind)] = await ladder(platform, db_kind, rates, args.seconds, texts, tmp,
                                                            args.profile, args.drain_cap, args.stall)
        bare = 0 if args.no_bare else await bare_ladder(rates[0], args.bare_seconds)
    print(f"\nhighest sustained rate, {args.seconds:g} s a rate (target {TARGET_RATE}/s on one process):")
    for (platform, db_kind), (best, kept) in results.items():
        verdict = "MET" if kept >= TARGET_RATE else "acks only" if best >= TARGET_RATE else "MISSED"
        ratio = f"{best / bare:.3f} of the bare endpoint's {bare}/s" if bare else ""
        print(f"  {platform:<6} {db_kind:<9} acked {best:>4}/s, kept up {kept:>4}/s  {verdict}  {ratio}")
    if bare:
        print(f"  (bare aiohttp endpoint: {bare}/s with p99 < {P99_LIMIT_MS:g} ms, load generator on the same machine)")


if __name__ == "__main__":
    asyncio.run(main())
