"""notify(): record a notification with the change; background jobs deliver it.

Delivery (deliver_batch) takes rows for itself first (pending → sending, committed), so a job
run twice, a retried job or a job racing `jobs retry` sends each row at most once. Then, per
row: a WeChat subscribe message when the villager holds a consent credit for the event's
template (one credit per message); else an SMS unless opted out, capped for the day or in
quiet hours (then it waits until morning); else the in-app list only. Transient errors
leave the row pending with a backoff (`not_before`) until the last attempt, then failed.

Statuses: pending (maybe waiting: `not_before`, `last_error` says why), sending, sent
(`channel` wechat, sms or inapp), failed (`last_error` the reason), skipped (no longer
applies: ticket cancelled, coupon used, account closed).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import rq
import sqlalchemy as sa
from flask import current_app

from app.accounts.models import User
from app.core import crypto
from app.core.db import CHINA, utcnow
from app.core.errors import ApiError, conflict
from app.extensions import db
from app.integrations.queue import enqueue_after_commit, job
from app.integrations.sms import SmsError, SmsUnavailable, sms_gateway
from app.integrations.wechat import WeChatError, mini_program
from app.notifications.models import Notification, SmsOptOut, WechatSubscription
from app.notifications.templates import Message, render

log = logging.getLogger(__name__)

BACKOFF_SECONDS = (10, 60, 300, 900)  # after the 1st, 2nd, 3rd... failed attempt
STALE_SENDING = timedelta(minutes=15)
MAX_CREDITS = 50  # acceptances kept per template: more is a client looping


class TransientDeliveryError(Exception):
    """Some rows of the job failed transiently and wait for another try (RQ retries)."""


# ---- recording ----------------------------------------------------------------------------

def notify(user: Any, kind: str, data: dict | None = None, *,
           dedupe_key: str | None = None) -> Notification:
    """Queue a message for `user`. Call inside the transaction of the change it reports."""
    user_id = user if isinstance(user, int) else user.id
    notification = Notification(user_id=user_id, kind=kind, data=data or {}, channel="auto",
                                dedupe_key=dedupe_key)
    db.session.add(notification)
    db.session.flush()
    enqueue_after_commit(deliver_notification, notification.id)
    return notification


def notify_many(rows: list[dict], *, kind: str) -> list[int]:
    """Bulk notify (fan-out): rows of user_id, data, dedupe_key. A row whose dedupe_key
    exists already is left out, also under concurrent callers. Queued in batch jobs."""
    if not rows:
        return []
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = [{"user_id": row["user_id"], "kind": kind, "data": row.get("data") or {},
               "channel": "auto", "status": "pending", "attempts": 0, "created_at": now,
               "dedupe_key": row.get("dedupe_key")} for row in rows]
    table = Notification.__table__
    stmt = insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(
        table.c.id)
    connection = db.session.connection()
    ids: list[int] = []
    for start in range(0, len(values), 1000):  # Core executemany: multi-row INSERTs
        ids.extend(connection.execute(stmt, values[start:start + 1000]).scalars())
    size = current_app.config["NOTIFY_BATCH_SIZE"]
    ids.sort()
    for start in range(0, len(ids), size):
        enqueue_after_commit(deliver_batch, ids[start:start + size])
    return ids


# ---- consent and opt-out --------------------------------------------------------------------

def _templates() -> dict[str, str]:
    return {kind: tid for kind, tid in current_app.config["WECHAT_SUBSCRIBE_TEMPLATES"].items()
            if tid}


def subscriptions_of(user: User) -> list[dict]:
    credits = dict(db.session.execute(
        sa.select(WechatSubscription.template_id, WechatSubscription.credits)
        .where(WechatSubscription.user_id == user.id)).all())
    return [{"kind": kind, "template_id": tid, "credits": credits.get(tid, 0)}
            for kind, tid in _templates().items()]


def record_subscriptions(user: User, template_ids: list[str]) -> list[dict]:
    """The villager accepted these templates in wx.requestSubscribeMessage: a credit each."""
    template_ids = list(dict.fromkeys(template_ids))
    known = set(_templates().values())
    unknown = sorted(set(template_ids) - known)
    if unknown:
        raise ApiError(422, "unknown_template", "包含未知的订阅消息模板",
                       errors={"template_ids": [f"unknown: {tid}" for tid in unknown]})
    for template_id in template_ids:
        where = (WechatSubscription.user_id == user.id,
                 WechatSubscription.template_id == template_id)
        bump = (sa.update(WechatSubscription).where(*where)
                .values(credits=sa.func.min(WechatSubscription.credits + 1, MAX_CREDITS)
                        if db.session.get_bind().dialect.name == "sqlite"
                        else sa.func.least(WechatSubscription.credits + 1, MAX_CREDITS),
                        updated_at=utcnow())
                .execution_options(synchronize_session=False))
        if db.session.execute(bump).rowcount:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(WechatSubscription(user_id=user.id, template_id=template_id,
                                                  credits=1))
        except sa.exc.IntegrityError:  # a simultaneous acceptance made the row first
            db.session.execute(bump)
    db.session.flush()
    return subscriptions_of(user)


def sms_opted_out(phone: str | None) -> bool:
    return bool(phone) and db.session.get(SmsOptOut, crypto.lookup_hash(phone)) is not None


def settings_of(user: User) -> dict:
    return {"sms_enabled": not sms_opted_out(user.phone),
            "phone": crypto.mask_phone(user.phone), "subscriptions": subscriptions_of(user)}


def set_sms_enabled(user: User, enabled: bool) -> dict:
    """The profile switch: notification SMS on or off for the villager's phone."""
    if not user.phone:
        raise conflict("phone_required", "请先绑定手机号")
    opt_out(user.phone, "profile") if not enabled else opt_in(user.phone)
    return settings_of(user)


def opt_out(phone: str, source: str) -> None:
    phone_hash = crypto.lookup_hash(phone)
    if db.session.get(SmsOptOut, phone_hash) is None:
        try:
            with db.session.begin_nested():
                db.session.add(SmsOptOut(phone_hash=phone_hash, source=source))
        except sa.exc.IntegrityError:
            pass  # opted out simultaneously: the same outcome
    log.info("sms opt-out for %s (%s)", crypto.mask_phone(phone), source)


def opt_in(phone: str) -> None:
    db.session.execute(
        sa.delete(SmsOptOut).where(SmsOptOut.phone_hash == crypto.lookup_hash(phone)))


TD_WORDS = {"TD", "T", "N", "退订", "退定", "取消"}


def record_sms_reply(phone: str, text: str) -> bool:
    """A reply to our SMS (the provider's reply callback): 回复TD退订 opts the phone out."""
    if (text or "").strip().upper() in TD_WORDS:
        opt_out(phone, "sms_reply")
        return True
    return False


# ---- delivery -------------------------------------------------------------------------------

def china_day_start(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(CHINA).date(), time(0), CHINA)


def quiet_until(now: datetime) -> datetime | None:
    """When quiet hours (China time) end, or None outside them."""
    cfg = current_app.config
    start, end = cfg["NOTIFY_QUIET_START"], cfg["NOTIFY_QUIET_END"]
    local = now.astimezone(CHINA)
    if local.hour >= start:
        return datetime.combine(local.date() + timedelta(days=1), time(end), CHINA)
    if local.hour < end:
        return datetime.combine(local.date(), time(end), CHINA)
    return None


@dataclass
class _Plan:
    row: Notification
    row_id: int
    message: Message | None = None
    wechat: dict | None = None  # openid, template_id
    sms: dict | None = None  # phone, phone_hash, template_id
    sms_wait: datetime | None = None  # SMS possible but not before this
    reasons: list[str] = field(default_factory=list)  # why a channel was not used
    final: tuple[str, str, str | None] | None = None  # decided without sending


@dataclass
class _Outcome:
    status: str  # sent | failed | retry | wait
    channel: str
    reason: str | None = None
    payload: dict = field(default_factory=dict)
    credit: str | None = None  # "refund" | "zero": what happens to the consumed credit
    opted_out: bool = False
    wait_until: datetime | None = None


@job
def deliver_notification(notification_id: int) -> str:
    """Deliver one row; "skipped" when another run has it (or had it) already."""
    done = _deliver([notification_id])
    return done.get(notification_id, "skipped")


@job
def deliver_batch(notification_ids: list[int]) -> dict[int, str]:
    return _deliver(list(notification_ids))


def _deliver(ids: list[int]) -> dict[int, str]:
    now = utcnow()
    cfg = current_app.config
    claimed = list(db.session.scalars(
        sa.update(Notification)
        .where(Notification.id.in_(ids), Notification.status == "pending",
               sa.or_(Notification.not_before.is_(None), Notification.not_before <= now))
        .values(status="sending", claimed_at=now, attempts=Notification.attempts + 1)
        .returning(Notification.id)
        .execution_options(synchronize_session=False)))
    if not claimed:
        return {}
    rows = db.session.scalars(sa.select(Notification).where(Notification.id.in_(claimed))
                              .order_by(Notification.id)).all()
    try:
        plans = _plan(rows, now)
    except Exception as exc:  # nothing was sent: give the rows back for a later try
        db.session.rollback()
        db.session.execute(  # the claim rolled back with it: count the attempt here
            sa.update(Notification)
            .where(Notification.id.in_(claimed), Notification.status == "pending")
            .values(status=sa.case((Notification.attempts + 1 >= current_app.config[
                        "NOTIFY_MAX_ATTEMPTS"], "failed"), else_="pending"),
                    attempts=Notification.attempts + 1,
                    last_error=f"internal:{exc.__class__.__name__}",
                    not_before=now + timedelta(seconds=BACKOFF_SECONDS[-1]))
            .execution_options(synchronize_session=False))
        db.session.commit()
        raise
    # The claim and the credits it takes hold from here, even if this process dies while
    # sending (the row then ends "failed: outcome_unknown", never sent twice). The rows stay
    # loaded across the commit: nothing lazy-loads later, least of all in sending threads.
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    todo = [plan for plan in plans if plan.final is None]
    outcomes: dict[int, _Outcome] = {}
    if todo:
        outcomes = _send_all(todo)
    result: dict[int, str] = {}
    transient = False
    for plan in plans:
        row = plan.row
        outcome = outcomes.get(row.id)
        if plan.final is not None:
            row.status, row.channel, row.last_error = plan.final
            row.sent_at = now if row.status == "sent" else None
        else:
            transient |= _apply(plan, outcome, now, cfg["NOTIFY_MAX_ATTEMPTS"])
        result[row.id] = row.status
    db.session.commit()
    if transient and rq.get_current_job() is not None:
        # Under RQ the failed job is retried with backoff (queue.dispatch); inline, the rows
        # wait for `jobs tick`, which sends what is due.
        raise TransientDeliveryError("some notifications wait for another try")
    return result


def _plan(rows: list[Notification], now: datetime) -> list[_Plan]:
    cfg = current_app.config
    users = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.id.in_({row.user_id for row in rows})))}
    obsolete = _obsolete(rows)
    phones = {u.phone for u in users.values() if u.phone}
    hashes = {phone: crypto.lookup_hash(phone) for phone in phones}
    opted = set(db.session.scalars(
        sa.select(SmsOptOut.phone_hash).where(SmsOptOut.phone_hash.in_(hashes.values()))))
    sent_today = dict(db.session.execute(
        sa.select(Notification.target_hash, sa.func.count())
        .where(Notification.target_hash.in_(hashes.values()), Notification.channel == "sms",
               Notification.status == "sent", Notification.sent_at >= china_day_start(now))
        .group_by(Notification.target_hash)).all())
    try:
        sms_ok = sms_gateway() is not None
    except SmsUnavailable:
        sms_ok = False
    wait = quiet_until(now)
    credited = _take_credits(rows, users)
    plans = []
    for row in rows:
        plan = _Plan(row, row.id)
        plans.append(plan)
        user = users.get(row.user_id)
        if user is None or not user.is_active:
            plan.final = ("skipped", "none", "user_inactive")
            continue
        if row.id in obsolete:
            plan.final = ("skipped", "none", obsolete[row.id])
            continue
        try:
            plan.message = render(row.kind, row.data or {})
        except (KeyError, TypeError, ValueError) as exc:  # data without what the text needs
            log.warning("notification %s (%s): cannot render: %s", row.id, row.kind,
                        exc.__class__.__name__)
            plan.final = ("sent", "inapp", f"render_error:{exc.__class__.__name__}")
            continue
        if plan.message is None:  # kinds that live in the in-app list only
            plan.final = ("sent", "inapp", None)
            continue
        template_id = cfg["WECHAT_SUBSCRIBE_TEMPLATES"].get(row.kind)
        earlier_wechat_error = (row.payload or {}).get("wechat_error")
        if not template_id or not user.wechat_openid:
            plan.reasons.append("no_wechat")
        elif earlier_wechat_error:
            plan.reasons.append(earlier_wechat_error)
        elif (user.id, template_id) in credited or _take_credit(user.id, template_id):
            credited.discard((user.id, template_id))  # a second row of theirs needs another
            plan.wechat = {"openid": user.wechat_openid, "template_id": template_id}
        else:
            plan.reasons.append("no_consent")
        sms_template = cfg["SMS_TEMPLATES"].get(row.kind)
        if not user.phone:
            plan.reasons.append("no_phone")
        elif not sms_ok or not sms_template:
            plan.reasons.append("sms_unavailable")
        elif hashes[user.phone] in opted:
            plan.reasons.append("sms_opted_out")
        elif sent_today.get(hashes[user.phone], 0) >= cfg["SMS_DAILY_CAP"]:
            plan.reasons.append("sms_daily_cap")
        else:
            plan.sms = {"phone": user.phone, "phone_hash": hashes[user.phone],
                        "template_id": sms_template}
            plan.sms_wait = wait
            if wait is None and plan.wechat is None:
                sent_today[hashes[user.phone]] = sent_today.get(hashes[user.phone], 0) + 1
        if plan.wechat is None and plan.sms is None:
            plan.final = ("sent", "inapp", ",".join(plan.reasons)[:255])
    for user_id, template_id in credited:  # taken for rows that went no further: back
        db.session.execute(
            sa.update(WechatSubscription)
            .where(WechatSubscription.user_id == user_id,
                   WechatSubscription.template_id == template_id)
            .values(credits=WechatSubscription.credits + 1)
            .execution_options(synchronize_session=False))
    return plans


def _take_credits(rows: list[Notification], users: dict[int, User]) -> set[tuple[int, str]]:
    """One credit for each (user, template) of the batch that may go by WeChat, in one
    statement per template (fan-out); a user's further rows take theirs one by one."""
    templates = current_app.config["WECHAT_SUBSCRIBE_TEMPLATES"]
    wanted: dict[str, set[int]] = {}
    for row in rows:
        user = users.get(row.user_id)
        template_id = templates.get(row.kind)
        if (template_id and user is not None and user.is_active and user.wechat_openid
                and not (row.payload or {}).get("wechat_error")):
            wanted.setdefault(template_id, set()).add(user.id)
    taken: set[tuple[int, str]] = set()
    for template_id, user_ids in wanted.items():
        taken.update((user_id, template_id) for user_id in db.session.scalars(
            sa.update(WechatSubscription)
            .where(WechatSubscription.template_id == template_id,
                   WechatSubscription.user_id.in_(user_ids), WechatSubscription.credits > 0)
            .values(credits=WechatSubscription.credits - 1, updated_at=utcnow())
            .returning(WechatSubscription.user_id)
            .execution_options(synchronize_session=False)))
    return taken


def _take_credit(user_id: int, template_id: str) -> bool:
    return db.session.execute(
        sa.update(WechatSubscription)
        .where(WechatSubscription.user_id == user_id,
               WechatSubscription.template_id == template_id, WechatSubscription.credits > 0)
        .values(credits=WechatSubscription.credits - 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1


def _obsolete(rows: list[Notification]) -> dict[int, str]:
    """Rows whose event no longer applies: a reminder for a cancelled ticket, a used coupon."""
    from app.expos.models import Expo, ExpoTicket
    from app.promotions.models import Coupon

    found: dict[int, str] = {}
    tickets = {row.id: row.data.get("ticket_id") for row in rows
               if row.kind == "expo_reminder" and row.data.get("ticket_id")}
    if tickets:
        states = dict(db.session.execute(
            sa.select(ExpoTicket.id, ExpoTicket.status == "registered")
            .join(Expo, Expo.id == ExpoTicket.expo_id)
            .where(ExpoTicket.id.in_(set(tickets.values())), Expo.status == "published")).all())
        states.update({tid: False for tid in db.session.scalars(
            sa.select(ExpoTicket.id).join(Expo, Expo.id == ExpoTicket.expo_id)
            .where(ExpoTicket.id.in_(set(tickets.values())), Expo.status != "published"))})
        found.update({rid: "ticket_not_valid" for rid, tid in tickets.items()
                      if states.get(tid) is False})
    coupons = {row.id: row.data.get("coupon_id") for row in rows
               if row.kind == "coupon_expiring" and row.data.get("coupon_id")}
    if coupons:
        states = dict(db.session.execute(
            sa.select(Coupon.id, Coupon.status).where(Coupon.id.in_(set(coupons.values())))).all())
        found.update({rid: "coupon_not_unused" for rid, cid in coupons.items()
                      if states.get(cid, "unused") != "unused"})
    return found


def _send_all(plans: list[_Plan]) -> dict[int, _Outcome]:
    """The network part: no database here, up to NOTIFY_SEND_THREADS calls in flight."""
    program = None
    if any(plan.wechat for plan in plans):
        try:
            program = mini_program()
            if len(plans) > 1:
                program.warm_up()
        except WeChatError as exc:
            program = exc  # every WeChat send of the batch meets it
    sms = None
    if any(plan.sms for plan in plans):
        try:
            sms = sms_gateway()
        except SmsUnavailable:
            sms = None
    threads = min(current_app.config["NOTIFY_SEND_THREADS"], len(plans))
    if threads <= 1:
        return {plan.row_id: _send_one(plan, program, sms) for plan in plans}
    with ThreadPoolExecutor(max_workers=threads) as pool:
        outcomes = pool.map(lambda plan: _send_one(plan, program, sms), plans)
        return {plan.row_id: outcome for plan, outcome in zip(plans, outcomes, strict=True)}


def _send_one(plan: _Plan, program, sms) -> _Outcome:
    """One message; runs in a thread: it reads only the plan, never the ORM row."""
    message = plan.message
    payload: dict = {}
    credit = None
    if plan.wechat:
        wechat = {"template_id": plan.wechat["template_id"], "page": message.page,
                  "data": message.wechat}
        payload["wechat"] = wechat
        try:
            if isinstance(program, WeChatError):
                raise program
            answer = program.send_subscribe(plan.wechat["openid"], wechat["template_id"],
                                            message.wechat, message.page)
            if not getattr(program, "live", True) or answer.get("dev"):
                payload["dev"] = True
            return _Outcome("sent", "wechat", None, payload)
        except WeChatError as exc:
            kind = exc.subscribe_kind
            reason = f"wechat_{kind}:{exc.errcode}"
            if kind == "retry":
                return _Outcome("retry", "wechat", reason, payload, credit="refund")
            payload["wechat_error"] = reason  # later tries of this row skip WeChat
            # refused: the acceptance is gone; bad user or data: WeChat used no credit
            credit = "zero" if kind == "refused" else "refund"
            plan.reasons.append(reason)
            if plan.sms is None:
                status = "failed" if kind == "bad_data" else "sent"
                channel = "wechat" if kind == "bad_data" else "inapp"
                return _Outcome(status, channel, ",".join(plan.reasons)[:255], payload,
                                credit=credit)
    if plan.sms_wait is not None:
        return _Outcome("wait", "sms", "quiet_hours", payload, credit=credit,
                        wait_until=plan.sms_wait)
    params = list(message.sms)
    payload["sms"] = {"template_id": plan.sms["template_id"], "params": params,
                      "phone": crypto.mask_phone(plan.sms["phone"])}
    if sms is None:
        plan.reasons.append("sms_unavailable")
        return _Outcome("sent", "inapp", ",".join(plan.reasons)[:255], payload, credit=credit)
    try:
        answer = sms.send_template(plan.sms["phone"], plan.sms["template_id"], params,
                                   context=f"n{plan.row_id}")
    except SmsError as exc:
        reason = f"sms_{exc.kind}:{exc.code}"
        if exc.kind == "retry":
            return _Outcome("retry", "sms", reason, payload, credit=credit)
        plan.reasons.append(reason)
        if exc.kind == "bad_template":
            return _Outcome("failed", "sms", ",".join(plan.reasons)[:255], payload,
                            credit=credit)
        return _Outcome("sent", "inapp", ",".join(plan.reasons)[:255], payload, credit=credit,
                        opted_out=exc.kind == "opted_out")
    if not sms.live or answer.get("dev"):
        payload["dev"] = True
    return _Outcome("sent", "sms", ",".join(plan.reasons)[:255] or None, payload, credit=credit)


def _apply(plan: _Plan, outcome: _Outcome, now: datetime, max_attempts: int) -> bool:
    """Write one outcome; True when the row waits for a retry after a transient error."""
    row = plan.row
    row.payload = {**(row.payload or {}), **outcome.payload}
    row.channel = outcome.channel
    if outcome.credit and plan.wechat:
        where = (WechatSubscription.user_id == row.user_id,
                 WechatSubscription.template_id == plan.wechat["template_id"])
        value = (WechatSubscription.credits + 1) if outcome.credit == "refund" else 0
        db.session.execute(sa.update(WechatSubscription).where(*where).values(credits=value)
                           .execution_options(synchronize_session=False))
    if outcome.opted_out and plan.sms:
        opt_out(plan.sms["phone"], "provider")
    if outcome.status == "sent":
        row.status, row.sent_at, row.last_error = "sent", now, outcome.reason
        if outcome.channel == "sms":
            row.target_hash = plan.sms["phone_hash"]
        log.info("notification %s (%s) sent to user %s via %s%s", row.id, row.kind,
                 row.user_id, outcome.channel, " (dev mode)" if outcome.payload.get("dev") else "")
        return False
    if outcome.status == "wait":
        # Quiet hours are no attempt: the row waits for the morning (`jobs tick` sends it).
        row.status, row.not_before, row.last_error = "pending", outcome.wait_until, outcome.reason
        row.attempts -= 1
        return False
    if outcome.status == "retry" and row.attempts < max_attempts:
        delay = BACKOFF_SECONDS[min(row.attempts, len(BACKOFF_SECONDS)) - 1]
        row.status, row.not_before = "pending", now + timedelta(seconds=delay)
        row.last_error = outcome.reason
        log.warning("notification %s: %s, try %d again in %ds", row.id, outcome.reason,
                    row.attempts, delay)
        return True
    row.status = "failed"
    row.last_error = (outcome.reason if outcome.status == "failed"
                      else f"{outcome.reason} after {row.attempts} attempts")[:255]
    log.warning("notification %s failed: %s", row.id, row.last_error)
    return False


# ---- what the jobs commands pick up -----------------------------------------------------------

def pending_notification_ids(limit: int | None = None, *, deferred_only: bool = False,
                             now: datetime | None = None) -> list[int]:
    """Pending rows that may be tried now; `deferred_only`: those that waited (quiet hours,
    backoff) rather than fresh ones whose job is still queued."""
    now = now or utcnow()
    due = Notification.not_before <= now
    stmt = (sa.select(Notification.id).where(
        Notification.status == "pending",
        due if deferred_only else sa.or_(Notification.not_before.is_(None), due))
        .order_by(Notification.id))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def redispatch(ids: list[int]) -> int:
    from app.integrations.queue import dispatch

    size = current_app.config["NOTIFY_BATCH_SIZE"]
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        if len(chunk) == 1:
            dispatch(deliver_notification, chunk[0])
        else:
            dispatch(deliver_batch, chunk)
    return len(ids)


def fail_stale_sending(now: datetime | None = None) -> int:
    """Rows a dead worker left in "sending": the message may have gone out, so it is never
    sent again; the row ends failed with that reason."""
    now = now or utcnow()
    return db.session.execute(
        sa.update(Notification)
        .where(Notification.status == "sending", Notification.claimed_at < now - STALE_SENDING)
        .values(status="failed", last_error="outcome_unknown: worker stopped while sending")
        .execution_options(synchronize_session=False)).rowcount


def schedule_expo_reminders(now: datetime | None = None, *, limit: int = 2000) -> int:
    """The day before an expo, from EXPO_REMINDER_HOUR China time: one reminder per registered
    ticket (the dedupe key makes a second tick, or two at once, add none). At most `limit`
    per call: `jobs tick` commits each chunk, so workers start while the next is written."""
    from app.expos.models import Expo, ExpoTicket

    now = now or utcnow()
    local = now.astimezone(CHINA)
    if local.hour < current_app.config["EXPO_REMINDER_HOUR"]:
        return 0
    start = datetime.combine(local.date() + timedelta(days=1), time(0), CHINA)
    key = sa.literal("expo_reminder:") + sa.cast(ExpoTicket.id, sa.String)
    tickets = db.session.execute(
        sa.select(ExpoTicket.id, ExpoTicket.user_id, Expo.id, Expo.title, Expo.starts_at,
                  Expo.venue)
        .join(Expo, Expo.id == ExpoTicket.expo_id)
        .where(Expo.status == "published", Expo.starts_at >= start,
               Expo.starts_at < start + timedelta(days=1), ExpoTicket.status == "registered",
               ~sa.exists().where(Notification.dedupe_key == key))
        .order_by(ExpoTicket.id).limit(limit)).all()
    rows = [{"user_id": user_id, "dedupe_key": f"expo_reminder:{ticket_id}",
             "data": {"expo_id": expo_id, "ticket_id": ticket_id, "title": title,
                      "starts_at": starts_at.astimezone(CHINA).isoformat(), "venue": venue}}
            for ticket_id, user_id, expo_id, title, starts_at, venue in tickets]
    return len(notify_many(rows, kind="expo_reminder"))


def delivery_counts(region_code: str | None = None) -> dict:
    """Notifications by status and channel (for officers and the summary report)."""
    stmt = sa.select(Notification.status, Notification.channel, sa.func.count()).group_by(
        Notification.status, Notification.channel)
    if region_code:
        from app.core import regions

        stmt = stmt.join(User, User.id == Notification.user_id).where(
            User.region_code.startswith(regions.scope_prefix(region_code)))
    by_status: dict[str, int] = {}
    by_channel: dict[str, int] = {}
    for status, channel, count in db.session.execute(stmt):
        by_status[status] = by_status.get(status, 0) + count
        if status == "sent":
            by_channel[channel] = by_channel.get(channel, 0) + count
    return {"by_status": by_status, "sent_by_channel": by_channel}
