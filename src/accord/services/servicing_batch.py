"""Age a whole book for a tick: the vectorised twin in chunks, the scalar replay where needed.

:func:`age_accounts` takes the rows :func:`accord.store.servicing.load_book` returns and gives one
:class:`Aged` per account, in the accounts' order. Accounts the vectorised twin supports
(:func:`accord.core.servicing_vector.supported`: hold-as-credit overpayment, the policy of every
bundled pack) are aged by :func:`accord.core.servicing_vector.age` in chunks that bound memory;
any other account — or any whose data would make the scalar replay raise (duplicate installment
numbers, a payment on or before the open date) — goes through the exact scalar
:func:`accord.core.delinquency.replay`, which stays the reference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Final

import numpy as np

from accord.core.aging import BUCKETS
from accord.core.allocation import AllocationMode, Component
from accord.core.charges import ChargeTerms
from accord.core.charges_vector import BoolArray, IntArray
from accord.core.delinquency import Account as CoreAccount
from accord.core.delinquency import AccountState as CoreState
from accord.core.delinquency import Payment as CorePayment
from accord.core.delinquency import replay
from accord.core.money import Money
from accord.core.packs import Pack, load_pack
from accord.core.servicing_vector import PRINCIPAL, AgedBook, VectorBook, age, supported
from accord.core.servicing_vector_build import book_from_flat
from accord.core.types import Installment

Progress = Callable[[int, int], None]
#: Accounts per vectorised chunk, and a bound on accounts × installment columns per chunk.
CHUNK_ACCOUNTS: Final = 50_000
CHUNK_CELLS: Final = 2_000_000


@dataclass(frozen=True, slots=True)
class Aged:
    """What a tick stores about one account (minor units)."""

    dpd: int
    bucket: str
    principal_due: int  # outstanding principal, all installments
    overdue: int  # everything outstanding on installments due before as_of
    outstanding: int  # everything outstanding
    penalty: int  # penalty interest booked so far
    fees: int  # late fees booked so far


@lru_cache(maxsize=64)
def pack_of(code: str) -> Pack:
    """The bundled pack ``code`` (cached)."""
    return load_pack(code)


@lru_cache(maxsize=4096)
def terms_of(pack: str, rate: str, open_date: date, product: str) -> ChargeTerms:
    """Charge terms of an account (cached: a book has few distinct rate/date/product triples)."""
    p = pack_of(pack)
    code = product if any(x.code == product for x in p.products) else None
    return ChargeTerms.from_pack(p, annual_rate=Decimal(rate), open_date=open_date, product=code)


def core_account(acct: Sequence[Any], rows: Sequence[Sequence[Any]]) -> CoreAccount:
    """Build the core servicing record of one stored account and its installment rows."""
    _pk, _ext, currency, principal, rate, open_date, pack_code, product = acct
    pack = pack_of(pack_code)
    remaining = sum(r[3] for r in rows)
    installments = []
    for _a, seq, due, p, i, f in rows:
        installments.append(
            Installment(
                seq,
                due,
                Money(p, currency),
                Money(i, currency),
                Money(f, currency),
                Money(remaining, currency),
            )
        )
        remaining -= p
    return CoreAccount(
        open_date=open_date,
        principal=Money(principal, currency),
        installments=tuple(installments),
        terms=terms_of(pack_code, rate, open_date, product),
        order=pack.allocation.order,
        mode=pack.allocation.mode,
        overpayment=pack.allocation.overpayment,
    )


def aged_from_state(st: CoreState) -> Aged:
    """The stored fields of a scalar servicing state."""
    return Aged(
        dpd=st.dpd,
        bucket=st.bucket.value,
        principal_due=st.outstanding(Component.PRINCIPAL).minor,
        overdue=sum(st.outstanding(c, past_due_only=True).minor for c in Component),
        outstanding=sum(st.outstanding(c).minor for c in Component),
        penalty=st.penalty_charged.minor,
        fees=st.fees_charged.minor,
    )


def age_scalar(
    acct: Sequence[Any],
    inst_rows: Sequence[Sequence[Any]],
    pay_rows: Sequence[Sequence[Any]],
    as_of: date,
) -> Aged:
    """Age one account with the exact scalar replay (the reference path)."""
    currency, open_date = acct[2], acct[5]
    core = core_account(acct, [r for r in inst_rows if r[2] > open_date])
    plist = [CorePayment(d, Money(m, currency), ext) for _a, d, m, ext in pay_rows]
    return aged_from_state(replay(core, plist, max(as_of, open_date)))


def age_accounts(
    accounts: Sequence[Sequence[Any]],
    installments: Sequence[Sequence[Any]],
    payments: Sequence[Sequence[Any]],
    as_of: date,
    *,
    vectorised: bool = True,
    progress: Progress | None = None,
) -> list[Aged]:
    """One :class:`Aged` per account (in order) as of ``as_of``; rows as ``load_book`` gives."""
    n = len(accounts)
    out: list[Aged | None] = [None] * n
    flat = _Flat(accounts, installments, payments)
    ok = flat.eligible() if vectorised else np.zeros(n, bool)
    by_acct: dict[int, list[Sequence[Any]]] = defaultdict(list)
    pays: dict[int, list[Sequence[Any]]] = defaultdict(list)
    slow = {accounts[i][0] for i in np.flatnonzero(~ok).tolist()}
    for r in installments:
        if r[0] in slow:
            by_acct[r[0]].append(r)
    for r in payments:
        if r[0] in slow:
            pays[r[0]].append(r)
    for i in np.flatnonzero(~ok).tolist():
        pk = accounts[i][0]
        out[i] = age_scalar(accounts[i], by_acct[pk], pays[pk], as_of)
    done = n - int(ok.sum())
    groups: dict[tuple[tuple[Component, ...], AllocationMode], list[int]] = defaultdict(list)
    for i in np.flatnonzero(ok).tolist():
        rule = pack_of(accounts[i][6]).allocation
        groups[(rule.order, rule.mode)].append(i)
    for (order, mode), members in groups.items():
        rows = np.array(members, np.int64)
        for chunk in _chunks(rows, flat.width[rows]):
            aged = age(flat.book(chunk, order, mode), as_of)
            for i, a in zip(chunk.tolist(), _aged_rows(aged), strict=True):
                out[i] = a
            done += chunk.size
            if progress:
                progress(done, n)
    return [a for a in out if a is not None]


class _Flat:
    """The rows of a book as numpy columns, with the account row of every entry."""

    def __init__(
        self,
        accounts: Sequence[Sequence[Any]],
        installments: Sequence[Sequence[Any]],
        payments: Sequence[Sequence[Any]],
    ) -> None:
        self.accounts = accounts
        n = len(accounts)
        acc = _transpose(accounts, 8)
        pk = np.array(acc[0], np.int64)
        by_pk = np.argsort(pk, kind="stable")
        self.open = np.array([d.toordinal() for d in acc[5]], np.int64)
        self.principal = np.array(acc[3], np.int64)
        terms: dict[ChargeTerms, int] = {}
        self.term_of = np.fromiter(
            (terms.setdefault(terms_of(a[6], a[4], a[5], a[7]), len(terms)) for a in accounts),
            np.int64,
            n,
        )
        self.terms = tuple(terms)

        def rows(ids: IntArray) -> IntArray:
            found: IntArray = by_pk[np.searchsorted(pk, ids, sorter=by_pk)] if n else ids
            return found

        inst = _transpose(installments, 6)
        inst_row = rows(np.array(inst[0], np.int64))
        due = np.array([d.toordinal() for d in inst[2]], np.int64)
        keep = due > self.open[inst_row]  # as core_account does
        self.inst_row, self.inst_due = inst_row[keep], due[keep]
        self.inst_seq, self.inst_p, self.inst_i, self.inst_f = (
            np.array(inst[c], np.int64)[keep] for c in (1, 3, 4, 5)
        )
        pay = _transpose(payments, 4)
        self.pay_row = rows(np.array(pay[0], np.int64))
        self.pay_day = np.array([d.toordinal() for d in pay[1]], np.int64)
        self.pay_amount = np.array(pay[2], np.int64)
        self.width = np.bincount(self.inst_row, minlength=n)

    def eligible(self) -> BoolArray:
        """Accounts the twin reproduces exactly (the others raise or need the replay)."""
        n = len(self.accounts)
        cache: dict[tuple[int, str, str], bool] = {}
        ok = np.zeros(n, bool)
        for i, a in enumerate(self.accounts):
            key = (int(self.term_of[i]), a[6], a[2])
            if key not in cache:
                rule = pack_of(a[6]).allocation.overpayment.value
                cache[key] = supported(self.terms[key[0]], rule, a[2])
            ok[i] = cache[key]
        by_seq = np.lexsort((self.inst_seq, self.inst_row))
        dup = (np.diff(self.inst_row[by_seq]) == 0) & (np.diff(self.inst_seq[by_seq]) == 0)
        ok[self.inst_row[by_seq][1:][dup]] = False
        bad_pay = (self.pay_day <= self.open[self.pay_row]) | (self.pay_amount < 0)
        ok[self.pay_row[bad_pay]] = False
        return ok

    def book(
        self, chunk: IntArray, order: tuple[Component, ...], mode: AllocationMode
    ) -> VectorBook:
        """The vector book of accounts ``chunk`` (account rows)."""
        local = np.full(len(self.accounts), -1, np.int64)
        local[chunk] = np.arange(chunk.size)
        ins = local[self.inst_row]
        pay = local[self.pay_row]
        mi, mp = ins >= 0, pay >= 0
        return book_from_flat(
            open_day=self.open[chunk],
            principal=self.principal[chunk],
            term_of=self.term_of[chunk],
            terms=self.terms,
            inst_row=ins[mi],
            inst_seq=self.inst_seq[mi],
            inst_due=self.inst_due[mi],
            inst_principal=self.inst_p[mi],
            inst_interest=self.inst_i[mi],
            inst_fees=self.inst_f[mi],
            pay_row=pay[mp],
            pay_day=self.pay_day[mp],
            pay_amount=self.pay_amount[mp],
            order=order,
            mode=mode,
        )


def _transpose(rows: Sequence[Sequence[Any]], width: int) -> list[tuple[Any, ...]]:
    """Columns of ``rows`` (``width`` empty tuples when there are none)."""
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _chunks(rows: IntArray, widths: IntArray) -> list[IntArray]:
    """Split ``rows`` into runs of at most CHUNK_ACCOUNTS and about CHUNK_CELLS cells."""
    out: list[IntArray] = []
    start = 0
    widest = 1
    for j, w in enumerate(widths.tolist()):
        wider = max(widest, w)
        if j > start and (j - start >= CHUNK_ACCOUNTS or (j - start + 1) * wider > CHUNK_CELLS):
            out.append(rows[start:j])
            start, wider = j, max(w, 1)
        widest = wider
    if rows.size > start:
        out.append(rows[start:])
    return out


def _aged_rows(aged: AgedBook) -> list[Aged]:
    names = [b.value for b in BUCKETS]
    return [
        Aged(dpd, names[b], p, o, t, pen, fee)
        for dpd, b, p, o, t, pen, fee in zip(
            aged.dpd.tolist(),
            aged.bucket.tolist(),
            aged.outstanding[:, PRINCIPAL].tolist(),
            aged.past_due.sum(axis=1).tolist(),
            aged.outstanding.sum(axis=1).tolist(),
            aged.penalty_charged.tolist(),
            aged.fees_charged.tolist(),
            strict=True,
        )
    ]
