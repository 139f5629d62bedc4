"""Benchmark moderator auto-assignment: 200 sessions over 2 days, 50 moderators.

Run from the repo root:  .venv/bin/python bench/assign.py [--runs N] [--seed S] [--rooms R]
Prints the median (and min/max) wall time of auto_assign and how many sessions it filled.
More rooms means more sessions at once and so a tighter programme (try --rooms 16).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Allow `python bench/assign.py` without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summit.services.moderation.assignment import (  # noqa: E402
    AssignmentResult,
    ModeratorInfo,
    Pinned,
    SessionSlot,
)
from summit.services.moderation.planner import auto_assign  # noqa: E402

DAY_ONE = datetime(2014, 6, 12, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
SESSIONS = 200
MODERATORS = 50


def build_sessions(rng: random.Random, rooms: int) -> list[SessionSlot]:
    """Sessions of 30-90 min, nearly back to back in each room, spread evenly over 2 days."""
    sessions: list[SessionSlot] = []
    per_room_day = -(-SESSIONS // (rooms * 2))
    for day in range(2):
        for room in range(rooms):
            start = DAY_ONE + timedelta(days=day, minutes=rng.choice((0, 15, 30)))
            for _ in range(per_room_day):
                length = timedelta(minutes=rng.choice((30, 45, 60, 90)))
                language = rng.choices(("de", "en", None), weights=(5, 4, 1))[0]
                sessions.append(
                    SessionSlot(
                        id=len(sessions) + 1,
                        title=f"Session {len(sessions) + 1} (room {room + 1})",
                        starts_at=start,
                        ends_at=start + length,
                        language=language,
                        moderators_needed=2,
                    )
                )
                start += length + timedelta(minutes=rng.choice((0, 15)))
    return sessions


def build_moderators(rng: random.Random) -> list[ModeratorInfo]:
    """Mixed languages; a third without windows, the rest with one or two windows a day."""
    moderators: list[ModeratorInfo] = []
    for mod_id in range(1, MODERATORS + 1):
        languages = rng.choices(
            (frozenset({"de", "en"}), frozenset({"de"}), frozenset({"en"})), weights=(5, 3, 2)
        )[0]
        moderators.append(
            ModeratorInfo(mod_id, f"Moderator {mod_id}", languages, availability(rng))
        )
    return moderators


def availability(rng: random.Random) -> tuple[tuple[datetime, datetime], ...]:
    if rng.random() < 1 / 3:
        return ()
    windows = []
    for day in range(2):
        if rng.random() < 0.15:
            continue  # not there that day
        start = DAY_ONE + timedelta(days=day, hours=rng.choice((0, 0, 2, 4)))
        windows.append((start, start + timedelta(hours=rng.choice((4, 6, 8, 12)))))
    return tuple(windows)


def build_pins(sessions: list[SessionSlot]) -> list[Pinned]:
    # A few hand-picked leads, as organisers do for the keynote-like sessions.
    return [Pinned(s.id, (s.id * 7) % MODERATORS + 1, "lead") for s in sessions[::40]]


def summarise(result: AssignmentResult, sessions: list[SessionSlot]) -> str:
    short = {u.session_id for u in result.unfilled if u.missing > 0}
    seats = sum(s.moderators_needed for s in sessions)
    missing = sum(u.missing for u in result.unfilled)
    codes: dict[str, int] = {}
    for gap in result.unfilled:
        for reason in gap.reasons:
            codes[reason.code] = codes.get(reason.code, 0) + 1
    reasons = ", ".join(f"{code}={n}" for code, n in sorted(codes.items())) or "-"
    return (
        f"sessions filled {len(sessions) - len(short)}/{len(sessions)}, unfilled {len(short)}; "
        f"seats filled {seats - missing}/{seats}; reasons: {reasons}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--rooms", type=int, default=10)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    sessions = build_sessions(rng, args.rooms)[:SESSIONS]
    moderators = build_moderators(rng)
    pins = build_pins(sessions)

    timings = []
    result = None
    for _ in range(args.runs):
        began = time.perf_counter()
        result = auto_assign(sessions, moderators, pins)
        timings.append((time.perf_counter() - began) * 1000)
    assert result is not None

    print(
        f"auto_assign: {len(sessions)} sessions x {len(moderators)} moderators, "
        f"{args.rooms} rooms, {len(pins)} pinned, {args.runs} runs, seed {args.seed}"
    )
    print(
        f"time ms: median {statistics.median(timings):.1f}, "
        f"min {min(timings):.1f}, max {max(timings):.1f}"
    )
    print(summarise(result, sessions))


if __name__ == "__main__":
    main()
