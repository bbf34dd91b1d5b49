"""Full personal data for officers only, each showing logged; bank accounts checked and masked."""

from __future__ import annotations

import re
import unicodedata

from app.accounts.models import PERSONAL_FIELDS, PersonalDataAccess, User
from app.core import crypto
from app.core.errors import unprocessable
from app.extensions import db

PURPOSE_MIN, PURPOSE_MAX = 2, 200

# Bank account numbers: what a villager types (spaces, dashes, full-width digits) reduced to
# digits. 12–30 covers card numbers (16–19) and the passbook and settlement accounts rural
# subsidies are often paid to (一折通, 社保卡 accounts of 农信社/农商行), which have no
# check digit. Only UnionPay card numbers (16–19 digits from 62, ISO/IEC 7812) carry a Luhn
# digit: those are checked, as a typo there would send the money nowhere.
BANK_ACCOUNT_MIN, BANK_ACCOUNT_MAX = 12, 30
_SEPARATORS = re.compile(r"[\s\-]")


def stated_purpose(purpose: str) -> str:
    """The officer's reason, as it goes in the log: required, 2–200 characters."""
    purpose = " ".join(purpose.split())
    if not PURPOSE_MIN <= len(purpose) <= PURPOSE_MAX:
        raise unprocessable("purpose_required", "请说明查看完整信息的用途（2–200 字）",
                            {"purpose": [f"长度应在 {PURPOSE_MIN} 到 {PURPOSE_MAX} 之间"]})
    return purpose


def log_access(officer: User, subject_user_id: int | None, *, field: str, purpose: str,
               detail: str | None = None) -> PersonalDataAccess:
    """One row per datum shown in full, in the transaction that shows it (added; the
    caller's flush writes it)."""
    if field not in PERSONAL_FIELDS:
        raise ValueError(f"not a personal field: {field}")
    access = PersonalDataAccess(officer_id=officer.id, subject_user_id=subject_user_id,
                                field=field, purpose=purpose[:PURPOSE_MAX],
                                detail=detail[:255] if detail else None)
    db.session.add(access)
    return access


def full_id_card(user: User) -> str | None:
    return crypto.decrypt(user.id_card_enc) if user.id_card_enc else None


def full_bank_account(user: User) -> str | None:
    return crypto.decrypt(user.bank_account_enc) if user.bank_account_enc else None


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def needs_luhn(digits: str) -> bool:
    return digits.startswith("62") and 16 <= len(digits) <= 19


def normalise_bank_account(raw: str) -> str:
    """Digits only, 12–30 of them, and a UnionPay card number's Luhn digit right."""
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if not digits.isascii() or not digits.isdigit():
        raise _bad_account("银行账号只能包含数字")
    if not BANK_ACCOUNT_MIN <= len(digits) <= BANK_ACCOUNT_MAX:
        raise _bad_account(f"银行账号应为 {BANK_ACCOUNT_MIN}–{BANK_ACCOUNT_MAX} 位数字")
    if needs_luhn(digits) and not luhn_ok(digits):
        raise _bad_account("银行卡号校验未通过，请核对")
    return digits


def _bad_account(reason: str):
    return unprocessable("invalid_bank_account", "银行账号有误，请核对", {"bank_account": [reason]})


def mask_bank_account(number: str | None) -> str | None:
    """6222 **** **** 1234: the bank's prefix and the last four; shorter accounts show only
    the last four (the first four of a 12-digit account would be a third of it)."""
    if not number:
        return number
    head = number[:4] if len(number) >= 16 else "****"
    return f"{head} **** **** {number[-4:]}"


def masked_bank_account(user: User) -> str | None:
    return mask_bank_account(full_bank_account(user))
