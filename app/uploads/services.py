"""Uploads: store a villager's photo, attach it by id to one record, sweep the lapsed ones."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.core.db import utcnow
from app.core.errors import unprocessable
from app.core.hooks import after_commit
from app.core.images import CleanImage
from app.extensions import db
from app.integrations import storage
from app.uploads.models import Upload

UPLOAD_TTL = timedelta(hours=24)  # an upload not attached by then is deleted
FOLDER = "uploads"
SWEEP_BATCH = 1000

_REFUSALS = {
    "upload_not_found": "未找到该照片，请重新上传",
    "upload_expired": "照片上传已超过 24 小时，请重新上传",
    "upload_already_attached": "该照片已用于其他投诉或申请，请重新上传",
    "upload_wrong_purpose": "该照片不是为此用途上传的，请重新上传",
    "upload_repeated": "同一张照片只能添加一次",
}


def _refuse(error: str, field: str, upload_id: int):
    return unprocessable(error, _REFUSALS[error], {field: [f"{upload_id}：{_REFUSALS[error]}"]})


def create_upload(user, image: CleanImage, *, purpose: str | None = None,
                  now: datetime | None = None) -> Upload:
    """Store a cleaned photo as the villager's, unattached until UPLOAD_TTL from now."""
    now = now or utcnow()
    url = storage.save(image.data, image.ext, FOLDER)
    upload = Upload(user_id=user.id, purpose=purpose, url=url, created_at=now,
                    expires_at=now + UPLOAD_TTL)
    db.session.add(upload)
    db.session.flush()
    return upload


def take(user, upload_ids: list[int], *, purpose: str, field: str,
         now: datetime | None = None) -> list[Upload]:
    """The caller's uploads, in the order given, marked attached: anything but the caller's
    own unexpired, unattached uploads (for this purpose) is refused and nothing changes.

    Another villager's upload is refused as `upload_not_found`, like one that never
    existed, so ids tell nothing about other people's files.
    """
    if not upload_ids:
        return []
    now = now or utcnow()
    seen: set[int] = set()
    for upload_id in upload_ids:
        if upload_id in seen:
            raise _refuse("upload_repeated", field, upload_id)
        seen.add(upload_id)
    rows = {u.id: u for u in db.session.scalars(sa.select(Upload).where(
        Upload.id.in_(upload_ids)).with_for_update())}
    for upload_id in upload_ids:
        upload = rows.get(upload_id)
        if upload is None or upload.user_id != user.id:
            raise _refuse("upload_not_found", field, upload_id)
        if upload.attached_at is not None:
            raise _refuse("upload_already_attached", field, upload_id)
        if upload.expires_at <= now:
            raise _refuse("upload_expired", field, upload_id)
        if upload.purpose not in (None, purpose):
            raise _refuse("upload_wrong_purpose", field, upload_id)
    # Conditional: of two requests attaching one upload at once, exactly one wins.
    moved = db.session.execute(
        sa.update(Upload).where(Upload.id.in_(upload_ids), Upload.attached_at.is_(None),
                                Upload.expires_at > now)
        .values(attached_at=now).execution_options(synchronize_session=False)).rowcount
    if moved != len(upload_ids):
        raise _refuse("upload_already_attached", field, upload_ids[0])
    taken = [rows[upload_id] for upload_id in upload_ids]
    for upload in taken:
        upload.attached_at, upload.purpose = now, purpose
    return taken


def attach(uploads: list[Upload], *, complaint_id: int | None = None,
           subsidy_claim_id: int | None = None) -> None:
    """Tie taken uploads to the record they belong to (it decides who may see them)."""
    for upload in uploads:
        upload.complaint_id, upload.subsidy_claim_id = complaint_id, subsidy_claim_id
    db.session.flush()


def register(user, urls: list[str], *, purpose: str, complaint_id: int | None = None,
             subsidy_claim_id: int | None = None) -> None:
    """Rows for photos sent with their record (multipart), attached from the start."""
    now = utcnow()
    for url in urls:
        db.session.add(Upload(user_id=user.id, purpose=purpose, url=url,
                              complaint_id=complaint_id, subsidy_claim_id=subsidy_claim_id,
                              created_at=now, expires_at=now, attached_at=now))
    db.session.flush()


def sweep_expired(now: datetime | None = None) -> int:
    """Delete lapsed unattached uploads; their files go once the deletion commits."""
    now = now or utcnow()
    lapsed = sa.and_(Upload.attached_at.is_(None), Upload.expires_at <= now)
    ids = db.session.scalars(sa.select(Upload.id).where(lapsed).order_by(Upload.id)
                             .limit(SWEEP_BATCH)).all()
    if not ids:
        return 0
    # The condition again: an upload attached since the SELECT is not deleted.
    urls = db.session.scalars(sa.delete(Upload).where(Upload.id.in_(ids), lapsed)
                              .returning(Upload.url)
                              .execution_options(synchronize_session=False)).all()
    for url in urls:
        after_commit(storage.delete, url)
    return len(urls)


def by_url(url: str) -> Upload | None:
    return db.session.scalar(sa.select(Upload).where(Upload.url == url))
