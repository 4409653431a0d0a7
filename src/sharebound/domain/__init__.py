"""The domain: Sharebound's model and its two rules, in pure Python.

Nothing here does I/O, reads a clock or imports a framework: time is always a
parameter, and every function answers from the values it is given. The entities with
behaviour live here (repositories import them), and so do the typed events (events/).
"""
