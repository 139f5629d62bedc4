"""Benchmark the jury assignment: 400 applications, 25 jurors, K=3, with conflicts.

Run from the repo root:  .venv/bin/python bench/jury_assign.py [--runs N] [--seed S]
Prints the median (and min/max) wall time of one assignment, the load spread and whether
every application got K reviewers; the last line holds the figures as key=value pairs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

# Allow `python bench/jury_assign.py` without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summit.services.applications.assignment import plan  # noqa: E402

APPLICATIONS, JURORS, K = 400, 25, 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--conflicts", type=int, default=150,
                        help="random (application, juror) conflicts")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    applications = list(range(1, APPLICATIONS + 1))
    jurors = list(range(1, JURORS + 1))
    conflicts = {(rng.choice(applications), rng.choice(jurors)) for _ in range(args.conflicts)}
    times, result = [], None
    for _ in range(args.runs):
        started = time.perf_counter()
        result = plan(applications, jurors, K, conflicts=conflicts)
        times.append(time.perf_counter() - started)
    per_application: dict[int, set[int]] = {}
    for application, juror in result.added:
        per_application.setdefault(application, set()).add(juror)
    covered = all(len(per_application.get(a, ())) == K for a in applications)
    clash = sum(1 for pair in result.added if pair in conflicts)
    loads = result.loads.values()
    median = statistics.median(times)
    print(f"{APPLICATIONS} applications, {JURORS} jurors, K={K}, {len(conflicts)} conflicts")
    print(f"time: median {median * 1000:.1f} ms (min {min(times) * 1000:.1f}, "
          f"max {max(times) * 1000:.1f}) over {args.runs} runs")
    print(f"load: {min(loads)}..{max(loads)} per juror (spread {result.spread}); "
          f"every application has {K}: {covered}; conflicts assigned: {clash}")
    print(f"seconds={median:.4f} applications={APPLICATIONS} jurors={JURORS} k={K} "
          f"conflicts={len(conflicts)} load_min={min(loads)} load_max={max(loads)} "
          f"spread={result.spread} all_covered={str(covered).lower()} "
          f"conflicts_assigned={clash}")


if __name__ == "__main__":
    main()
