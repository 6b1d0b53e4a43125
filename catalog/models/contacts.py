"""Email addresses and phone numbers: how they are checked, stored and shown, for everyone.

Learners, staff and institutes share these rules: an email is stored trimmed and lower-cased
(local part included, so one person cannot hold two accounts or two rate-limit keys by changing
case); a phone number is stored in E.164 (``+919876543210``) and shown in India's national
international style with spaces (``+91 98765 43210``), which reads the same to callers in and
outside India.
"""

from __future__ import annotations

from contextlib import suppress

import phonenumbers
from email_validator import EmailNotValidError, validate_email

#: The country a phone number without a country code belongs to.
DEFAULT_REGION = "IN"


def normalise_email(text: str | None) -> str:
    """The stored and compared form of an email address: valid ones normalised (Unicode domain
    in its canonical form), every one trimmed and lower-cased."""
    raw = (text or "").strip()
    with suppress(EmailNotValidError):
        raw = validate_email(raw, check_deliverability=False).normalized
    return raw.lower()


def parse_email(text: str | None) -> str | None:
    """The stored form of a valid email address, or None when ``text`` is not one."""
    try:
        validate_email((text or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        return None
    return normalise_email(text)


def parse_phone(text: str | None) -> str | None:
    """A valid phone number in E.164 (India when no country code is given), or None."""
    try:
        number = phonenumbers.parse((text or "").strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(stored: str | None) -> str:
    """A stored number as people read it, e.g. ``+91 40 2373 4418``; one that is not a valid
    number is shown as it was typed."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return stored
    if not phonenumbers.is_valid_number(number):
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
