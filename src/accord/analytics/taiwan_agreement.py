"""How often Accord's DPD bucket agrees with the Taiwan dataset's own repayment status.

The dataset's ``PAY_x`` for month t is compared with the bucket Accord computes for the mapped
account (:mod:`accord.analytics.taiwan_book`) as of the **assessment date** of month t: the next
month's statement date (the end of month t+1), when the statement of month t has been due and its
payment window has passed, and before the next statement falls due. September's status depends
on the October payment, which the data lacks, so September is assessed on 30 September. The rule
is ``PAY = k ≥ 1 ↔ M_k`` (4–6 ↔ M4–M6, 7–8 ↔ M6+) and ``PAY ≤ 0 ↔ current``.

Accord's buckets come from the vectorised :func:`accord.core.aging.dpd_matrix`;
:func:`scalar_buckets` recomputes them with the exact :func:`accord.core.delinquency.replay`
for cross-checking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import polars as pl

from accord.analytics.taiwan_book import (
    CURRENCY,
    DEFAULT_PARAMS,
    MONTHS,
    IntArray,
    MappingParams,
    arrays,
    due_dates,
    month_end,
    payment_dates,
)
from accord.core.aging import BUCKETS, bucket_codes, dpd_matrix, ordinals
from accord.core.delinquency import Account, Payment, bucket, replay
from accord.core.money import Money
from accord.core.types import Installment

MONTH_LABELS: Final = ("2005-04", "2005-05", "2005-06", "2005-07", "2005-08", "2005-09")


@dataclass(frozen=True, slots=True)
class MonthAgreement:
    """Agreement in one status month."""

    month: str
    pairs: int
    agree: int

    @property
    def rate(self) -> float:
        """Share of accounts whose buckets agree."""
        return self.agree / self.pairs if self.pairs else 0.0


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement over all (account, month) pairs, per month, and a confusion matrix."""

    pairs: int
    agree: int
    per_month: tuple[MonthAgreement, ...]
    #: confusion[i][j]: pairs whose dataset bucket is BUCKETS[i] and Accord's is BUCKETS[j]
    confusion: tuple[tuple[int, ...], ...]
    #: diagnostic: agreement if April–August codes k ≥ 2 are read as M_(k-1) (see the docs)
    shifted_agree: int
    #: pairs the dataset calls current (the agreement of a model that says "always current")
    data_current: int
    #: pairs where both sides say delinquent (any bucket) / where the data / Accord says so
    both_delinquent: int
    data_delinquent: int
    accord_delinquent: int

    @property
    def rate(self) -> float:
        """Overall agreement rate."""
        return self.agree / self.pairs if self.pairs else 0.0

    @property
    def baseline_rate(self) -> float:
        """Agreement of the trivial "every account is current" answer."""
        return self.data_current / self.pairs if self.pairs else 0.0

    @property
    def binary_rate(self) -> float:
        """Agreement on delinquent-or-not only (ignoring which bucket)."""
        agree = (
            self.pairs - self.data_delinquent - self.accord_delinquent + 2 * self.both_delinquent
        )
        return agree / self.pairs if self.pairs else 0.0

    @property
    def shifted_rate(self) -> float:
        """Diagnostic agreement rate with the one-month shift for April–August."""
        return self.shifted_agree / self.pairs if self.pairs else 0.0


def assessment_dates() -> tuple[date, ...]:
    """As-of date for each status month (April … September 2005)."""
    nxt = [month_end(y, m + 1) for y, m in MONTHS[:-1]]
    return (*nxt, month_end(*MONTHS[-1]))


def status_codes(status: IntArray) -> IntArray:
    """Dataset ``PAY_x`` values as bucket indices (positions in :data:`BUCKETS`)."""
    s = np.asarray(status, dtype=np.int64)
    return np.select([s <= 0, s <= 3, s <= 6], [0, s, 4], default=5).astype(np.int64)


def accord_codes(df: pl.DataFrame, params: MappingParams = DEFAULT_PARAMS) -> IntArray:
    """Accord's bucket index (n, 6) per account and status month, vectorised."""
    a = arrays(df, params)
    n = a["dues"].shape[0]
    due_days = np.broadcast_to(ordinals(due_dates(params)), (n, 7)).copy()
    pay_days = np.broadcast_to(ordinals(payment_dates(params)), (n, 6)).copy()
    dpd = dpd_matrix(due_days, a["dues"], pay_days, a["paid"], ordinals(assessment_dates()))
    return bucket_codes(dpd)


def scalar_buckets(
    df: pl.DataFrame, rows: Sequence[int], params: MappingParams = DEFAULT_PARAMS
) -> IntArray:
    """Same as :func:`accord_codes` for ``rows``, via the exact scalar replay (slow reference)."""
    a = arrays(df, params)
    dues_on, pays_on, as_of = due_dates(params), payment_dates(params), assessment_dates()
    out = np.zeros((len(rows), 6), dtype=np.int64)
    for r, i in enumerate(rows):
        zero = Money.zero(CURRENCY)
        insts = tuple(
            Installment(k + 1, dues_on[k], Money(int(a["dues"][i, k]), CURRENCY), zero, zero, zero)
            for k in range(7)
        )
        limit = Money(int(df["LIMIT_BAL"][int(i)]) * 100, CURRENCY)
        account = Account(params.open_date, limit, insts)
        pays = [
            Payment(pays_on[k], Money(int(a["paid"][i, k]), CURRENCY), f"p{k}") for k in range(6)
        ]
        state = replay(account, pays, max(as_of))
        out[r] = [BUCKETS.index(bucket(state.dpd_on(d))) for d in as_of]
    return out


def measure_agreement(df: pl.DataFrame, params: MappingParams = DEFAULT_PARAMS) -> Agreement:
    """Compare dataset status with Accord's bucket for every (account, month) pair."""
    data = status_codes(arrays(df, params)["status"])
    ours = accord_codes(df, params)
    hit = data == ours
    months = tuple(
        MonthAgreement(MONTH_LABELS[t], int(data.shape[0]), int(hit[:, t].sum())) for t in range(6)
    )
    k = len(BUCKETS)
    conf = np.zeros((k, k), dtype=np.int64)
    np.add.at(conf, (data.ravel(), ours.ravel()), 1)
    shifted = data.copy()
    shifted[:, :5] = np.where(data[:, :5] >= 2, data[:, :5] - 1, data[:, :5])
    return Agreement(
        pairs=int(data.size),
        agree=int(hit.sum()),
        per_month=months,
        confusion=tuple(tuple(int(x) for x in row) for row in conf),
        shifted_agree=int((shifted == ours).sum()),
        data_current=int((data == 0).sum()),
        both_delinquent=int(((data > 0) & (ours > 0)).sum()),
        data_delinquent=int((data > 0).sum()),
        accord_delinquent=int((ours > 0).sum()),
    )


def report(result: Agreement) -> str:
    """Plain-text summary of an :class:`Agreement`."""
    lines = [f"pairs={result.pairs} agree={result.agree} rate={result.rate:.4f}"]
    lines += [f"  {m.month}: {m.rate:.4f} ({m.agree}/{m.pairs})" for m in result.per_month]
    lines.append(f"  baseline 'always current': {result.baseline_rate:.4f}")
    lines.append(f"  delinquent-or-not agreement: {result.binary_rate:.4f}")
    lines.append(
        f"  delinquent pairs: data {result.data_delinquent}, Accord {result.accord_delinquent},"
        f" both {result.both_delinquent}"
    )
    lines.append(f"  diagnostic, Apr-Aug codes shifted by one month: {result.shifted_rate:.4f}")
    header = "data\\accord " + " ".join(f"{b.value:>7}" for b in BUCKETS)
    lines.append(header)
    for b, row in zip(BUCKETS, result.confusion, strict=True):
        lines.append(f"{b.value:>12} " + " ".join(f"{x:>7}" for x in row))
    return "\n".join(lines)
