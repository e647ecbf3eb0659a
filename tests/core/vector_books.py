"""Random books for the vectorised servicing tests, and a field-by-field comparison with replay."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from accord.core.aging import BUCKETS
from accord.core.allocation import Component
from accord.core.charges import ChargeTerms
from accord.core.delinquency import Account, Payment, replay
from accord.core.money import Money
from accord.core.packs import LateFeeRule, load_pack
from accord.core.servicing_vector import NO_DAY, AgedBook
from accord.core.types import Installment

#: (pack, product, currency) combinations of the bundled packs.
PRODUCTS = (
    ("cn", "loan", "CNY"),
    ("cn", "card", "CNY"),
    ("cn", "private_loan", "CNY"),
    ("tw", "card", "TWD"),
    ("tw", "loan", "TWD"),
    ("us", "card", "USD"),
    ("us", "loan", "USD"),
    ("uk", "loan", "GBP"),
    ("uk", "hcstc", "GBP"),
)


def _terms(rng: random.Random, open_date: date, currency: str) -> ChargeTerms:
    """Pack terms most of the time; otherwise odd terms that make the cap bind or fees vary."""
    code, product, cur = rng.choice(PRODUCTS)
    rate = Decimal(rng.choice(["0.0435", "0.12", "0.18", "0.2399", "0.36", "0.0731"]))
    if rng.random() < 0.6 and cur == currency:
        return ChargeTerms.from_pack(
            load_pack(code), annual_rate=rate, open_date=open_date, product=product
        )
    fee = None
    pick = rng.random()
    if pick < 0.3:
        fee = LateFeeRule(
            "fixed",
            Money(rng.choice([0, 1, 300, 3000, 150000]), currency),
            None,
            None,
            None,
            "test",
        )
    elif pick < 0.7:
        lo = Money(rng.choice([0, 100, 5000]), currency) if rng.random() < 0.5 else None
        hi = Money(rng.choice([200, 10000, 10**7]), currency) if rng.random() < 0.5 else None
        fee = LateFeeRule(
            "percent", None, Decimal(rng.choice(["0.05", "0.035", "0.1"])), lo, hi, "test"
        )
    penalty = (
        Decimal(rng.choice(["0", "0.0005", "0.00075"]))
        if rng.random() < 0.5
        else (rate * Decimal("1.5") / 360)
    )
    caps = ["0.001", "0.02", "0.05", "0.24", "0.0500000000000000000001"]  # the last: no int64 ratio
    cap = None if rng.random() < 0.2 else Decimal(rng.choice(caps))
    return ChargeTerms(penalty, fee, rng.choice([0, 0, 3, 15]), cap)


def random_account(rng: random.Random) -> tuple[Account, tuple[Payment, ...], date]:
    """A random account (1-8 installments), payments and as-of date."""
    currency = rng.choice(["CNY", "TWD", "USD", "GBP"])
    open_date = date(2024, 1, 1) + timedelta(days=rng.randrange(400))
    n = rng.randint(0, 8) if rng.random() < 0.05 else rng.randint(1, 8)
    principal = rng.choice([n, 1000, 99999, 1_000_000, 10**8, rng.randrange(1, 10**9)])
    every = rng.choice([1, 7, 14, 30, 31])
    parts = Money(max(principal, 1), currency).split(n) if n else ()
    insts = []
    due = open_date + timedelta(days=rng.randint(1, 40))
    for k, part in enumerate(parts, start=1):
        interest = rng.choice([0, part.minor // 50, rng.randrange(0, 10**6)])
        fees = rng.choice([0, 0, 0, 500])
        p = part.minor if rng.random() < 0.95 else 0
        insts.append(
            Installment(
                k,
                due,
                Money(p, currency),
                Money(interest, currency),
                Money(fees, currency),
                Money(principal, currency),
            )
        )
        if rng.random() < 0.9:  # otherwise two installments share a due date
            due += timedelta(days=every)
    rng.shuffle(insts)  # replay sorts; so must the builder
    account = Account(
        open_date=open_date,
        principal=Money(principal, currency),
        installments=tuple(insts),
        terms=_terms(rng, open_date, currency),
    )
    total = sum(i.payment.minor for i in insts)
    pays = []
    for j in range(rng.choice([0, 0, 1, 2, 3, 5, 8])):
        day = open_date + timedelta(days=rng.randint(1, 500))
        amount = rng.choice(
            [0, 1, total, total // 3, total * 2, rng.randrange(0, max(total, 1) + 1)]
        )
        pays.append(Payment(day, Money(amount, currency), f"p{j:02d}"))
    as_of = open_date + timedelta(days=rng.randint(-5, 700))
    return account, tuple(pays), as_of


def mismatches(
    accounts: Sequence[Account],
    payments: Sequence[Sequence[Payment]],
    as_of: Sequence[date],
    aged: AgedBook,
) -> list[str]:
    """Every field where the vector result differs from replay (empty when they agree)."""
    out = []
    for r, (a, pays, day) in enumerate(zip(accounts, payments, as_of, strict=True)):
        s = replay(a, pays, day)
        k = len(s.dues)
        want = {
            "as_of": s.as_of.toordinal(),
            "dues": [[d.part(c).minor for c in Component] for d in s.dues],
            "paid_off": [NO_DAY if p is None else p.toordinal() for p in s.paid_off],
            "late_fee_done": list(s.late_fee_done),
            "credit": s.credit.minor,
            "penalty": s.penalty_charged.minor,
            "fees": s.fees_charged.minor,
            "dpd": s.dpd,
            "bucket": s.bucket,
            "outstanding": [s.outstanding(c).minor for c in Component],
            "past_due": [s.outstanding(c, past_due_only=True).minor for c in Component],
        }
        got = {
            "as_of": int(aged.as_of[r]),
            "dues": aged.dues[r, :k].tolist(),
            "paid_off": aged.paid_off[r, :k].tolist(),
            "late_fee_done": aged.late_fee_done[r, :k].tolist(),
            "credit": int(aged.credit[r]),
            "penalty": int(aged.penalty_charged[r]),
            "fees": int(aged.fees_charged[r]),
            "dpd": int(aged.dpd[r]),
            "bucket": BUCKETS[int(aged.bucket[r])],
            "outstanding": aged.outstanding[r].tolist(),
            "past_due": aged.past_due[r].tolist(),
        }
        out.extend(
            f"row {r} {f}: vector {got[f]} != replay {want[f]}" for f in want if got[f] != want[f]
        )
    return out
