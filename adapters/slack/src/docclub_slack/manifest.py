"""What the Slack app is: its slash command, the events it listens to, the Web API methods it
calls and the scopes they need, and the app manifest built from them.

`docclub_slack.bot` registers its listeners from these definitions and `docclub slack manifest`
prints the manifest from them, so the app an organizer creates is the app docclub expects; a
test compares the bolt app's registered listeners and the Web API methods the adapter calls with
this module. Nothing here imports slack_bolt: the manifest prints without a token.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "COMMAND",
    "EVENTS",
    "EVENTS_PATH",
    "INSTALL_EVENTS",
    "INSTALL_PATH",
    "METHOD_SCOPES",
    "PLATFORM",
    "REDIRECT_PATH",
    "build_manifest",
    "needed_scopes",
    "to_json",
    "to_yaml",
]

PLATFORM = "slack"  # the platform part of a Slack club's key: slack:<team id>
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"  # many workspaces: where an install begins
REDIRECT_PATH = "/slack/oauth_redirect"  # ... and where Slack sends the installer back
COMMAND = "/docclub"
COMMAND_DESCRIPTION = "Suggest films, vote, RSVP to watch parties, rate and discuss documentaries"
COMMAND_USAGE = "help · suggest <title> · poll open · vote · rsvp · rate <film> <score>"

# Bot events the app subscribes to, with the scopes Slack asks for each.
EVENTS: dict[str, tuple[str, ...]] = {
    "app_home_opened": (),  # the App Home tab: upcoming parties, open polls, films to rate
    "user_change": ("users:read",),  # a member renamed or made admin: names and rights stay current
}
# Events only an app installed into many workspaces listens to: its tokens are dropped.
INSTALL_EVENTS: dict[str, tuple[str, ...]] = {
    "app_uninstalled": (),
    "tokens_revoked": (),
}

# Every Web API method the adapter calls, with the bot scopes it needs.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "chat.postMessage": ("chat:write", "chat:write.public"),  # .public: announce in channels it has not joined
    "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "conversations.open": ("im:write",),  # direct messages: reminders, exports
    "conversations.list": ("channels:read", "groups:read"),  # `#name` -> channel id
    "conversations.info": ("channels:read", "groups:read"),  # docclub doctor: the announcement channel
    "files.upload_v2": ("files:write",),  # exports and .ics files, in a direct message
    "oauth.v2.access": (),  # many workspaces: an install's code for its token (bolt; docclub doctor)
    "users.info": ("users:read",),  # display names and workspace admins (organizers)
    "views.open": (),
    "views.publish": (),
}


def needed_scopes() -> list[str]:
    """Every bot scope docclub needs, sorted: the slash command's, the events' and the methods'."""
    scopes = {"commands"}
    for needs in (*EVENTS.values(), *METHOD_SCOPES.values()):
        scopes.update(needs)
    return sorted(scopes)


def build_manifest(public_url: str | None, *, socket_mode: bool | None = None, oauth: bool = False) -> dict[str, Any]:
    """The app manifest. Socket Mode when there is no public URL (or when asked for); otherwise
    the slash command, Interactivity and Event Subscriptions point at `<public_url>/slack/events`.
    With `oauth` (many workspaces), the redirect URL `<public_url>/slack/oauth_redirect` and the
    uninstall events are added."""
    socket = socket_mode if socket_mode is not None else not public_url
    request_url = None if socket or not public_url else public_url.rstrip("/") + EVENTS_PATH
    command: dict[str, Any] = {
        "command": COMMAND,
        "description": COMMAND_DESCRIPTION,
        "usage_hint": COMMAND_USAGE,
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": sorted({*EVENTS, *(INSTALL_EVENTS if oauth else {})})}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if request_url:
        command["url"] = request_url
        events["request_url"] = request_url
        interactivity["request_url"] = request_url
    oauth_config: dict[str, Any] = {"scopes": {"bot": needed_scopes()}}
    if oauth and public_url:
        oauth_config = {"redirect_urls": [public_url.rstrip("/") + REDIRECT_PATH], **oauth_config}
    return {
        "display_information": {
            "name": "docclub",
            "description": "A documentary club: suggestions, polls, watch parties, ratings and discussion.",
            "background_color": "#2c2d30",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "docclub", "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": oauth_config,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket,
            "token_rotation_enabled": False,
        },
    }


def to_json(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False)


def to_yaml(manifest: dict[str, Any]) -> str:
    """Block-style YAML for the manifest's plain tree (mappings, lists, strings, booleans).
    Strings are written as JSON strings, which are valid YAML double-quoted scalars, so no
    value can be misread (`yes`, `no`, `#...`, `:`)."""
    lines: list[str] = []

    def scalar(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def emit(node: Any, indent: int) -> None:
        pad = "  " * indent
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict | list) and value:
                    lines.append(f"{pad}{key}:")
                    emit(value, indent + 1)
                else:
                    lines.append(f"{pad}{key}: {scalar(value)}")
        else:
            for item in node:
                if isinstance(item, dict) and item:
                    first = len(lines)
                    emit(item, indent + 1)
                    lines[first] = f"{pad}- " + lines[first].lstrip()
                else:
                    lines.append(f"{pad}- {scalar(item)}")

    emit(manifest, 0)
    return "\n".join(lines) + "\n"
