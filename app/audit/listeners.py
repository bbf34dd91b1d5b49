"""Central capture: session events turn officers' writes into audit entries (capture.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList

from app.audit.capture import WATCHES, Watch, action_label
from app.audit.models import AuditEntry
from app.core.db import china_time
from app.core.logging import mask_text
from app.extensions import db

OFFICER_ROLE = "admin"
SUMMARY_MAX = 500
COLLAPSED_ITEMS = 200  # subjects named in a collapsed entry's detail
PINNED_ROWS = 50  # rows a statement may pin by equality and still be audited row by row
REQUEST_REASONS = ("reason", "note", "purpose")  # a stated reason in the request body


@dataclass(frozen=True)
class Actor:
    id: int | None
    role: str
    name: str
    region_code: str | None


def _actor_of(user: Any) -> Actor:
    return Actor(user.id, user.role, user.nickname or user.username or "", user.region_code)


def current_officer() -> Actor | None:
    """The officer whose request this is (read without forcing authentication)."""
    if not has_request_context():
        return None
    user = g.get("current_user")
    if user is None or getattr(user, "role", None) != OFFICER_ROLE:
        return None
    cached = g.get("_audit_actor")
    if cached is None or cached[0] is not user:
        cached = g._audit_actor = (user, _actor_of(user))
    return cached[1]


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def request_reason() -> str | None:
    """The reason an officer typed into the request, for actions that keep none themselves
    (an expo's cancellation, a ticket's revocation)."""
    if not has_request_context() or not request.is_json:
        return None
    body = request.get_json(silent=True)
    if isinstance(body, dict):
        for key in REQUEST_REASONS:
            if isinstance(body.get(key), str) and body[key].strip():
                return body[key].strip()
    return None


# ---- values as the log keeps them -------------------------------------------------------

def jsonable(value: Any) -> Any:
    """JSON-safe and masked: no full phone or ID number survives into the log."""
    if isinstance(value, str):
        return mask_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return china_time(value).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return mask_text(str(value))


def _table(name: str) -> sa.Table:
    return db.metadata.tables[name]


class _Row:
    """A row's columns: what is at hand, the rest read from the database when asked."""

    def __init__(self, conn: sa.Connection, table: str, values: Mapping[str, Any]) -> None:
        self.conn, self.table, self.values, self.loaded = conn, table, dict(values), False

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self.values and not self.loaded:
            self.loaded = True
            table = _table(self.table)
            pins = [c == self.values.get(c.key) for c in table.primary_key.columns]
            if all(c.key in self.values for c in table.primary_key.columns):
                found = self.conn.execute(sa.select(table).where(*pins)).mappings().first()
                self.values = {**(found or {}), **self.values}
        return self.values.get(key, default)

    __getitem__ = get


def follow(conn: sa.Connection, start: Any, hops: Iterable[str]) -> Any:
    """Follow ids into tables: hops like "shops.region_code" read that column of the row
    whose primary key is the value so far."""
    value = start
    for hop in hops:
        if value is None:
            return None
        table_name, column = hop.split(".")
        table = _table(table_name)
        (key,) = table.primary_key.columns
        value = conn.execute(sa.select(table.c[column]).where(key == value)).scalar()
    return value


def _region(conn: sa.Connection, watch: Watch, row: _Row) -> str | None:
    for path in watch.region:
        first, *hops = path.split(">")
        if (found := follow(conn, row.get(first), hops)) is not None:
            return str(found)
    return None


class _Words(Mapping):
    def __init__(self, row: _Row, words: Mapping[str, Mapping[str, str]]) -> None:
        self.row, self.words = row, words

    def __getitem__(self, key: str) -> str:
        value = self.row.get(key)
        value = self.words.get(key, {}).get(value, value)
        return "" if value is None else str(value)

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0


# ---- entries ------------------------------------------------------------------------------

def new_entry(action: str, *, actor: Actor, subject_type: str, subject_id: Any,
              subject_region_code: str | None, summary: str, detail: Mapping[str, Any]) -> dict:
    return {"actor_id": actor.id, "actor_role": actor.role,
            "actor_name": actor.name[:64], "actor_region_code": actor.region_code,
            "action": action, "subject_type": subject_type,
            "subject_id": None if subject_id is None else str(subject_id)[:64],
            "subject_region_code": subject_region_code,
            "summary": mask_text(summary)[:SUMMARY_MAX], "detail": jsonable(detail),
            "request_id": request_id()}


def _actor_for(conn: sa.Connection, watch: Watch, row: _Row,
               officer: Actor | None) -> Actor | None:
    if watch.actor is None:
        return officer
    actor_id = row.get(watch.actor)
    if officer is not None and officer.id == actor_id:
        return officer
    users = _table("users")
    user = conn.execute(sa.select(users).where(users.c.id == actor_id)).first()
    return _actor_of(user) if user is not None else None


def _entry(conn: sa.Connection, watch: Watch, action: str, row: _Row, actor: Actor,
           changes: Mapping[str, list] | None = None) -> dict:
    label = watch.label.format_map(_Words(row, watch.words))
    note = next((row.get(c) for c in watch.note if row.get(c)), None)
    reason = None if note else request_reason()
    summary = f"{action_label(action)}：{label}"
    if note or reason:
        summary += f"。{'原因' if reason else watch.note_label}：{note or reason}"
    detail: dict[str, Any] = {c: row.get(c) for c in watch.detail}
    if changes:
        detail["changes"] = changes
    if reason:
        detail["reason"] = reason
    entry = new_entry(action, actor=actor, subject_type=watch.subject,
                      subject_id=row.get(watch.subject_id),
                      # imports touch thousands of rows: their entry is the officer's
                      subject_region_code=None if watch.collapse else _region(conn, watch, row),
                      summary=summary,
                      detail=detail)
    entry["label"] = label  # for collapsing; dropped before the insert
    return entry


def _resolve(spec: str | Mapping[str, str], old: Any, new: Any) -> str | None:
    if isinstance(spec, str):
        return spec
    if not isinstance(new, str | int | None):
        return None
    return spec.get(f"{old}>{new}") or spec.get(new)


def _changed_actions(watch: Watch, diffs: Mapping[str, tuple[Any, Any]]) -> dict[str, dict]:
    """{action: {column: [old, new]}} for the watched columns that changed."""
    actions: dict[str, dict] = defaultdict(dict)
    for column, (old, new) in diffs.items():
        spec = watch.changed.get(column)
        if spec is None or old == new:
            continue
        if action := _resolve(spec, old, new):
            # A secret changes, but what it changed from and to stays out of the log.
            shown = [None, None] if column.endswith(("_hash", "_enc")) else [old, new]
            actions[action][column] = shown
    return actions


def _collapse(entries: list[tuple[Watch, dict]]) -> list[dict]:
    """Imports: one entry per action and flush, naming the subjects it touched."""
    out, groups = [], defaultdict(list)
    for watch, entry in entries:
        if watch.collapse:
            groups[(watch.subject, entry["action"])].append(entry)
        else:
            out.append(entry)
    for (_subject, action), group in groups.items():
        labels = [e["label"] for e in group]
        first = group[0]
        shown = "、".join(labels[:5]) + ("等" if len(labels) > 5 else "")
        out.append({**first, "subject_id": None if len(group) > 1 else first["subject_id"],
                    "summary": mask_text(f"{action_label(action)}：共 {len(group)} 条"
                                         f"（{shown}）")[:SUMMARY_MAX],
                    "detail": {"count": len(group), "items": [
                        {"id": e["subject_id"], **e["detail"]} for e in group[:COLLAPSED_ITEMS]]}})
    return out


def _write(conn: sa.Connection, entries: list[tuple[Watch, dict]]) -> None:
    rows = [{k: v for k, v in row.items() if k != "label"} for row in _collapse(entries)]
    if rows:
        conn.execute(sa.insert(AuditEntry.__table__), rows)


# ---- the ORM's flushes --------------------------------------------------------------------

def _watch_for(obj: Any) -> tuple[str, Watch] | tuple[None, None]:
    name = getattr(type(obj), "__tablename__", None)
    watch = WATCHES.get(name)
    return (name, watch) if watch else (None, None)


def _columns(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    return {attr.key: state.dict[attr.key] for attr in state.mapper.column_attrs
            if attr.key in state.dict}


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    officer = current_officer()
    found: list[tuple[Watch, dict]] = []
    conn = None
    for obj in list(session.new):
        name, watch = _watch_for(obj)
        if watch is None or watch.inserted is None or (officer is None and watch.actor is None):
            continue
        conn = conn or session.connection()
        row = _Row(conn, name, _columns(obj))
        action = watch.inserted if isinstance(watch.inserted, str) else watch.inserted(row)
        actor = _actor_for(conn, watch, row, officer) if action else None
        if action and actor:
            found.append((watch, _entry(conn, watch, action, row, actor)))
    if officer is not None:
        for obj in list(session.dirty) + list(session.deleted):
            name, watch = _watch_for(obj)
            if watch is None:
                continue
            conn = conn or session.connection()
            row = _Row(conn, name, _columns(obj))
            if obj in session.deleted:
                if watch.deleted:
                    found.append((watch, _entry(conn, watch, watch.deleted, row, officer)))
                continue
            state, diffs = inspect(obj), {}
            for column in watch.changed:
                history = state.attrs[column].history
                if history.added:
                    diffs[column] = (history.deleted[0] if history.deleted else None,
                                     history.added[0])
            for action, changes in _changed_actions(watch, diffs).items():
                found.append((watch, _entry(conn, watch, action, row, officer, changes)))
    if found:
        _write(conn, found)


# ---- statements: UPDATE ... WHERE id = :id, DELETE ... WHERE day = :day ---------------------

def _pins(where: Any, table: Any) -> dict[str, Any]:
    """The column = value conditions a WHERE clause is a conjunction of (others ignored)."""
    if where is None:
        return {}
    clauses = where.clauses if (isinstance(where, BooleanClauseList)
                                and where.operator is operators.and_) else [where]
    pins = {}
    for clause in clauses:
        if (isinstance(clause, BinaryExpression) and clause.operator is operators.eq
                and isinstance(clause.right, BindParameter)
                and getattr(clause.left, "table", None) is not None
                and clause.left.table.name == table.name):
            pins[clause.left.key] = clause.right.effective_value
    return pins


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state) -> Any:
    if not (state.is_update or state.is_delete):
        return None
    table = getattr(state.statement, "table", None)
    watch = WATCHES.get(getattr(table, "name", None))
    if watch is None or (state.is_delete and not watch.deleted):
        return None
    if state.is_update:
        values = {getattr(k, "key", k) for k in getattr(state.statement, "_values", None) or {}}
        if not values & set(watch.changed):
            return None
    officer = current_officer()
    pins = _pins(state.statement.whereclause, table) if officer else {}
    if not pins:
        return None
    real = _table(table.name)
    conn = state.session.connection()
    before = conn.execute(sa.select(real).where(*[real.c[k] == v for k, v in pins.items()])
                          .limit(PINNED_ROWS + 1)).mappings().all()
    if not before or len(before) > PINNED_ROWS:
        return None
    result = state.invoke_statement()
    (key,) = real.primary_key.columns
    after = {row[key.key]: row for row in conn.execute(
        sa.select(real).where(key.in_([row[key.key] for row in before]))).mappings()}
    found = []
    for old in before:
        new = after.get(old[key.key])
        if state.is_delete:
            if new is None:
                found.append((watch, _entry(conn, watch, watch.deleted, _Row(conn, real.name, old),
                                            officer)))
            continue
        if new is None:
            continue
        diffs = {c: (old[c], new[c]) for c in watch.changed if c in new}
        for action, changes in _changed_actions(watch, diffs).items():
            found.append((watch, _entry(conn, watch, action, _Row(conn, real.name, new), officer,
                                        changes)))
    if found:
        _write(conn, found)
    return result
