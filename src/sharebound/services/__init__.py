"""Use cases: one function each, one transaction each, its audit event inside.

Every function takes a `UnitOfWork` (not yet entered) and the acting person's id
(`None` for the operator at the command line, where a use case allows it). An event is a
typed payload (domain/events.py) given to `common.record`, which hands it to the listeners
`bootstrap` registered (notify.fan_out). Services never import an entry point (web, cli,
worker, bootstrap); what they need from outside comes through ports.py.
"""
