"""idempotency_keys: a request hash, keys scoped per user and endpoint

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_hash', sa.String(length=64), nullable=True))
        batch_op.drop_constraint('uq_idempotency_keys_user_id_key', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_idempotency_keys_user_id_scope_key'), ['user_id', 'scope', 'key'])


def downgrade():
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_constraint('uq_idempotency_keys_user_id_scope_key', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_idempotency_keys_user_id_key'), ['user_id', 'key'])
        batch_op.drop_column('request_hash')
