"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from . import sqlite_inline

log = logging.getLogger("kulturbot.db")
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
POOL_SIZE = 24
# Units of work at once in one process (bench/load: bounding them, with the acks first, takes
# PostgreSQL's p99 ack at 50 events/s from ~290 ms unbounded to ~35-65 ms at 2-4).
PG_TURNS = 4
# session.info key: async steps (session) -> None that run just before the unit of work commits
BEFORE_COMMIT = "kulturbot.before_commit"


def _driver_urls(url: str) -> tuple[str, str]:
    """(async URL, sync URL) for a plain sqlite:/// or postgresql:// URL."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return (
            str(parsed.set(drivername="sqlite+aiosqlite")),
            str(parsed.set(drivername="sqlite")),
        )
    if backend in {"postgresql", "postgres"}:
        return (
            parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False),
            parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False),
        )
    raise ValueError(f"unsupported database backend {backend!r}")


class Database:
    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.async_url, self.sync_url = _driver_urls(url)
        self.is_sqlite = self.async_url.startswith("sqlite")
        # hide_parameters: SQL logs and exception messages never carry what users wrote
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.is_sqlite:
            path = make_url(self.async_url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                # statements run on the loop's thread, not aiosqlite's (see sqlite_inline)
                kwargs["async_creator"] = sqlite_inline.connector(path)
            else:
                kwargs["connect_args"] = {"timeout": 30}
            kwargs.update(pool_size=POOL_SIZE, max_overflow=10)
        else:
            # A pool as large as the work in flight (workers, delivery lanes, acks): connections are
            # reused, never opened per request. No pre-ping round trip per checkout: after a
            # restart of PostgreSQL the first failure invalidates the whole pool at once.
            kwargs.update(pool_size=POOL_SIZE, max_overflow=10, pool_recycle=1800)
        self.engine: AsyncEngine = create_async_engine(self.async_url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)
        self._queue = _Turns(1 if self.is_sqlite else PG_TURNS)

    @asynccontextmanager
    async def session(self, *, urgent: bool = False) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed on success, rolled back on any error.

        Units of work take turns, `urgent` ones (storing an event before its ack) first: on SQLite
        one at a time (it has one writer, and its connections would otherwise wait for each other
        in its busy handler, which sleeps up to 100 ms a try), on PostgreSQL PG_TURNS at a time
        (more only crowd the event loop and delay the acks). Never open one inside another.
        Steps listed under session.info[BEFORE_COMMIT] run just before the commit (the outbox
        writes a unit of work's messages there, in one statement)."""
        async with self._turn(urgent), self.sessions() as session:
            try:
                yield session
                for step in session.info.pop(BEFORE_COMMIT, ()):
                    await step(session)
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    @asynccontextmanager
    async def _turn(self, urgent: bool) -> AsyncIterator[None]:
        await self._queue.acquire(urgent)
        try:
            yield
        finally:
            self._queue.release()

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # noqa: BLE001 - health check reports, never raises
            log.warning("database ping failed: %s", type(exc).__name__)
            return False

    async def upgrade(self) -> None:
        await asyncio.to_thread(upgrade, self.url)

    async def dispose(self) -> None:
        await self.engine.dispose()

    def insert_ignoring_duplicates(self, table: Any, values: dict[str, Any], keys: list[str]) -> Any:
        """INSERT … ON CONFLICT DO NOTHING for this backend (RETURNING id)."""
        dialect = sqlite if self.is_sqlite else postgresql
        return (
            dialect.insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=keys)
            .returning(table.id)
        )

    def driver_insert(self, table: Any, columns: list[str], keys: list[str]) -> "DriverInsert":
        """insert_ignoring_duplicates, compiled once, run on the driver's own connection."""
        return DriverInsert(self, table, columns, keys)


class DriverInsert:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, compiled once for this engine's dialect and
    run on the driver's own connection (asyncpg / aiosqlite) from the pool, in its own transaction.

    For the one statement on the ack path (storing an event before the platform is answered).
    Through a session it costs ~1.3 ms of CPU on SQLite and ~1.6 ms on PostgreSQL per call
    (building the statement, its cache key, the session, the greenlet bridge); here ~0.3 ms
    (bench/load). Values go through the columns' own bind processors, so the row is stored exactly
    as the ORM stores it. A connection that failed is invalidated (a new one next time)."""

    def __init__(self, db: Database, table: Any, columns: list[str], keys: list[str]) -> None:
        from sqlalchemy import bindparam

        self.db = db
        dialect = db.engine.dialect
        stmt = db.insert_ignoring_duplicates(table, {c: bindparam(c) for c in columns}, keys)
        compiled = stmt.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = list(compiled.positiontup or [])
        cols = table.__table__.c
        self.processors = {name: cols[name].type.bind_processor(dialect) for name in self.order}

    async def __call__(self, values: dict[str, Any], *, urgent: bool = False) -> int | None:
        args = []
        for name in self.order:
            process = self.processors[name]
            args.append(process(values[name]) if process is not None else values[name])
        # SQLite has one writer: the insert takes its turn (urgent first). PostgreSQL needs none: one
        # short statement that crowds nothing, and it would otherwise wait for a handler's whole unit
        # of work to end whenever PG_TURNS of them are in flight.
        turn = self.db._turn(urgent) if self.db.is_sqlite else contextlib.nullcontext()
        async with turn, self.db.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            try:
                if self.db.is_sqlite:
                    rows = list(await driver.execute_fetchall(self.sql, args))  # one trip to its thread
                    await driver.commit()
                    return rows[0][0] if rows else None
                return await driver.fetchval(self.sql, *args)  # one statement: its own transaction
            except Exception:
                await conn.invalidate()
                raise


class _Turns:
    """A semaphore with two queues: urgent waiters go before the others, each queue first come
    first served."""

    def __init__(self, capacity: int) -> None:
        self._free = capacity
        self._waiting: tuple[collections.deque[asyncio.Future[None]], collections.deque[asyncio.Future[None]]] = (
            collections.deque(), collections.deque())

    async def acquire(self, urgent: bool) -> None:
        if self._free > 0 and not any(self._waiting):
            self._free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[0 if urgent else 1].append(future)
        try:
            await future  # release() hands its turn over: _free is not given back
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # handed over just as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):  # release() may have dropped it already
                    self._waiting[0 if urgent else 1].remove(future)
            raise

    def release(self) -> None:
        for queue in self._waiting:
            while queue:
                future = queue.popleft()
                if not future.done():
                    future.set_result(None)
                    return
        self._free += 1


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", _driver_urls(url)[1].replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Apply migrations (synchronously). Safe to run from several processes at once."""
    from alembic import command

    _, sync_url = _driver_urls(url)
    if sync_url.startswith("sqlite"):
        path = make_url(sync_url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
