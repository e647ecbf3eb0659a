"""Persistence: SQLAlchemy 2 models, repositories, Alembic migrations, settings.

Owns: the database schema and every read/write of it. SQLite (embedded default, a file under
``$ACCORD_HOME``) and PostgreSQL (production, ``ACCORD_DATABASE_URL``) run the same code. Ledger
events are appended in the same transaction as the state change they describe: ``events`` (signed
entries, gap-free seq), ``ledger_store`` (the SQL Merkle ``TreeStore``, entry bytes),
``ledger_keys`` (custodial keys, who signs), ``ledger_log`` (checkpoints, export, receipts,
commitments, agreement acceptance). See docs/ledger-store.md.

May import: accord.core, accord.ledger and the engines. Must not import services or interfaces.
"""
