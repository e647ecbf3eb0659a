"""Replay an agreement from its ledger entries alone: from the database or an exported bundle.

Only the ledger is trusted: the terms come from the ``agreement.created`` entry's payload, every
executor event from the ``agreement.*`` entries of subject ``agreement:<id>``. Each entry's
signatures are checked against the party keys, the acceptance entry's two signatures against
the agreement hash, and the events are re-run by the executor
(:func:`accord.agreements.replay`), which compares every produced event — state hashes
included — with the recorded one. The database replay then compares the final state hash with
the stored projection; the bundle replay first verifies the whole bundle (signatures, Merkle
tree, checkpoints), so a dropped or edited entry anywhere fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from accord.agreements import AgreementError, ReplayMismatch, parse_terms, replay, state_hash
from accord.agreements.terms import terms_hash
from accord.ledger.agreement import ACCEPTANCE_TYPE, verify_acceptance
from accord.ledger.bundle import ENTRIES, read_party_keys
from accord.ledger.entry import (
    Entry,
    parse_entry,
    parse_entry_and_signed_bytes,
    verify_entry_signatures,
)
from accord.ledger.errors import LedgerError
from accord.ledger.keys import PublicKey
from accord.ledger.verify import verify_bundle
from accord.store.agreements import agreement_entries, agreement_subject, get_agreement
from accord.store.ledger_log import party_public_keys


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where replay and the record part: agreement event index, ledger entry, reason."""

    index: int | None
    ledger_seq: int | None
    event_type: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class ReplayReport:
    """Outcome of a replay: the recomputed state hash against the expected one."""

    agreement_id: str
    source: str
    ok: bool
    events: int
    status: str | None
    replayed_hash: str | None
    expected_hash: str | None
    divergence: Divergence | None


class _Diverged(Exception):
    def __init__(self, d: Divergence) -> None:
        super().__init__(d.reason)
        self.divergence = d


def _selected(entries: Iterable[Entry], agreement_id: str) -> list[Entry]:
    """Entries of the agreement: by subject, or (edited subjects) by the payload's id."""
    subject = agreement_subject(agreement_id)
    out = []
    for e in entries:
        named = isinstance(e.payload, dict) and e.payload.get("agreement_id") == agreement_id
        if e.subjects == (subject,) or (e.type.startswith("agreement.") and named):
            out.append(e)
    return out


def _check_entries(
    entries: list[Entry], agreement_id: str, keys: Mapping[str, PublicKey] | None
) -> tuple[list[dict[str, Any]], list[int], list[Entry]]:
    """Executor records, their ledger seqs and the acceptance entries; raise on a bad entry."""
    subject = agreement_subject(agreement_id)
    records: list[dict[str, Any]] = []
    seqs: list[int] = []
    accepted: list[Entry] = []
    for e in entries:
        at = len(records)

        def bad(reason: str, e: Entry = e, at: int = at) -> _Diverged:
            return _Diverged(Divergence(at, e.seq, e.type, reason))

        if keys is not None:
            try:
                verify_entry_signatures(e, keys)
            except LedgerError as exc:
                raise bad(f"entry signature: {exc}") from None
        if e.subjects != (subject,):
            raise bad(f"entry {e.seq} names subjects {list(e.subjects)}, not {subject}")
        if e.type == ACCEPTANCE_TYPE:
            accepted.append(e)
            continue
        record = dict(e.payload)
        if record.pop("agreement_id", None) != agreement_id:
            raise bad(f"entry {e.seq} belongs to another agreement")
        record.pop("terms", None)
        if record.get("seq") != at or record.get("type") != e.type:
            raise bad(f"entry {e.seq} records event {record.get('seq')}, expected {at}")
        records.append(record)
        seqs.append(e.seq)
    return records, seqs, accepted


def replay_entries(
    entries: Iterable[Entry],
    agreement_id: str,
    *,
    keys: Mapping[str, PublicKey] | None,
    expected_hash: str | None,
    source: str,
) -> ReplayReport:
    """Replay the agreement from ledger entries; ``expected_hash`` None: the log's last hash."""
    selected = _selected(entries, agreement_id)
    try:
        if not selected:
            raise _Diverged(Divergence(0, None, None, "no ledger entries for this agreement"))
        records, seqs, accepted = _check_entries(selected, agreement_id, keys)
        if not records or records[0].get("type") != "agreement.created":
            raise _Diverged(Divergence(0, None, None, "the log does not open with creation"))
        first = next(e for e in selected if e.type == "agreement.created")
        try:
            terms = parse_terms(first.payload["terms"])
        except (KeyError, TypeError, ValueError) as exc:
            raise _Diverged(Divergence(0, first.seq, first.type, f"bad terms: {exc}")) from None
        try:
            state = replay(terms, records)
        except ReplayMismatch as exc:
            k = exc.index
            seq, kind = (seqs[k], records[k]["type"]) if k < len(records) else (None, None)
            raise _Diverged(Divergence(k, seq, kind, str(exc))) from None
        except AgreementError as exc:
            raise _Diverged(Divergence(None, None, None, str(exc))) from None
        digest = terms_hash(terms)
        for e in accepted:
            try:
                if keys is not None:
                    verify_acceptance(e.payload, keys)
                if e.payload.get("agreement_hash") != digest:
                    raise ValueError("acceptance is for other terms")
            except (LedgerError, ValueError) as exc:
                raise _Diverged(Divergence(None, e.seq, e.type, f"acceptance: {exc}")) from None
        if len(state.signed_by) == 2 and not accepted:
            raise _Diverged(Divergence(None, None, ACCEPTANCE_TYPE, "no acceptance entry"))
    except _Diverged as d:
        return ReplayReport(agreement_id, source, False, 0, None, None, expected_hash, d.divergence)
    got = state_hash(state)
    want = expected_hash if expected_hash is not None else records[-1]["state_hash"]
    divergence = None
    if got != want:
        reason = f"replayed state hash {got} differs from the stored {want}"
        divergence = Divergence(len(records), None, None, reason)
    return ReplayReport(
        agreement_id,
        source,
        divergence is None,
        len(records),
        state.status.value,
        got,
        want,
        divergence,
    )


def replay_agreement(
    *, factory: sessionmaker[Session], tenant: str, agreement_id: str
) -> ReplayReport:
    """Recompute an agreement's state from its ledger entries and compare with the projection.

    Reads the entries from the ledger tables (canonical entry bytes, signatures checked with
    the tenant's party keys); only the stored state hash is taken from the agreements table.
    """
    with factory() as session:
        row = get_agreement(session, tenant, agreement_id)
        if row is None:
            raise LookupError(f"no agreement {agreement_id!r} in tenant {tenant!r}")
        keys = {k.kid: k for k in party_public_keys(session, tenant)}
        entries = [parse_entry(b) for b in agreement_entries(session, tenant, agreement_id)]
        expected = row.state_hash
    return replay_entries(
        entries, agreement_id, keys=keys, expected_hash=expected, source="database"
    )


def _bundle_entries(directory: Path, agreement_id: str) -> list[Entry]:
    needle = agreement_id.encode("utf-8")
    out = []
    with (directory / ENTRIES).open("rb") as lines:
        for line in lines:
            if needle in line:  # cheap pre-filter; the strict parse decides
                out.append(parse_entry_and_signed_bytes(line.rstrip(b"\n"))[0])
    return out


def replay_from_bundle(bundle_dir: Path, agreement_id: str, *, verify: bool = True) -> ReplayReport:
    """Replay an agreement from an exported ledger bundle (``entries.jsonl``), no database.

    With ``verify`` the whole bundle is verified first (entry signatures, Merkle roots against
    the signed checkpoints), so removing or editing any entry fails; the agreement's own
    entries are always signature-checked against ``keys.json`` and replayed.
    """
    if verify:
        report = verify_bundle(bundle_dir)
        if not report.ok:
            d = Divergence(None, report.error_index, None, f"bundle: {report.error}")
            return ReplayReport(agreement_id, "bundle", False, 0, None, None, None, d)
    try:
        keys = read_party_keys(bundle_dir)
        entries = _bundle_entries(bundle_dir, agreement_id)
    except (LedgerError, OSError) as exc:
        d = Divergence(None, None, None, f"bundle: {exc}")
        return ReplayReport(agreement_id, "bundle", False, 0, None, None, None, d)
    return replay_entries(entries, agreement_id, keys=keys, expected_hash=None, source="bundle")
