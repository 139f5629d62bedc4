"""Random secrets for attendees: the manage-link token and the badge's check-in code."""

import re
import secrets

# A check-in code reaches the desk through a keyboard-wedge scanner: it "types" the code as
# key positions of the layout it is set to (usually US), and the computer reads those keys
# with its own layout. Only letters that sit on the same key in QWERTY (US, UK), QWERTZ
# (German, Swiss) and AZERTY (French, Belgian) survive any pairing:
#   QWERTZ swaps Y and Z;
#   AZERTY swaps A/Q and Z/W, has M where QWERTY has ";" and types digits only with Shift
#   (the US "2" key gives "é"), so no digits either.
# That leaves B C D E F G H I J K L N O P R S T U V X. Of these, I and L (1, each other),
# O (0, D, Q), U and V (each other) are dropped because people misread them when they type a
# code from a badge. Case does not matter: input is upper-cased (Caps Lock flips a scanner's
# Shift).
CHECKIN_ALPHABET = "BCDEFGHJKNPRSTX"
# 15 letters carry log2(15) = 3.9 bits each: 36 of them are 140 bits (at least 128), printed in
# nine groups of four. A version-2 QR code holds them, as it held the old codes.
CHECKIN_LENGTH = 36
GROUP_SIZE = 4

# Codes made before (on badges already printed and in the database) stay valid: 27 characters
# of this alphabet, 131 bits. Their Y and Z are what a QWERTZ computer swaps.
LEGACY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LEGACY_LENGTH = 27
_QWERTZ_SWAP = str.maketrans("YZ", "ZY")

# What people type between groups: spaces, hyphens and the dashes phones put in their place.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_LENGTH))


def new_manage_token() -> str:
    return secrets.token_urlsafe(32)


def looks_like_checkin_code(text: str) -> bool:
    """A code of the current format or of the legacy one (exact characters, upper case)."""
    return _is_code(text, CHECKIN_ALPHABET, CHECKIN_LENGTH) or _is_code(
        text, LEGACY_ALPHABET, LEGACY_LENGTH)


def _is_code(text: str, alphabet: str, length: int) -> bool:
    return len(text) == length and all(ch in alphabet for ch in text)


def tidy(text: str) -> str | None:
    """The code in what a person typed ("bcdf-ghjk …"): upper case, without separators;
    None if that is not a check-in code."""
    code = _SEPARATORS.sub("", text).upper()
    return code if looks_like_checkin_code(code) else None


def layout_variants(code: str) -> list[str]:
    """Other codes ``code`` may have been before a keyboard layout changed it on the way in.

    Only legacy codes have Y and Z, which a scanner set to US layout swaps on a QWERTZ
    computer (and the other way round); current codes come through unchanged.
    """
    swapped = code.translate(_QWERTZ_SWAP)
    return [swapped] if swapped != code else []


def grouped(code: str) -> str:
    """``code`` as printed for people to read and type: "BCDF-GHJK-…"."""
    return "-".join(code[i:i + GROUP_SIZE] for i in range(0, len(code), GROUP_SIZE))
