"""Book import: a valid book lands whole; any bad row rejects the whole import, fully reported."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from accord.services.importing.schema import ColumnMapping
from accord.services.importing.service import import_book
from accord.store import book
from accord.store.models import Event, Party
from tests.conftest import Db

PARTIES = "party_id,name,phone\nP1,张三,13800138000\nP2,李四,13900139000\n"
ACCOUNTS = (
    "account_id,party_id,product,currency,principal,annual_rate,open_date\n"
    "A1,P1,loan,CNY,12000.00,0.12,2026-01-15\n"
    "A2,P2,loan,CNY,6000.00,0.0365,2026-02-01\n"
)
INSTALLMENTS = (
    "account_id,seq,due_date,principal,interest,fees\n"
    "A1,1,2026-02-15,946.19,120.00,0\n"
    "A1,2,2026-03-15,955.65,110.54,0\n"
    "A2,1,2026-03-01,500.00,18.25,0\n"
)
PAYMENTS = (
    "payment_id,account_id,paid_on,amount\nX1,A1,2026-02-14,1066.19\nX2,A2,2026-03-05,100.00\n"
)


def write_book(tmp: Path, **overrides: str) -> list[Path]:
    files = {
        "parties.csv": PARTIES,
        "accounts.csv": ACCOUNTS,
        "installments.csv": INSTALLMENTS,
        "payments.csv": PAYMENTS,
        **overrides,
    }
    paths = []
    for name, body in files.items():
        p = tmp / name
        p.write_text(body, encoding="utf-8")
        paths.append(p)
    return paths


def counts(db: Db) -> dict[str, int]:
    with db.factory() as s:
        c = book.book_counts(s, "t1")
        c["events"] = s.scalar(select(func.count()).select_from(Event)) or 0
        return c


def test_valid_book_imports_and_reimport_changes_nothing(db: Db, tmp_path: Path) -> None:
    paths = write_book(tmp_path)
    report = import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=paths)
    assert report.ok, report.findings
    assert report.new == {"parties": 2, "accounts": 2, "installments": 3, "payments": 2}
    before = counts(db)
    # events: tenant.created, party.registered x2 (commitments only), book.imported
    assert before == {"parties": 2, "accounts": 2, "installments": 3, "payments": 2, "events": 4}

    again = import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=paths)
    assert again.ok
    assert sum(again.new.values()) == 0
    assert again.unchanged == {"parties": 2, "accounts": 2, "installments": 3, "payments": 2}
    assert counts(db) == before


def test_personal_data_is_encrypted_at_rest(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    with db.factory() as s:
        party = s.scalars(select(Party).where(Party.external_id == "P1")).one()
        assert party.phone_enc is not None
        assert b"13800138000" not in party.phone_enc
        assert "张三".encode() not in (party.name_enc or b"")
        ctx = "t1/parties/P1"
        assert db.cipher.decrypt(party.phone_enc, context=ctx + "/phone") == "13800138000"


def test_malformed_book_is_rejected_whole_with_every_problem(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    before = counts(db)
    bad = tmp_path / "bad"
    bad.mkdir()
    accounts = (
        "account_id,party_id,product,currency,principal,annual_rate,open_date\n"
        "B1,P1,loan,CNY,-5.00,0.12,2026-01-15\n"  # negative amount
        "B2,P1,loan,CNY,100.00,0.12,2026-13-40\n"  # bad date
        "B3,P1,loan,CNY,100.00,0.12,2026-01-15\n"
        "B3,P1,loan,CNY,100.00,0.12,2026-01-15\n"  # duplicate id
        "B4,PX,loan,CNY,100.00,0.12,2026-01-15\n"  # unknown party
    )
    payments = (
        "payment_id,account_id,paid_on,amount\n"
        "Y1,NOPE,2026-02-14,10.00\n"  # orphan payment
        "Y2,B3,2026-02-14,10.00\n"
        "Y3,B3,2026-02"  # truncated last line
    )
    # A GBK-encoded installments file with Chinese headers, mapped by a mapping file.
    gbk = (
        "账户编号,期数,到期日,本金,利息\n"
        "B3,1,2026/02/15,50.00,1.00\n"
        "B3,x,2026/03/15,50.00,0.50\n"  # bad seq
    ).encode("gbk")
    (bad / "accounts.csv").write_text(accounts)
    (bad / "payments.csv").write_text(payments)
    (bad / "分期.csv").write_bytes(gbk)
    mapping_file = bad / "mapping.toml"
    mapping_file.write_text(
        '[columns]\n"账户编号" = "account_id"\n"期数" = "seq"\n"到期日" = "due_date"\n'
        '"本金" = "principal"\n"利息" = "interest"\n'
    )
    report = import_book(
        factory=db.factory,
        cipher=db.cipher,
        tenant="t1",
        paths=[bad / "accounts.csv", bad / "payments.csv", bad / "分期.csv"],
        mapping=ColumnMapping.load(mapping_file),
    )
    assert not report.ok
    got = {(f.file, f.row, f.column, f.reason) for f in report.findings}
    assert ("accounts.csv", 2, "principal", "must not be negative") in got
    assert ("accounts.csv", 3, "open_date", "not a valid date (expected YYYY-MM-DD)") in got
    assert any(f[0] == "accounts.csv" and f[1] == 5 and "duplicate" in f[3] for f in got)
    assert ("accounts.csv", 6, "party_id", "unknown party") in got
    assert ("payments.csv", 2, "account_id", "unknown account") in got
    assert any(f[0] == "payments.csv" and f[1] == 4 and "truncated" in f[3] for f in got)
    assert ("分期.csv", 3, "seq", "not a whole number") in got
    # the GBK file was decoded and its good row understood (no finding for line 2)
    assert not any(f[0] == "分期.csv" and f[1] == 2 for f in got)
    assert next(f for f in report.files if f["name"] == "分期.csv")["encoding"] in {
        "gbk",
        "gb18030",
    }
    assert counts(db) == before


def test_conflicting_reimport_is_rejected(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    before = counts(db)
    changed = tmp_path / "changed"
    changed.mkdir()
    paths = write_book(changed, **{"payments.csv": PAYMENTS.replace("100.00", "200.00")})
    report = import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=paths)
    assert not report.ok
    assert any(f.column == "payment_id" and "conflicts" in f.reason for f in report.findings)
    assert counts(db) == before


def test_tenants_are_isolated(db: Db, tmp_path: Path) -> None:
    import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=write_book(tmp_path))
    other = tmp_path / "o"
    other.mkdir()
    report = import_book(factory=db.factory, cipher=db.cipher, tenant="t2", paths=write_book(other))
    assert report.ok
    assert report.new["accounts"] == 2  # same external ids, different tenant: separate rows
    with db.factory() as s:
        assert book.book_counts(s, "t1")["accounts"] == 2
        assert book.book_counts(s, "t2")["accounts"] == 2


def test_parquet_and_excel_files_import_like_csv(db: Db, tmp_path: Path) -> None:
    import polars as pl

    csvs = write_book(tmp_path)
    converted = []
    for i, p in enumerate(csvs):
        frame = pl.read_csv(p, infer_schema_length=0)
        if i % 2 == 0:
            out = p.with_suffix(".parquet")
            frame.write_parquet(out)
        else:
            out = p.with_suffix(".xlsx")
            frame.write_excel(out)
        converted.append(out)
    report = import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=converted)
    assert report.ok, report.findings
    assert report.new == {"parties": 2, "accounts": 2, "installments": 3, "payments": 2}
    assert {f["encoding"] for f in report.files} == {"binary"}
    # the same book from CSV is recognised as already imported: nothing changes
    again = import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=csvs)
    assert sum(again.new.values()) == 0


def test_bad_rows_in_excel_are_reported_by_spreadsheet_row(db: Db, tmp_path: Path) -> None:
    import polars as pl

    out = tmp_path / "payments.xlsx"
    pl.DataFrame(
        {
            "payment_id": ["X1", "X2"],
            "account_id": ["A1", "A1"],
            "paid_on": ["2026-02-14", "not a date"],
            "amount": ["10.00", "-3"],
        }
    ).write_excel(out)
    paths = [*write_book(tmp_path, **{"payments.csv": PAYMENTS})[:3], out]
    report = import_book(factory=db.factory, cipher=db.cipher, tenant="t1", paths=paths)
    got = {(f.file, f.row, f.column) for f in report.findings}
    assert got == {("payments.xlsx", 3, "paid_on"), ("payments.xlsx", 3, "amount")}
