"""``import_book``: validate a set of files completely, then apply them in one transaction."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from accord.core.errors import InvalidAmount
from accord.core.money import Money
from accord.services.importing.findings import Finding
from accord.services.importing.readers import RawTable, read_table
from accord.services.importing.schema import ColumnMapping, detect_kind, validate_rows
from accord.store import book
from accord.store.crypto import FieldCipher
from accord.store.db import transaction
from accord.store.events import NewEvent, append_events
from accord.store.ledger_log import make_checkpoint, party_registered_events
from accord.store.models import Account, Import, Installment, Party, Payment

Progress = Callable[[str, int, int], None]
KIND_ORDER = ("parties", "accounts", "installments", "payments")


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: per-kind counts of new and unchanged rows, or the findings."""

    tenant: str
    files: tuple[dict[str, str], ...]
    new: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing was rejected (and so the import was applied)."""
        return not self.findings


def _minor(value: Decimal | None, currency: str) -> int | None:
    if value is None:
        return None
    return Money.from_decimal(value, currency, exact=True).minor


def _load(
    paths: Sequence[Path], mapping: ColumnMapping
) -> tuple[dict[str, list[dict[str, Any]]], list[Finding], list[RawTable]]:
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    findings: list[Finding] = []
    tables: list[RawTable] = []
    for path in paths:
        table, shape = read_table(path)
        findings += shape
        if table is None:
            continue
        tables.append(table)
        header = tuple(mapping.columns.get(h, h) for h in table.header)
        kind = detect_kind(header + tuple(mapping.defaults))
        if kind is None:
            findings.append(
                Finding(path.name, 1, "", ",".join(table.header)[:80], "unrecognised file layout")
            )
            continue
        typed, problems = validate_rows(
            file=path.name,
            kind=kind,
            header=header,
            rows=table.rows,
            lines=table.line_of,
            mapping=mapping,
        )
        findings += problems
        for r in typed:
            r["_file"] = path.name
        rows[kind] += typed
    return rows, findings, tables


def _duplicates(
    kind: str, key: Callable[[dict[str, Any]], object], rows: list[dict[str, Any]]
) -> Iterator[Finding]:
    seen: dict[object, dict[str, Any]] = {}
    for r in rows:
        k = key(r)
        if k in seen:
            first = seen[k]
            yield Finding(
                r["_file"],
                r["_line"],
                "id",
                str(k),
                f"duplicate {kind} id (first on {first['_file']} line {first['_line']})",
            )
        else:
            seen[k] = r


def import_book(
    *,
    factory: sessionmaker[Session],
    cipher: FieldCipher,
    tenant: str,
    paths: Sequence[Path],
    mapping: ColumnMapping | None = None,
    pack: str = "cn",
    currency: str = "CNY",
    actor: str = "system:import",
    progress: Progress | None = None,
) -> ImportReport:
    """Import parties, accounts, installments and payments for ``tenant`` — all or nothing.

    Every row of every file is validated first (types, ranges, dates, duplicate ids, orphans,
    currencies, conflicts with rows imported before). With any finding nothing is written and the
    report lists them all. Rows identical to ones already stored are skipped, so importing the
    same files twice changes nothing. The tenant is created on first import.
    """
    mapping = mapping or ColumnMapping()
    note = progress or (lambda _s, _d, _t: None)
    rows, findings, tables = _load(paths, mapping)
    note("read", len(tables), len(paths))
    files = tuple({"name": t.path.name, "sha256": t.sha256, "encoding": t.encoding} for t in tables)

    for kind, key in (
        ("parties", lambda r: r["party_id"]),
        ("accounts", lambda r: r["account_id"]),
        ("installments", lambda r: (r["account_id"], r["seq"])),
        ("payments", lambda r: r["payment_id"]),
    ):
        findings += _duplicates(kind, key, rows[kind])

    with transaction(factory) as session:
        report = _apply(session, cipher, tenant, rows, findings, files, pack, currency, actor, note)
        if not report.ok:
            session.rollback()
        return report


def _apply(
    session: Session,
    cipher: FieldCipher,
    tenant: str,
    rows: dict[str, list[dict[str, Any]]],
    findings: list[Finding],
    files: tuple[dict[str, str], ...],
    pack: str,
    currency: str,
    actor: str,
    note: Progress,
) -> ImportReport:
    events: list[NewEvent] = []
    if book.get_tenant(session, tenant) is None:
        book.create_tenant(session, tenant_id=tenant, name=tenant, pack=pack, currency=currency)
        events.append(
            NewEvent(
                "tenant.created", actor, f"tenant:{tenant}", {"pack": pack, "currency": currency}
            )
        )
    tenant_row = book.get_tenant(session, tenant)
    assert tenant_row is not None
    parties = book.party_keys(session, tenant)
    accounts = book.account_index(session, tenant)
    new: dict[str, int] = dict.fromkeys(KIND_ORDER, 0)
    unchanged: dict[str, int] = dict.fromkeys(KIND_ORDER, 0)

    # --- parties ------------------------------------------------------------------------
    new_parties = []
    batch_parties = set(parties)
    for r in rows["parties"]:
        if r["party_id"] in parties:
            unchanged["parties"] += 1
            continue
        batch_parties.add(r["party_id"])
        ctx = f"{tenant}/parties/{r['party_id']}"
        new_parties.append(
            {
                "tenant_id": tenant,
                "external_id": r["party_id"],
                "kind": "person",
                "name_enc": cipher.encrypt(r["name"], context=ctx + "/name"),
                "phone_enc": cipher.encrypt(r["phone"], context=ctx + "/phone"),
                "id_number_enc": cipher.encrypt(r["id_number"], context=ctx + "/id_number"),
                "sex": r["sex"],
                "birth_year": r["birth_year"],
                "marital_status": r["marital_status"],
                "education": r["education"],
                "region": r["region"],
            }
        )

    # --- accounts -----------------------------------------------------------------------
    new_accounts: list[dict[str, Any]] = []
    acct_currency = {ext: content[2] for ext, (_pk, content) in accounts.items()}
    for r in rows["accounts"]:
        where = (r["_file"], r["_line"])
        if r["party_id"] not in batch_parties:
            findings.append(Finding(*where, "party_id", r["party_id"], "unknown party"))
            continue
        try:
            principal = _minor(r["principal"], r["currency"])
        except InvalidAmount as exc:
            findings.append(Finding(*where, "principal", str(r["principal"]), str(exc)))
            continue
        content = (
            r["party_id"],
            r["product"],
            r["currency"],
            principal,
            str(r["annual_rate"]),
            r["open_date"],
            r["pack"] or tenant_row.pack,
        )
        if r["account_id"] in accounts:
            if accounts[r["account_id"]][1] != content:
                findings.append(
                    Finding(
                        *where, "account_id", r["account_id"], "conflicts with the stored account"
                    )
                )
            else:
                unchanged["accounts"] += 1
            continue
        acct_currency[r["account_id"]] = r["currency"]
        new_accounts.append({"_content": content, "external_id": r["account_id"]})

    # --- installments and payments (validated against all accounts) ----------------------
    def account_of(r: dict[str, Any]) -> str | None:
        if r["account_id"] not in acct_currency:
            findings.append(
                Finding(r["_file"], r["_line"], "account_id", r["account_id"], "unknown account")
            )
            return None
        return str(acct_currency[r["account_id"]])

    inst_rows: list[dict[str, Any]] = []
    for r in rows["installments"]:
        cur = account_of(r)
        if cur is None:
            continue
        try:
            inst_rows.append(
                {
                    "_ext": r["account_id"],
                    "seq": r["seq"],
                    "due_date": r["due_date"],
                    "principal_minor": _minor(r["principal"], cur),
                    "interest_minor": _minor(r["interest"], cur),
                    "fees_minor": _minor(r["fees"], cur),
                    "statement_date": r["statement_date"],
                    "statement_balance_minor": _minor(r["statement_balance"], cur),
                }
            )
        except InvalidAmount as exc:
            findings.append(Finding(r["_file"], r["_line"], "amount", "", str(exc)))

    pay_rows: list[dict[str, Any]] = []
    for r in rows["payments"]:
        cur = account_of(r)
        if cur is None:
            continue
        if r["currency"] is not None and r["currency"] != cur:
            findings.append(
                Finding(r["_file"], r["_line"], "currency", r["currency"], f"account is in {cur}")
            )
            continue
        try:
            amount = _minor(r["amount"], cur)
        except InvalidAmount as exc:
            findings.append(Finding(r["_file"], r["_line"], "amount", str(r["amount"]), str(exc)))
            continue
        pay_rows.append(
            {
                "_ext": r["account_id"],
                "external_id": r["payment_id"],
                "paid_on": r["paid_on"],
                "amount_minor": amount,
                "currency": cur,
                "_where": (r["_file"], r["_line"]),
            }
        )

    if findings:
        return ImportReport(tenant, files, findings=tuple(sorted(findings, key=_order)))

    # --- write ---------------------------------------------------------------------------
    content_hash = hashlib.sha256("".join(sorted(f["sha256"] for f in files)).encode()).hexdigest()
    party_pk = dict(parties)
    party_pk.update(book.insert_returning_keys(session, Party, new_parties))
    new["parties"] = len(new_parties)
    note("parties", len(new_parties), len(new_parties))

    acct_pk = {ext: pk for ext, (pk, _c) in accounts.items()}
    acct_pk.update(
        book.insert_returning_keys(
            session,
            Account,
            [
                {
                    "tenant_id": tenant,
                    "external_id": a["external_id"],
                    "party_id": party_pk[a["_content"][0]],
                    "product": a["_content"][1],
                    "currency": a["_content"][2],
                    "principal_minor": a["_content"][3],
                    "annual_rate": a["_content"][4],
                    "open_date": a["_content"][5],
                    "pack": a["_content"][6],
                }
                for a in new_accounts
            ],
        )
    )
    new["accounts"] = len(new_accounts)
    note("accounts", len(new_accounts), len(new_accounts))

    stored_inst = book.installment_index(session, tenant) if accounts else {}
    inst_new = []
    for r in inst_rows:
        key = (acct_pk[r.pop("_ext")], r["seq"])
        content = tuple(
            r[k]
            for k in (
                "due_date",
                "principal_minor",
                "interest_minor",
                "fees_minor",
                "statement_date",
                "statement_balance_minor",
            )
        )
        if key in stored_inst:
            if stored_inst[key] != content:
                findings.append(
                    Finding("", 0, "seq", str(key[1]), "conflicts with the stored installment")
                )
            else:
                unchanged["installments"] += 1
            continue
        inst_new.append({"account_id": key[0], **r})

    stored_pay = book.payment_index(session, tenant) if accounts else {}
    pay_new = []
    for r in pay_rows:
        where = r.pop("_where")
        r["account_id"] = acct_pk[r.pop("_ext")]
        pay_content = (r["account_id"], r["paid_on"], r["amount_minor"], r["currency"])
        if r["external_id"] in stored_pay:
            if stored_pay[r["external_id"]] != pay_content:
                findings.append(
                    Finding(
                        where[0],
                        where[1],
                        "payment_id",
                        r["external_id"],
                        "conflicts with the stored payment (same id, different content)",
                    )
                )
            else:
                unchanged["payments"] += 1
            continue
        pay_new.append({"tenant_id": tenant, **r})

    if findings:
        return ImportReport(tenant, files, findings=tuple(sorted(findings, key=_order)))

    new["installments"] = book.bulk_insert(session, Installment, inst_new)
    note("installments", new["installments"], new["installments"])
    new["payments"] = book.bulk_insert(session, Payment, pay_new)
    note("payments", new["payments"], new["payments"])

    if new_parties:
        plain = [(r["party_id"], r) for r in rows["parties"] if r["party_id"] not in parties]
        events += party_registered_events(session, tenant, actor, plain)
    if any(new.values()):
        imp = Import(
            tenant_id=tenant,
            content_sha256=content_hash,
            files=json.dumps(files, sort_keys=True),
            counts=json.dumps(new, sort_keys=True),
            created_at=datetime.now(UTC),
        )
        session.add(imp)
        session.flush()
        events.append(
            NewEvent(
                "book.imported",
                actor,
                f"import:{imp.id}",
                {"files": list(files), "new": new, "unchanged": unchanged},
            )
        )
    append_events(session, tenant, events)
    make_checkpoint(session, tenant)
    return ImportReport(tenant, files, new=new, unchanged=unchanged)


def _order(f: Finding) -> tuple[str, int, str]:
    return (f.file, f.row, f.column)
