"""Who may see a private photo: its uploader, the officers and merchant of its record."""

from __future__ import annotations

from app.core import auth
from app.core.errors import ApiError, not_found
from app.uploads.models import Upload
from app.uploads.services import by_url


def _may_see(upload: Upload, user) -> bool:
    if user.id == upload.user_id:
        return True
    # The same load-and-scope getters the record's own endpoints use: whoever may open
    # the complaint or claim may see its photos, and nobody else.
    if upload.complaint_id is not None:
        from app.complaints import services as complaints

        if user.role == auth.ADMIN:
            getter = complaints.get_for_officer
        elif user.role in auth.MERCHANT_ROLES:
            getter = complaints.get_for_merchant  # once an officer has forwarded it
        else:
            return False
        return _allowed(getter, upload.complaint_id, user)
    if upload.subsidy_claim_id is not None and user.role == auth.ADMIN:
        from app.subsidies import review

        return _allowed(review.get_governed_claim, upload.subsidy_claim_id, user)
    return False


def _allowed(getter, record_id: int, user) -> bool:
    try:
        getter(record_id, user)
    except ApiError:
        return False
    return True


def viewable(url: str, user) -> Upload:
    """The upload behind a private URL if `user` may see it; 404 otherwise, as for a file
    that does not exist, so that refusals tell nothing about other people's files."""
    upload = by_url(url)
    if upload is None or not _may_see(upload, user):
        raise not_found("media_not_found", "未找到该文件")
    return upload
