"""sms_login_codes: the H5 storefront's phone + SMS code login

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:22:18

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_login_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('slot', sa.BigInteger(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_login_codes')),
    # One code per phone per minute, also under simultaneous requests; leads phone lookups.
    sa.UniqueConstraint('phone_hash', 'slot', name=op.f('uq_sms_login_codes_phone_hash_slot'))
    )


def downgrade():
    op.drop_table('sms_login_codes')
