"""reveals and bank accounts: personal_data_access says which datum was shown and why; villagers' bank account (encrypted) and bank name

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # users is referenced by most tables: plain ADD COLUMNs, no batch copy (see 0010).
    op.add_column('users', sa.Column('bank_account_enc', sa.String(length=255), nullable=True))
    op.add_column('users', sa.Column('bank_name', sa.String(length=64), nullable=True))

    # Until now only the payment export wrote here, and it showed ID numbers.
    op.add_column('personal_data_access', sa.Column('field', sa.String(length=20), nullable=True))
    op.execute("UPDATE personal_data_access SET field = 'id_card_no'")
    # Nothing references personal_data_access: on SQLite the batch copy is safe.
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.alter_column('field', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('purpose', existing_type=sa.String(length=120),
                              type_=sa.String(length=200), existing_nullable=False)


def downgrade():
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.alter_column('purpose', existing_type=sa.String(length=200),
                              type_=sa.String(length=120), existing_nullable=False)
        batch_op.drop_column('field')
    # Plain DROP COLUMNs (SQLite 3.35+ has them): a batch copy of users would be refused.
    op.drop_column('users', 'bank_name')
    op.drop_column('users', 'bank_account_enc')
