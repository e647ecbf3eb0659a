"""Build a :class:`~accord.core.servicing_vector.VectorBook` from flat rows or core records.

:func:`book_from_flat` takes one array entry per installment and per payment (with the row of
its account), as a database query returns them, and scatters them into the padded matrices with
numpy; :func:`book_from_accounts` does the same for :class:`~accord.core.delinquency.Account`
records and their payments (tests, notebooks).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.core.aging import PAD_DAY
from accord.core.allocation import DEFAULT_ORDER, AllocationMode, Component
from accord.core.charges import ChargeTerms
from accord.core.charges_vector import IntArray
from accord.core.delinquency import Account, Payment
from accord.core.errors import CoreError
from accord.core.servicing_vector import VectorBook, supported


def _scatter(
    row: IntArray, n: int, keys: Sequence[IntArray], values: Sequence[IntArray], pad_day: int
) -> tuple[IntArray, list[IntArray]]:
    """Sort entries by (row, *keys) and place them left-aligned in (n, width) matrices.

    ``values[0]`` is the day column (padded with ``pad_day``), the others amounts (padded 0).
    """
    order = np.lexsort((*reversed(keys), row)) if row.size else np.zeros(0, np.int64)
    row = row[order]
    counts = np.bincount(row, minlength=n) if row.size else np.zeros(n, np.int64)
    width = int(counts.max(initial=0))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if n else np.zeros(0, np.int64)
    col = np.arange(row.size) - starts[row] if row.size else np.zeros(0, np.int64)
    out = []
    for j, v in enumerate(values):
        m = np.full((n, width), pad_day if j == 0 else 0, np.int64)
        m[row, col] = np.asarray(v, np.int64)[order]
        out.append(m)
    return order, out


def book_from_flat(
    *,
    open_day: IntArray,
    principal: IntArray,
    term_of: IntArray,
    terms: Sequence[ChargeTerms],
    inst_row: IntArray,
    inst_seq: IntArray,
    inst_due: IntArray,
    inst_principal: IntArray,
    inst_interest: IntArray,
    inst_fees: IntArray,
    pay_row: IntArray,
    pay_day: IntArray,
    pay_amount: IntArray,
    order: tuple[Component, ...] = DEFAULT_ORDER,
    mode: AllocationMode = AllocationMode.INSTALLMENT_FIRST,
) -> VectorBook:
    """A book of ``len(open_day)`` accounts from one entry per installment and per payment.

    ``inst_row``/``pay_row`` give the account row (0-based) of each entry; days are ordinals.
    Installments are ordered by (due date, seq) within a row, as ``replay`` orders them; seq
    numbers must be unique within a row (raises :class:`CoreError` otherwise).
    """
    n = int(np.asarray(open_day).shape[0])
    inst_row = np.asarray(inst_row, np.int64)
    seq = np.asarray(inst_seq, np.int64)
    if inst_row.size:
        by_seq = np.lexsort((seq, inst_row))
        same = (np.diff(inst_row[by_seq]) == 0) & (np.diff(seq[by_seq]) == 0)
        if same.any():
            raise CoreError("installment seq numbers must be unique")
    due = np.asarray(inst_due, np.int64)
    _, (due_m, p_m, i_m, f_m) = _scatter(
        inst_row, n, (due, seq), (due, inst_principal, inst_interest, inst_fees), PAD_DAY
    )
    _, (pd_m, pa_m) = _scatter(
        np.asarray(pay_row, np.int64),
        n,
        (np.asarray(pay_day, np.int64),),
        (pay_day, pay_amount),
        PAD_DAY,
    )
    return VectorBook(
        open_day=np.asarray(open_day, np.int64),
        principal=np.asarray(principal, np.int64),
        due=due_m,
        principal_part=p_m,
        interest=i_m,
        fees=f_m,
        pay_day=pd_m,
        pay_amount=pa_m,
        terms=tuple(terms),
        term_of=np.asarray(term_of, np.int64),
        order=order,
        mode=mode,
    )


def book_from_accounts(
    accounts: Sequence[Account], payments: Sequence[Sequence[Payment]]
) -> VectorBook:
    """A book of core accounts and their payment lists (one list per account).

    All accounts must share one allocation order and mode and be :func:`supported`; raises
    :class:`CoreError` otherwise.
    """
    if len(accounts) != len(payments):
        raise CoreError("one payment list per account")
    orders = {(a.order, a.mode) for a in accounts}
    if len(orders) > 1:
        raise CoreError("accounts of one vector book must share allocation order and mode")
    order, mode = orders.pop() if orders else (DEFAULT_ORDER, AllocationMode.INSTALLMENT_FIRST)
    terms: dict[ChargeTerms, int] = {}
    term_of, inst, pays = [], [], []
    for r, (a, plist) in enumerate(zip(accounts, payments, strict=True)):
        if not supported(a.terms, a.overpayment.value, a.currency):
            raise CoreError(f"account {r} needs the scalar replay ({a.overpayment.value})")
        term_of.append(terms.setdefault(a.terms, len(terms)))
        for i in a.installments:
            due = i.due_date.toordinal()
            inst.append((r, i.seq, due, i.principal.minor, i.interest.minor, i.fees.minor))
        for p in plist:
            if p.amount.currency != a.currency:
                raise CoreError(f"payment {p.payment_id!r}: bad amount {p.amount}")
            pays.append((r, p.paid_on.toordinal(), p.amount.minor))
    icols = [np.array(c, np.int64) for c in zip(*inst, strict=True)] or [np.zeros(0, np.int64)] * 6
    pcols = [np.array(c, np.int64) for c in zip(*pays, strict=True)] or [np.zeros(0, np.int64)] * 3
    return book_from_flat(
        open_day=np.array([a.open_date.toordinal() for a in accounts], np.int64),
        principal=np.array([a.principal.minor for a in accounts], np.int64),
        term_of=np.array(term_of, np.int64),
        terms=tuple(terms),
        inst_row=icols[0],
        inst_seq=icols[1],
        inst_due=icols[2],
        inst_principal=icols[3],
        inst_interest=icols[4],
        inst_fees=icols[5],
        pay_row=pcols[0],
        pay_day=pcols[1],
        pay_amount=pcols[2],
        order=order,
        mode=mode,
    )
