"""The SELECTs both read APIs share (projections.reads.queries, .async_reads)."""

CAFE = """SELECT cafe_id AS id, name, timezone, currency, active, chat_id IS NOT NULL AS linked,
    chat_id, weekdays, cutoff, holidays, dishes, extras, combos FROM read.menus"""
SCHEDULE = "SELECT cafe_id AS id, timezone, active, weekdays, cutoff, holidays FROM read.menus"
ORDER = """SELECT order_id AS id, tg_id, cafe_id, cafe_name, date, combo_id, combo_name, dishes,
    extras, total, currency, note, status, placed_at, updated_at, editable_until FROM read.orders"""
EMPLOYEE = "SELECT tg_id, name, office, role, active, monthly_limit FROM read.employees"
LINK = """SELECT id, chat_id, chat_title, requested_by, requested_at, status, cafe_id, reason,
    decided_at FROM read.link_requests"""
DISPATCH = """SELECT date, status, sent_at, acknowledged_at, text, error, chat_id, message_ids
    FROM read.dispatches"""
ORDERS_OF = f"""{ORDER} WHERE tg_id = %(tg_id)s
    AND (%(from)s::date IS NULL OR date >= %(from)s)
    AND (%(to)s::date IS NULL OR date <= %(to)s)
    ORDER BY date DESC, placed_at DESC"""
IS_CLOSED = "SELECT 1 FROM read.menu_closures WHERE cafe_id = %s AND date = %s"
APPLIED = "SELECT notification_id FROM read.tracking WHERE projection = %s AND key = %s"
ONE_CAFE = f"{CAFE} WHERE cafe_id = %s"
ONE_ORDER = f"{ORDER} WHERE order_id = %s"
ONE_EMPLOYEE = f"{EMPLOYEE} WHERE tg_id = %s"
POSITION = "SELECT max(notification_id) FROM read.tracking WHERE projection = %s"
POSITIONS = "SELECT key, notification_id FROM read.tracking WHERE projection = %s"
# The caller's orders with the orders projection's positions, in one statement: one
# snapshot, so the rows are exactly as of those positions (a row with no order when none).
# Built from the constants above only.
ORDERS_OF_AT = f"""WITH applied AS (SELECT array_agg(key) AS applied_keys,
    array_agg(notification_id) AS applied_ids FROM read.tracking WHERE projection = 'orders')
    SELECT applied.*, o.* FROM applied LEFT JOIN ({ORDERS_OF}) o ON true
    ORDER BY o.date DESC, o.placed_at DESC"""  # noqa: S608
# Whose orders changed at each cafe after a notification id there (the rows of the two
# arrays): per cafe one range of the (cafe_id, notification_id) index, then per employee
# the newest change. OFFSET 0 keeps the subquery a per-cafe lookup instead of a join the
# planner may run as a scan of the whole table (see commands.store.postgres.load_many).
CHANGED_SINCE = """SELECT c.tg_id, m.cafe_id::text, max(c.notification_id)
    FROM unnest(%s::uuid[], %s::bigint[]) AS m(cafe_id, since),
    LATERAL (SELECT o.tg_id, o.notification_id FROM read.orders o
        WHERE o.cafe_id = m.cafe_id AND o.notification_id > m.since OFFSET 0) c
    GROUP BY c.tg_id, m.cafe_id LIMIT %s"""
