"""An officer handling a complaint sees the complainant's full phone: purpose stated, logged."""

from __future__ import annotations

from app.accounts import personal_data
from app.complaints.models import Complaint
from app.core.errors import conflict
from app.extensions import db


def reveal_phone(complaint: Complaint, *, purpose: str, by) -> dict:
    """`complaint` comes from services.get_for_officer (duty and region checked)."""
    purpose = personal_data.stated_purpose(purpose)
    if not complaint.contact_phone:
        raise conflict("no_phone", "该投诉未留联系电话")
    access = personal_data.log_access(
        by, complaint.user_id, field="phone", purpose=purpose,
        detail=f"complaint {complaint.id} {complaint.tracking_no}")
    db.session.flush()
    return {"complaint_id": complaint.id, "phone": complaint.contact_phone,
            "access_id": access.id, "revealed_at": access.at}
