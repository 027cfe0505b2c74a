"""Shared fixtures: databases (SQLite and PostgreSQL), fakes on loopback, the bot under test."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.clock import FakeClock
from tests.fakes.connector import FakeConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.harness import BotUnderTest, start_bot

PG_ADMIN = os.environ.get("KULTURBOT_TEST_PG", "postgresql://root@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else ""
        if host not in {"127.0.0.1", "::1", "localhost"} and not str(host).startswith("127."):
            raise RuntimeError(f"test tried to reach the network: {host}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never leave the machine: any connection off loopback fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


def postgres_available() -> bool:
    try:
        subprocess.run(["psql", PG_ADMIN, "-qAtc", "select 1"], check=True, capture_output=True, timeout=10)
        return True
    except (OSError, subprocess.SubprocessError):
        return False


def require_postgres() -> None:
    if postgres_available():
        return
    if IN_CI:
        pytest.fail("PostgreSQL at 127.0.0.1:5432 is required in CI")
    pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")


def create_pg_database() -> str:
    name = f"kulturbot_test_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", PG_ADMIN, "-qAtc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    return name


def drop_pg_database(name: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-qAtc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                   check=False, capture_output=True)


def fresh_pg_url() -> Iterator[str]:
    """A new PostgreSQL database for one test, dropped afterwards."""
    require_postgres()
    name = create_pg_database()
    try:
        yield f"postgresql://root@127.0.0.1:5432/{name}"
    finally:
        drop_pg_database(name)


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from fresh_pg_url()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kulturbot.db'}"
    else:
        yield from fresh_pg_url()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kulturbot.db'}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest_asyncio.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    api = await FakeSlackApi().start()
    yield api
    await api.stop()


@pytest_asyncio.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = await FakeConnector().start()
    yield fake
    await fake.stop()


@pytest_asyncio.fixture
async def bot(sqlite_url: str, slack_api: FakeSlackApi, connector: FakeConnector, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """The bot on SQLite (the embedded default), with fake Slack and Teams on loopback."""
    under_test = await start_bot(sqlite_url, slack_api, connector, clock)
    yield under_test
    await under_test.close()


@pytest_asyncio.fixture
async def bot_on(database_url: str, slack_api: FakeSlackApi, connector: FakeConnector, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """The same bot on each backend: SQLite and PostgreSQL."""
    under_test = await start_bot(database_url, slack_api, connector, clock)
    yield under_test
    await under_test.close()
