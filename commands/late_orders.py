"""The backstop for the deadline race: reject orders that reached the log after closure.

The clock closes a cafe-day only after cutoff + grace, so this should never fire; a
manager's early close can still race an order in flight. The process follows the
notification log and, for each order event that comes after its cafe-day's
OrderingClosed, records Order.Rejected; the employee sees the order's status and reason.
"""

from __future__ import annotations

import json
import logging
import uuid

from commands.service import LunchService
from domain import events as ev
from domain.cafe import CafeState

log = logging.getLogger("lunch.late_orders")
POSITION = "late_orders"
REASON = "ordering had closed for this cafe and date before the order arrived"


def reject_late_orders(service: LunchService, *, batch: int = 1000) -> list[str]:
    """Process the log from the tracked position; ids of the orders rejected."""
    store = service.store
    rejected: list[str] = []
    while True:
        position = store.position(POSITION)
        records = store.read(position, batch)
        if not records:
            return rejected
        # Read after the batch, a cafe's state holds every closure logged before any order
        # in it (notification ids commit in order): one read per cafe serves the batch.
        cafes: dict[uuid.UUID, CafeState] = {}
        for record in records:
            event = record.event
            if not isinstance(event, ev.OrderPlaced | ev.OrderChanged):
                continue
            if event.cafe_id not in cafes:
                cafes[event.cafe_id] = service.cafe(event.cafe_id)
            if _is_late(service, cafes[event.cafe_id], record.notification_id, event):
                outcome = service.reject_order(event.order_id, REASON)
                if outcome.notification_id:
                    rejected.append(str(event.order_id))
                    log.warning(
                        json.dumps(
                            {
                                "event": "late_order_rejected",
                                "order_id": str(event.order_id),
                                "cafe_id": str(event.cafe_id),
                                "date": event.date.isoformat(),
                                "notification_id": record.notification_id,
                            }
                        )
                    )
        store.set_position(POSITION, records[-1].notification_id)


def _is_late(
    service: LunchService,
    cafe: CafeState,
    notification_id: int,
    event: ev.OrderPlaced | ev.OrderChanged,
) -> bool:
    if not cafe.is_closed(event.date):
        return False
    closures = service.store.of_type(event.cafe_id, "Cafe.OrderingClosed")
    return any(
        isinstance(c.event, ev.OrderingClosed)
        and c.event.date == event.date
        and c.notification_id < notification_id
        for c in closures
    )
