"""audit log: one append-only table of officer actions and personal-data access

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 10:00:00

The database itself refuses UPDATE and DELETE on audit_entries (a trigger on PostgreSQL and
on SQLite), beside the application's own guard (app/audit/models.py). TRUNCATE and DROP are
not refused: they need the table's owner, which the application's login should not be.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

POSTGRES_GUARD = (
    """CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
)
SQLITE_GUARD = (
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only: DELETE refused'); END""",
)


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('actor_region_code', sa.String(length=12), nullable=True),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=True),
    sa.Column('subject_region_code', sa.String(length=12), nullable=True),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_actor_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_subject', ['subject_type', 'subject_id'], unique=False)
    # After the indexes: a batch operation on SQLite may copy the table, triggers and all.
    guard = POSTGRES_GUARD if op.get_bind().dialect.name == 'postgresql' else SQLITE_GUARD
    for statement in guard:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_entries_append_only ON audit_entries')
        op.execute('DROP FUNCTION audit_entries_append_only()')
    else:
        op.execute('DROP TRIGGER audit_entries_no_update')
        op.execute('DROP TRIGGER audit_entries_no_delete')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_subject')
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index('ix_audit_entries_actor_id')
        batch_op.drop_index('ix_audit_entries_action')
    op.drop_table('audit_entries')
