"""Platform credentials kept sealed at rest: Fernet (AES-128-CBC with HMAC-SHA256, from
`cryptography`) under the key in DOCCLUB_SECRET_KEY.

The store only ever sees sealed text; the key never reaches it, so a copy of the database
(a backup, a dump, a stolen volume) holds no usable token. DOCCLUB_SECRET_KEY may list several
keys separated by commas: the first seals, every one opens (to rotate, put the new key first,
and drop the old one once everything was sealed again, e.g. by reinstalling).
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from docclub.config import Settings, SettingsProblem

__all__ = ["MAKE_KEY", "SealBroken", "Sealer", "key_problem", "new_key", "sealer_from"]

MAKE_KEY = "docclub secret-key"  # the command that prints a new key


class SealBroken(Exception):
    """No configured key opens this sealed text (another key sealed it, or it was altered)."""


def new_key() -> str:
    """A fresh random key for DOCCLUB_SECRET_KEY (32 random bytes, URL-safe base64)."""
    return Fernet.generate_key().decode("ascii")


def _fernets(value: str) -> list[Fernet]:
    return [Fernet(part.strip().encode("ascii")) for part in value.split(",") if part.strip()]


def key_problem(value: str | None, *, needed_for: str) -> str | None:
    """What is wrong with DOCCLUB_SECRET_KEY for `needed_for`, in a line an operator can act
    on; None when it holds at least one valid key."""
    how = f"make one with `{MAKE_KEY}` and put it in DOCCLUB_SECRET_KEY"
    if not value or not value.strip(","):
        return f"DOCCLUB_SECRET_KEY is not set, and {needed_for} needs it: {how}"
    try:
        if not _fernets(value):
            raise ValueError
    except (ValueError, UnicodeEncodeError):
        return (
            "DOCCLUB_SECRET_KEY is not a valid key (44 characters of URL-safe base64, as "
            f"`{MAKE_KEY}` prints; several keys are separated by commas): {how}"
        )
    return None


class Sealer:
    """Seals and opens short secrets (tokens) with the configured keys."""

    def __init__(self, keys: str) -> None:
        self._fernet = MultiFernet(_fernets(keys))

    def seal(self, text: str) -> str:
        """`text` encrypted and authenticated; a new random IV each time."""
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        """The text `seal` was given. Raises SealBroken when no key opens it."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise SealBroken("no key in DOCCLUB_SECRET_KEY opens this stored secret") from None


def sealer_from(settings: Settings, *, needed_for: str) -> Sealer:
    """The Sealer of DOCCLUB_SECRET_KEY; SettingsProblem, saying how to fix it, when the key is
    missing or malformed."""
    value = settings.docclub_secret_key.get_secret_value() if settings.docclub_secret_key else None
    problem = key_problem(value, needed_for=needed_for)
    if problem is not None:
        raise SettingsProblem(problem)
    assert value is not None
    return Sealer(value)
