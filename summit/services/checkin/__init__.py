"""Check-in at the desk: a scan of a badge's code (exactly once, every scan recorded),
search by name, undo, and the live counts."""

from .busy_scan import Answer, check_in_at_once, check_in_for_token_holder
from .offline import (
    CONFLICT,
    Conflict,
    apply_batch,
    check_nonce,
    conflicts,
    flagged_scans,
    parse_scanned_at,
    record_offline_scan,
    snapshot,
)
from .scans import (
    ALREADY_CHECKED_IN,
    CHECKED_IN,
    UNKNOWN,
    CheckinError,
    ScanResult,
    attendee_summary,
    check_in_registration,
    find_and_check_in,
    get_registration,
    live_counts,
    normalise_code,
    recent_scans,
    scan,
    search,
    undo,
)
