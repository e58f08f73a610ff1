"""The server's storage: SQLAlchemy models, engines and the packaged Alembic migrations."""
