"""Uploaded files under /media/: product and shop images public, private photos guarded."""

from __future__ import annotations

import posixpath

from flask import Blueprint, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound

from app.core import auth
from app.core.errors import ApiError, not_found
from app.core.images import write_thumbnail
from app.integrations.storage import MEDIA_PREFIX, THUMB_FOLDERS, THUMB_PREFIX, path_for
from app.uploads import access, links

blp = Blueprint("media", __name__)

PUBLIC_MAX_AGE = 86400
PRIVATE_MAX_AGE = 300


@blp.route("/media/thumbs/<path:name>")
def thumbnail(name: str):
    """The list-sized copy of a public product or shop picture, made once on first request
    (then a plain file, as nginx would serve it). Private folders have none."""
    name = posixpath.normpath(name)
    if name.partition("/")[0] not in THUMB_FOLDERS:
        raise not_found("media_not_found", "未找到该文件")
    source, target = path_for(MEDIA_PREFIX + name), path_for(THUMB_PREFIX + name)
    if source is None or target is None or not source.is_file():
        raise not_found("media_not_found", "未找到该文件")
    if not target.is_file():
        try:
            write_thumbnail(source, target)
        except (OSError, ValueError):  # not a picture after all: no copy, the plain 404
            raise not_found("media_not_found", "未找到该文件") from None
    response = _send("thumbs/" + name, max_age=PUBLIC_MAX_AGE)
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/media/<path:name>")
def media(name: str):
    """Public files for anyone, cached a day. A private photo (complaint, invoice, upload)
    needs a signed link (`?s=`, as the API hands them out) or the bearer token of someone
    who may see it: 401 without either, 404 for a bad link or a refused token (as for a
    file that does not exist), 403 `media_link_expired` for a genuine link too old."""
    # Privacy is decided on the path the file system will use: "products/../invoices/x"
    # is an invoice.
    name = posixpath.normpath(name)
    if name == ".." or name.startswith("../"):
        raise not_found("media_not_found", "未找到该文件")
    url = MEDIA_PREFIX + name
    if links.is_private(url):
        _authorise(url)
        response = _send(name, max_age=PRIVATE_MAX_AGE)
        response.headers["Cache-Control"] = f"private, max-age={PRIVATE_MAX_AGE}"
        response.headers["Vary"] = "Authorization"
    else:
        # In production nginx serves these directly; this is for the embedded default.
        response = _send(name, max_age=PUBLIC_MAX_AGE)
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _authorise(url: str) -> None:
    token = request.args.get(links.SIGNATURE_PARAM)
    if token is not None:
        verdict = links.check(url, token)
        if verdict == "expired":
            raise ApiError(403, "media_link_expired", "链接已过期，请返回重新打开")
        if verdict != "ok":
            raise not_found("media_not_found", "未找到该文件")
        return
    if auth.bearer_token() is None:
        raise ApiError(401, "token_missing", "请先登录")
    access.viewable(url, auth.current_user())


def _send(name: str, *, max_age: int):
    try:
        return send_from_directory(current_app.config["UPLOAD_DIR"], name, max_age=max_age)
    except NotFound:  # the same answer as a refusal: nothing to tell apart
        raise not_found("media_not_found", "未找到该文件") from None
