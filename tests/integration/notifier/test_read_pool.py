"""The notifier reads the read models on an autocommit pool of its own."""

from __future__ import annotations

import uuid

from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool

from notifier.read_side import ReadSide, read_pool
from projections.reads.queries import Queries


def test_reads_leave_no_transaction_open(database_url: str, pool: ConnectionPool) -> None:
    """A read leaves its connection outside any transaction: nothing holds a snapshot or
    a lock between reads, and no BEGIN or COMMIT is paid for."""
    with read_pool(database_url, 2) as reads:
        side = ReadSide(Queries(reads))
        assert side.sheet_position(uuid.uuid4()) == 0
        with reads.connection() as conn:
            conn.execute("SELECT count(*) FROM read.tracking").fetchone()
            assert conn.info.transaction_status is TransactionStatus.IDLE
