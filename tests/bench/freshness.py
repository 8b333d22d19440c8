"""B2: from an order's commit to its row in the my-orders read model, seen by one poller.

The poller watches the event store for new ``Order.Placed`` events (commit time: when the
event first becomes visible) and the read model for their rows (visible time), every few
milliseconds on one connection, so both ends are measured the same way.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid

import psycopg

POLL_SECONDS = 0.004
_NEW = """SELECT notification_id, originator_id FROM stored_events
WHERE notification_id > %s AND topic = 'Order.Placed' ORDER BY notification_id"""
_SEEN = "SELECT order_id FROM read.orders WHERE order_id = ANY(%s)"


class FreshnessPoller:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.lags: list[float] = []
        self.unseen = 0
        self._pending: dict[uuid.UUID, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            head = conn.execute("SELECT coalesce(max(notification_id), 0) FROM stored_events")
            position = int(head.fetchone()[0])  # type: ignore[index]
            draining_until: float | None = None
            while True:
                now = time.monotonic()
                for nid, order_id in conn.execute(_NEW, (position,)).fetchall():
                    position = max(position, nid)
                    self._pending.setdefault(order_id, now)
                if self._pending:
                    ids = list(self._pending)
                    for (order_id,) in conn.execute(_SEEN, (ids,)).fetchall():
                        self.lags.append(now - self._pending.pop(order_id))
                if self._stop.is_set():
                    # After the load: give the projector a few seconds to finish what it has.
                    draining_until = draining_until or now + 10.0
                    if not self._pending or now > draining_until:
                        break
                time.sleep(POLL_SECONDS)
            self.unseen = len(self._pending)

    def __enter__(self) -> FreshnessPoller:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def percentile_ms(self, q: int) -> float:
        if len(self.lags) < 2:
            return self.lags[0] * 1000 if self.lags else float("nan")
        return statistics.quantiles(self.lags, n=100, method="inclusive")[q - 1] * 1000
