"""Channels against real loopback servers: SMTP (aiosmtpd), SMS gateway and webhook (HTTP)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from accord.notify.channels import (
    DeliveryError,
    EmailChannel,
    InAppChannel,
    Outgoing,
    SmsChannel,
    WebhookChannel,
)
from accord.notify.templates import TEMPLATES, render
from tests.notify.servers import free_port, http_sink, smtp_server

OUT = Outgoing("m1", "email", "debtor@example.invalid", "还款提醒", "正文 ¥1,000.00\n", "zh-CN")


def test_email_is_delivered_to_a_real_smtp_server() -> None:
    with smtp_server() as (box, port):
        EmailChannel("127.0.0.1", port, "accord@example.invalid").send(OUT)
    [msg] = box.messages
    assert msg["Subject"] == "还款提醒"
    assert msg["Message-ID"] == "<m1@accord.invalid>"
    assert msg.get_content().replace("\r\n", "\n") == "正文 ¥1,000.00\n"


def test_email_to_a_closed_port_is_a_delivery_error() -> None:
    with pytest.raises(DeliveryError, match="smtp"):
        EmailChannel("127.0.0.1", free_port(), "a@example.invalid", timeout=2).send(OUT)


def test_sms_gateway_and_webhook_post_json() -> None:
    with http_sink() as (sink, url):
        SmsChannel(f"{url}/sms", api_key="k").send(OUT)
        WebhookChannel(secret=b"s3cret").send(
            Outgoing("m2", "webhook", f"{url}/hook", "s", "b\n", "en")
        )
        sink.fail_next = 1
        with pytest.raises(DeliveryError, match="503"):
            SmsChannel(f"{url}/sms").send(OUT)
    (p1, h1, _), (p2, h2, body2) = sink.requests
    sms, hook = sink.json_bodies()
    assert (p1, h1["Authorization"], sms["to"]) == ("/sms", "Bearer k", OUT.to)
    assert sms["text"].startswith("还款提醒\n")
    assert (p2, hook["id"]) == ("/hook", "m2")
    mac = hmac.new(b"s3cret", body2, hashlib.sha256).hexdigest()
    assert h2["X-Accord-Signature"] == f"sha256={mac}"


def test_in_app_inbox() -> None:
    ch = InAppChannel()
    ch.send(OUT)
    assert ch.inbox[OUT.to] == [OUT]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_say_amount_date_how_to_pay_and_help_without_threats(
    template: str, locale: str
) -> None:
    params = {
        "agreement_id": "A-1",
        "seq": 3,
        "due": "2025-03-15",
        "amount": "¥1,000.00",
        "how_to_pay": "PAY-HOW",
        "help": "HELP-LINE",
        "text": "STATUS-TEXT",
    }
    r = render(template, locale, params, opt_out_channel="email")
    text = r.subject + r.body
    assert "HELP-LINE" in text
    if template.startswith("reminder"):
        assert "¥1,000.00" in text
        assert "2025-03-15" in text
        assert "PAY-HOW" in text
    assert r.has_opt_out_notice
    assert ("STOP" in r.body) if locale == "en" else ("TD" in r.body)
    for word in ("lawsuit", "police", "arrest", "起诉", "报警", "拘留", "曝光", "上门"):
        assert word not in text
    assert not render(template, locale, params).has_opt_out_notice
