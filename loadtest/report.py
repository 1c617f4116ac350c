"""The load test's report: throughput, p50/p95/p99 per operation, errors inside and outside the fault windows.

    python loadtest/report.py var/loadtest            # reads stats_stats.csv, failures.jsonl, faults.jsonl

Prints a Markdown table (pasted into docs/benchmarks.md) and exits 1 when a request failed with a 5xx or a
connection error outside the injected fault windows (each window widened by ``LOADTEST_FAULT_GRACE`` seconds,
default 15, for the clients' retries and the new processes' start).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(out: Path) -> int:
    grace = float(os.environ.get("LOADTEST_FAULT_GRACE", 15))
    with (out / "stats_stats.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    faults = _jsonl(out / "faults.jsonl")
    failures = _jsonl(out / "failures.jsonl")
    conflicts = json.loads((out / "conflicts.json").read_text()) if (out / "conflicts.json").is_file() else {}

    print("| operation | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    total = None
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.1f} "
              f"| {row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |")
    if total:
        print(f"| **all** | **{total['Request Count']}** | **{total['Failure Count']}** | "
              f"**{float(total['Requests/s']):.1f}** | {total['50%']} | {total['95%']} | {total['99%']} | "
              f"{float(total['Max Response Time']):.0f} |")

    def window(at: float) -> str | None:
        for f in faults:
            if f["start"] - 1 <= at <= f["end"] + grace:
                return f["name"]
        return None

    inside: Counter = Counter()
    outside: list[dict] = []
    for f in failures:
        name = window(f["at"])
        if name:
            inside[name] += 1
        else:
            outside.append(f)
    print()
    for f in faults:
        print(f"- fault `{f['name']}`: {f['end'] - f['start']:.1f} s ({f.get('note', '')}); "
              f"failed requests in the window (+{grace:.0f} s): {inside.get(f['name'], 0)}")
    print(f"- failed requests (5xx or connection error) outside the fault windows: {len(outside)}")
    if conflicts.get("counts"):
        print(f"- refused as designed under concurrency (not counted as errors): {conflicts['counts']}")
    for f in outside[:20]:
        print(f"  - {f}")
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/loadtest")))
