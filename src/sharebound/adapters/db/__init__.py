"""The database adapter: tables, engine, migrations and repositories (SQLAlchemy 2 Core)."""
