"""Message templates (Jinja2, plain text) in zh-CN and en.

Each template file ``templates/<locale>/<template_id>.txt`` has the subject on its first line
and the body after it. Texts are respectful and carry no threats: they state the amount, the
due date, how to pay and how to ask for help. Where the pack requires it (Regulation F for
email and SMS) an opt-out notice is appended, and :class:`Rendered` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

LOCALES = ("zh-CN", "en")
TEMPLATES = ("reminder.before", "reminder.due", "reminder.overdue", "agreement.notice")
OPT_OUT = {
    "zh-CN": "如不希望再通过{channel}收到此类消息，请回复“TD”或在应用的通知设置中关闭。",
    "en": "To stop receiving these messages by {channel}, reply STOP or turn them off in the "
    "app's notification settings.",
}

_ENV = Environment(
    loader=PackageLoader("accord.notify", "templates"),
    undefined=StrictUndefined,
    autoescape=False,  # plain-text messages; never rendered as HTML
    keep_trailing_newline=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered message."""

    subject: str
    body: str
    has_opt_out_notice: bool


def render(
    template_id: str, locale: str, params: dict[str, Any], *, opt_out_channel: str | None = None
) -> Rendered:
    """Render ``template_id`` in ``locale``; add the opt-out notice for ``opt_out_channel``."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}")
    notice = OPT_OUT[locale].format(channel=opt_out_channel) if opt_out_channel else ""
    text = _ENV.get_template(f"{locale}/{template_id}.txt").render(**params, opt_out=notice)
    subject, _, body = text.partition("\n")
    return Rendered(subject.strip(), body.strip() + "\n", bool(notice))
