"""certificate binding: certificates carry their product category; dealer authorisations; products flagged when they may not carry their certificate

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.catalog.binding import flag_mismatches

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

OPEN = "status IN ('applied', 'approved')"


def upgrade():
    op.create_table('dealer_authorisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('document_no', sa.String(length=64), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('applied_by', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applied_by'], ['users.id'], name=op.f('fk_dealer_authorisations_applied_by_users')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_dealer_authorisations_decided_by_users')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_dealer_authorisations_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_dealer_authorisations_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dealer_authorisations'))
    )
    with op.batch_alter_table('dealer_authorisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dealer_authorisations_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dealer_authorisations_shop_id'), ['shop_id'], unique=False)
        # one open (applied or approved) authorisation per shop and enterprise
        batch_op.create_index('uq_dealer_authorisations_open', ['shop_id', 'enterprise_id'], unique=True,
                              postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))

    # Plain ADD COLUMNs: on SQLite a batch "move and copy" would DROP tables that others
    # reference, which foreign keys refuse (see 0010).
    op.add_column('products', sa.Column('certificate_flag', sa.String(length=24), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE certificates ADD COLUMN category_id INTEGER REFERENCES categories (id)')
    else:
        op.add_column('certificates', sa.Column('category_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_certificates_category_id_categories'), 'certificates', 'categories', ['category_id'], ['id'])
    op.create_index(op.f('ix_certificates_category_id'), 'certificates', ['category_id'], unique=False)

    # Existing products under another enterprise's certificate: there is no dealer
    # authorisation yet, so each is flagged; it waits in the admins' review queue and is not
    # certified until the shop's authorisation is approved (which clears the flag). No
    # certificate has a category yet: categories are judged when the import brings them.
    flag_mismatches(op.get_bind())


def downgrade():
    op.drop_index(op.f('ix_certificates_category_id'), table_name='certificates')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        if op.get_bind().dialect.name != 'sqlite':
            batch_op.drop_constraint(batch_op.f('fk_certificates_category_id_categories'), type_='foreignkey')
        batch_op.drop_column('category_id')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('certificate_flag')
    with op.batch_alter_table('dealer_authorisations', schema=None) as batch_op:
        batch_op.drop_index('uq_dealer_authorisations_open')
        batch_op.drop_index(batch_op.f('ix_dealer_authorisations_shop_id'))
        batch_op.drop_index(batch_op.f('ix_dealer_authorisations_enterprise_id'))
    op.drop_table('dealer_authorisations')
