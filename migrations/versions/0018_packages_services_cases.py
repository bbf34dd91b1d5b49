"""packages, services: solution packages (系统解决方案) and their products; shop types,
service offers and home-visit bookings (预约上门); demonstration projects and typical cases
(示范工程 / 典型案例); campaign zones (专区), live sessions and villagers' reminders

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 00:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('solution_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('scenario', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('partner_shop_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('review_note', sa.String(length=255), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'],
                            name=op.f('fk_solution_packages_region_code_regions')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'],
                            name=op.f('fk_solution_packages_reviewed_by_users')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'],
                            name=op.f('fk_solution_packages_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solution_packages')),
    )
    op.create_index('ix_solution_packages_status_id', 'solution_packages', ['status', 'id'])
    op.create_index(op.f('ix_solution_packages_shop_id'), 'solution_packages', ['shop_id'])
    op.create_index(op.f('ix_solution_packages_region_code'), 'solution_packages',
                    ['region_code'])
    op.create_table('package_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['solution_packages.id'],
                            name=op.f('fk_package_items_package_id_solution_packages')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                            name=op.f('fk_package_items_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_items')),
    sa.UniqueConstraint('package_id', 'product_id', name='uq_package_items_product'),
    )
    op.create_index(op.f('ix_package_items_package_id'), 'package_items', ['package_id'])
    op.create_index(op.f('ix_package_items_product_id'), 'package_items', ['product_id'])

    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shop_type', sa.String(length=24), nullable=True))
    op.create_table('service_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('price_fen', sa.Integer(), nullable=True),
    sa.Column('price_unit', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'],
                            name=op.f('fk_service_offers_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_offers')),
    )
    op.create_index(op.f('ix_service_offers_shop_id'), 'service_offers', ['shop_id'])
    op.create_table('home_visit_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('preferred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('merchant_note', sa.String(length=255), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'],
                            name=op.f('fk_home_visit_bookings_decided_by_users')),
    sa.ForeignKeyConstraint(['offer_id'], ['service_offers.id'],
                            name=op.f('fk_home_visit_bookings_offer_id_service_offers')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'],
                            name=op.f('fk_home_visit_bookings_shop_id_shops')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_home_visit_bookings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_home_visit_bookings')),
    )
    op.create_index(op.f('ix_home_visit_bookings_user_id'), 'home_visit_bookings', ['user_id'])
    op.create_index('ix_home_visit_bookings_shop_status', 'home_visit_bookings',
                    ['shop_id', 'status'])

    op.create_table('showcase_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('building_type', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('package_ids', sa.JSON(), nullable=False),
    sa.Column('enterprise_ids', sa.JSON(), nullable=False),
    sa.Column('shop_ids', sa.JSON(), nullable=False),
    sa.Column('energy_saving_rate_bp', sa.Integer(), nullable=True),
    sa.Column('energy_saved_kwh_per_year', sa.Integer(), nullable=True),
    sa.Column('cost_fen', sa.Integer(), nullable=True),
    sa.Column('construction_days', sa.Integer(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('enterprise_consent', sa.Boolean(), nullable=False),
    sa.Column('consent_note', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'],
                            name=op.f('fk_showcase_cases_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_showcase_cases')),
    )
    op.create_index('ix_showcase_cases_status_region', 'showcase_cases',
                    ['status', 'region_code'])

    op.create_table('campaign_zones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('package_ids', sa.JSON(), nullable=False),
    sa.Column('coupon_template_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'],
                            name=op.f('fk_campaign_zones_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_zones')),
    )
    op.create_index(op.f('ix_campaign_zones_region_code'), 'campaign_zones', ['region_code'])
    op.create_table('live_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=True),
    sa.Column('host_kind', sa.String(length=10), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('host_name', sa.String(length=120), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('live_url', sa.String(length=500), nullable=True),
    sa.Column('room_id', sa.String(length=100), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'],
                            name=op.f('fk_live_sessions_created_by_users')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_live_sessions_shop_id_shops')),
    sa.ForeignKeyConstraint(['zone_id'], ['campaign_zones.id'],
                            name=op.f('fk_live_sessions_zone_id_campaign_zones')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_sessions')),
    )
    op.create_index(op.f('ix_live_sessions_zone_id'), 'live_sessions', ['zone_id'])
    op.create_index(op.f('ix_live_sessions_shop_id'), 'live_sessions', ['shop_id'])
    op.create_index('ix_live_sessions_starts_at', 'live_sessions', ['starts_at'])
    op.create_table('live_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['live_sessions.id'],
                            name=op.f('fk_live_reminders_session_id_live_sessions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_live_reminders_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_reminders')),
    sa.UniqueConstraint('session_id', 'user_id', name='uq_live_reminders_session_user'),
    )
    op.create_index(op.f('ix_live_reminders_session_id'), 'live_reminders', ['session_id'])
    op.create_index(op.f('ix_live_reminders_user_id'), 'live_reminders', ['user_id'])


def downgrade():
    op.drop_table('live_reminders')
    op.drop_table('live_sessions')
    op.drop_table('campaign_zones')
    op.drop_table('showcase_cases')
    op.drop_table('home_visit_bookings')
    op.drop_table('service_offers')
    with op.batch_alter_table('shops', schema=None) as batch_op:
        batch_op.drop_column('shop_type')
    op.drop_table('package_items')
    op.drop_table('solution_packages')
