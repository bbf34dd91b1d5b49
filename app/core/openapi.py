"""flask-smorest Api with our error shape and bearer auth in the OpenAPI document."""

from __future__ import annotations

from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import Schema, fields

from app.core.edge import LvjianParser


class Blueprint(SmorestBlueprint):
    """Every API blueprint: arguments parsed by our bounded parser."""

    ARGUMENTS_PARSER = LvjianParser()


class ErrorSchema(Schema):
    code = fields.Integer(required=True, metadata={"example": 409})
    status = fields.String(required=True, metadata={"example": "Conflict"})
    error = fields.String(required=True, metadata={"example": "coupon_sold_out"})
    message = fields.String(required=True, metadata={"example": "优惠券已领完"})
    reason = fields.String(metadata={"description": "a finer machine code under `error`, "
                                                    "e.g. why a claim is not_eligible",
                                     "example": "profile_incomplete"})
    errors = fields.Dict(metadata={"description": "field messages (Chinese), for 422"})


class LvjianApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Ours are registered by app.core.errors; keep smorest's out of the way."""

    def init_app(self, app, *, spec_kwargs=None):
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "description": "登录后获得的令牌"}
        )
