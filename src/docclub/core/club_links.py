"""The club page's address: an unguessable token per address, of which only a hash is kept.

`club link` gives an organizer a working address (each call a new token, so every organizer
can get one without breaking the ones already shared); `club link reset` revokes them all and
gives a new one. A page request is checked against the club's hashes in constant time, and
every refusal (no such club, no link, a wrong, revoked or other club's token) costs the same
work: one read of the club's hashes and the same comparisons.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["MAX_LINKS", "TOKEN_BYTES", "new_token", "token_hash", "token_matches"]

TOKEN_BYTES = 24  # 192 bits, URL-safe base64: 32 characters
MAX_LINKS = 20  # working addresses a club keeps; past that the oldest stops working
MAX_TOKEN_CHARS = 100  # a longer "token" is not one of ours; it is hashed no further

_NONE = hashlib.sha256(b"docclub: no club page link").hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The hex SHA-256 the store keeps for `token`."""
    return hashlib.sha256(token[:MAX_TOKEN_CHARS].encode("utf-8", "surrogatepass")).hexdigest()


def token_matches(token: str, hashes: list[str]) -> bool:
    """Whether `token` is one of the club's working tokens. Compares with every hash (and with a
    stand-in when there is none), so the time taken does not depend on which, if any, matched."""
    given = token_hash(token).encode()
    found = False
    for known in hashes or [_NONE]:
        found |= hmac.compare_digest(given, known.encode())
    return found and bool(hashes)
