"""Delivery channels: email over SMTP, SMS through an HTTP gateway, webhooks, in-app inbox.

Each channel has ``name`` and ``send(outgoing)``; a failed delivery raises
:class:`DeliveryError` with a short reason, which the dispatcher stores on the message and
retries with back-off. Channels hold no business logic and no contact rules.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

import httpx


class DeliveryError(Exception):
    """The channel could not deliver the message."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A rendered message addressed for one channel."""

    message_id: str
    channel: str
    to: str
    subject: str
    body: str
    locale: str


class Channel(Protocol):
    """A delivery channel."""

    name: str

    def send(self, out: Outgoing) -> None:
        """Deliver ``out`` or raise :class:`DeliveryError`."""


@dataclass(slots=True)
class EmailChannel:
    """Email through an SMTP server (``smtplib``); optional STARTTLS and login."""

    host: str
    port: int
    sender: str
    timeout: float = 10.0
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    name: str = "email"

    def send(self, out: Outgoing) -> None:
        """Send one email; SMTP and network errors become :class:`DeliveryError`."""
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = out.to
        msg["Subject"] = out.subject
        msg["Message-ID"] = f"<{out.message_id}@accord.invalid>"
        msg["Content-Language"] = out.locale
        msg.set_content(out.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username is not None:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(msg)
        except (smtplib.SMTPException, OSError) as e:
            raise DeliveryError(f"smtp: {type(e).__name__}: {e}") from None


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as e:
        raise DeliveryError(f"http: {type(e).__name__}: {e}") from None
    if not response.is_success:
        raise DeliveryError(f"http: status {response.status_code}")


@dataclass(slots=True)
class SmsChannel:
    """SMS through an HTTP gateway: POST JSON ``{"id", "to", "text"}`` to ``url``."""

    url: str
    api_key: str | None = None
    timeout: float = 10.0
    name: str = "sms"

    def send(self, out: Outgoing) -> None:
        """POST the text (subject and body) to the gateway; non-2xx is a failure."""
        body = json.dumps(
            {"id": out.message_id, "to": out.to, "text": f"{out.subject}\n{out.body}"},
            ensure_ascii=False,
        )
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        _post(self.url, body.encode(), headers, self.timeout)


@dataclass(slots=True)
class WebhookChannel:
    """Webhook: POST the message as JSON, signed with HMAC-SHA256 when a secret is set.

    The header ``X-Accord-Signature: sha256=<hex>`` is the HMAC of the exact request body.
    """

    secret: bytes | None = None
    timeout: float = 10.0
    name: str = "webhook"

    def send(self, out: Outgoing) -> None:
        """POST to the recipient's URL (``out.to``); non-2xx is a failure."""
        body = json.dumps(
            {
                "id": out.message_id,
                "channel": out.channel,
                "subject": out.subject,
                "body": out.body,
                "locale": out.locale,
            },
            ensure_ascii=False,
            sort_keys=True,
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.secret:
            mac = hmac.new(self.secret, body, hashlib.sha256).hexdigest()
            headers["X-Accord-Signature"] = f"sha256={mac}"
        _post(out.to, body, headers, self.timeout)


@dataclass(slots=True)
class InAppChannel:
    """In-app messages: kept in an inbox per recipient (the store persists them later)."""

    inbox: dict[str, list[Outgoing]] = field(default_factory=dict)
    name: str = "in_app"

    def send(self, out: Outgoing) -> None:
        """Put ``out`` into the recipient's inbox."""
        self.inbox.setdefault(out.to, []).append(out)
