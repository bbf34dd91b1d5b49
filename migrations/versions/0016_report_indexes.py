"""report indexes: what the summary report (活动总结) aggregates, per region and period

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 20:55:13

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# (name, table, columns); indexes only, no data changes
INDEXES = (
    ('ix_expos_township_starts', 'expos', ['township_code', 'starts_at']),
    ('ix_coupons_shop_claimed', 'coupons', ['shop_id', 'claimed_at']),
    ('ix_redemptions_shop_created', 'redemptions', ['shop_id', 'created_at']),
    ('ix_subsidy_claims_shop_created', 'subsidy_claims', ['shop_id', 'created_at']),
    ('ix_complaints_region_submitted', 'complaints', ['region_code', 'submitted_on']),
    ('ix_complaints_region_resolved', 'complaints', ['region_code', 'resolved_at']),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
