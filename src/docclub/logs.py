"""Logging set-up with secret redaction: no token, signing secret, Slack response URL (which
lets anyone holding it answer in the member's channel) or OAuth code (an install's code, good for
a token with the client secret) reaches a log line."""

from __future__ import annotations

import logging
import re

_TOKEN_SHAPES = re.compile(
    r"(xox[abposr]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|"
    r"[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}|"
    r"hooks\.slack\.com(?:/|%2F)[^\s\"'&,]+)",
    re.IGNORECASE,
)
# An OAuth code as slack_sdk and bolt write it: `code: X`, `code=X`, `'code': 'X'`, `'code': ['X']`.
_OAUTH_CODE = re.compile(r"(\bcode(?::\s|=|':\s\[?'))[^\s,'&\]]+")


def hide_oauth_codes(text: str) -> str:
    return _OAUTH_CODE.sub(r"\1[redacted]", text)


# Loggers whose DEBUG lines carry what must stay out: slack_sdk's webhook client logs the
# response URL of every answer it sends.
_QUIET_AT_DEBUG = ("aiosqlite", "asyncio", "slack_sdk.webhook")


class RedactSecrets(logging.Filter):
    """Replaces known secret values, and anything shaped like a Slack or Discord token."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 6]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return hide_oauth_codes(_TOKEN_SHAPES.sub("[redacted]", text))

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(level: str, secrets: list[str]) -> RedactSecrets:
    """Log to stderr at `level`, redacting `secrets` on every handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    redact = RedactSecrets(secrets)
    handler.addFilter(redact)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in _QUIET_AT_DEBUG:
        logging.getLogger(noisy).setLevel(max(logging.INFO, root.level))
    return redact
