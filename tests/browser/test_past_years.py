"""A past year from Excel in a browser: a 2016 workbook without head and deputy uploaded by the
council admin, the year's page that says what the file left out, and its ballot page that says
no rule set judges 2016. Screenshots: past-year-*.png."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from awards.models import RuleSet
from blocs.models import BlocYear
from demo.organisation import DEMO_PASSWORD, load_organisation
from tests.browser.conftest import log_in, screenshot
from tests.factories import RuleSetFactory
from tests.scoring.test_import import EXAMPLE

pytestmark = pytest.mark.browser


def _example_of_2016_without_leadership() -> bytes:
    book = openpyxl.load_workbook(EXAMPLE)
    info = book["Thông tin"]
    for row in info.iter_rows():
        if row[0].value in ("Trưởng khối", "Khối phó"):
            row[1].value = None
        elif row[0].value == "Năm":
            row[1].value = 2016
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_past_year_without_head_and_deputy(page: Any) -> None:
    load_organisation()
    # A browser test empties the database after it, migrations' rows too: the 2003 law's rule
    # set as migration awards/0007 leaves it, whichever test ran before.
    RuleSetFactory(code="LUAT-2003")
    RuleSet.objects.filter(code="LUAT-2003").update(
        valid_from=datetime.date(2017, 10, 1), valid_until=datetime.date(2023, 12, 31)
    )
    log_in(page, "quantri", DEMO_PASSWORD)
    page.goto(page.base_url + "/scoring/import/")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "khoi-tham-muu-iii-2016.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": _example_of_2016_without_leadership(),
            }
        ],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra và nhập").click()
    body = page.locator("main").inner_text()
    screenshot(page, "past-year-imported")
    assert "Tệp không ghi “Trưởng khối” và “Khối phó” của năm 2016" in body, body[:2000]
    assert "không rõ (số liệu năm đã qua không ghi)" in body
    bloc_year = BlocYear.objects.get(bloc__code="TM3", year=2016)
    page.goto(page.base_url + reverse("awards:ballot", args=[bloc_year.bloc_id, 2016]))
    screenshot(page, "past-year-ballot")
    assert (
        "Năm 2016 không có bộ quy định khen thưởng nào áp dụng" in page.locator("main").inner_text()
    )
