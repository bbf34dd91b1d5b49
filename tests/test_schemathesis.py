"""Schemathesis against our own OpenAPI document: from every role, no generated request gets
a 5xx or an answer that breaks the documented response schema.

PostgreSQL pass only (the backend whose types overflowed and whose NULs broke): a villager,
a merchant owner, expo staff and a province admin each fuzz every operation, on the demo
campaign's data so that small generated ids hit real rows. Bounded in examples: minutes.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationMode

from app.accounts.models import User
from app.accounts.services import issue_token
from app.demo import seed_all
from app.extensions import db

pytestmark = pytest.mark.postgres

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
ROLES = {"villager": None, "merchant": "demo-merchant", "staff": "demo-staff",
         "admin": "demo-admin"}
# Operations that end the caller's own session: fuzzing them would only revoke our token.
SKIP = {"POST /api/mp/v1/auth/logout", "POST /api/v1/auth/logout"}


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def contract_problems(response) -> list[str]:
    """What API.md promises of every JSON answer: times in China time (+08:00), and every
    message a person reads (the error's `message` and field messages) in Chinese."""
    if "json" not in response.headers.get("Content-Type", ""):
        return []
    try:
        body = response.json()
    except ValueError:
        return ["not JSON"]
    problems = [f"time not in China time: {text}" for text in _strings(body)
                if (m := _TIME.fullmatch(text)) and m.group(3) != "+08:00"]
    if response.status_code >= 400 and isinstance(body, dict):
        problems += [f"not Chinese: {text!r}" for text in
                     _strings({"message": body.get("message"), "errors": body.get("errors")})
                     if not _CJK.search(text)]
    return problems


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label not in SKIP:
            yield operation


def _token(make, role: str) -> str:
    username = ROLES[role]
    user = (make.villager("fuzz", region_code="410105001") if username is None else
            db.session.scalar(db.select(User).where(User.username == username)))
    token = issue_token(user)
    db.session.commit()
    return token


def _fuzz(operation, headers: dict, mode: GenerationMode, failures: list, counts: Counter):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.headers = {**(case.headers or {}), **headers}
        response = case.call()
        counts[response.status_code // 100] += 1
        failures.extend(f"{operation.label} -> {response.status_code}: {problem}"
                        for problem in contract_problems(response))
        try:
            case.validate_response(response, checks=[not_a_server_error,
                                                     response_schema_conformance])
        except (AssertionError, BaseExceptionGroup) as exc:  # schemathesis failures
            for failure in getattr(exc, "exceptions", [exc]):
                summary = getattr(failure, "title", type(failure).__name__)
                detail = str(getattr(failure, "message", failure)).strip().splitlines()
                failures.append(f"{operation.label} [{mode.value}] -> {response.status_code}: "
                                f"{summary}: {' | '.join(detail[:3])[:300]}")

    with contextlib.suppress(Unsatisfiable):  # no negative case for what takes nothing
        run()


@pytest.mark.parametrize("role", list(ROLES))
def test_no_server_error_and_no_schema_violation(app, client, make, role):
    seed_all()
    db.session.commit()
    headers = {"Authorization": f"Bearer {_token(make, role)}"}
    failures: list[str] = []
    counts: Counter = Counter()
    operations = list(_operations(app))
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, headers, mode, failures, counts)
    print(f"\n{role}: {len(operations)} operations, {sum(counts.values())} requests, "
          f"by status class {dict(sorted(counts.items()))}")
    assert counts[5] == 0 and not failures, "\n".join(sorted(set(failures))[:60])
    assert counts[2] > 0, "no request succeeded: the fuzzing reached nothing"
