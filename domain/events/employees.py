"""Employee events (aggregate id: employee_id(tg_id))."""

from __future__ import annotations

from domain.events.base import Event

# --- Employee (aggregate id: employee_id(tg_id)) ---------------------------------------


class EmployeeRegistered(Event, frozen=True, tag="Employee.Registered"):
    tg_id: int
    name: str
    office: str
    role: str = "employee"
    monthly_limit: int | None = None


class EmployeeUpdated(Event, frozen=True, tag="Employee.Updated"):
    """New name, office and role (all three, as they now stand)."""

    tg_id: int
    name: str
    office: str
    role: str


class EmployeeDeactivated(Event, frozen=True, tag="Employee.Deactivated"):
    tg_id: int


class EmployeeActivated(Event, frozen=True, tag="Employee.Activated"):
    tg_id: int


class MonthlyLimitSet(Event, frozen=True, tag="Employee.MonthlyLimitSet"):
    tg_id: int
    monthly_limit: int | None
