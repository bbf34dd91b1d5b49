"""search_synonyms: villagers' words for the catalogue's, seeded with the common ones

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 18:10:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# As app.catalog.synonyms.SEED on the day this was written (migrations don't import the app).
SEED = (("马桶", "坐便器"), ("座便器", "坐便器"), ("地板砖", "瓷砖"), ("油漆", "涂料"),
        ("乳胶漆", "涂料"), ("泡沫板", "保温板"), ("塑钢窗", "门窗"), ("铝合金窗", "门窗"))


def upgrade():
    table = op.create_table('search_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=20), nullable=False),
    sa.Column('canonical', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonyms')),
    sa.UniqueConstraint('term', name=op.f('uq_search_synonyms_term'))
    )
    moment = datetime.now(UTC)
    if op.get_bind().dialect.name == 'sqlite':
        moment = moment.replace(tzinfo=None)  # the app stores naive UTC there (UTCDateTime)
    op.bulk_insert(table, [{'term': term, 'canonical': canonical, 'created_at': moment}
                           for term, canonical in SEED])


def downgrade():
    op.drop_table('search_synonyms')
