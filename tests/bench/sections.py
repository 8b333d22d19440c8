"""The tables of B1, B2, B5, B6 and B7, each with its goals judged on figures of one run."""

from __future__ import annotations

from tests.bench.load import Load
from tests.bench.report import goal, publish, table

LOAD_HEADER = ["path", "rate", "p50", "p99"]
MERGED = (
    "Each load first runs once for a few seconds, not counted (warm-up: 3 s for writes, 5 s"
    " for reads), once the stack is quiet. p50: the median of the turns' p50; p99: the"
    " highest turn's p99."
)


def write_b1(orders: Load, raw: Load, crud: Load, workers: int, seconds: int) -> None:
    rows = [
        ["`POST /api/orders` (event-sourced)", *orders.cells()],
        ["raw single-row INSERT transactions (pgbench)", *raw.cells()],
        ["minimal CRUD route, same app server (`tests/bench/crud_app.py`)", *crud.cells()],
    ]
    vs_raw = orders.rate / raw.rate if raw.rate else 0.0
    vs_crud = orders.rate / crud.rate if crud.rate else 0.0
    goals = [
        ["≥ 1,000 orders/s", f"{orders.rate:,.0f}/s", goal(orders.rate >= 1000)],
        ["p99 < 100 ms", f"{orders.p99_ms:.0f} ms", goal(orders.p99_ms < 100)],
        ["≥ 0.8 × CRUD route", f"{vs_crud:.2f}", goal(vs_crud >= 0.8)],
    ]
    body = (
        f"32 concurrent clients (wrk; pgbench for the INSERTs), {seconds} s each, taken in"
        f" alternating turns so the shared machine weighs on all alike; api with {workers}"
        " worker(s); every order is a distinct (employee, date); the same PostgreSQL for all"
        f" three rows. {MERGED}\n\n"
        f"{table(LOAD_HEADER, rows)}\n\nRatios: orders / raw INSERT = {vs_raw:.2f}; orders /"
        f" CRUD route = {vs_crud:.2f}.\n\n{table(['goal', 'measured', 'verdict'], goals)}"
    )
    publish("B1", "write", body)


def write_b2(rate: float, p50: float, p99: float, seen: int, unseen: int) -> None:
    goals = [["p99 < 250 ms", f"{p99:.0f} ms", goal(p99 < 250)]]
    rows = [[f"{rate:,.0f} orders/s", f"{p50:.0f} ms", f"{p99:.0f} ms", str(seen), str(unseen)]]
    body = (
        "From an `Order.Placed` event becoming visible in the event store to its row in"
        " `read.orders` (my orders), both seen by one poller every 4 ms, while orders are"
        " placed at about half of B1's rate.\n\n"
        + table(["placing rate", "p50", "p99", "orders seen", "not seen within 10 s"], rows)
        + "\n\n"
        + table(["goal", "measured", "verdict"], goals)
    )
    publish("B2", "freshness", body)


def write_b5(
    results: dict[str, Load], seconds: int, placed: Load, placers: int, delay_ms: float
) -> None:
    static = results["static"]
    rows, goals = [], []
    names = {
        "menu": "`GET /api/cafes/{id}/menu`",
        "mine": "`GET /api/orders/mine`",
        "static": "`GET /schema/openapi.json` (static)",
        "health": "`GET /health`",
        "rush": f"`GET /api/orders/mine` while {placed.rate:,.0f} orders/s are placed",
    }
    for key, load in results.items():
        ratio = load.rate / static.rate if static.rate else 0.0
        rows.append([names[key], *load.cells(), f"{ratio:.2f}"])
        if key in ("menu", "mine"):
            goals += [
                [f"{key}: ≥ 3,000 req/s", f"{load.rate:,.0f}/s", goal(load.rate >= 3000)],
                [f"{key}: p99 < 50 ms", f"{load.p99_ms:.0f} ms", goal(load.p99_ms < 50)],
                [f"{key}: ≥ 0.5 × static", f"{ratio:.2f}", goal(ratio >= 0.5)],
            ]
    body = (
        f"32 concurrent clients (wrk), {seconds} s per path in alternating turns, tokens of"
        f" many employees. {MERGED} The last row reads my orders while {placers} more clients"
        f" place orders, each waiting {delay_ms:.0f} ms between two (placements: p50"
        f" {placed.p50_ms:.0f} ms, p99 {placed.p99_ms:.0f} ms), as in the minutes before a"
        " deadline: every placement moves the orders projection, and each api worker drops"
        " the copies of the employees whose orders changed.\n\n"
        + table([*LOAD_HEADER, "× static"], rows)
        + "\n\n"
        + table(["goal", "measured", "verdict"], goals)
    )
    publish("B5", "read", body)


def write_b6(state: str, gz_bytes: int = 0, files: int = 0, render_ms: float = 0.0) -> None:
    if state != "built":
        publish("B6", "Mini App", f"Not measured: {state}.")
        return
    rows = [[f"{gz_bytes / 1024:.1f} KB gz in {files} files", f"{render_ms:.0f} ms"]]
    goals = [["first screen ≤ 30 KB gz", f"{gz_bytes / 1024:.1f} KB", goal(gz_bytes <= 30720)]]
    body = (
        "The employee's first screen: `index.html` and the assets it loads at once, gzipped;"
        " first contentful paint of `/` from `lunch run` in headless Chromium.\n\n"
        + table(["first screen", "first contentful paint"], rows)
        + "\n\n"
        + table(["goal", "measured", "verdict"], goals)
    )
    publish("B6", "Mini App", body)


def write_b7(rows: list[list[str]]) -> None:
    body = (
        "Resident set size (RSS) of every process of `lunch run`, grouped by what it runs; idle"
        " after start, and the highest sample (every second) during B1's turns. PostgreSQL's"
        " processes each count the shared buffers they touched, so their sum overstates its"
        " use.\n\n" + table(["process", "count", "idle", "under B1"], rows)
    )
    publish("B7", "memory", body)
