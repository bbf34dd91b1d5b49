"""open311: API keys for client applications; complaints keep lat/long/address and flag deadlines counted without a calendar

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 19:00:00

"""
from datetime import date

from alembic import op
import sqlalchemy as sa
import chinese_calendar

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OPEN = ('submitted', 'accepted', 'awaiting_merchant', 'merchant_responded', 'mediated')


def upgrade():
    op.create_table('open311_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key_prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_open311_keys_issued_by_id_users')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_open311_keys_region_code_regions')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_open311_keys_reporter_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_open311_keys_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_open311_keys_key_hash'))
    )
    # Plain ADD COLUMNs: on SQLite a batch "move and copy" of complaints would DROP a table
    # that complaint_events and uploads rows reference, which foreign keys refuse.
    op.add_column('complaints', sa.Column('deadline_uncertain', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('complaints', sa.Column('latitude', sa.Float(), nullable=True))
    op.add_column('complaints', sa.Column('longitude', sa.Float(), nullable=True))
    op.add_column('complaints', sa.Column('address_string', sa.String(length=255), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its reference in one statement (it can't add a constraint).
        op.execute('ALTER TABLE complaints ADD COLUMN open311_key_id INTEGER REFERENCES open311_keys (id)')
    else:
        op.add_column('complaints', sa.Column('open311_key_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_complaints_open311_key_id_open311_keys'), 'complaints', 'open311_keys', ['open311_key_id'], ['id'])
    _flag_deadlines_without_a_calendar()


def _flag_deadlines_without_a_calendar():
    """Open complaints whose deadline was counted into a year that neither chinese-calendar
    nor the holidays table covers (every weekday counted): flagged, so that the jobs tick
    recounts them once the year's notice is known."""
    bind = op.get_bind()
    last_known = max(chinese_calendar.holidays).year
    holidays = sa.table('holidays', sa.column('day', sa.Date))
    kept = {day.year for (day,) in bind.execute(sa.select(holidays.c.day))}
    complaints = sa.table('complaints', sa.column('id', sa.Integer), sa.column('status', sa.String),
                          sa.column('accept_due_on', sa.Date),
                          sa.column('finish_due_on', sa.Date), sa.column('deadline_uncertain', sa.Boolean))
    flagged = []
    for cid, status, accept_due, finish_due in bind.execute(sa.select(
            complaints.c.id, complaints.c.status, complaints.c.accept_due_on,
            complaints.c.finish_due_on).where(complaints.c.status.in_(OPEN))):
        due = accept_due if status == 'submitted' else finish_due
        if due is not None and due > date(last_known, 12, 31) and any(
                year not in kept for year in range(last_known + 1, due.year + 1)):
            flagged.append(cid)
    if flagged:
        bind.execute(sa.update(complaints).where(complaints.c.id.in_(flagged))
                     .values(deadline_uncertain=True))


def downgrade():
    # On SQLite the batch below copies complaints to a new table: like the earlier
    # revisions' downgrades there, it needs the rows that reference complaints out of the way.
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        if op.get_bind().dialect.name != 'sqlite':
            batch_op.drop_constraint(batch_op.f('fk_complaints_open311_key_id_open311_keys'), type_='foreignkey')
        batch_op.drop_column('open311_key_id')
        batch_op.drop_column('address_string')
        batch_op.drop_column('longitude')
        batch_op.drop_column('latitude')
        batch_op.drop_column('deadline_uncertain')
    op.drop_table('open311_keys')
