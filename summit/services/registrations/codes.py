"""Random secrets for attendees: the manage-link token and the badge's check-in code."""

import secrets

# No look-alikes (0/O, 1/I/L, U/V) so that a code read aloud or typed from a badge survives.
CHECKIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
# 27 characters of a 29-letter alphabet: 27 * log2(29) = 131 bits of randomness.
CHECKIN_LENGTH = 27


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_LENGTH))


def new_manage_token() -> str:
    return secrets.token_urlsafe(32)


def looks_like_checkin_code(text: str) -> bool:
    return len(text) == CHECKIN_LENGTH and all(ch in CHECKIN_ALPHABET for ch in text)
