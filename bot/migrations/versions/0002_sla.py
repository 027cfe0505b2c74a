"""SLA: when the sweep should next look at a ticket

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00

ticket.sla_check_at is the due time of a ticket's next reminder or breach, indexed with the
status, so that one sweep finds its due work with one index range scan however many tickets
are open. Tickets that are waiting for their first answer when this migration runs are marked
"look at once": the first sweep plans them.
"""
from datetime import datetime, timezone
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHECK_NOW = datetime(2000, 1, 1, tzinfo=timezone.utc)


def upgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sla_check_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_ticket_sla_check', ['status', 'sla_check_at'], unique=False)
    ticket = sa.table(
        'ticket',
        sa.column('status', sa.String()),
        sa.column('first_answer_at', sqlmodel.sql.sqltypes.UTCDateTime()),
        sa.column('sla_check_at', sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    op.execute(
        ticket.update()
        .where(ticket.c.status.in_(['open', 'claimed']), ticket.c.first_answer_at.is_(None))
        .values(sla_check_at=CHECK_NOW)
    )


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_sla_check')
        batch_op.drop_column('sla_check_at')
