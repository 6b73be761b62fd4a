"""Offline doubles for the Slack adapter, one job a file:

- `server`: `FakeSlack`, the fake Web API (and response URLs, uploads, Socket Mode) that records
  what it receives;
- `payloads`: requests as Slack sends them (signed headers, slash command and interaction bodies);
- `text`: Block Kit back to the console's plain text;
- `harness`: `SlackHarness`, the real adapter on a SQLite file talking to a `FakeSlack`;
- `driver`: `SlackDriver`, scenario transcripts line by line through `/docclub`.
- `workspaces`: `FakeSlackWorkspaces`, a `FakeSlack` docclub installs into: several workspaces,
  each with its own token, and `oauth.v2.access`.

Nothing here touches the network.
"""

from docclub_slack.testing.driver import SlackDriver
from docclub_slack.testing.harness import SIGNING_SECRET, Answer, SlackHarness
from docclub_slack.testing.payloads import interaction_body, signed_headers, slash_body
from docclub_slack.testing.server import Call, FakeSlack, FakeUser
from docclub_slack.testing.text import blocks_to_text, mrkdwn_to_text

__all__ = [
    "SIGNING_SECRET",
    "Answer",
    "Call",
    "FakeSlack",
    "FakeUser",
    "SlackDriver",
    "SlackHarness",
    "blocks_to_text",
    "interaction_body",
    "mrkdwn_to_text",
    "signed_headers",
    "slash_body",
]
