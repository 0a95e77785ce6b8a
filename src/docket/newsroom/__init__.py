"""A newsroom server: several analysts, several cases, one PostgreSQL database.

``config`` (where the server's database and storage are), ``registry`` (the server's own
tables: cases, accounts, grants, sessions, the server log; versioned migrations),
``accounts`` (Argon2 passwords, lockout, sessions, roles), ``audit`` (each case's
hash-chained audit trail), ``transfer`` (``case push`` / ``case pull``), ``web`` (the
desk behind logins and roles: ``serve --server``)."""
