"""Reports for managers and auditors: a cafe-day sheet and a period, as JSON or CSV.

CSV is UTF-8 with a byte-order mark, so spreadsheets open Cyrillic names correctly, and
comes as a download with a filename.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.params import FromQuery, QueryParameter

from api.auditing import audit_log, moment
from api.context import Ctx
from api.guards import managers_and_auditors
from api.openapi import errors, sheet_spec
from api.schemas import check_date
from domain.errors import InvalidRequest, NotFound
from projections.audit.as_of import cafe_day_report_as_of
from projections.reads.report_csv import period_csv, sheet_csv
from projections.reads.results import CafeDaySheet, PeriodReport

MAX_PERIOD_DAYS = 366
CSV_TYPE = "text/csv"  # Litestar adds "; charset=utf-8"
Format = Literal["json", "csv"]


def csv_download(text: str, filename: str, readable_name: str | None = None) -> Response[bytes]:
    """A CSV attachment: ASCII ``filename`` for every client, ``readable_name`` (UTF-8,
    RFC 6266) for those that understand it."""
    disposition = f'attachment; filename="{filename}"'
    if readable_name:
        disposition += f"; filename*=UTF-8''{quote(readable_name, safe='')}"
    return Response(
        text.encode("utf-8-sig"),
        media_type=CSV_TYPE,
        headers={"Content-Disposition": disposition},
    )


@get(
    "/reports/cafe-day",
    guards=[managers_and_auditors],
    tags=["reports"],
    responses={200: sheet_spec(CafeDaySheet), **errors(400, 401, 403, 404, 429, 503)},
)
async def cafe_day_report(
    ctx: Ctx,
    request: Request[Any, Any, Any],
    cafe_id: FromQuery[uuid.UUID],
    date: FromQuery[dt.date],
    as_of: FromQuery[dt.datetime | None] = None,
    format: FromQuery[Format] = "json",  # noqa: A002 - the contract's parameter name
) -> Response[Any]:
    """The cafe-day's orders: counts per dish and extra, one line per person, totals.

    With ``as_of`` the sheet is replayed from that cafe-day's events in the event store, as
    it stood at that moment.
    """
    check_date(date)
    at = moment(as_of)
    sheet: CafeDaySheet | None
    if at is None:
        sheet = await ctx.run(ctx.queries.cafe_day_sheet, cafe_id, date, as_of=ctx.now())
    else:
        log, pool = audit_log(request.app), ctx.queries.pool
        sheet = await ctx.run(lambda: cafe_day_report_as_of(pool, log.ready(), cafe_id, date, at))
    if sheet is None:
        raise NotFound("no such cafe", cafe_id=str(cafe_id))
    if format == "csv":
        name = f"cafe-day-{date.isoformat()}-{str(cafe_id)[:8]}.csv"
        readable = f"{sheet.cafe_name} {date.isoformat()}.csv" if sheet.cafe_name else None
        return csv_download(sheet_csv(sheet), name, readable)
    return Response(sheet)


@get(
    "/reports/period",
    guards=[managers_and_auditors],
    tags=["reports"],
    responses={200: sheet_spec(PeriodReport), **errors(400, 401, 403, 429, 503)},
)
async def period_report(
    ctx: Ctx,
    date_from: Annotated[dt.date, QueryParameter(name="from")],
    date_to: Annotated[
        dt.date,
        QueryParameter(
            name="to",
            description=f"Not before `from`, and less than {MAX_PERIOD_DAYS} days after it",
        ),
    ],
    format: FromQuery[Format] = "json",  # noqa: A002 - the contract's parameter name
) -> Response[Any]:
    """Per cafe per day, and per employee: placed orders and their totals (dates inclusive)."""
    check_date(date_from, "from")
    check_date(date_to, "to")
    if date_to < date_from:
        raise InvalidRequest("`to` is before `from`", field="to")
    if (date_to - date_from).days >= MAX_PERIOD_DAYS:
        raise InvalidRequest(f"the period may span at most {MAX_PERIOD_DAYS} days", field="to")
    report: PeriodReport = await ctx.run(ctx.queries.period_report, date_from, date_to)
    if format == "csv":
        name = f"period-{date_from.isoformat()}-{date_to.isoformat()}.csv"
        return csv_download(period_csv(report), name)
    return Response(report)
