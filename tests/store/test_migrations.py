"""The Alembic migrations produce exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from accord.store.db import migrate
from accord.store.models import Base
from tests.conftest import Db


def test_migrations_match_models(db: Db) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrate_is_idempotent(db: Db) -> None:
    migrate(db.engine)
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0006"
