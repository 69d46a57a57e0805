"""The ranking rules pages: a bloc-year's own tie-break chain, bands and explanation rule, its
reset to the council's defaults, and the council's defaults page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs.models import AuditEntry, BlocYear, User
from notifications.models import Notification
from scoring.forms_rules import RankingRulesForm
from scoring.models import RankingRules
from scoring.ranking import FEWER_PENALTY, FIRST_SECTION, MORE_BONUS, WOMEN_70
from scoring.selectors.ranking_rules import explanation_required, rules_for
from scoring.services import ranking as ranking_services
from tests.conftest import RankingWorld, ScoringWorld, client_for

pytestmark = pytest.mark.django_db


def rules_url(w: ScoringWorld, year: int = 2020) -> str:
    return reverse("scoring:ranking-rules", args=[w.bloc.pk, year])


def council_url(w: ScoringWorld) -> str:
    return reverse("scoring:council-ranking-rules", args=[w.council.code])


def rules_post(
    chain: dict[str, int | str], bands: list[tuple[str, str, str]], rows: int | None = None
) -> dict[str, str]:
    """The form as a browser posts it: ``chain`` maps the keys in use to their order."""
    rows = rows if rows is not None else len(bands) + 2
    # The world's year is being scored: a change needs its reason.
    data = {"band_rows": str(rows), "reason": REASON}
    for key in [FIRST_SECTION, FEWER_PENALTY, MORE_BONUS, WOMEN_70]:
        if key in chain:
            data[f"use_{key}"] = "on"
            data[f"order_{key}"] = str(chain[key])
        else:
            data[f"order_{key}"] = "4"
    for index in range(rows):
        name, minimum, floor = bands[index] if index < len(bands) else ("", "", "")
        data[f"band_{index}_name"] = name
        data[f"band_{index}_min"] = minimum
        data[f"band_{index}_floor"] = floor
    return data


REASON = "Thống nhất tại cuộc họp khối ngày 10/01"

BANDS = [
    ("Xuất sắc", "92,5", "85"),
    ("Tốt", "80", "80"),
    ("Chưa đạt", "0", "0"),
]


def test_shows_the_built_in_rules_when_neither_the_bloc_nor_the_council_set_any(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    response = client_for(secretariat).get(rules_url(scoring_world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "quy tắc chung của hệ thống" in page
    assert 'value="Hoàn thành xuất sắc nhiệm vụ"' in page
    assert 'name="band_5_name"' in page  # four bands and two empty rows
    assert 'name="band_6_name"' not in page


def test_saves_a_new_chain_and_bands_with_comma_decimals(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    client = client_for(secretariat)
    data = rules_post({MORE_BONUS: 1, FIRST_SECTION: 2}, BANDS)
    response = client.post(rules_url(scoring_world), data)
    assert response.status_code == 302
    own = RankingRules.objects.get(bloc_year=scoring_world.bloc_year)
    assert own.tie_breaks == [MORE_BONUS, FIRST_SECTION]
    assert own.bands == [
        {"name": "Xuất sắc", "min_total_percent": "92.5", "floor_percent": "85"},
        {"name": "Tốt", "min_total_percent": "80", "floor_percent": "80"},
        {"name": "Chưa đạt", "min_total_percent": "0", "floor_percent": "0"},
    ]
    tie_breaks, bands = rules_for(scoring_world.bloc_year)
    assert tie_breaks == [MORE_BONUS, FIRST_SECTION]
    assert [band.name for band in bands] == ["Xuất sắc", "Tốt", "Chưa đạt"]
    assert AuditEntry.objects.filter(action="ranking.rules", actor=secretariat).exists()
    page = client.get(rules_url(scoring_world)).content.decode()
    assert "Khối năm nay dùng quy tắc riêng" in page
    assert 'value="92,5"' in page


def test_a_blank_row_in_the_middle_removes_that_band(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    bands = [BANDS[0], ("", "", ""), BANDS[2]]
    response = client_for(secretariat).post(rules_url(scoring_world), rules_post({}, bands))
    assert response.status_code == 302
    own = RankingRules.objects.get(bloc_year=scoring_world.bloc_year)
    assert own.tie_breaks == []
    assert [band["name"] for band in own.bands] == ["Xuất sắc", "Chưa đạt"]


def test_shows_errors_at_the_fields_and_keeps_what_was_typed(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    data = rules_post(
        {FIRST_SECTION: 1, MORE_BONUS: 1, FEWER_PENALTY: ""},
        [("Xuất sắc", "chín mươi", "85"), ("", "70", "70"), ("Còn lại", "0", "150")],
    )
    response = client_for(secretariat).post(rules_url(scoring_world), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_band_0_min"' in page
    assert "“chín mươi” không phải là một số." in page
    assert 'value="chín mươi"' in page
    assert 'id="id_band_1_name-error"' in page  # a band without a name
    assert 'id="id_band_2_floor-error"' in page  # 150 %
    assert 'id="id_order_first_section-error"' in page  # two keys with the same order
    assert 'id="id_order_fewer_penalty-error"' in page  # used without an order
    assert not RankingRules.objects.exists()


def test_a_band_table_out_of_order_is_reported_at_the_table(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    data = rules_post({}, [("Tốt", "80", "80"), ("Xuất sắc", "90", "85")])
    response = client_for(secretariat).post(rules_url(scoring_world), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#bands"' in page
    assert "Các mức xếp loại phải xếp từ cao xuống thấp." in page
    assert not RankingRules.objects.exists()


def test_a_band_easier_to_reach_than_the_one_below_is_refused(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    sections = rules_post(
        {}, [("Xuất sắc", "90", "70"), ("Tốt", "80", "80"), ("Còn lại", "0", "0")]
    )
    page = client_for(secretariat).post(rules_url(scoring_world), sections).content.decode()
    assert (
        "“Xuất sắc” có mức sàn mỗi mục 70% thấp hơn mức dưới “Tốt” (80%): mức trên không được "
        "dễ đạt hơn mức dưới." in page
    )
    criteria = rules_post(
        {}, [("Xuất sắc", "90", "85"), ("Tốt", "80", "80"), ("Còn lại", "0", "0")]
    )
    criteria["band_0_criterion"] = ""  # blank: no floor on each criterion, i.e. 0
    criteria["band_1_criterion"] = "80"
    page = client_for(secretariat).post(rules_url(scoring_world), criteria).content.decode()
    assert "“Xuất sắc” có mức sàn mỗi tiêu chí 0% thấp hơn mức dưới “Tốt” (80%)" in page
    assert not RankingRules.objects.exists()


def test_an_empty_band_table_is_refused(scoring_world: ScoringWorld, secretariat: User) -> None:
    response = client_for(secretariat).post(rules_url(scoring_world), rules_post({}, []))
    assert response.status_code == 200
    assert "Bảng xếp loại cần ít nhất một mức." in response.content.decode()
    assert not RankingRules.objects.exists()


def test_is_read_only_once_the_results_are_finalized(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    client = client_for(secretariat)
    response = client.get(rules_url(ranking_world, 2019))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kết quả đã chốt: quy tắc xếp hạng không đổi được nữa." in page
    assert 'name="band_0_name"' not in page
    assert "Hoàn thành xuất sắc nhiệm vụ" in page
    response = client.post(rules_url(ranking_world, 2019), rules_post({}, BANDS))
    assert response.status_code == 302
    assert not RankingRules.objects.exists()


def test_reset_goes_back_to_the_council_defaults(
    scoring_world: ScoringWorld, secretariat: User, council_admin: User
) -> None:
    client_for(council_admin).post(
        council_url(scoring_world),
        rules_post({WOMEN_70: 1}, [("Đạt", "50", "0"), ("Khác", "0", "0")]),
    )
    client = client_for(secretariat)
    client.post(rules_url(scoring_world), rules_post({MORE_BONUS: 1}, BANDS))
    assert rules_for(scoring_world.bloc_year)[0] == [MORE_BONUS]
    response = client.post(rules_url(scoring_world), {"reset": "1", "reason": REASON})
    assert response.status_code == 302
    assert not RankingRules.objects.filter(bloc_year=scoring_world.bloc_year).exists()
    assert rules_for(scoring_world.bloc_year)[0] == [WOMEN_70]
    assert AuditEntry.objects.filter(action="ranking.rules_reset", actor=secretariat).exists()
    page = client.get(rules_url(scoring_world)).content.decode()
    assert "đang dùng quy tắc mặc định của hội đồng" in page
    assert 'name="reset"' not in page


def test_reset_is_refused_after_finalization(ranking_world: RankingWorld) -> None:
    RankingRules.objects.create(bloc_year=ranking_world.provisional_year, tie_breaks=[], bands=[])
    with pytest.raises(ValidationError):
        ranking_services.ranking_rules_reset(bloc_year=ranking_world.provisional_year, by=None)
    assert RankingRules.objects.filter(bloc_year=ranking_world.provisional_year).exists()


def test_the_council_defaults_page_saves_the_councils_rules(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    client = client_for(council_admin)
    page = client.get(council_url(scoring_world)).content.decode()
    assert "Hội đồng chưa đặt quy tắc mặc định" in page
    response = client.post(council_url(scoring_world), rules_post({FEWER_PENALTY: 1}, BANDS))
    assert response.status_code == 302
    default = RankingRules.objects.get(council=scoring_world.council, bloc_year__isnull=True)
    assert default.tie_breaks == [FEWER_PENALTY]
    assert rules_for(scoring_world.bloc_year)[0] == [FEWER_PENALTY]
    page = client.get(rules_url(scoring_world)).content.decode()
    assert "Khối năm nay đang dùng quy tắc mặc định của hội đồng." in page


def test_the_council_defaults_page_shows_errors_at_the_fields(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    response = client_for(council_admin).post(
        council_url(scoring_world), rules_post({}, [("Đạt", "", "0")])
    )
    assert response.status_code == 200
    assert 'id="id_band_0_min-error"' in response.content.decode()
    assert not RankingRules.objects.exists()


def test_the_council_defaults_page_is_for_that_councils_admins(
    scoring_world: ScoringWorld, secretariat: User, council_admin: User
) -> None:
    assert client_for(secretariat).get(council_url(scoring_world)).status_code == 403
    unknown = reverse("scoring:council-ranking-rules", args=["KHONGCO"])
    assert client_for(council_admin).get(unknown).status_code == 404


# ---------------------------------------------------------------------------- explanation rule


def test_the_council_sets_the_explanation_rule_and_the_bloc_year_follows_it(
    scoring_world: ScoringWorld, secretariat: User, council_admin: User
) -> None:
    client = client_for(council_admin)
    page = client.get(council_url(scoring_world)).content.decode()
    assert "Chỉ trừ điểm sau khi đơn vị được yêu cầu giải trình" in page
    assert 'name="explanation_required"' in page
    assert 'id="id_explanation_required" checked' not in page
    data = rules_post({FIRST_SECTION: 1}, BANDS) | {"explanation_required": "on"}
    assert client.post(council_url(scoring_world), data).status_code == 302
    default = RankingRules.objects.get(council=scoring_world.council, bloc_year__isnull=True)
    assert default.explanation_required
    entry = AuditEntry.objects.get(action="ranking.rules", actor=council_admin)
    assert entry.changes["explanation_required"] == [False, True]
    assert explanation_required(scoring_world.bloc_year)
    # The bloc-year's page starts from the council's setting: ticked.
    page = client_for(secretariat).get(rules_url(scoring_world)).content.decode()
    assert 'id="id_explanation_required" checked' in page


def test_a_bloc_year_turns_the_rule_off_for_itself_and_reset_brings_the_councils_back(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    RankingRules.objects.create(
        council=scoring_world.council, tie_breaks=[], bands=[], explanation_required=True
    )
    client = client_for(secretariat)
    response = client.post(rules_url(scoring_world), rules_post({}, BANDS))  # box unticked
    assert response.status_code == 302
    own = RankingRules.objects.get(bloc_year=scoring_world.bloc_year)
    assert not own.explanation_required
    assert not explanation_required(scoring_world.bloc_year)
    entry = AuditEntry.objects.get(action="ranking.rules", actor=secretariat)
    assert entry.changes["explanation_required"] == [True, False]
    client.post(rules_url(scoring_world), {"reset": "1", "reason": REASON})
    assert explanation_required(scoring_world.bloc_year)
    reset = AuditEntry.objects.get(action="ranking.rules_reset")
    assert reset.changes["explanation_required"] == [False, None]


def test_the_form_reads_the_box(scoring_world: ScoringWorld) -> None:
    ticked = RankingRulesForm(
        rules_post({}, BANDS) | {"explanation_required": "on"}, tie_breaks=[], bands=[]
    )
    assert ticked.is_valid() and ticked.cleaned_data["explanation_required"] is True
    unticked = RankingRulesForm(rules_post({}, BANDS), tie_breaks=[], bands=[])
    assert unticked.is_valid() and unticked.cleaned_data["explanation_required"] is False
    assert RankingRulesForm(tie_breaks=[], bands=[], explanation_required=True)[
        "explanation_required"
    ].initial


def test_a_finalized_year_shows_the_rule_it_was_verified_under(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    RankingRules.objects.create(
        bloc_year=ranking_world.provisional_year,
        tie_breaks=[],
        bands=[],
        explanation_required=True,
    )
    page = client_for(secretariat).get(rules_url(ranking_world, 2019)).content.decode()
    assert "Chỉ trừ điểm sau khi đơn vị được yêu cầu giải trình: có." in page
    assert 'name="explanation_required"' not in page
    with pytest.raises(ValidationError):
        ranking_services.ranking_rules_save(
            reason="Điều chỉnh khi đang chấm điểm",
            tie_breaks=[],
            bands=[{"name": "Đạt", "min_total_percent": "0", "floor_percent": "0"}],
            explanation_required=False,
            by=None,
            bloc_year=ranking_world.provisional_year,
        )
    assert RankingRules.objects.get(bloc_year=ranking_world.provisional_year).explanation_required


def test_once_scoring_opened_a_change_needs_a_reason_is_announced_and_shown(
    scoring_world: ScoringWorld,
    secretariat: User,
    focal_point: User,
    django_capture_on_commit_callbacks,
) -> None:
    """Issue 20.11: the secretariat saw the totals; a change of the rules now needs a reason, is
    audited with it, told to the members and said on the ranking and bloc-year pages."""
    w = scoring_world
    client = client_for(secretariat)
    data = {**rules_post({MORE_BONUS: 1}, BANDS), "reason": "  "}
    response = client.post(rules_url(w), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ghi lý do thay đổi quy tắc xếp hạng" in page
    assert 'value="92,5"' in page  # what was typed stays
    assert not RankingRules.objects.filter(bloc_year=w.bloc_year).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(rules_url(w), rules_post({MORE_BONUS: 1}, BANDS))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="ranking.rules")
    assert entry.reason == REASON
    told = Notification.objects.filter(kind=Notification.Kind.RULES_CHANGED)
    assert focal_point in {item.recipient for item in told}
    assert told.filter(recipient=focal_point).get().body.endswith(f"Lý do: {REASON}")
    year_page = client_for(focal_point).get(w.bloc_year.get_absolute_url()).content.decode()
    assert 'id="rules-change"' in year_page and REASON in year_page
    ranking = client.get(reverse("scoring:ranking", args=[w.bloc.pk, 2020])).content.decode()
    assert 'id="rules-change"' in ranking and REASON in ranking


def test_before_scoring_opens_the_rules_change_freely(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    BlocYear.objects.filter(pk=w.bloc_year.pk).update(state=BlocYear.State.SETUP)
    data = {**rules_post({MORE_BONUS: 1}, BANDS), "reason": ""}
    response = client_for(secretariat).post(rules_url(w), data)
    assert response.status_code == 302
    assert not Notification.objects.filter(kind=Notification.Kind.RULES_CHANGED).exists()
    page = client_for(secretariat).get(rules_url(w)).content.decode()
    assert 'name="reason"' not in page
