"""The markdown report: setup, one table row per scenario, error details."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

from bench.load import LoadResult

HEADER = ("scenario", "runs", "requests", "req/s", "req/s min-max", "p50 ms", "p99 ms", "errors",
          "ratio to baseline", "ratio to floor")


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def _median(values: list[float]) -> float:
    clean = [v for v in values if not math.isnan(v)]
    return statistics.median(clean) if clean else math.nan


def grouped(results: list[LoadResult]) -> dict[str, list[LoadResult]]:
    """The runs of each scenario, in the order the scenarios first ran."""
    runs: dict[str, list[LoadResult]] = {}
    for r in results:
        runs.setdefault(r.scenario, []).append(r)
    return runs


def table(results: list[LoadResult]) -> str:
    runs = grouped(results)
    rate = {name: _median([r.rps for r in rs]) for name, rs in runs.items()}

    def ratio(name: str, to: str) -> str:
        return f"{rate[name] / rate[to]:.2f}" if rate.get(to) else "-"

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for name, rs in runs.items():
        spread = f"{min(r.rps for r in rs):.0f}-{max(r.rps for r in rs):.0f}"
        cells = (name, str(len(rs)), str(sum(r.requests for r in rs)), f"{rate[name]:.0f}",
                 spread, _ms(_median([r.p50_ms for r in rs])),
                 _ms(_median([r.p99_ms for r in rs])), str(sum(r.errors for r in rs)),
                 ratio(name, "baseline"), ratio(name, "floor"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render(title: str, setup: dict[str, str], results: list[LoadResult],
           notes: list[str]) -> str:
    parts = [f"# {title}", "", *(f"- {key}: {value}" for key, value in setup.items()), "",
             table(results), ""]
    errors = [r for r in results if r.error_kinds]
    if errors:
        parts.append("Errors:")
        for r in errors:
            kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(r.error_kinds.items()))
            parts.append(f"- {r.scenario}: {kinds}")
        parts.append("")
    parts.extend(f"{note}" for note in notes)
    return "\n".join(parts).rstrip() + "\n"


def write(text: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
