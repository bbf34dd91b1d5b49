"""The markdown report: setup, one table row per scenario, error details."""

from __future__ import annotations

import math
from pathlib import Path

from bench.load import LoadResult

HEADER = ("scenario", "requests", "req/s", "p50 ms", "p99 ms", "errors", "ratio to baseline")


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def table(results: list[LoadResult], baseline: LoadResult | None) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in results:
        ratio = f"{r.rps / baseline.rps:.2f}" if baseline and baseline.rps else "-"
        cells = (r.scenario, str(r.requests), f"{r.rps:.0f}", _ms(r.p50_ms), _ms(r.p99_ms),
                 str(r.errors), ratio)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render(title: str, setup: dict[str, str], results: list[LoadResult],
           notes: list[str]) -> str:
    baseline = next((r for r in results if r.scenario == "baseline"), None)
    parts = [f"# {title}", "", *(f"- {key}: {value}" for key, value in setup.items()), "",
             table(results, baseline), ""]
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
