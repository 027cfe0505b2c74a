"""The notice record: one sla_notice row per (ticket, kind), created at most once."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.tables import SlaNotice


async def record_notices(session: AsyncSession, is_sqlite: bool, rows: list[dict[str, object]]) -> set[tuple[int, str]]:
    """Insert notice rows, ignoring any already there (INSERT … ON CONFLICT DO NOTHING).
    Returns the (ticket_id, kind) this call created: the only ones this caller may send."""
    if not rows:
        return set()
    dialect = sqlite if is_sqlite else postgresql
    table = SlaNotice.__table__  # type: ignore[attr-defined]
    statement = (
        dialect.insert(table)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["ticket_id", "kind"])
        .returning(table.c.ticket_id, table.c.kind)
    )
    result = await session.execute(statement)
    return {(ticket_id, kind) for ticket_id, kind in result}
