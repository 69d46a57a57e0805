"""The award catalogue as council admins and the secretariat use it: rule sets, the gates of an
award, a bloc-year's own quotas."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.eligibility import GATES
from awards.gate_words import GATE_WORDS
from awards.models import AwardType, QuotaOverride, RuleSet
from awards.selectors import eligibility_for
from awards.services import catalogue as services
from blocs.models import AuditEntry, BlocYear, User
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def award(code: str, rule_set: str = "LUAT-2003") -> AwardType:
    return AwardType.objects.select_related("rule_set").get(rule_set__code=rule_set, code=code)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


def award_type_post(award_type: AwardType, **changes: Any) -> dict[str, Any]:
    """The award's edit form as the browser sends it, with ``changes`` typed in."""
    data: dict[str, Any] = {}
    for name in services.AWARD_TYPE_FIELDS:
        value = changes.get(name, getattr(award_type, name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name == "required_bands":
            data[name] = list(value)
        else:
            data[name] = _text(value)
    return data


def rule_set_post(rule_set: RuleSet, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in services.RULE_SET_FIELDS:
        value = changes.get(name, getattr(rule_set, name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "strftime"):
            data[name] = value.strftime("%d/%m/%Y")
        else:
            data[name] = _text(value)
    return data


# Reading


def test_every_logged_in_person_reads_the_rule_sets_with_their_thresholds(
    world: World, focal_point: User
) -> None:
    html = client_for(focal_point).get(reverse("awards:rule-sets")).content.decode()
    assert "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP" in html
    assert "&gt; 50,00%" in html and "2/3" in html and "≥ 80,00%" in html
    assert "Đang áp dụng" in html


def test_the_rule_set_page_says_each_awards_gates_in_words(world: World, focal_point: User) -> None:
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    response = client_for(focal_point).get(reverse("awards:rule-set", args=[rule_set.pk]))
    html = response.content.decode()
    # The gates in the order of the one gate list (eligibility.GATES), the council's vote last.
    assert (
        "đã đăng ký thi đua đầu năm · hạng 1 · tối đa 1 mỗi khối · "
        "xếp loại: Hoàn thành xuất sắc nhiệm vụ · "
        "phải qua bỏ phiếu · Hội đồng bỏ phiếu"
    ) in html
    assert "Thông tư số 12/2019/TT-BNV" in html
    # A focal point reads; the edit form and the links to it are for council admins.
    assert "Sửa bộ quy định" not in html
    assert reverse("awards:award-type", args=[award("GOV_FLAG").pk]) not in html


def test_every_gate_of_the_one_gate_list_has_words_in_the_catalogue() -> None:
    # The catalogue describes exactly the gates eligibility checks, in their order.
    assert list(GATE_WORDS) == list(GATES)


def test_the_rule_set_page_has_a_fixed_query_budget(
    world: World, council_admin: User, django_assert_num_queries: Any
) -> None:
    client = client_for(council_admin)
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    # session, user, managed councils, rule set, award types
    with django_assert_num_queries(5):
        assert client.get(reverse("awards:rule-set", args=[rule_set.pk])).status_code == 200


# Editing a rule set


def test_a_council_admin_changes_the_council_vote_threshold(
    world: World, council_admin: User
) -> None:
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    response = client_for(council_admin).post(
        reverse("awards:rule-set", args=[rule_set.pk]),
        rule_set_post(rule_set, council_vote_threshold_percent=Decimal("75.5")),
    )
    assert response.status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.council_vote_threshold_percent == Decimal("75.5")
    entry = AuditEntry.objects.get(action="rule_set.update")
    assert entry.changes == {"council_vote_threshold_percent": ["80", "75.5"]}


def test_a_quorum_above_one_is_refused_at_the_field(world: World, council_admin: User) -> None:
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    response = client_for(council_admin).post(
        reverse("awards:rule-set", args=[rule_set.pk]),
        rule_set_post(rule_set, quorum_numerator=4, quorum_denominator=3, name="Tên mới"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Tử số không được lớn hơn mẫu số." in html
    assert 'value="Tên mới"' in html  # what was typed stays
    rule_set.refresh_from_db()
    assert rule_set.quorum_numerator == 2 and rule_set.name != "Tên mới"


def test_only_council_admins_edit_a_rule_set(world: World, secretariat: User, leader: User) -> None:
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    for person in (secretariat, leader):
        response = client_for(person).post(
            reverse("awards:rule-set", args=[rule_set.pk]), rule_set_post(rule_set, name="X")
        )
        assert response.status_code == 403
    assert RuleSet.objects.get(pk=rule_set.pk).name != "X"


# Editing an award's gates


def test_a_council_admin_edits_an_awards_gate_and_the_change_is_audited(
    world: World, council_admin: User
) -> None:
    flag = award("PROV_FLAG")
    response = client_for(council_admin).post(
        reverse("awards:award-type", args=[flag.pk]),
        award_type_post(
            flag,
            quota_count=2,
            required_bands=["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:rule-set", args=[flag.rule_set_id])
    flag.refresh_from_db()
    assert flag.quota_count == 2
    assert flag.required_bands == ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"]
    entry = AuditEntry.objects.get(action="award_type.update")
    assert entry.changes["quota_count"] == [1, 2]
    assert entry.subject == "LUAT-2003:PROV_FLAG"


def test_gate_errors_show_at_their_fields_and_nothing_is_saved(
    world: World, council_admin: User
) -> None:
    flag = award("PROV_FLAG")
    response = client_for(council_admin).post(
        reverse("awards:award-type", args=[flag.pk]),
        award_type_post(
            flag,
            quota_count=1,
            quota_share_percent=Decimal(30),
            history_award_code="EXCELLENT_COLLECTIVE",
            history_years=0,
            name="Cờ thi đua (sửa)",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_quota_share_percent">' in html
    assert "Ghi số lượng hoặc tỷ lệ, không ghi cả hai." in html
    assert "Nhập số năm liên tục phải đạt danh hiệu." in html
    assert 'value="Cờ thi đua (sửa)"' in html
    flag.refresh_from_db()
    assert flag.quota_share_percent is None and flag.name == "Cờ thi đua của Ủy ban nhân dân tỉnh"
    assert not AuditEntry.objects.filter(action="award_type.update").exists()


def test_a_percentage_above_100_is_refused_by_the_form(world: World, council_admin: User) -> None:
    title = award("EXCELLENT_COLLECTIVE")
    response = client_for(council_admin).post(
        reverse("awards:award-type", args=[title.pk]),
        award_type_post(title, min_advanced_percent=Decimal(170)),
    )
    assert response.status_code == 200
    assert 'id="id_min_advanced_percent-error"' in response.content.decode()


def test_the_award_form_offers_the_rule_sets_codes_and_every_gate_with_help(
    world: World, council_admin: User
) -> None:
    html = (
        client_for(council_admin)
        .get(reverse("awards:award-type", args=[award("PROV_CERT").pk]))
        .content.decode()
    )
    assert '<option value="EXCELLENT_COLLECTIVE" selected>' in html
    for name in services.AWARD_TYPE_FIELDS:
        assert f'name="{name}"' in html, name
    assert "Làm tròn xuống; dùng khi không ghi số lượng." in html


def test_a_code_of_another_rule_set_is_refused_by_the_service(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.award_type_update(
            award_type=award("PROV_CERT"), values={"history_award_code": "NOPE"}, by=None
        )
    assert "history_award_code" in refused.value.message_dict


# A bloc-year's own quotas


def test_the_secretariat_overrides_a_quota_and_the_eligibility_check_uses_it(
    world: World, secretariat: User
) -> None:
    flag = award("PROV_FLAG")
    url = reverse("awards:quotas", args=[world.bloc.pk, 2020])
    client = client_for(secretariat)
    html = client.get(url).content.decode()
    assert "Cờ thi đua của Ủy ban nhân dân tỉnh" in html and "Khối có 3 thành viên" in html
    assert eligibility_for(world.bloc_year).gates["PROV_FLAG"].quota == 1
    response = client.post(url, {f"quota_{flag.pk}": "2"})
    assert response.status_code == 302
    assert eligibility_for(world.bloc_year).gates["PROV_FLAG"].quota == 2
    assert AuditEntry.objects.get(action="quota.set").changes == {"quota": [None, 2]}
    # Blank: back to the rule set's quota.
    client.post(url, {f"quota_{flag.pk}": ""})
    assert not QuotaOverride.objects.exists()
    assert eligibility_for(world.bloc_year).gates["PROV_FLAG"].quota == 1


def test_a_negative_quota_is_refused_at_its_box(world: World, secretariat: User) -> None:
    flag = award("PROV_FLAG")
    response = client_for(secretariat).post(
        reverse("awards:quotas", args=[world.bloc.pk, 2020]), {f"quota_{flag.pk}": "-1"}
    )
    assert response.status_code == 200
    assert f'id="id_quota_{flag.pk}-error"' in response.content.decode()
    assert not QuotaOverride.objects.exists()


def test_quotas_are_refused_once_the_bloc_submitted_its_proposals(
    world: World, secretariat: User
) -> None:
    flag = award("PROV_FLAG")
    BlocYear.objects.filter(pk=world.bloc_year.pk).update(state=BlocYear.State.PROPOSED)
    url = reverse("awards:quotas", args=[world.bloc.pk, 2020])
    client = client_for(secretariat)
    assert "không còn thay đổi được" in client.get(url).content.decode()
    response = client.post(url, {f"quota_{flag.pk}": "2"})
    assert response.status_code == 200
    assert "Khối đã trình đề nghị khen thưởng năm 2020" in response.content.decode()
    assert not QuotaOverride.objects.exists()
    world.bloc_year.refresh_from_db()
    with pytest.raises(ValidationError):
        services.quota_set(bloc_year=world.bloc_year, award_type=flag, quota=2, by=None)


def test_a_member_cannot_open_the_quotas(world: World, focal_point: User) -> None:
    url = reverse("awards:quotas", args=[world.bloc.pk, 2020])
    assert client_for(focal_point).get(url).status_code == 403


def test_the_quotas_page_has_a_fixed_query_budget(
    world: World, secretariat: User, django_assert_num_queries: Any
) -> None:
    client = client_for(secretariat)
    url = reverse("awards:quotas", args=[world.bloc.pk, 2020])
    # session, user, bloc-year, secretariat's bloc-years, rule set, awards, members, overrides
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
