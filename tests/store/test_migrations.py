"""The Alembic migrations produce exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from accord.store.db import migrate
from accord.store.models import AGREEMENT_SUBJECTS, Base, Event
from tests.conftest import Db


def test_migrations_match_models(db: Db) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrate_is_idempotent(db: Db) -> None:
    migrate(db.engine)
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0006"


def test_agreement_history_query_uses_the_partial_subject_index(db: Db) -> None:
    # Only agreement subjects are indexed; the replay query repeats the predicate so that both
    # databases can use the partial index (checked on the real query plan).
    query = (
        select(Event.seq)
        .where(Event.tenant_id == "t", Event.subject == "agreement:a1")
        .where(text(AGREEMENT_SUBJECTS))
    )
    with db.engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        if db.engine.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
    assert "ix_events_tenant_agreement" in plan, plan
