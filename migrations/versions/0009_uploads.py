"""uploads: photos sent one per request and attached by id; the registry of private files

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=True),
    sa.Column('url', sa.String(length=255), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('subsidy_claim_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_uploads_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['subsidy_claim_id'], ['subsidy_claims.id'], name=op.f('fk_uploads_subsidy_claim_id_subsidy_claims')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_uploads_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    sa.UniqueConstraint('url', name=op.f('uq_uploads_url'))
    )
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uploads_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploads_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploads_subsidy_claim_id'), ['subsidy_claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_uploads_user_id'), ['user_id'], unique=False)
    _register_existing_photos()


def _register_existing_photos():
    """Photos stored before this revision get their row, attached, so that the media
    route can tell who may see them."""
    bind = op.get_bind()
    complaints = sa.table('complaints', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                          sa.column('photos', sa.JSON), sa.column('created_at', sa.DateTime(timezone=True)))
    claims = sa.table('subsidy_claims', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                      sa.column('invoice_photo_url', sa.String),
                      sa.column('created_at', sa.DateTime(timezone=True)))
    uploads = sa.table('uploads', sa.column('user_id', sa.Integer), sa.column('purpose', sa.String),
                       sa.column('url', sa.String), sa.column('complaint_id', sa.Integer),
                       sa.column('subsidy_claim_id', sa.Integer),
                       sa.column('created_at', sa.DateTime(timezone=True)),
                       sa.column('expires_at', sa.DateTime(timezone=True)),
                       sa.column('attached_at', sa.DateTime(timezone=True)))
    rows, seen = [], set()
    for cid, user_id, photos, at in bind.execute(sa.select(
            complaints.c.id, complaints.c.user_id, complaints.c.photos, complaints.c.created_at)):
        for url in photos or []:
            if isinstance(url, str) and url not in seen and len(url) <= 255:
                seen.add(url)
                rows.append({'user_id': user_id, 'purpose': 'complaint', 'url': url,
                             'complaint_id': cid, 'subsidy_claim_id': None,
                             'created_at': at, 'expires_at': at, 'attached_at': at})
    for cid, user_id, url, at in bind.execute(sa.select(
            claims.c.id, claims.c.user_id, claims.c.invoice_photo_url, claims.c.created_at)
            .where(claims.c.invoice_photo_url.is_not(None))):
        if url not in seen:
            seen.add(url)
            rows.append({'user_id': user_id, 'purpose': 'invoice', 'url': url,
                         'complaint_id': None, 'subsidy_claim_id': cid,
                         'created_at': at, 'expires_at': at, 'attached_at': at})
    if rows:
        op.bulk_insert(uploads, rows)


def downgrade():
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploads_user_id'))
        batch_op.drop_index(batch_op.f('ix_uploads_subsidy_claim_id'))
        batch_op.drop_index(batch_op.f('ix_uploads_expires_at'))
        batch_op.drop_index(batch_op.f('ix_uploads_complaint_id'))

    op.drop_table('uploads')
