"""Moderator auto-assignment: the rules, checked on small hand-made cases and a large random one."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest

from summit.services.moderation.assignment import (
    CO,
    LEAD,
    AssignmentResult,
    Booking,
    ModeratorInfo,
    Pinned,
    SessionSlot,
)
from summit.services.moderation.planner import auto_assign
from summit.services.moderation.reasons import (
    ALL_BUSY,
    NO_AVAILABILITY,
    NO_LANGUAGE,
    NO_LEAD,
    NOT_ENOUGH_MODERATORS,
)
from summit.services.moderation.windows import is_available, merge_windows

DAY = datetime(2014, 6, 12, tzinfo=UTC)


def at(hour: float) -> datetime:
    return DAY + timedelta(hours=hour)


def slot(
    sid: int, start: float, end: float, language: str | None = None, needed: int = 2
) -> SessionSlot:
    return SessionSlot(sid, f"Session {sid}", at(start), at(end), language, needed)


def mod(mid: int, languages: str = "de en", windows: tuple = ()) -> ModeratorInfo:
    spans = tuple((at(a), at(b)) for a, b in windows)
    return ModeratorInfo(mid, f"Moderator {mid}", frozenset(languages.split()), spans)


def seats(result: AssignmentResult) -> dict[int, list[int]]:
    by_session: dict[int, list[int]] = {}
    for a in result.assignments:
        by_session.setdefault(a.session_id, []).append(a.moderator_id)
    return by_session


def assert_valid(
    result: AssignmentResult,
    sessions: list[SessionSlot],
    moderators: list[ModeratorInfo],
    pinned: list[Pinned] = (),
    existing: list[Booking] = (),
) -> None:
    """Every rule of auto_assign, checked on every pair and every assignment."""
    session_by_id = {s.id: s for s in sessions}
    mod_by_id = {m.id: m for m in moderators}
    auto = [a for a in result.assignments if not a.pinned]

    for a, b in combinations(result.assignments, 2):
        if a.moderator_id != b.moderator_id or (a.pinned and b.pinned):
            continue
        assert a.session_id != b.session_id, f"moderator {a.moderator_id} seated twice"
        first, second = session_by_id[a.session_id], session_by_id[b.session_id]
        assert not (first.starts_at < second.ends_at and second.starts_at < first.ends_at), (
            f"moderator {a.moderator_id} double-booked in {first.id} and {second.id}"
        )
    for a in auto:
        session, moderator = session_by_id[a.session_id], mod_by_id[a.moderator_id]
        assert is_available(moderator.availability, session.starts_at, session.ends_at)
        if session.language is not None:
            assert session.language.casefold() in {lang.casefold() for lang in moderator.languages}
        for booking in existing:
            if booking.moderator_id == a.moderator_id:
                assert not (
                    booking.starts_at < session.ends_at and session.starts_at < booking.ends_at
                )

    kept = {(a.session_id, a.moderator_id, a.role) for a in result.assignments if a.pinned}
    assert kept == {(p.session_id, p.moderator_id, p.role) for p in pinned}

    missing = {u.session_id: u.missing for u in result.unfilled}
    no_lead = {u.session_id for u in result.unfilled if any(r.code == NO_LEAD for r in u.reasons)}
    for session in sessions:
        rows = [a for a in result.assignments if a.session_id == session.id]
        if len(rows) < session.moderators_needed:
            assert missing[session.id] == session.moderators_needed - len(rows)
            assert not free_and_eligible(session, result, moderators, existing, session_by_id)
        if rows and session.id not in no_lead:
            assert sum(a.role == LEAD for a in rows) == 1, f"session {session.id} leads"
    for gap in result.unfilled:
        assert gap.reasons, f"session {gap.session_id} unfilled without a reason"


def free_and_eligible(
    session: SessionSlot,
    result: AssignmentResult,
    moderators: list[ModeratorInfo],
    existing: list[Booking],
    session_by_id: dict[int, SessionSlot],
) -> list[int]:
    """Moderators who could still join `session`: then a gap would have been left needlessly."""
    spans: dict[int, list[tuple[datetime, datetime]]] = {m.id: [] for m in moderators}
    for a in result.assignments:
        other = session_by_id[a.session_id]
        spans[a.moderator_id].append((other.starts_at, other.ends_at))
    for booking in existing:
        spans.setdefault(booking.moderator_id, []).append((booking.starts_at, booking.ends_at))
    language = session.language and session.language.casefold()
    return [
        m.id
        for m in moderators
        if (language is None or language in {lang.casefold() for lang in m.languages})
        and is_available(m.availability, session.starts_at, session.ends_at)
        and all(not (s < session.ends_at and session.starts_at < e) for s, e in spans[m.id])
    ]


# --- basic filling ------------------------------------------------------------------------


def test_fills_sessions_with_one_lead_and_co_moderators():
    sessions = [slot(1, 9, 10), slot(2, 10, 11, needed=3)]
    moderators = [mod(i) for i in range(1, 5)]
    result = auto_assign(sessions, moderators)
    assert result.unfilled == []
    assert [a.role for a in result.assignments if a.session_id == 1] == [LEAD, CO]
    assert [a.role for a in result.assignments if a.session_id == 2] == [LEAD, CO, CO]
    assert_valid(result, sessions, moderators)


def test_never_double_books_overlapping_sessions():
    sessions = [slot(1, 10, 11), slot(2, 10.5, 11.5), slot(3, 10.75, 12)]
    moderators = [mod(i) for i in range(1, 5)]
    result = auto_assign(sessions, moderators)
    assert_valid(result, sessions, moderators)
    assert sum(u.missing for u in result.unfilled) == 2
    assert {r.code for u in result.unfilled for r in u.reasons} == {ALL_BUSY}


def test_back_to_back_sessions_can_share_a_moderator():
    sessions = [slot(1, 10, 11), slot(2, 11, 12)]
    moderators = [mod(1), mod(2)]
    result = auto_assign(sessions, moderators)
    assert result.unfilled == []
    assert seats(result) == {1: [1, 2], 2: [1, 2]}


# --- availability and language ------------------------------------------------------------


def test_only_within_availability_windows():
    sessions = [slot(1, 9, 10, needed=1), slot(2, 14, 15, needed=1)]
    morning, afternoon = mod(1, windows=((8, 12),)), mod(2, windows=((13, 18),))
    result = auto_assign(sessions, [morning, afternoon])
    assert seats(result) == {1: [1], 2: [2]}


def test_session_must_fit_one_window_but_touching_windows_merge():
    sessions = [slot(1, 9.5, 10.5, needed=1)]
    split = mod(1, windows=((8, 10), (10.25, 12)))  # gap 10:00-10:15
    touching = mod(2, windows=((8, 10), (10, 12)))
    assert auto_assign(sessions, [split]).unfilled[0].reasons[0].code == NO_AVAILABILITY
    assert seats(auto_assign(sessions, [touching])) == {1: [2]}
    assert merge_windows([(at(10), at(12)), (at(8), at(10))]) == [(at(8), at(12))]


def test_no_windows_recorded_means_available_all_event():
    result = auto_assign([slot(1, 3, 4, needed=1)], [mod(1)])
    assert seats(result) == {1: [1]}
    assert is_available((), at(0), at(23))


def test_moderator_must_speak_the_session_language():
    sessions = [slot(1, 9, 10, "DE", needed=1), slot(2, 9, 10, "en", needed=1)]
    moderators = [mod(1, "en"), mod(2, "de")]
    result = auto_assign(sessions, moderators)
    assert seats(result) == {1: [2], 2: [1]}
    assert_valid(result, sessions, moderators)


def test_session_without_language_takes_anyone():
    result = auto_assign([slot(1, 9, 10, None, needed=2)], [mod(1, "fr"), mod(2, "")])
    assert seats(result) == {1: [1, 2]}


# --- pinned and existing ------------------------------------------------------------------


def test_pinned_assignments_are_kept_and_block_their_time():
    sessions = [slot(1, 10, 11), slot(2, 10, 11)]
    moderators = [mod(1), mod(2), mod(3), mod(4)]
    pins = [Pinned(1, 4, CO), Pinned(2, 3, LEAD)]
    result = auto_assign(sessions, moderators, pins)
    assert_valid(result, sessions, moderators, pins)
    rows = {(a.session_id, a.moderator_id): (a.role, a.pinned) for a in result.assignments}
    assert rows[(1, 4)] == (CO, True)
    assert rows[(2, 3)] == (LEAD, True)
    # Session 1 has only a pinned co: the auto-assigned moderator leads it.
    assert [r for (s, _), r in rows.items() if s == 1 and not r[1]] == [(LEAD, False)]
    assert [r for (s, _), r in rows.items() if s == 2 and not r[1]] == [(CO, False)]


def test_pinned_kept_even_when_breaking_rules():
    sessions = [slot(1, 10, 11, "de", needed=1)]
    pins = [Pinned(1, 1, LEAD)]
    result = auto_assign(sessions, [mod(1, "en", windows=((14, 15),))], pins)
    assert result.assignments[0].pinned and result.unfilled == []


def test_pinned_co_moderators_only_is_reported_as_missing_lead():
    pins = [Pinned(1, 1, CO), Pinned(1, 2, CO)]
    result = auto_assign([slot(1, 10, 11)], [mod(1), mod(2)], pins)
    assert [(u.missing, [r.code for r in u.reasons]) for u in result.unfilled] == [(0, [NO_LEAD])]


def test_existing_bookings_block_time_and_count_as_load():
    sessions = [slot(1, 10, 11, needed=1), slot(2, 14, 15, needed=1)]
    moderators = [mod(1), mod(2)]
    existing = [Booking(1, at(10.5), at(11.5)), Booking(2, at(16), at(20))]
    result = auto_assign(sessions, moderators, existing=existing)
    assert_valid(result, sessions, moderators, existing=existing)
    # 1 is busy at 10:30, so 2 takes session 1; after that 2 carries 5 h, so 1 gets session 2.
    assert seats(result) == {1: [2], 2: [1]}


@pytest.mark.parametrize(
    "pins",
    [
        [Pinned(99, 1, LEAD)],
        [Pinned(1, 99, LEAD)],
        [Pinned(1, 1, "chair")],
        [Pinned(1, 1, LEAD), Pinned(1, 2, LEAD)],
        [Pinned(1, 1, LEAD), Pinned(1, 1, CO)],
    ],
)
def test_inconsistent_pins_are_rejected(pins):
    with pytest.raises(ValueError):
        auto_assign([slot(1, 10, 11)], [mod(1), mod(2)], pins)


def test_inconsistent_sessions_are_rejected():
    with pytest.raises(ValueError):
        auto_assign([slot(1, 10, 11), slot(1, 12, 13)], [mod(1)])
    with pytest.raises(ValueError):
        auto_assign([slot(1, 11, 10)], [mod(1)])
    with pytest.raises(ValueError):
        auto_assign([slot(1, 10, 11)], [mod(1), mod(1)])


# --- balance, order, determinism ----------------------------------------------------------


def test_load_is_balanced_on_a_symmetric_case():
    sessions = [slot(i, 8 + i, 9 + i) for i in range(12)]  # 12 one-hour sessions, 2 seats each
    moderators = [mod(i) for i in range(1, 7)]
    result = auto_assign(sessions, moderators)
    load = Counter(a.moderator_id for a in result.assignments)
    assert result.unfilled == []
    assert set(load) == {1, 2, 3, 4, 5, 6}
    assert max(load.values()) - min(load.values()) == 0


def test_most_constrained_sessions_are_served_first():
    # Session 2 has one possible moderator; starting with session 1 would take them away.
    sessions = [slot(1, 10, 11, "de", needed=1), slot(2, 10.5, 11.5, "en", needed=1)]
    moderators = [mod(1, "de en"), mod(2, "de")]
    assert seats(auto_assign(sessions, moderators)) == {1: [2], 2: [1]}


def test_swap_fills_a_gap_greedy_leaves():
    # Greedy: C takes Z (only choice), A takes the unloaded X, then B (needs X or Z) is stuck.
    # The improvement step moves X to B and Y (free for A) to A.
    x, y, z = mod(1, "fr de"), mod(2, "fr"), mod(3, "de it")
    sessions = [
        slot(10, 10, 11, "fr", needed=1),  # A
        slot(20, 10.5, 11.5, "de", needed=1),  # B
        slot(30, 10.5, 11.5, "it", needed=1),  # C
    ]
    existing = [Booking(2, at(7), at(9))]  # makes Y more loaded than X
    result = auto_assign(sessions, [x, y, z], existing=existing)
    assert result.unfilled == []
    assert seats(result) == {10: [2], 20: [1], 30: [3]}
    assert_valid(result, sessions, [x, y, z], existing=existing)


def test_same_input_gives_same_result_also_when_shuffled():
    sessions, moderators, pins = random_programme(random.Random(7), 60, 15)
    first = auto_assign(sessions, moderators, pins)
    assert auto_assign(sessions, moderators, pins) == first
    rng = random.Random(1)
    for _ in range(3):
        shuffled = [list(x) for x in (sessions, moderators, pins)]
        for items in shuffled:
            rng.shuffle(items)
        assert auto_assign(*shuffled) == first


# --- explaining gaps ----------------------------------------------------------------------


def test_unfillable_sessions_explain_why():
    sessions = [
        slot(1, 9, 10, "it", needed=1),  # nobody speaks it
        slot(2, 20, 21, "en", needed=1),  # the only en speaker left at 18:00
        slot(3, 12, 13, "de", needed=3),  # 2 de speakers exist
        slot(4, 12, 13, None, needed=2),  # everyone is in session 3 by then
    ]
    moderators = [mod(1, "de en", windows=((8, 18),)), mod(2, "de")]
    result = auto_assign(sessions, moderators, display_tz=ZoneInfo("Europe/Berlin"))
    reasons = {
        u.session_id: [(r.code, r.params, r.text) for r in u.reasons] for u in result.unfilled
    }
    assert_valid(result, sessions, moderators)

    [(code, params, text)] = reasons[1]
    assert (code, params["language"], text) == (NO_LANGUAGE, "it", "no moderator speaks it")

    [(code, params, text)] = reasons[2]
    assert code == NO_AVAILABILITY and params["moderator_ids"] == [1]
    assert text == "1 moderator who speaks en is not available at 2014-06-12 22:00–23:00"

    [(code, params, text)] = reasons[3]
    assert code == NO_LANGUAGE and params == {"language": "de", "count": 2, "needed": 3}
    assert text == "only 2 moderators speak de, 3 needed"

    [(code, params, text)] = reasons[4]
    assert code == ALL_BUSY and params["count"] == 2 and params["moderator_ids"] == [1, 2]
    assert text == "2 moderators are booked elsewhere at 2014-06-12 14:00–15:00"


def test_shortage_without_language_and_mixed_reasons():
    sessions = [slot(1, 10, 11, needed=3), slot(2, 10, 11, "en", needed=1)]
    moderators = [mod(1, "en"), mod(2, "en", windows=((14, 16),))]
    result = auto_assign(sessions, moderators)
    codes = {u.session_id: [r.code for r in u.reasons] for u in result.unfilled}
    assert codes[1] == [NOT_ENOUGH_MODERATORS, NO_AVAILABILITY]
    assert codes[2] == [NO_AVAILABILITY, ALL_BUSY]


# --- at scale -----------------------------------------------------------------------------


def random_programme(
    rng: random.Random, n_sessions: int, n_moderators: int
) -> tuple[list[SessionSlot], list[ModeratorInfo], list[Pinned]]:
    """Crowded sessions over 2 days, de/en, moderators with varied windows and languages.

    Crowded on purpose: some sessions stay unfilled, so the gap reasons get exercised too.
    """
    sessions = []
    for sid in range(1, n_sessions + 1):
        start = (sid % 2) * 24 + 8 + rng.randrange(0, 40) / 4  # 08:00-18:00, quarter hours
        language = rng.choice(("de", "en", "de", None))
        sessions.append(slot(sid, start, start + rng.choice((0.5, 1, 1.5)), language, 2))
    moderators = []
    for mid in range(1, n_moderators + 1):
        languages = rng.choice(("de en", "de", "en", "de en"))
        windows = () if rng.random() < 0.3 else ((8, 15), (24 + 12, 24 + 20))
        moderators.append(mod(mid, languages, windows))
    pins = [Pinned(s.id, rng.randrange(1, n_moderators + 1), LEAD) for s in sessions[::25]]
    return sessions, moderators, pins


def test_200_sessions_50_moderators_keep_every_rule():
    sessions, moderators, pins = random_programme(random.Random(2014), 200, 50)
    result = auto_assign(sessions, moderators, pins)
    assert_valid(result, sessions, moderators, pins)
    assert len(result.assignments) > 300  # sanity: most of the 400 seats are fillable
    assert {r.code for gap in result.unfilled for r in gap.reasons} == {NO_AVAILABILITY, ALL_BUSY}
