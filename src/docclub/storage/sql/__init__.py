"""The club's SQL, written once for every backend, in the same parts as the store port.

Backends provide a `Conn` (placeholders are `?`; a backend translates them) and run each
`SqlTx` inside one transaction. `rows` holds how values are kept in rows (times as integer
milliseconds, lists as JSON text, booleans as integers), so the same statements run on SQLite
and PostgreSQL; each other module is one part of the transaction (`tx.films`, `tx.polls`, …),
and `tx` composes them.
"""

from docclub.storage.sql.films import TITLE_CANDIDATES
from docclub.storage.sql.reminders import SqlReminders
from docclub.storage.sql.rows import Conn, Row, dt, ts
from docclub.storage.sql.tx import SqlTx

__all__ = ["TITLE_CANDIDATES", "Conn", "Row", "SqlReminders", "SqlTx", "dt", "ts"]
