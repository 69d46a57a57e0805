"""Tier tables as people use them: the criterion page, the copy to another year, the score grid
(enter a measured value, the row's points appear; a value in no row refused at its cell with the
rest kept), the sheet's XLSX."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from blocs.models import AuditEntry, User
from scoring import rules
from scoring.models import CriteriaSet, Criterion, ScoreLine
from scoring.services import criteria as criteria_services
from tests.conftest import ScoringWorld, client_for
from tests.factories import CriterionFactory, ScoreLineFactory
from tests.scoring.test_criteria_views import criterion_post

pytestmark = pytest.mark.django_db
D = Decimal

DAYS_LATE: list[dict[str, Any]] = [
    {"low": "0.00", "high": "0.00", "points": "5.00"},
    {"low": "1.00", "high": "3.00", "points": "3.00"},
    {"low": "4.00", "high": "7.00", "points": "1.00"},
    {"low": "7.00", "high": None, "points": "0.00", "low_open": True},
]


def tier_post(**overrides: str) -> dict[str, str]:
    tier = {
        "code": "I.3",
        "title": "Nộp báo cáo đúng hạn",
        "max_points": "5",
        "method": "tier",
        "tiers": "0: 5\n1–3: 3\n4–7: 1\n>7: 0",
        "tier_unit": "ngày",
    }
    return criterion_post(**{**tier, **overrides})


# The criterion page


def test_a_tier_criterion_is_added_from_its_text_and_shown_on_the_set_page(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    client = client_for(council_admin)
    response = client.post(reverse("scoring:criterion-new", args=[w.draft_set.pk]), tier_post())
    assert response.status_code == 302
    criterion = w.draft_set.criteria.get(code="I.3")
    assert (criterion.method, criterion.tiers, criterion.tier_unit) == ("tier", DAYS_LATE, "ngày")
    page = client.get(w.draft_set.get_absolute_url()).content.decode()
    assert "Theo bảng mức" in page
    assert "0: 5; 1–3: 3; 4–7: 1; &gt;7: 0 (ngày)" in page
    # The edit page gives the table back as typed, one row per line.
    edit = client.get(reverse("scoring:criterion-edit", args=[w.draft_set.pk, criterion.pk]))
    assert edit.context["form"]["tiers"].value() == "0: 5\n1–3: 3\n4–7: 1\n>7: 0"


def test_editing_the_table_records_old_and_new(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    client = client_for(council_admin)
    client.post(reverse("scoring:criterion-new", args=[w.draft_set.pk]), tier_post())
    criterion = w.draft_set.criteria.get(code="I.3")
    url = reverse("scoring:criterion-edit", args=[w.draft_set.pk, criterion.pk])
    response = client.post(url, tier_post(tiers="0: 5\n1–5: 2\n>5: 0"))
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.tier_text == "0: 5; 1–5: 2; >5: 0 (ngày)"
    entry = AuditEntry.objects.filter(action="criterion.update").latest("pk")
    assert entry.changes["tiers"] == [
        "0: 5; 1–3: 3; 4–7: 1; >7: 0 (ngày)",
        "0: 5; 1–5: 2; >5: 0 (ngày)",
    ]


def test_a_bad_table_is_refused_at_its_box_naming_the_rows_and_kept(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    before = AuditEntry.objects.count()
    typed = "0: 5\n2–3: 3\n3–7: 6"
    response = client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]), tier_post(tiers=typed)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["tiers"] == [
        "Dòng 2: giữa “0” và “2–3” còn giá trị không thuộc mức nào (ví dụ 1); nối liền các mức.",
        "Dòng 3: điểm 6 phải từ 0 đến điểm tối đa 5.",
        "Dòng 3: khoảng “3–7” trùng với dòng 2 (“2–3”).",
    ]
    html = response.content.decode()
    assert 'id="id_tiers-error"' in html and "0: 5\n2–3: 3\n3–7: 6</textarea>" in html
    assert not w.draft_set.criteria.filter(code="I.3").exists()
    assert AuditEntry.objects.count() == before


def test_a_tier_method_without_a_table_is_refused(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    response = client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]), tier_post(tiers="  ")
    )
    assert response.context["form"].errors["tiers"] == ["Bảng mức cần ít nhất một dòng."]


def test_another_method_keeps_no_table(scoring_world: ScoringWorld, council_admin: User) -> None:
    w = scoring_world
    client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]), tier_post(method="direct")
    )
    assert w.draft_set.criteria.get(code="I.3").tiers == []


def test_the_service_refuses_a_bad_table_at_its_field(scoring_world: ScoringWorld) -> None:
    w = scoring_world
    with pytest.raises(Exception) as refused:
        criteria_services.criterion_save(
            criteria_set=w.draft_set,
            by=None,
            code="I.3",
            title="Nộp báo cáo",
            max_points=D(2),
            method="tier",
            tiers=DAYS_LATE,  # points up to 5
        )
    assert refused.value.message_dict == {  # type: ignore[attr-defined]
        "tiers": [
            "Dòng 1: điểm 5 phải từ 0 đến điểm tối đa 2.",
            "Dòng 2: điểm 3 phải từ 0 đến điểm tối đa 2.",
        ]
    }


def test_the_copy_to_the_next_year_keeps_the_table(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]), tier_post()
    )
    clone = criteria_services.criteria_set_clone(source=w.draft_set, year=2030, by=council_admin)
    copied = CriteriaSet.objects.get(pk=clone.pk).criteria.get(code="I.3")
    assert (copied.method, copied.tiers, copied.tier_unit) == ("tier", DAYS_LATE, "ngày")


# The score grid


def tier_line(w: ScoringWorld) -> Criterion:
    """A tier line (section I, 5 points) on the set the draft sheet scores with."""
    criterion = CriterionFactory.create(
        criteria_set=w.criteria_set,
        parent=w.criteria_set.criteria.get(code="I"),
        code="I.9",
        title="Nộp báo cáo đúng hạn",
        max_points=D(5),
        method=Criterion.Method.TIER,
        tiers=DAYS_LATE,
        tier_unit="ngày",
    )
    ScoreLineFactory.create(sheet=w.draft_sheet, criterion=criterion)
    return criterion


def post(w: ScoringWorld, values: dict[int, str]) -> dict[str, str]:
    data = {"version": str(type(w.draft_sheet).objects.get(pk=w.draft_sheet.pk).version)}
    for criterion_id, value in values.items():
        data[f"v-{criterion_id}"] = value
        data[f"x-{criterion_id}"] = ""
    return data


def test_a_measured_value_earns_its_rows_points_and_says_which_row(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    w = scoring_world
    criterion = tier_line(w)
    client = client_for(focal_point)
    page = client.get(w.draft_sheet.get_absolute_url()).content.decode()
    assert f'name="v-{criterion.pk}"' in page and "giá trị đo (ngày)" in page
    assert "Bảng mức: 0: 5; 1–3: 3; 4–7: 1; &gt;7: 0 (ngày)" in page
    response = client.post(w.draft_sheet.get_absolute_url(), post(w, {criterion.pk: "2"}))
    assert response.status_code == 302
    line = ScoreLine.objects.get(sheet=w.draft_sheet, criterion=criterion)
    assert (line.self_value, line.self_points) == (D(2), D(3))
    # The grid says which row gave the points; the line's page says it in a sentence.
    html = client.get(w.draft_sheet.get_absolute_url()).content.decode()
    assert 'data-computed="self" aria-live="polite">mức 1–3 ngày = 3,00</div>' in html
    line_page = client_for(secretariat).get(
        reverse("scoring:line", args=[w.draft_sheet.pk, criterion.pk])
    )
    assert "2 ngày → mức 1–3 ngày: 3 điểm" in line_page.content.decode()


def test_a_value_in_no_row_is_refused_at_its_cell_and_the_rest_kept(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    criterion = tier_line(w)
    first = w.criteria_set.criteria.get(code="I.1")
    response = client_for(focal_point).post(
        w.draft_sheet.get_absolute_url(), post(w, {criterion.pk: "0,5", first.pk: "5"})
    )
    assert response.status_code == 200
    cells = response.context["form"].cells
    assert cells[criterion.pk].error == (
        "0,5 ngày không thuộc mức nào của bảng (0 ngày; 1–3 ngày; 4–7 ngày; trên 7 ngày)."
    )
    assert (cells[criterion.pk].value, cells[first.pk].value) == ("0,5", "5")
    assert not w.draft_sheet.lines.filter(self_value__isnull=False).exists()


def test_the_sheets_workbook_says_the_table(scoring_world: ScoringWorld, focal_point: User) -> None:
    w = scoring_world
    criterion = tier_line(w)
    response = client_for(focal_point).get(reverse("scoring:sheet-xlsx", args=[w.draft_sheet.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    texts = [cell.value for row in book.active.iter_rows() for cell in row]
    assert "Theo bảng mức: nhập giá trị đo; 0: 5; 1–3: 3; 4–7: 1; >7: 0 (ngày)" in texts
    assert criterion.method == rules.TIER
