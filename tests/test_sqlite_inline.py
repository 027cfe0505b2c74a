"""SQLite statements run on the event loop's thread, and never stall it: a statement that finds
another process holding the write lock waits on a thread while everything else goes on."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.core import sqlite_inline
from bot.core.database import Database
from bot.core.tables import RateCount

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


async def fresh(sqlite_url: str) -> Database:
    db = Database(sqlite_url)
    await db.upgrade()
    return db


def other_process_holding_the_lock(sqlite_url: str) -> sqlite3.Connection:
    """Another writer (a second serve, a `kulturbot privacy purge`) in the middle of a write."""
    other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


async def count(db: Database) -> int:
    async with db.session() as session:
        return (await session.execute(select(func.count()).select_from(RateCount))).scalar_one()


async def until(condition, turns: int = 100_000) -> None:  # noqa: ANN001 - a predicate
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)  # one turn of the loop: no real-clock wait
    raise AssertionError("condition not reached")


@pytest.mark.asyncio
async def test_a_statement_waits_for_another_writer_while_the_loop_goes_on(sqlite_url: str) -> None:
    db = await fresh(sqlite_url)
    try:
        await count(db)  # the pool has a connection; nothing is written yet
        other = other_process_holding_the_lock(sqlite_url)
        waited_before = sqlite_inline.waited

        async def write() -> None:
            async with db.session() as session:
                session.add(RateCount(person_key="slack:T1:U1", window_start=NOW, count=1))

        writing = asyncio.create_task(write())
        await until(lambda: sqlite_inline.waited > waited_before)  # it found the lock taken...
        turns = 0
        for _ in range(50):  # ...and the loop keeps turning while it waits
            await asyncio.sleep(0)
            turns += 1
        assert turns == 50 and not writing.done()

        other.execute("COMMIT")  # the other process is done
        await asyncio.wait_for(writing, timeout=30)
        assert await count(db) == 1
        other.close()
    finally:
        await db.dispose()


@pytest.mark.asyncio
async def test_a_lock_held_past_the_busy_timeout_fails_the_statement_and_changes_nothing(sqlite_url: str) -> None:
    path = sqlite_url.removeprefix("sqlite:///")
    db = await fresh(sqlite_url)
    await db.dispose()
    conn = await sqlite_inline.connector(path, busy_timeout_ms=0)()
    other = other_process_holding_the_lock(sqlite_url)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await conn.execute("INSERT INTO rate_count (person_key, window_start, count) VALUES ('k', '2026-11-26', 1)")
        await conn.rollback()
        other.execute("COMMIT")
        rows = await conn.execute_fetchall("SELECT count(*) FROM rate_count")
        assert rows == [(0,)]
    finally:
        other.close()
        await conn.close()


@pytest.mark.asyncio
async def test_a_failed_statement_rolls_back_through_the_engine_as_before(sqlite_url: str) -> None:
    db = await fresh(sqlite_url)
    try:
        with pytest.raises(OperationalError):
            async with db.session() as session:
                session.add(RateCount(person_key="slack:T1:U2", window_start=NOW, count=1))
                await session.flush()
                await session.execute(select(func.no_such_function()))
        assert await count(db) == 0
    finally:
        await db.dispose()
