"""The benchmarks, and a quick run of them (`make bench`).

    .venv/bin/python -m bench                 # the quick set: shortened runs, a few minutes
    .venv/bin/python -m bench --list          # what there is, with the quick and full commands
    .venv/bin/python -m bench --full          # every benchmark with its own defaults (over an hour)
    .venv/bin/python -m bench tickets load    # only these (quick; with --full, full)

Each benchmark is a module of its own (`python -m bench.NAME --help`), run here in a subprocess
one after the other; each prints its figures against its issue's target. Quick runs are for
"does it still work and roughly how fast": the figures to report come from the full runs. Those
marked "full only" have no meaningful short form and run only with --full or when named.
Timings are noisy on a shared machine: note `uptime` beside every figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name: (what it measures, quick arguments or None for "full only")
BENCHMARKS: dict[str, tuple[str, list[str] | None]] = {
    "retrieval": ("answer quality against BM25 and TF-IDF, and retrieval speed at scale (issue 3)",
                  ["--articles", "1000", "--queries", "200"]),
    "tickets": ("event → advisers' card p50/p99 with 200 tickets opened at once (issue 4)",
                ["--rounds", "1", "--db", "sqlite"]),
    "load": ("highest event rate sustained with p99 ack < 100 ms, exactly once (issue 7)",
             ["--seconds", "10", "--rates", "50,100,200", "--db", "sqlite", "--platform", "slack", "--no-bare"]),
    "digest": ("time to build a manager digest over a year of history (issue 6)",
               ["--questions", "10000", "--tickets", "1000", "--runs", "1"]),
    "sla": ("SLA sweep cost at 100,000 open tickets and a burst of 10,000 reminders (issue 5)", None),
    "faults": ("what survives kills, Slack outages, a PostgreSQL restart, two instances (issue 7)", None),
}


def command(name: str, full: bool) -> list[str]:
    quick = BENCHMARKS[name][1]
    return [sys.executable, "-m", f"bench.{name}", *([] if full or quick is None else quick)]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    parser.add_argument("--full", action="store_true", help="each benchmark with its own defaults (the real figures)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their commands")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; there are {', '.join(BENCHMARKS)}")
    if args.list:
        for name, (what, quick) in BENCHMARKS.items():
            print(f"{name:<10} {what}")
            print(f"{'':<10}   quick: {' '.join(command(name, False)[1:]) if quick else '(full only)'}")
            print(f"{'':<10}   full:  {' '.join(command(name, True)[1:])}")
        return 0
    names = args.names or [n for n, (_, quick) in BENCHMARKS.items() if args.full or quick is not None]
    results = []
    for name in names:
        cmd = command(name, args.full)
        print(f"\n=== {' '.join(cmd[1:])}   (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
        started = time.monotonic()
        code = subprocess.call(cmd, cwd=ROOT)
        results.append((name, code, time.monotonic() - started))
    print("\n=== summary")
    for name, code, seconds in results:
        print(f"  {name:<10} {'ok' if code == 0 else f'exit {code}'}  ({seconds:.0f} s)")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
