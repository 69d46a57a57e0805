"""A past year imported with points in which two members have only a published band, seen in a
browser once published: the scored rows with their totals, then the two rows with "không có
điểm", their published rank and band and the note. Screenshot: import-mixed-bands-*.png."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from blocs.models import BlocYear
from demo.organisation import load_organisation
from scoring.services import ranking as ranking_services
from tests.browser.conftest import screenshot
from tests.scoring.test_import import run
from tests.scoring.test_import_mixed_bands import NOTE, mixed

pytestmark = pytest.mark.browser


def test_the_public_ranking_lists_members_without_points(page: Any, tmp_path: Path) -> None:
    load_organisation()
    status, _out, err = run(tmp_path, mixed(), "--council", "QNA")
    assert (status, err) == (0, "")
    bloc_year = BlocYear.objects.get(bloc__code="TM9", year=2016)
    today = datetime.date(2017, 1, 10)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=None, days=5, today=today)
    ranking_services.publish_final(
        bloc_year=bloc_year, by=None, today=today + datetime.timedelta(days=6)
    )
    page.goto(page.base_url + reverse("scoring:ranking", args=[bloc_year.bloc_id, 2016]))
    rows = page.locator("table.ranking-table tbody tr")
    assert rows.count() == 4
    assert "11,00" in rows.nth(0).inner_text()
    third = rows.nth(2).inner_text()
    assert "không có điểm" in third and NOTE in third and "Hoàn thành tốt nhiệm vụ" in third
    assert rows.nth(3).locator("td.rank").inner_text().strip() == "–"
    screenshot(page, "import-mixed-bands-ranking")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "import-mixed-bands-ranking-phone")
