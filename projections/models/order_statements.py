"""The orders projection's SQL: the upsert of one order, and the statements that apply a
wave of distinct orders at once (projections.models.orders)."""

from __future__ import annotations

from projections.models.order_waves import json_rows, placed_at_rule


def _conflict(placed: str) -> str:
    """What a placement or a change does to an existing row, in the per-event and the batch
    upsert alike; ``placed`` is the parameter saying which of the two it is."""
    return """ON CONFLICT (order_id) DO UPDATE SET
    tg_id = EXCLUDED.tg_id, cafe_id = EXCLUDED.cafe_id, cafe_name = EXCLUDED.cafe_name,
    date = EXCLUDED.date, combo_id = EXCLUDED.combo_id, combo_name = EXCLUDED.combo_name,
    combo_price = EXCLUDED.combo_price, dishes = EXCLUDED.dishes, extras = EXCLUDED.extras,
    total = EXCLUDED.total, currency = EXCLUDED.currency, note = EXCLUDED.note,
    status = 'placed', reason = NULL, updated_at = EXCLUDED.updated_at,
    editable_until = EXCLUDED.editable_until, notification_id = EXCLUDED.notification_id,
    """ + placed_at_rule(placed)


UPSERT = """
INSERT INTO read.orders AS o (order_id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name,
    combo_price, dishes, extras, total, currency, note, status, reason, placed_at, updated_at,
    editable_until, notification_id)
VALUES (%(order_id)s, %(tg_id)s, %(cafe_id)s, %(cafe_name)s, %(date)s, %(combo_id)s,
    %(combo_name)s, %(combo_price)s, %(dishes)s, %(extras)s, %(total)s, %(currency)s, %(note)s,
    'placed', NULL, %(at)s, %(at)s, %(editable_until)s, %(notification_id)s)
""" + _conflict("%(placed)s")


# The same upsert for many orders at once (distinct ids), the rows given as JSON
# (orders._rows).
UPSERT_MANY = (
    """
INSERT INTO read.orders AS o (order_id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name,
    combo_price, dishes, extras, total, currency, note, status, reason, placed_at, updated_at,
    editable_until, notification_id)
SELECT order_id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name, combo_price,
    dishes, extras, total, currency, note, 'placed', NULL, at, at, editable_until,
    notification_id
FROM """
    + json_rows(
        "order_id uuid, tg_id bigint, cafe_id uuid, cafe_name text, date date, combo_id uuid,"
        " combo_name text, combo_price bigint, dishes jsonb, extras jsonb, total bigint,"
        " currency text, note text, at timestamptz, editable_until timestamptz,"
        " notification_id bigint"
    )
    + """ AS u
"""
    + _conflict("%s::boolean")
)

# Cancellations of many orders at once (distinct ids), the rows (order_id, at,
# notification_id) as JSON.
CANCEL_MANY = (
    """
UPDATE read.orders o SET status = 'cancelled', updated_at = u.at,
    notification_id = u.notification_id
FROM """
    + json_rows("order_id uuid, at timestamptz, notification_id bigint")
    + " AS u WHERE o.order_id = u.order_id"
)
