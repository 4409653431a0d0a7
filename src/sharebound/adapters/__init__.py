"""Adapters: the database, the blob store, the clock, passwords, mail, webhook posts and file
readers, behind the services (bootstrap builds them; web/ and cli never import them)."""
