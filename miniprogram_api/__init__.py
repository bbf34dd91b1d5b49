"""The villager-facing HTTP API of the mini-program, under /api/mp/v1: thin routes only."""

from miniprogram_api import auth, catalog, coupons, expos, me, regions

BLUEPRINTS = (auth.blp, me.blp, regions.blp, catalog.blp, expos.blp, coupons.blp)
