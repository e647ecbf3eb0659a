"""Reasons: a message id plus parameters, rendered in zh-CN or en from one catalogue.

Every finding, explanation and protocol event of the engine carries a :class:`Reason` rather than
a rendered sentence, so the ledger stores the id and parameters and any party can render the text
in their language later (CONVENTIONS §12). Parameters are plain strings and integers; money is
pre-formatted (``"¥1,234.00"``) so rendering never needs the engine; parameters whose name ends
in ``_term`` hold a term key (``"food"``, ``"urban"``) translated from the term table, and
``_terms`` a comma-separated list of them, joined in the locale's style.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from accord.core.money import SYMBOLS, Money, exponent
from accord.negotiation.messages import CATALOGUE, TERMS

LOCALES: Final = ("zh-CN", "en")

Param = str | int


@dataclass(frozen=True, slots=True)
class Reason:
    """A message id and its parameters (sorted ``(name, value)`` pairs, so records compare)."""

    msg_id: str
    params: tuple[tuple[str, Param], ...] = ()

    def __post_init__(self) -> None:
        if self.msg_id not in CATALOGUE:
            raise KeyError(f"unknown message id {self.msg_id!r}")

    @classmethod
    def of(cls, msg_id: str, **params: Param) -> Reason:
        """Build a reason from keyword parameters."""
        return cls(msg_id, tuple(sorted(params.items())))

    def params_dict(self) -> dict[str, Param]:
        """Parameters as a plain dict (for JSON and event payloads)."""
        return dict(self.params)

    def render(self, locale: str = "zh-CN") -> str:
        """The sentence in ``locale`` (``zh-CN`` or ``en``)."""
        return render(self.msg_id, self.params_dict(), locale)

    def to_json(self) -> dict[str, object]:
        """JSON form: id, params and both renderings."""
        return {
            "msg_id": self.msg_id,
            "params": self.params_dict(),
            "zh-CN": self.render("zh-CN"),
            "en": self.render("en"),
        }


def fmt(m: Money) -> str:
    """``Money.format()`` with integer arithmetic only (same text, several times faster)."""
    e = exponent(m.currency)
    whole, frac = divmod(abs(m.minor), 10**e)
    sign = "-" if m.minor < 0 else ""
    symbol = SYMBOLS.get(m.currency, m.currency + " ")
    return f"{sign}{symbol}{whole:,}" + (f".{frac:0{e}d}" if e else "")


def render(msg_id: str, params: Mapping[str, Param], locale: str = "zh-CN") -> str:
    """Render catalogue entry ``msg_id`` in ``locale`` with ``params``; raises for unknown ids."""
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; use one of {LOCALES}")
    terms = TERMS[locale]
    sep = "、" if locale == "zh-CN" else ", "
    values: dict[str, Param] = {}
    for k, v in params.items():
        if k.endswith("_terms"):
            values[k] = sep.join(terms.get(x, x) for x in str(v).split(",") if x)
        elif k.endswith("_term"):
            values[k] = terms.get(str(v), str(v))
        else:
            values[k] = v
    return CATALOGUE[msg_id][locale].format(**values)
