"""admitted tickets index: the summary report counts admissions per expo from a partial index

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 00:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    # Only admitted tickets are in it (about a third at a province's scale), so the report
    # counts them without touching the rest; registrations come from expos.registered_count.
    op.create_index('ix_expo_tickets_admitted', 'expo_tickets', ['expo_id'],
                    postgresql_where=sa.text('admitted_at IS NOT NULL'),
                    sqlite_where=sa.text('admitted_at IS NOT NULL'))


def downgrade():
    op.drop_index('ix_expo_tickets_admitted', table_name='expo_tickets')
