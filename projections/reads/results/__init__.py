"""What queries return: Structs named like the contract's JSON, ready to serialise."""

from __future__ import annotations

from projections.reads.results.office import (
    CafeSchedule,
    CafeView,
    DispatchStatus,
    DispatchView,
    EmployeeView,
    LinkRequestView,
    LinkStatus,
    OrderStatus,
    OrderView,
)
from projections.reads.results.sheets import (
    CafeDaySheet,
    CafeDayTotal,
    ComboCount,
    DishCount,
    EmployeeSpend,
    ExtraCount,
    PeriodReport,
    SheetLine,
)
from projections.reads.results.stats import (
    EmployeeStats,
    FavouriteDish,
    Spending,
)

__all__ = [
    "CafeDaySheet",
    "CafeDayTotal",
    "CafeSchedule",
    "CafeView",
    "ComboCount",
    "DishCount",
    "DispatchStatus",
    "DispatchView",
    "EmployeeSpend",
    "EmployeeStats",
    "EmployeeView",
    "ExtraCount",
    "FavouriteDish",
    "LinkRequestView",
    "LinkStatus",
    "OrderStatus",
    "OrderView",
    "PeriodReport",
    "SheetLine",
    "Spending",
]
