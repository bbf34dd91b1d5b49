"""The villager-facing HTTP API of the mini-program, under /api/mp/v1: thin routes only."""

from miniprogram_api import (
    auth,
    cases,
    catalog,
    complaints,
    coupons,
    expos,
    me,
    notifications,
    offers,
    packages,
    regions,
    subsidies,
    uploads,
    zones,
)

BLUEPRINTS = (auth.blp, me.blp, notifications.blp, regions.blp, catalog.blp, expos.blp,
              coupons.blp, subsidies.blp, complaints.blp, uploads.blp, packages.blp,
              offers.blp, cases.blp, zones.blp)
