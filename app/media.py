"""Uploaded files (product and complaint photos), served from UPLOAD_DIR under /media/."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

blp = Blueprint("media", __name__)


@blp.route("/media/<path:name>")
def media(name: str):
    # In production nginx serves /media/ directly; this is for the embedded default and tests.
    return send_from_directory(current_app.config["UPLOAD_DIR"], name, max_age=86400)
