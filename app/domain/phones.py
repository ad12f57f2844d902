"""Phone numbers: what counts as one, the one form we store, and how it is shown and rung.

A number young people see becomes a tel: or sms: link, so only a real number may become
one (issue 12, finding 13). We use Google's libphonenumber rules (the `phonenumbers`
package), reading a number without a + as a UK one:

- UK numbers (07700 900123, 020 7946 0000, 0800 1111) and international numbers written
  with + (or 00) are stored in E.164 ("+447700900123"): one form, however it was typed,
  and the form a tel: link needs to work from any phone.
- UK short numbers that libphonenumber knows (116 123 Samaritans, 111, 999, 85258 Shout)
  are stored as their digits: they cannot be rung with +44 in front.
- Ofcom's numbers for drama (07700 900000 to 900999, 01632 960000 to 960999) are accepted,
  though libphonenumber calls them invalid: no real phone rings, so they are what demo data
  and examples use.

Everything else is refused. A stored value that is not a number (written before these
checks) is shown as it is, as text, and never made into a link.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

REGION = "GB"
# Ofcom's drama ranges: E.164 prefix and the full length with the "+".
DRAMA = (("+447700900", 13), ("+441632960", 13))


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, REGION)
    except NumberParseException:
        return None


def _is_short(text: str, number: phonenumbers.PhoneNumber) -> bool:
    # A short number is written as it is dialled: no +, no leading 0.
    written = "".join(c for c in text if c.isdigit() or c == "+")
    return (
        not written.startswith(("+", "0"))
        and number.country_code == 44
        and phonenumbers.is_valid_short_number_for_region(number, REGION)
    )


def normalise(text: str | None) -> str | None:
    """The stored form of a phone number as a person typed it, or None if it is not one."""
    text = (text or "").strip()
    if not text or not set(text) <= set("0123456789 ()-.+") or "+" in text[1:]:
        return None
    number = _parse(text)
    if number is None:
        return None
    if _is_short(text, number):
        return str(number.national_number)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number) or any(
        e164.startswith(prefix) and len(e164) == length for prefix, length in DRAMA
    ):
        return e164
    return None


def link_target(stored: str | None) -> str | None:
    """What goes after tel: or sms:, always the normal form, or None when the stored value
    is not a phone number (it is then shown as text, never linked). A number stored before
    numbers were normalised is still a number, so it is linked by its normal form."""
    return normalise(stored)


def readable(stored: str | None) -> str:
    """A number as people write it: UK numbers the UK way (07700 900123), others the
    international way (+33 1 23 45 67 89). Anything that is not a number comes back as it
    was stored."""
    text = (stored or "").strip()
    normal = normalise(text)
    if normal is None:
        return text
    if not normal.startswith("+"):
        return normal
    number = phonenumbers.parse(normal, REGION)
    style = PhoneNumberFormat.NATIONAL if number.country_code == 44 else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
