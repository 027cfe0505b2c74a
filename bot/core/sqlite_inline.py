"""SQLite on the event loop's own thread: an aiosqlite-shaped connection whose statements run inline.

aiosqlite runs every call on a thread of its own: opening a cursor, executing, fetching and
closing each cross to that thread and back (a queue, a wake-up through the loop's self-pipe, the
GIL handed over twice). SQLAlchemy makes about four such calls per statement, and a question
takes about a dozen statements, so on the embedded default the crossings cost more than the
statements (bench/load: ~13 ms of CPU per question through aiosqlite). A statement on a local
SQLite file in WAL mode takes microseconds, so here it runs where it is called.

It must never stall the loop: the connection has no busy timeout, so a statement that finds
another process holding the write lock (a second `serve`, a `kulturbot privacy purge`) fails at
once with SQLITE_BUSY, and only then is it run again on a thread, with the usual timeout,
while the loop goes on. A statement that failed with SQLITE_BUSY changed nothing, so running it
again is safe. In this process the units of work already take turns (database._Turns), so the
lock is never contended from inside.

Only what SQLAlchemy's aiosqlite dialect and database.DriverInsert use is provided.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
BUSY_TIMEOUT_MS = 30_000
waited = 0  # statements in this process that found the lock taken and waited on a thread


def _busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class InlineCursor:
    def __init__(self, connection: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        await self._connection.run(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        rows = list(parameters)  # a generator cannot be replayed on a retry
        await self._connection.run(self._cursor.executemany, sql, rows)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _NewCursor:
    """What connection.cursor() returns: awaitable, and an async context manager (as in aiosqlite)."""

    def __init__(self, connection: InlineConnection) -> None:
        self._connection = connection

    def _open(self) -> InlineCursor:
        return InlineCursor(self._connection, self._connection._conn.cursor())

    def __await__(self) -> Any:
        async def opened() -> InlineCursor:
            return self._open()
        return opened().__await__()

    async def __aenter__(self) -> InlineCursor:
        return self._open()

    async def __aexit__(self, *exc: object) -> None:
        return None


class _Inline:
    """aiosqlite's `_tx` queue, as SQLAlchemy's isolation-level setter uses it: run at once."""

    @staticmethod
    def put_nowait(item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:  # noqa: BLE001 - handed to the awaiting caller
            future.set_exception(exc)


class InlineConnection:
    def __init__(self, conn: sqlite3.Connection, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self._connection: sqlite3.Connection | None = conn
        self._busy_timeout_ms = busy_timeout_ms
        self._tx = _Inline()

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")
        return self._connection

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        try:
            return function(*args)
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
        global waited
        waited += 1
        return await asyncio.to_thread(self._waiting, function, *args)

    def _waiting(self, function: Callable[..., T], *args: Any) -> T:
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_ms)}")
        try:
            return function(*args)
        finally:
            conn.execute("PRAGMA busy_timeout=0")

    def cursor(self) -> _NewCursor:
        return _NewCursor(self)

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        cursor = InlineCursor(self, self._conn.cursor())
        return await cursor.execute(sql, parameters)

    async def execute_fetchall(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        cursor = self._conn.cursor()
        try:
            await self.run(cursor.execute, sql, parameters)
            return cursor.fetchall()
        finally:
            cursor.close()

    async def commit(self) -> None:
        await self.run(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close now (SQLAlchemy's forced terminate calls this one; close() awaits it)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._conn.isolation_level = value


def connector(path: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Callable[[], Any]:
    """An `async_creator` for create_async_engine: a new inline connection to the file."""

    async def connect() -> InlineConnection:
        # timeout=0: never wait for a lock on the loop; InlineConnection.run waits on a thread
        return InlineConnection(sqlite3.connect(path, timeout=0, check_same_thread=False), busy_timeout_ms)

    return connect
