"""notification delivery: consent credits, per-channel status, opt-out (issue 16)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 23:59:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('not_before', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('target_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('payload', sa.JSON(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_notifications_dedupe_key'),
                                          ['dedupe_key'])
        batch_op.create_index(batch_op.f('ix_notifications_not_before'), ['not_before'],
                              unique=False)
        batch_op.create_index('ix_notifications_target_hash_sent_at',
                              ['target_hash', 'sent_at'], unique=False)

    op.create_table('wechat_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('credits', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_wechat_subscriptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wechat_subscriptions')),
    sa.UniqueConstraint('user_id', 'template_id',
                        name=op.f('uq_wechat_subscriptions_user_id_template_id'))
    )
    op.create_table('sms_opt_outs',
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('phone_hash', name=op.f('pk_sms_opt_outs'))
    )


def downgrade():
    op.drop_table('sms_opt_outs')
    op.drop_table('wechat_subscriptions')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_target_hash_sent_at')
        batch_op.drop_index(batch_op.f('ix_notifications_not_before'))
        batch_op.drop_constraint(batch_op.f('uq_notifications_dedupe_key'), type_='unique')
        batch_op.drop_column('payload')
        batch_op.drop_column('target_hash')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('dedupe_key')
        batch_op.drop_column('not_before')
