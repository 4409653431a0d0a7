"""Use cases: one function each, one transaction each, its audit event inside.

Every function takes a `UnitOfWork` (not yet entered) and the acting person's id
(`None` for the operator at the command line, where a use case allows it).
"""
