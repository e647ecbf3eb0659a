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
from accord.core.charges_vector import IntArray
from accord.core.delinquency import Account as CoreAccount
from accord.core.delinquency import AccountState as CoreState
from accord.core.delinquency import Payment as CorePayment
from accord.core.delinquency import replay
from accord.core.money import Money
from accord.core.packs import Pack, load_pack
from accord.core.servicing_vector import PRINCIPAL, AgedBook, age, supported
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
    by_acct: dict[int, list[Sequence[Any]]] = defaultdict(list)
    for r in installments:
        by_acct[r[0]].append(r)
    pays: dict[int, list[Sequence[Any]]] = defaultdict(list)
    for r in payments:
        pays[r[0]].append(r)
    out: list[Aged | None] = [None] * len(accounts)
    groups: dict[tuple[tuple[Component, ...], AllocationMode], list[int]] = defaultdict(list)
    for i, acct in enumerate(accounts):
        pk = acct[0]
        if vectorised and _vector_ok(acct, by_acct[pk], pays[pk]):
            pack = pack_of(acct[6])
            groups[(pack.allocation.order, pack.allocation.mode)].append(i)
        else:
            out[i] = age_scalar(acct, by_acct[pk], pays[pk], as_of)
    done = sum(a is not None for a in out)
    for (order, mode), members in groups.items():
        for chunk in _chunks(members, [len(by_acct[accounts[i][0]]) for i in members]):
            aged = _age_chunk(accounts, chunk, by_acct, pays, as_of, order, mode)
            for j, i in enumerate(chunk):
                out[i] = _aged_row(aged, j)
            done += len(chunk)
            if progress:
                progress(done, len(accounts))
    assert all(a is not None for a in out)
    return [a for a in out if a is not None]


def _vector_ok(
    acct: Sequence[Any], inst_rows: Sequence[Sequence[Any]], pay_rows: Sequence[Sequence[Any]]
) -> bool:
    """True when the twin reproduces the replay (else the replay runs, and raises if it must)."""
    _pk, _ext, currency, _principal, rate, open_date, pack_code, product = acct
    pack = pack_of(pack_code)
    terms = terms_of(pack_code, rate, open_date, product)
    if not supported(terms, pack.allocation.overpayment.value, currency):
        return False
    seqs = [r[1] for r in inst_rows if r[2] > open_date]
    if len(set(seqs)) != len(seqs):
        return False
    return all(r[1] > open_date and r[2] >= 0 for r in pay_rows)


def _chunks(members: list[int], widths: list[int]) -> list[list[int]]:
    """Split ``members`` into runs of at most CHUNK_ACCOUNTS and about CHUNK_CELLS cells."""
    out: list[list[int]] = []
    cur: list[int] = []
    widest = 1
    for i, w in zip(members, widths, strict=True):
        wider = max(widest, w)
        if cur and (len(cur) >= CHUNK_ACCOUNTS or (len(cur) + 1) * wider > CHUNK_CELLS):
            out.append(cur)
            cur, wider = [], max(w, 1)
        cur.append(i)
        widest = wider
    if cur:
        out.append(cur)
    return out


def _age_chunk(
    accounts: Sequence[Sequence[Any]],
    chunk: list[int],
    by_acct: dict[int, list[Sequence[Any]]],
    pays: dict[int, list[Sequence[Any]]],
    as_of: date,
    order: tuple[Component, ...],
    mode: AllocationMode,
) -> AgedBook:
    terms: dict[ChargeTerms, int] = {}
    term_of, opens, principals = [], [], []
    inst: list[tuple[int, int, int, int, int, int]] = []
    pay: list[tuple[int, int, int]] = []
    for row, i in enumerate(chunk):
        _pk, _ext, _cur, principal, rate, open_date, pack_code, product = accounts[i]
        term_of.append(terms.setdefault(terms_of(pack_code, rate, open_date, product), len(terms)))
        opens.append(open_date.toordinal())
        principals.append(principal)
        for _a, seq, due, p, i_, f in by_acct[accounts[i][0]]:
            if due > open_date:
                inst.append((row, seq, due.toordinal(), p, i_, f))
        for _a, paid_on, amount, _ext in pays[accounts[i][0]]:
            pay.append((row, paid_on.toordinal(), amount))
    ic = _columns(inst, 6)
    pc = _columns(pay, 3)
    book = book_from_flat(
        open_day=np.array(opens, np.int64),
        principal=np.array(principals, np.int64),
        term_of=np.array(term_of, np.int64),
        terms=tuple(terms),
        inst_row=ic[0],
        inst_seq=ic[1],
        inst_due=ic[2],
        inst_principal=ic[3],
        inst_interest=ic[4],
        inst_fees=ic[5],
        pay_row=pc[0],
        pay_day=pc[1],
        pay_amount=pc[2],
        order=order,
        mode=mode,
    )
    return age(book, as_of)


def _columns(rows: Sequence[tuple[int, ...]], width: int) -> list[IntArray]:
    if not rows:
        return [np.zeros(0, np.int64) for _ in range(width)]
    return list(np.array(rows, np.int64).T)


def _aged_row(aged: AgedBook, j: int) -> Aged:
    return Aged(
        dpd=int(aged.dpd[j]),
        bucket=BUCKETS[int(aged.bucket[j])].value,
        principal_due=int(aged.outstanding[j, PRINCIPAL]),
        overdue=int(aged.past_due[j].sum()),
        outstanding=int(aged.outstanding[j].sum()),
        penalty=int(aged.penalty_charged[j]),
        fees=int(aged.fees_charged[j]),
    )
