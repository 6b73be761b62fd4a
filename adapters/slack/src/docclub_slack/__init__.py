"""Slack adapter for docclub: `/docclub`, Block Kit, modals and App Home, over Socket Mode and HTTP.

Registered under the `docclub.adapters` entry point as `docclub_slack:adapter`.
"""

from docclub_slack.adapter import SlackAdapter

adapter = SlackAdapter()

__all__ = ["SlackAdapter", "adapter"]
