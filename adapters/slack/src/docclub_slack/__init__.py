"""Slack adapter for docclub (filled by the Slack issue)."""
