"""The villager-facing HTTP API of the mini-program, under /api/mp/v1: thin routes only."""

from miniprogram_api import (
    auth,
    catalog,
    complaints,
    coupons,
    expos,
    me,
    regions,
    subsidies,
    uploads,
)

BLUEPRINTS = (auth.blp, me.blp, regions.blp, catalog.blp, expos.blp, coupons.blp,
              subsidies.blp, complaints.blp, uploads.blp)
