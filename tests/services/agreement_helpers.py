"""Builders for the agreement service tests: a tenant and custodial-key terms."""

from __future__ import annotations

from datetime import date
from typing import Any

from accord.store import book
from accord.store.db import transaction
from tests.agreements.helpers import terms_data
from tests.conftest import Db

TENANT = "t1"
SIGNED_ON = date(2024, 12, 20)


def make_tenant(db: Db, tenant: str = TENANT) -> None:
    """Create a CN tenant."""
    with transaction(db.factory) as s:
        book.create_tenant(s, tenant_id=tenant, name="Bank", pack="cn", currency="CNY")


def custodial_terms(months: int = 6, **overrides: Any) -> dict[str, Any]:
    """Terms without public keys: the service fills in the custodial ones."""
    data = terms_data(months=months, **overrides)
    data["breach"]["original_debt_minor"] = months * 100_000 + 100_000
    del data["parties"]["debtor_key"], data["parties"]["creditor_key"]
    return data
