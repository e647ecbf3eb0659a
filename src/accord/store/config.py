"""Settings: one class, read from ``ACCORD_*`` environment variables.

Outside development the settings refuse to start with a missing or placeholder secret.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "test"})


class Settings(BaseSettings):
    """Runtime settings (``ACCORD_HOME``, ``ACCORD_DATABASE_URL``, ``ACCORD_ENV``, ...)."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    home: Path = Field(default=Path(".accord"))
    database_url: str | None = None
    env: Literal["development", "test", "production"] = "development"
    #: Key-encryption key for personal data and custodial signing keys (hex, 32 bytes).
    secret_key: str | None = None
    #: Host part of every ledger origin (``<host>/<tenant>``); names the log keys.
    ledger_host: str = "accord.local"
    #: Cosign every checkpoint with a second (witness) key after checking consistency.
    ledger_witness: bool = False
    #: Outbound notifications: SMTP relay for email (unset: no email channel).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "accord@localhost"
    smtp_starttls: bool = False
    #: HTTP SMS gateway (POST JSON) and the default webhook URL (unset: channel disabled).
    sms_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    #: Delivery attempts before a message is given up (back-off doubles from 5 minutes).
    notify_max_attempts: int = 5

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.env == "production" and (
            self.secret_key is None or self.secret_key.lower() in PLACEHOLDER_SECRETS
        ):
            raise ValueError("ACCORD_SECRET_KEY must be set to a real secret in production")
        if self.env == "production" and self.database_url is None:
            raise ValueError("ACCORD_DATABASE_URL must be set in production")
        return self

    @property
    def url(self) -> str:
        """The database URL; an SQLite file under ``home`` unless one is configured."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'accord.db').resolve()}"

    def master_key(self) -> bytes:
        """The 32-byte key-encryption key.

        In development and tests a random key is created once under ``home/keys/`` with mode
        0600, so the embedded demo works out of the box; production must supply it.
        """
        if self.secret_key:
            key = bytes.fromhex(self.secret_key)
            if len(key) != 32:
                raise ValueError("ACCORD_SECRET_KEY must be 32 bytes of hex (64 characters)")
            return key
        path = self.home / "keys" / "master.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return bytes.fromhex(path.read_text().strip())
