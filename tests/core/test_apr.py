from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.apr import TOLERANCE, apr, monthly_irr, nominal_apr_monthly, schedule_flows
from accord.core.calendar import add_months
from accord.core.daycount import DayCount
from accord.core.errors import InvalidCashflows
from accord.core.money import Money
from accord.core.schedule import build_schedule
from accord.core.types import Method

D0 = date(2026, 1, 15)


def interest_only_flows(months: int = 12) -> list[tuple[date, Money]]:
    # 10,000.00 at exactly 1 % a month: 100.00 interest, principal back with the last payment.
    flows = [(D0, Money(-1_000_000))]
    flows += [(add_months(D0, k), Money(10_000)) for k in range(1, months)]
    flows.append((add_months(D0, months), Money(1_010_000)))
    return flows


def test_one_year_ten_percent() -> None:
    flows = [(D0, Money(-10_000)), (D0 + timedelta(days=365), Money(11_000))]
    assert apr(flows) == Decimal("0.100000000000")
    # borrower's view (signs flipped) gives the same rate
    assert apr([(d, -m) for d, m in flows]) == Decimal("0.100000000000")


def test_one_percent_a_month_is_12_nominal_and_12_68_effective() -> None:
    flows = interest_only_flows()
    assert nominal_apr_monthly([m for _, m in flows]) == Decimal("0.120000000000")
    assert abs(monthly_irr([m for _, m in flows]) - Decimal("0.01")) < Decimal("1e-30")
    # Under 30/360 every month on the 15th is exactly 1/12 year: effective = 1.01^12 - 1.
    effective = Decimal("1.01") ** 12 - 1  # 0.126825030131969720661201
    assert abs(apr(flows, day_count=DayCount.THIRTY_360) - effective) <= TOLERANCE
    # ACT/365F sees the real month lengths, so it differs slightly but stays near 12.68 %.
    assert abs(apr(flows) - effective) < Decimal("0.002")


def test_equal_installment_schedule_rates() -> None:
    s = build_schedule(
        principal=Money.parse("100000.00"),
        annual_rate=Decimal("0.12"),
        months=12,
        method=Method.EQUAL_INSTALLMENT,
        start=D0,
    )
    flows = schedule_flows(s)
    assert flows[0] == (D0, Money.parse("-100000.00"))
    # Payments are rounded to the fen, so the IRR is 12 % only to about 1e-6.
    assert abs(nominal_apr_monthly([m for _, m in flows]) - Decimal("0.12")) < Decimal("1e-6")
    effective = Decimal("1.01") ** 12 - 1
    assert abs(apr(flows, day_count=DayCount.THIRTY_360) - effective) < Decimal("1e-5")


@pytest.mark.parametrize(
    "flows",
    [
        [(D0, Money(-100))],
        [(D0, Money(100)), (D0 + timedelta(days=30), Money(100))],
        [(D0, Money(-100)), (D0 + timedelta(days=30), Money(0))],
        [(D0, Money(-100)), (D0 + timedelta(days=30), Money(110, "USD"))],
    ],
)
def test_refuses_flows_without_a_rate(flows: list[tuple[date, Money]]) -> None:
    with pytest.raises(InvalidCashflows):
        apr(flows)


@settings(max_examples=40, deadline=None)
@given(
    bp=st.integers(min_value=1, max_value=3600),
    units=st.integers(min_value=1, max_value=10**5),
    months=st.integers(min_value=1, max_value=120),
)
def test_interest_only_loan_irr_is_its_rate(bp: int, units: int, months: int) -> None:
    rate = Decimal(bp).scaleb(-4)
    principal = Money(120_000 * units)  # whole-fen monthly interest: P·rate/12 = 10·units·bp
    s = build_schedule(
        principal=principal, annual_rate=rate, months=months, method=Method.INTEREST_ONLY, start=D0
    )
    amounts = [m for _, m in schedule_flows(s)]
    assert nominal_apr_monthly(amounts) == rate.quantize(Decimal("1e-12"))


@settings(max_examples=30, deadline=None)
@given(extra=st.integers(min_value=1, max_value=10_000))
def test_paying_more_raises_the_rate(extra: int) -> None:
    flows = interest_only_flows()
    more = [*flows[:-1], (flows[-1][0], flows[-1][1] + Money(extra))]
    assert apr(more) > apr(flows)
