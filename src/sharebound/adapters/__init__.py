"""Adapters: the database, the blob store and the clock, behind the services."""
