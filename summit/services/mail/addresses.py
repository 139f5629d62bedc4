"""E-mail addresses on their way out, internationalised ones included (RFC 6531, 6532).

People write a domain in Unicode (info@münchen.de); DNS and every mail server know it in
its IDNA form (info@xn--mnchen-3ya.de), so that is what travels. A local part beyond ASCII
(jürgen@, 用户@) has no ASCII form at all: only a server that offers SMTPUTF8 takes it, and
the message then carries the address as UTF-8 in its header.
"""

from dataclasses import dataclass
from email.utils import formataddr

from email_validator import EmailNotValidError, validate_email


@dataclass(frozen=True)
class Mailbox:
    local: str
    domain: str  # as people write it: münchen.de
    ascii_domain: str  # as DNS and SMTP know it: xn--mnchen-3ya.de

    @property
    def address(self) -> str:
        return f"{self.local}@{self.domain}"

    @property
    def wire(self) -> str:
        """The form for the SMTP envelope and an ASCII header."""
        return f"{self.local}@{self.ascii_domain}"

    @property
    def needs_smtputf8(self) -> bool:
        return not self.local.isascii()


def needs_smtputf8(address: str) -> bool:
    """Whether only a server offering SMTPUTF8 can take mail to the address."""
    return not address.rpartition("@")[0].isascii()


def parse(address: str) -> Mailbox:
    """The address in both forms. One that email_validator refuses (a placeholder such as
    x@invalid) is taken as written: it was accepted once and may still be mailed to."""
    try:
        result = validate_email(address, check_deliverability=False,
                                globally_deliverable=False)
    except EmailNotValidError:
        local, _at, domain = address.rpartition("@")
        return Mailbox(local, domain, domain)
    return Mailbox(result.local_part, result.domain, result.ascii_domain)


def recipient_header(name: str, address: str) -> str:
    """The To header's value for a compat32 message (email.mime), as compose builds them.

    An address with an ASCII local part goes in its ASCII form, which any server delivers.
    One without goes in as UTF-8 (RFC 6532). compat32 writes a header's bytes as they are
    only when they come surrogate-escaped (the form its parser gives 8-bit headers); other
    non-ASCII text it would RFC 2047-encode, address and all, which no server delivers.
    """
    mailbox = parse(address)
    if not mailbox.needs_smtputf8:
        return formataddr((name, mailbox.wire), charset="utf-8")
    # formataddr quotes or RFC 2047-encodes the name; it refuses only the address part.
    display = formataddr((name, "_"), charset="utf-8").removesuffix(" <_>") if name else ""
    value = f"{display} <{mailbox.address}>" if display else mailbox.address
    return value.encode("utf-8").decode("ascii", "surrogateescape")


def header_text(value) -> str:
    """A header's value as text, with the UTF-8 that recipient_header escaped decoded."""
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
