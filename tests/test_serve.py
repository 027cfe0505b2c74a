"""`kulturbot` as an operator runs it: the real `serve` process on the embedded defaults (no
platform credentials), its health check, its clear line about Slack being off, a graceful stop on
SIGTERM, a clear refusal of a malformed setting, and the `db upgrade` and `--help` commands."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

ROOT = Path(__file__).resolve().parents[1]
KULTURBOT = ROOT / ".venv" / "bin" / "kulturbot"
BASE_ENV = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KULTURBOT), *args], cwd=ROOT, env={**BASE_ENV, **env}, capture_output=True,
                          text=True, timeout=120)


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_until_serving(process: subprocess.Popen[bytes], timeout: float = 60.0) -> list[str]:
    """Read serve's output (unbuffered, so that select sees all of it) until it says it is
    serving; returns the lines read."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    output = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while b"serving on http://" not in output:
            if time.monotonic() >= deadline or not selector.select(deadline - time.monotonic()):
                raise AssertionError("serve did not start within the deadline:\n" + output.decode(errors="replace"))
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"serve exited ({process.wait()}) before serving:\n" + output.decode(errors="replace"))
            output += chunk
    return output.decode(errors="replace").splitlines()


def test_serve_on_the_embedded_defaults_reports_health_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}", "LOG_LEVEL": "INFO"}
    process = subprocess.Popen([str(KULTURBOT), "serve", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = wait_until_serving(process)
        status, health = get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        assert health["status"] == "ok" and health["database"] == "ok" and health["scheduler"] == "running"
        assert health["knowledge"]["articles"] >= 60 and health["knowledge"]["skipped"] == 0
        assert health["knowledge"]["examples"] >= 2000  # the bundled example questions weigh in
        assert (health["slack"], health["teams"]) == ("off", "anonymous")
        # Slack is off: its endpoint does not exist, Teams answers for local clients
        request = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    lines += rest.decode(errors="replace").splitlines()
    assert len([line for line in lines if "Slack is off" in line]) == 1
    assert not any("Traceback" in line for line in lines)


def test_a_malformed_database_url_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    result = run("serve", "--port", str(free_port()), DATABASE_URL="mysql//nope")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "DATABASE_URL" in output
    assert "Traceback" not in output


def test_db_upgrade_creates_the_schema_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    for _ in range(2):
        result = run("db", "upgrade", DATABASE_URL=f"sqlite:///{path}")
        assert result.returncode == 0, result.stderr
    tables = set(inspect(create_engine(f"sqlite:///{path}")).get_table_names())
    assert {"question", "ticket", "ticket_event", "inbox_event", "outbox_message", "alembic_version"} <= tables


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "chat", "db", "kb", "report", "privacy"):
        assert command in result.stdout
