"""Small builders shared by the servicing tests (no dependency on accord.core.schedule)."""

from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from hypothesis import strategies as st

from accord.core.delinquency import Payment
from accord.core.money import Money
from accord.core.types import Installment

OPEN = date(2025, 1, 1)


def level_schedule(
    principal: int, n: int, rate: Decimal, *, first_due: date | None = None, every: int = 30
) -> tuple[Installment, ...]:
    """Equal principal parts, interest = opening principal x rate x days / 365 (floored)."""
    parts = Money(principal).split(n)
    out = []
    opening = principal
    prev = OPEN
    due = first_due or OPEN + timedelta(days=every)
    for k, part in enumerate(parts, start=1):
        days = (due - prev).days
        interest = int((Decimal(opening) * rate * days / 365).to_integral_value(ROUND_FLOOR))
        out.append(Installment(k, due, part, Money(interest), Money(0), Money(opening)))
        opening -= part.minor
        prev = due
        due = due + timedelta(days=every)
    return tuple(out)


@st.composite
def schedules(draw: st.DrawFn, rate: Decimal = Decimal("0.12")) -> tuple[Installment, ...]:
    """A random level schedule of 1-8 installments."""
    n = draw(st.integers(min_value=1, max_value=8))
    principal = draw(st.integers(min_value=n, max_value=10**8))
    every = draw(st.sampled_from([7, 14, 30, 31]))
    return level_schedule(principal, n, rate, every=every)


@st.composite
def payment_lists(draw: st.DrawFn, horizon: int = 400) -> tuple[Payment, ...]:
    """0-6 random payments within ``horizon`` days after the open date."""
    k = draw(st.integers(min_value=0, max_value=6))
    pays = []
    for j in range(k):
        day = OPEN + timedelta(days=draw(st.integers(min_value=1, max_value=horizon)))
        pays.append(Payment(day, Money(draw(st.integers(min_value=0, max_value=10**7))), f"p{j}"))
    return tuple(pays)
