"""Repositories: load and save domain values through one connection (one transaction)."""
