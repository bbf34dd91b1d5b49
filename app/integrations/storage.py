"""Uploaded files on disk under UPLOAD_DIR, addressed by URLs under /media/ (app/media.py)."""

from __future__ import annotations

import logging
import os
import re
import secrets
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

MEDIA_PREFIX = "/media/"
# Public pictures get a small copy for lists, made on first request (app/media.py).
THUMB_PREFIX = MEDIA_PREFIX + "thumbs/"
THUMB_FOLDERS = ("products", "shops")
_FOLDER_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}(/[a-z0-9][a-z0-9_-]{0,39}){0,3}$")
_EXT_RE = re.compile(r"^[a-z0-9]{1,8}$")


def _root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]).resolve()


def save(data: bytes, ext: str, folder: str) -> str:
    """Store `data` under a random name in `folder`; returns its URL path (/media/...).

    Written to a temporary name and renamed, so a reader never sees a half-written file.
    """
    if not _FOLDER_RE.match(folder) or not _EXT_RE.match(ext):
        raise ValueError(f"bad storage folder or extension: {folder!r}, {ext!r}")
    name = secrets.token_hex(16)
    relative = f"{folder}/{name[:2]}/{name}.{ext}"
    path = _root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{name}.part")
    partial.write_bytes(data)
    os.chmod(partial, 0o644)
    os.replace(partial, path)
    return MEDIA_PREFIX + relative


def path_for(url: str) -> Path | None:
    """The file behind a URL that save() returned (a signed query string is ignored), or
    None for anything else."""
    url = url.partition("?")[0]
    if not url.startswith(MEDIA_PREFIX):
        return None
    root = _root()
    path = (root / url.removeprefix(MEDIA_PREFIX)).resolve()
    return path if path.is_relative_to(root) and path != root else None


def thumbnail_url(url: str | None) -> str | None:
    """The list-sized copy of a public picture's URL (the same for anything else)."""
    if url and url.startswith(MEDIA_PREFIX) and \
            url.removeprefix(MEDIA_PREFIX).partition("/")[0] in THUMB_FOLDERS:
        return THUMB_PREFIX + url.removeprefix(MEDIA_PREFIX)
    return url


def delete(url: str) -> None:
    """Remove the file behind `url`; unknown or foreign URLs are ignored.

    Runs after a commit, so it never raises: a file left behind only costs disk space.
    """
    for candidate in {url, thumbnail_url(url)}:
        path = path_for(candidate)
        if path is None:
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not delete %s: %s", path, exc)
