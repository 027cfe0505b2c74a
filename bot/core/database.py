"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

log = logging.getLogger("kulturbot.db")
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


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
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            path = make_url(self.async_url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=10, pool_pre_ping=True, pool_recycle=1800)
        self.engine: AsyncEngine = create_async_engine(self.async_url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: committed on success, rolled back on any error."""
        async with self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

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


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", _driver_urls(url)[1].replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations (synchronously). Safe to run from several processes at once."""
    from alembic import command

    _, sync_url = _driver_urls(url)
    if sync_url.startswith("sqlite"):
        path = make_url(sync_url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
