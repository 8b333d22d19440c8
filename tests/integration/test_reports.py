"""Cafe-day sheets, reports, employee stats, link requests and dispatches from real events."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from psycopg_pool import ConnectionPool

from commands.late_orders import reject_late_orders
from commands.service import LunchService
from commands.store import EventStore
from domain import events as ev
from domain.ids import employee_id, link_request_id, order_id
from projections.engine.handling import Outcome
from projections.engine.rebuild import rebuild
from projections.engine.status import projection_status
from projections.models import dispatches, links, sheets
from projections.reads.queries import Queries
from projections.reads.report_csv import SHEET_HEADER, period_csv, sheet_csv
from tests.integration.history import (
    DAY,
    MANAGER,
    Appendable,
    Cafe,
    History,
    cancel,
    hire,
    open_cafe,
    place,
)
from tests.integration.read_side import deliver, dump

NEXT_DAY = DAY + dt.timedelta(days=1)
NEW = (sheets.projection, links.projection, dispatches.projection)


class Office:
    """Blini and Pho; Anna, Boris and Vera order from Blini on DAY, Gleb from Pho; Vera
    cancels; Blini closes for DAY; Anna also orders from Pho and Blini on later days."""

    def __init__(self) -> None:
        self.h = History()
        self.blini, self.pho = Cafe("Blini"), Cafe("Pho")
        h = self.h
        self.events: list[Appendable] = [*open_cafe(h, self.blini), *open_cafe(h, self.pho)]
        self.events += [hire(h, 2001, "Anna"), hire(h, 2002, "Boris"), hire(h, 2003, "Vera")]
        self.events.append(hire(h, 2004, "Gleb"))
        self.events.append(
            h(
                employee_id(2001),
                ev.MonthlyLimitSet(at=h.tick(), actor=MANAGER, tg_id=2001, monthly_limit=500000),
            )
        )
        self.events.append(place(h, self.blini, 2001, extras=1, note="=cmd|' /C calc'!A0"))
        self.events.append(place(h, self.blini, 2002, extras=2))
        self.events.append(place(h, self.blini, 2003))
        self.cancelled = cancel(h, self.blini, 2003)
        self.events.append(self.cancelled)
        self.events.append(place(h, self.pho, 2004))
        self.events.append(place(h, self.pho, 2001, date=NEXT_DAY))
        self.events.append(place(h, self.blini, 2001, date=DAY + dt.timedelta(days=2)))
        self.closure = self.cafe_event(
            self.blini,
            ev.OrderingClosed(at=h.tick(), actor=ev.SYSTEM, cafe_id=self.blini.id, date=DAY),
        )
        self.events.append(self.closure)

    def cafe_event(self, cafe: Cafe, event: ev.Event) -> Appendable:
        return self.h(cafe.id, event)

    def late_order(self, tg_id: int = 2005) -> list[Appendable]:
        """Someone hired now, whose order for the closed cafe-day reaches the log after it."""
        return [hire(self.h, tg_id, "Dina"), place(self.h, self.blini, tg_id)]


def _deliver_all(store: EventStore, pool: ConnectionPool, after: int = 0) -> list[Outcome]:
    return deliver(pool, store.read(after, 10_000))


def test_cafe_day_sheet_counts_totals_and_lines(store: EventStore, pool: ConnectionPool) -> None:
    """Placed orders of the cafe-day are counted per dish, extra and combo, with one line per
    person (name and office); the cancelled one is left out; the closure shows."""
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)

    sheet = Queries(pool).cafe_day_sheet(office.blini.id, DAY)

    assert sheet is not None
    assert (sheet.cafe_name, sheet.currency, sheet.closed, sheet.early) == (
        "Blini",
        "RUB",
        True,
        False,
    )
    assert sheet.closed_at == office.closure[2].at
    assert (sheet.orders_count, sheet.total) == (2, 47000 + 49000)
    assert [(d.category, d.name, d.count) for d in sheet.dishes] == [
        ("main", "Blini main", 2),
        ("soup", "Blini soup", 2),
    ]
    assert [(x.name, x.qty, x.total) for x in sheet.extras] == [("Bread", 3, 6000)]
    assert [(c.name, c.count) for c in sheet.combos] == [("Soup and main", 2)]
    assert [(line.name, line.office, line.extras, line.total) for line in sheet.orders] == [
        ("Anna", "HQ", ("Bread",), 47000),
        ("Boris", "HQ", ("Bread ×2",), 49000),
    ]
    assert sheet.orders[0].dishes == ("Blini soup", "Blini main")
    assert sheet.late == ()
    assert sheet.dispatch_status is None
    assert Queries(pool).cafe_day_sheet(uuid.uuid4(), DAY) is None


def test_sheet_as_csv_has_one_row_per_order(store: EventStore, pool: ConnectionPool) -> None:
    """The CSV has a header and one row per counted order; a formula-like note is defused."""
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)
    sheet = Queries(pool).cafe_day_sheet(office.blini.id, DAY)
    assert sheet is not None

    rows = list(csv.DictReader(io.StringIO(sheet_csv(sheet))))

    assert list(rows[0]) == list(SHEET_HEADER)
    assert [(r["name"], r["total"], r["total_formatted"]) for r in rows] == [
        ("Anna", "47000", "470.00 RUB"),
        ("Boris", "49000", "490.00 RUB"),
    ]
    assert rows[0]["note"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["dishes"] == "Blini soup; Blini main"
    assert rows[1]["extras"] == "Bread ×2"


def test_period_report_sums_cafe_days_and_employees(
    store: EventStore, pool: ConnectionPool
) -> None:
    """Per cafe per day and per employee, the period report sums placed, on-time orders."""
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)

    report = Queries(pool).period_report(DAY, NEXT_DAY)

    assert [(c.cafe_name, c.date, c.orders_count, c.total) for c in report.cafes] == [
        ("Blini", DAY, 2, 96000),
        ("Pho", DAY, 1, 45000),
        ("Pho", NEXT_DAY, 1, 45000),
    ]
    assert [(p.name, p.orders_count, p.total) for p in report.employees] == [
        ("Anna", 2, 92000),
        ("Boris", 1, 49000),
        ("Gleb", 1, 45000),
    ]
    assert (report.orders_count, report.totals) == (4, {"RUB": 186000})
    rows = list(csv.DictReader(io.StringIO(period_csv(report))))
    assert [r["section"] for r in rows] == ["cafe_day"] * 3 + ["employee"] * 3
    assert sum(int(r["total"]) for r in rows if r["section"] == "employee") == 186000


def test_late_order_is_flagged_rejected_and_not_counted(
    store: EventStore, pool: ConnectionPool
) -> None:
    """An order after its cafe-day's closure is flagged late and left out of the counts; the
    late-order process rejects it and the sheet shows it rejected with the reason."""
    office = Office()
    store.append(office.events)
    store.append(office.late_order())
    _deliver_all(store, pool)
    q = Queries(pool)

    flagged = q.cafe_day_sheet(office.blini.id, DAY)
    assert flagged is not None
    assert [(line.name, line.status, line.late) for line in flagged.late] == [
        ("Dina", "placed", True)
    ]
    assert (flagged.orders_count, flagged.total) == (2, 96000)

    head = store.head()
    service = LunchService(store)
    assert reject_late_orders(service) == [str(order_id(2005, DAY))]
    _deliver_all(store, pool, head)

    sheet = q.cafe_day_sheet(office.blini.id, DAY)
    assert sheet is not None
    [late] = sheet.late
    assert (late.status, late.late) == ("rejected", True)
    assert late.reason is not None
    assert "closed" in late.reason
    assert (sheet.orders_count, sheet.total) == (2, 96000)
    order = q.order(order_id(2005, DAY))
    assert order is not None
    assert order.status == "rejected"
    assert q.period_report(DAY, DAY).orders_count == 3


def test_sheet_as_of_replays_the_store(store: EventStore, pool: ConnectionPool) -> None:
    """As of a moment, the sheet is what the events up to then made it: before the closure
    it is open, before the cancellation the cancelled order still counts."""
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)
    q = Queries(pool)
    second = dt.timedelta(seconds=1)

    before_cancel = q.cafe_day_sheet_as_of(
        office.blini.id, DAY, office.cancelled[2].at - second, store.read
    )
    before_close = q.cafe_day_sheet_as_of(
        office.blini.id, DAY, office.closure[2].at - second, store.read
    )
    now = q.cafe_day_sheet_as_of(
        office.blini.id, DAY, office.closure[2].at + dt.timedelta(days=1), store.read
    )
    before_anything = q.cafe_day_sheet_as_of(
        office.blini.id, DAY, dt.datetime(2020, 1, 1, tzinfo=dt.UTC), store.read
    )

    assert before_cancel is not None
    assert [line.name for line in before_cancel.orders] == ["Anna", "Boris", "Vera"]
    assert before_cancel.total == 47000 + 49000 + 45000
    assert before_close is not None
    assert (before_close.closed, before_close.orders_count) == (False, 2)
    live = q.cafe_day_sheet(office.blini.id, DAY, as_of=now.as_of if now else None)
    assert now == live
    assert before_anything is None
    with pytest.raises(ValueError, match="timezone"):
        q.cafe_day_sheet_as_of(office.blini.id, DAY, dt.datetime(2026, 11, 23), store.read)


def test_employee_stats_against_the_monthly_limit(store: EventStore, pool: ConnectionPool) -> None:
    """This month's placed orders and spend against the limit, and the favourite dishes."""
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)
    q = Queries(pool)
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))

    anna = q.employee_stats(2001, *november)
    vera = q.employee_stats(2003, *november)

    assert (anna.orders, anna.spent, anna.monthly_limit) == (3, 47000 + 45000 + 45000, 500000)
    assert anna.remaining == 500000 - 137000
    assert [(d.name, d.count) for d in anna.favourite_dishes[:2]] == [
        ("Blini main", 2),
        ("Blini soup", 2),
    ]
    assert (vera.orders, vera.spent, vera.monthly_limit, vera.remaining) == (0, 0, None, None)
    assert q.employee_stats(2001, dt.date(2026, 12, 1), dt.date(2026, 12, 31)).spent == 0


def _link_events(office: Office) -> list[Appendable]:
    h = office.h
    first, second = link_request_id(-100), link_request_id(-200)
    return [
        h(first, ev.LinkRequested(at=h.tick(), actor="77", request_id=first, chat_id=-100,
                                  chat_title="Blini kitchen", requested_by=77)),
        h(second, ev.LinkRequested(at=h.tick(), actor="78", request_id=second, chat_id=-200,
                                   chat_title="Spam", requested_by=78)),
        h(first, ev.LinkApproved(at=h.tick(), actor=MANAGER, request_id=first, chat_id=-100,
                                 cafe_id=office.blini.id)),
        h(second, ev.LinkRejected(at=h.tick(), actor=MANAGER, request_id=second, chat_id=-200,
                                  reason="unknown chat")),
    ]  # fmt: skip


def _dispatch_events(office: Office) -> list[Appendable]:
    h, cafe = office.h, office.blini.id
    return [
        office.cafe_event(office.blini, ev.DispatchFailed(
            at=h.tick(), actor=ev.SYSTEM, cafe_id=cafe, date=DAY, error="429", text="<b>1</b>")),
        office.cafe_event(office.blini, ev.DispatchSent(
            at=h.tick(), actor=ev.SYSTEM, cafe_id=cafe, date=DAY, chat_id=-100,
            message_ids=(5, 6), text="<b>1</b>")),
        office.cafe_event(office.blini, ev.DispatchAcknowledged(
            at=h.tick(), actor="77", cafe_id=cafe, date=DAY)),
    ]  # fmt: skip


def test_link_requests_and_dispatch_log(store: EventStore, pool: ConnectionPool) -> None:
    """Link requests by status; a chat asking again after a rejection is pending again; the
    dispatch log lists attempts newest first and the sheet shows the acknowledgement."""
    office = Office()
    store.append(office.events + _link_events(office) + _dispatch_events(office))
    _deliver_all(store, pool)
    q = Queries(pool)

    assert [r.chat_title for r in q.link_requests()] == ["Spam", "Blini kitchen"]
    [approved] = q.link_requests("approved")
    assert (approved.chat_id, approved.cafe_id, approved.requested_by) == (
        -100,
        office.blini.id,
        77,
    )
    [rejected] = q.link_requests("rejected")
    assert rejected.reason == "unknown chat"
    assert q.link_requests("pending") == []

    again = link_request_id(-200)
    h = office.h
    [nid] = store.append([h(again, ev.LinkRequested(
        at=h.tick(), actor="78", request_id=again, chat_id=-200, chat_title="Spam 2",
        requested_by=78))])  # fmt: skip
    _deliver_all(store, pool, nid - 1)
    [pending] = q.link_requests("pending")
    assert (pending.chat_title, pending.reason, pending.cafe_id) == ("Spam 2", None, None)

    log = q.dispatches(office.blini.id, DAY)
    assert [(d.status, d.error, d.message_ids) for d in log] == [
        ("acknowledged", None, (5, 6)),
        ("failed", "429", ()),
    ]
    assert log[0].acknowledged_at is not None
    assert q.dispatches(office.blini.id) == log
    assert q.dispatches(office.pho.id, DAY) == []
    sheet = q.cafe_day_sheet(office.blini.id, DAY)
    assert sheet is not None
    assert (sheet.dispatch_status, sheet.acknowledged_at) == (
        "acknowledged",
        log[0].acknowledged_at,
    )


def test_rebuild_of_the_new_read_models_equals_live(
    store: EventStore, pool: ConnectionPool
) -> None:
    """Sheets, link requests and dispatches rebuilt from the store equal the live ones,
    late orders and rejections included; redelivery afterwards changes nothing."""
    office = Office()
    store.append(office.events + office.late_order())
    store.append(_link_events(office) + _dispatch_events(office))
    reject_late_orders(LunchService(store))
    recorded = store.read(0, 10_000)
    deliver(pool, recorded)
    live = dump(pool, NEW)

    result = rebuild(pool, NEW, read_batch=store.read, batch_size=5, show_progress=False)

    assert result.parked == 0
    assert dump(pool, NEW) == live
    assert set(deliver(pool, recorded, NEW)) <= {Outcome.SKIPPED, Outcome.IGNORED}
    assert dump(pool, NEW) == live


def test_status_shows_lag_in_events_and_seconds(store: EventStore, pool: ConnectionPool) -> None:
    """Events a projection has not reached count as lag, with the age of the oldest one."""
    office = Office()
    store.append(office.events)
    _deliver_all(store, pool)
    head = store.head()
    store.append(office.late_order())
    waiting = store.read(head, 1)[0].event.at

    def first_after(position: int) -> dt.datetime | None:
        found = store.read(position, 1)
        return found[0].event.at if found else None

    now = waiting + dt.timedelta(seconds=90)
    lags = {
        s.projection: s
        for s in projection_status(pool, store.head(), first_after=first_after, now=now)
    }

    assert lags["sheets"].lag == 2
    assert lags["sheets"].seconds == 90.0
    assert {s.seconds for s in lags.values()} == {90.0}
    _deliver_all(store, pool, head)
    caught_up = projection_status(pool, store.head(), first_after=first_after, now=now)
    assert {s.projection: s.seconds for s in caught_up}["sheets"] == 0.0
