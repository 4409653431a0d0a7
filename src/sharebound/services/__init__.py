"""Use cases: one function each, one transaction each, its audit event inside.

Every function takes a `UnitOfWork` (not yet entered) and the acting person's id
(`None` for the operator at the command line, where a use case allows it). An event is a
typed payload (domain/events/) given to `common.record`, which hands it to the listeners
`bootstrap` registered (notify.fan_out). Services never import an entry point (web, cli,
worker, bootstrap); what they need from outside comes through ports.py.

`pages/` builds one read model per page in one read transaction; `forms.py` claims a page's
once-only form. A page's POST runs the claim, the use case and the form's result inside
`uow.held()` (unit_of_work.py): one transaction, each use case's block a savepoint in it, so
the use cases stay the same functions the API and the CLI call.
"""
