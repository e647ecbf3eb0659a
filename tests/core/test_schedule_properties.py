"""Property tests: every schedule reconciles, and a naive Decimal reference agrees exactly."""

import itertools
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accord.core.errors import InvalidSchedule
from accord.core.money import Money
from accord.core.schedule import HolidayMode, build_schedule
from accord.core.types import Method

ONE = Decimal(1)
principals = st.integers(min_value=100, max_value=10**10)
rates = st.integers(min_value=0, max_value=400_000).map(lambda n: Decimal(n).scaleb(-6))
months_st = st.integers(min_value=1, max_value=360)
starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


def naive(principal: int, rate: Decimal, months: int, method: Method) -> list[tuple[int, int]]:
    """Textbook Decimal implementation at 80 digits: (principal part, interest) per month."""
    with localcontext() as ctx:
        ctx.prec = 80
        r = rate / 12
        if method is Method.EQUAL_INSTALLMENT:
            if r == 0:
                level = Decimal(principal) / months
            else:
                level = principal * r * (1 + r) ** months / ((1 + r) ** months - 1)
            level = level.quantize(ONE, ROUND_HALF_UP)
        part = (Decimal(principal) / months).quantize(ONE, ROUND_HALF_UP)
        bal, out = principal, []
        for k in range(months):
            # (bal·rate)/12, not bal·(rate/12): rate/12 does not terminate, and an exact tie
            # such as 165 × 0.4 / 12 = 5.5 would otherwise round down.
            interest = int((bal * rate / 12).quantize(ONE, ROUND_HALF_UP))
            if k == months - 1:
                p = bal
            elif method is Method.EQUAL_INSTALLMENT:
                p = min(max(int(level) - interest, 0), bal)
            elif method is Method.EQUAL_PRINCIPAL:
                p = min(int(part), bal)
            else:
                p = 0
            out.append((p, interest))
            bal -= p
        return out


@settings(max_examples=150, deadline=None)
@given(
    principals,
    rates,
    months_st,
    st.sampled_from([Method.EQUAL_INSTALLMENT, Method.EQUAL_PRINCIPAL, Method.INTEREST_ONLY]),
    starts,
)
def test_matches_naive_reference(p: int, rate: Decimal, n: int, m: Method, start: date) -> None:
    s = build_schedule(principal=Money(p), annual_rate=rate, months=n, method=m, start=start)
    got = [(i.principal.minor, i.interest.minor) for i in s.installments]
    assert got == naive(p, rate, n, m)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=10 * 360 * 360, max_value=10**10), rates, months_st, starts)
def test_level_payment_is_the_rounded_closed_form(
    p: int, rate: Decimal, n: int, start: date
) -> None:
    s = build_schedule(
        principal=Money(p), annual_rate=rate, months=n, method=Method.EQUAL_INSTALLMENT, start=start
    )
    with localcontext() as ctx:
        ctx.prec = 80
        r = rate / 12
        exact = Decimal(p) / n if r == 0 else p * r * (1 + r) ** n / ((1 + r) ** n - 1)
        # Rounding the payment (≤ ½ unit) and each interest (≤ ½ unit) leaves an error that
        # compounds to at most this by the end; the last payment absorbs it.
        drift = Decimal(n) if r == 0 else ((1 + r) ** n - 1) / r
    # When the drift could exceed a payment, the loan may finish early (see the next test).
    assume(drift < exact / 2)
    pays = [i.payment.minor for i in s.installments]
    for pay in pays[:-1]:
        assert abs(pay - exact) <= Decimal("0.5")
    assert abs(pays[-1] - exact) <= drift + 1
    assert sum(i.principal.minor for i in s.installments) == p


def test_extreme_rate_and_term_can_finish_a_month_early() -> None:
    # 40 % over 262 months: the payment's half-unit rounding compounds ~5,500-fold, so the
    # rounded level payments repay the loan in 261 installments and the 262nd is zero.
    s = build_schedule(
        principal=Money(1_296_000),
        annual_rate=Decimal("0.399931"),
        months=262,
        method=Method.EQUAL_INSTALLMENT,
        start=date(2000, 1, 1),
    )
    pays = [i.payment.minor for i in s.installments]
    assert set(pays[:260]) == {43201}
    assert pays[-1] == 0
    assert sum(i.principal.minor for i in s.installments) == 1_296_000


@settings(max_examples=150, deadline=None)
@given(
    principal=principals,
    rate=rates,
    months=st.integers(min_value=2, max_value=240),
    method=st.sampled_from(list(Method)),
    start=starts,
    first_offset=st.one_of(st.none(), st.integers(min_value=1, max_value=70)),
    holiday=st.tuples(st.integers(0, 6), st.integers(1, 12)),
    mode=st.sampled_from(list(HolidayMode)),
    step_rate=st.integers(0, 50).map(lambda n: Decimal(n).scaleb(-2)),
    step_every=st.integers(1, 24),
)
def test_every_schedule_reconciles(
    principal: int,
    rate: Decimal,
    months: int,
    method: Method,
    start: date,
    first_offset: int | None,
    holiday: tuple[int, int],
    mode: HolidayMode,
    step_rate: Decimal,
    step_every: int,
) -> None:
    h_months, h_start = holiday
    assume(h_months == 0 or h_start + h_months <= months)
    first_due = None if first_offset is None else start + timedelta(days=first_offset)
    refused: InvalidSchedule | None = None
    try:
        s = build_schedule(
            principal=Money(principal),
            annual_rate=rate,
            months=months,
            method=method,
            start=start,
            first_due=first_due,
            holiday_months=h_months,
            holiday_start=h_start,
            holiday_mode=mode,
            step_rate=step_rate,
            step_every=step_every,
        )
    except InvalidSchedule as exc:
        refused = exc
    if refused is not None:  # only a too-steep step-up may be refused
        assert method is Method.STEP_UP
        assert "does not cover" in str(refused)
        return
    inst = s.installments
    assert len(inst) == months
    assert [i.seq for i in inst] == list(range(1, months + 1))
    assert all(a.due_date < b.due_date for a, b in itertools.pairwise(inst))
    assert sum(i.principal.minor for i in inst) == principal + s.total_capitalised.minor
    assert all(a.closing_principal == b.opening_principal for a, b in itertools.pairwise(inst))
    assert inst[-1].closing_principal.is_zero()
    assert all(i.principal.minor >= 0 and i.interest.minor >= 0 for i in inst)
    assert sum(i.payment.is_zero() for i in inst) >= h_months
    if mode is HolidayMode.FREEZE or h_months == 0:
        assert s.total_capitalised.is_zero()
