"""Random secrets that are shown once and stored only as hashes (tracking links, resets).

Below every layer, like ``timeutil``: reads compare presented tokens, writes create them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A URL-safe secret with 192 bits of randomness."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, token_hash: str) -> bool:
    """Constant-time check of a presented token against a stored hash."""
    return bool(token) and hmac.compare_digest(hash_token(token), token_hash)
