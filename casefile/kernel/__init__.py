"""The kernel: settings, errors, the records that travel between stages, and text helpers.

It imports no other first-party module; every stage (ingest, vectorstore, assistant) and
the shell (CLI, web, evaluation, bench) import it.
"""
