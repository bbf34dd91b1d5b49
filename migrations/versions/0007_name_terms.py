"""products.name_terms: the name-and-brand tokens, searched first

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 02:30:00

"""
from alembic import op
import sqlalchemy as sa

from app.catalog.search import terms_for

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_terms', sa.Text(), nullable=False, server_default=''))

    # Backfill with the same tokenizer the app uses (a pure function of the two texts).
    bind = op.get_bind()
    products = sa.table('products', sa.column('id', sa.Integer), sa.column('name', sa.String),
                        sa.column('brand', sa.String), sa.column('name_terms', sa.Text))
    last = 0
    while rows := bind.execute(sa.select(products.c.id, products.c.name, products.c.brand)
                               .where(products.c.id > last).order_by(products.c.id)
                               .limit(BATCH)).all():
        bind.execute(sa.update(products).where(products.c.id == sa.bindparam('pid'))
                     .values(name_terms=sa.bindparam('terms')),
                     [{'pid': r.id, 'terms': terms_for(r.name, r.brand)} for r in rows])
        last = rows[-1].id

    if bind.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_products_name_search ON products "
                   "USING gin (to_tsvector('simple', name_terms))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_products_name_search")
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('name_terms')
