"""Every setting, from the environment or a .env file (pydantic-settings)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsProblem(Exception):
    """A setting is missing or wrong for what was asked; the message says which and how to fix
    it (`docclub` prints it on one line and exits)."""


class Settings(BaseSettings):
    """docclub's settings. Secrets are `SecretStr`, so they never print or log."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    docclub_database_url: str = Field("sqlite:///docclub.db", description="sqlite:///path or postgresql://…")
    docclub_timezone: str = Field("UTC", description="default timezone of new clubs")
    docclub_log_level: str = "INFO"
    docclub_reminder_grace_minutes: int = Field(15, ge=0, le=24 * 60)
    docclub_busy_timeout_seconds: float = Field(10.0, gt=0, le=600, description="a write's wait for a lock")
    docclub_http_host: str = "0.0.0.0"
    docclub_http_port: int = Field(3000, ge=0, le=65535, description="0: any free port")
    docclub_public_url: str | None = Field(
        None, description="https://host where members open the club page and Slack reaches docclub"
    )
    docclub_secret_key: SecretStr | None = Field(None, description="Fernet key(s) sealing stored platform tokens")
    docclub_forget_uninstalled_days: int = Field(
        30, ge=0, le=3650, description="days a club's data outlives its app's uninstall (0: kept)"
    )

    discord_token: SecretStr | None = None
    discord_guild_ids: str = ""
    discord_shard_count: int | None = None
    discord_shard_ids: str = ""
    discord_api_url: str = Field("https://discord.com/api/v10", description="Discord REST base (proxies, tests)")
    discord_client_id: int | None = Field(None, description="the application id, for the invite link")

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str | None = None
    slack_client_id: str | None = Field(None, description="many workspaces: the app's Client ID")
    slack_client_secret: SecretStr | None = None
    slack_state_secret: SecretStr | None = None

    tmdb_api_key: SecretStr | None = Field(None, description="TMDB v3 API key or v4 read access token")
    tmdb_api_url: str = Field("https://api.themoviedb.org/3", description="TMDB v3 API base (proxies, tests)")

    @field_validator("docclub_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}; use a name like Europe/Berlin") from None
        return value

    @field_validator("tmdb_api_url")
    @classmethod
    def _api_address(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not a web address; write it like https://api.themoviedb.org/3")
        return value.rstrip("/")

    @field_validator("docclub_public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not a web address; write it like https://club.example.org")
        return value.rstrip("/") if value else value

    @property
    def guild_ids(self) -> list[int]:
        return [int(x) for x in self.discord_guild_ids.replace(" ", "").split(",") if x]

    @property
    def shard_ids(self) -> list[int]:
        return [int(x) for x in self.discord_shard_ids.replace(" ", "").split(",") if x]

    @property
    def slack_oauth(self) -> bool:
        """Whether Slack runs for many workspaces (installed through `/slack/install`)."""
        return bool(self.slack_client_id or self.slack_client_secret or self.slack_state_secret)

    def secrets(self) -> list[str]:
        """Every secret value set, for log redaction."""
        values = [
            self.discord_token,
            self.slack_bot_token,
            self.slack_app_token,
            self.slack_signing_secret,
            self.tmdb_api_key,
            self.slack_client_secret,
            self.slack_state_secret,
            self.docclub_secret_key,
        ]
        found = [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]
        if self.docclub_secret_key is not None:  # each of several keys alone, too
            found.extend(k.strip() for k in self.docclub_secret_key.get_secret_value().split(",") if k.strip())
        return found
