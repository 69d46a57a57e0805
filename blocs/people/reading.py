"""A list of accounts as read from a file: its columns, its rows and the problems of its cells
(``blocs.people.upload`` reads it; the preview shows it; the session keeps it between the
preview and the confirmation, as plain data: ``as_data`` / ``from_data``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from blocs.models import User
from blocs.people.services import NewPerson
from common.workbooks import fold_header

MAX_SHOWN = 60  # characters of a cell's value repeated in a problem
SHEET_NAME = gettext_noop("Tài khoản")

USERNAME = "username"
FULL_NAME = "full_name"
EMAIL = "email"
UNIT_CODE = "unit_code"
UNIT_NAME = "unit_name"
ROLE = "role"
JOB_TITLE = "job_title"

# Column key → its header in the template, then other spellings people use.
HEADERS: dict[str, tuple[str, ...]] = {
    USERNAME: (
        gettext_noop("Tên đăng nhập"),
        "Tài khoản",
        "Tên tài khoản",
        "username",
        "user name",
        "login",
    ),
    FULL_NAME: (gettext_noop("Họ và tên"), "Họ tên", "full name", "name"),
    EMAIL: (gettext_noop("Thư điện tử"), "Email", "E-mail", "Địa chỉ thư điện tử", "Thư"),
    UNIT_CODE: (gettext_noop("Mã đơn vị"), "Mã ĐV", "unit code"),
    UNIT_NAME: (gettext_noop("Tên đơn vị"), "Đơn vị", "unit", "unit name"),
    ROLE: (gettext_noop("Vai trò"), "role"),
    JOB_TITLE: (gettext_noop("Chức vụ"), "Chức danh", "job title"),
}
COLUMNS = list(HEADERS)
REQUIRED = (USERNAME, FULL_NAME, EMAIL)
BY_HEADER = {
    fold_header(spelling): key for key, spellings in HEADERS.items() for spelling in spellings
}


def header(key: str) -> str:
    """The column's name as the template writes it, in the page's language."""
    return _(HEADERS[key][0])


@dataclass(frozen=True)
class Cell:
    value: object
    formula: bool = False


@dataclass
class Problem:
    """One problem of the file: its row and cell when it has them, the value and the reason."""

    message: str
    row: int | None = None
    column: str = ""  # a column letter, as Excel shows it
    header: str = ""
    value: str = ""

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row}" if self.column and self.row else ""


@dataclass
class Row:
    """One account of the list as read, with the problems of its cells."""

    number: int
    username: str = ""
    full_name: str = ""
    email: str = ""
    unit_id: int | None = None
    unit_name: str = ""
    role: str = User.Role.FOCAL_POINT
    job_title: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(User.Role(self.role).label) if self.role in User.Role.values else ""

    def new_person(self) -> NewPerson:
        assert self.unit_id is not None
        return NewPerson(
            row=self.number,
            username=self.username,
            full_name=self.full_name,
            email=self.email,
            unit_id=self.unit_id,
            role=self.role,
            job_title=self.job_title,
        )


@dataclass
class Reading:
    """What a file holds: the rows, the problems of the file itself (no header row, a missing
    column, too many rows), and where each field's column is (for the problems found later)."""

    filename: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → column letter

    @property
    def accepted(self) -> list[Row]:
        return [row for row in self.rows if not row.problems]

    @property
    def refused(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def cell_problems(self) -> list[Problem]:
        """Every refused cell, row by row and left to right (A … Z, AA …)."""
        return sorted(
            (problem for row in self.rows for problem in row.problems),
            key=lambda problem: (problem.row or 0, len(problem.column), problem.column),
        )

    @property
    def can_confirm(self) -> bool:
        return not self.problems and bool(self.rows) and not self.refused

    def refuse(self, refused: Mapping[int, Mapping[str, str]]) -> None:
        """Problems the service found when it wrote (``{row: {field: problem}}``), at their
        cells."""
        for row in self.rows:
            for name, message in refused.get(row.number, {}).items():
                column = self.columns.get(name, "")
                row.problems.append(
                    Problem(
                        message,
                        row.number,
                        column,
                        field_header(name, self.columns),
                        field_value(row, name),
                    )
                )

    def as_data(self) -> dict[str, Any]:
        """Plain data for the session (JSON)."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Reading:
        return cls(
            filename=data["filename"],
            rows=[
                Row(**{**row, "problems": [Problem(**problem) for problem in row["problems"]]})
                for row in data["rows"]
            ],
            problems=[Problem(**problem) for problem in data["problems"]],
            columns=dict(data["columns"]),
        )


def shown(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def field_header(name: str, columns: Mapping[str, str]) -> str:
    if name == "unit":
        return header(UNIT_CODE) if UNIT_CODE in columns else header(UNIT_NAME)
    return header(name) if name in HEADERS else ""


def field_value(row: Row, name: str) -> str:
    value = {"unit": row.unit_name, "role": row.role_label}.get(name, getattr(row, name, ""))
    return shown(str(value or ""))
