"""Criteria set pages as people use them: list, tree, create, edit, clone, unfreeze, criteria."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import AuditEntry, BlocYear, User
from scoring.models import CriteriaSet, Criterion, ScoringSeason
from scoring.services import criteria as criteria_services
from tests.conftest import ScoringWorld, World, build_criteria_set, client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = Decimal


def criterion_post(**overrides: str) -> dict[str, str]:
    data = {
        "code": "I.3",
        "title": "Công tác cải cách hành chính",
        "guidance": "",
        "max_points": "2,5",
        "kind": "standard",
        "method": "direct",
        "points_per_occurrence": "",
        "floor_percent": "",
        "scored_by": "unit",
        "order": "",
    }
    return {**data, **overrides}


def history(criteria_set: CriteriaSet) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(context=f"criteria-set:{criteria_set.pk}"))


# The list


def test_the_list_shows_the_sets_of_the_persons_council_only(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    other = build_criteria_set(CouncilFactory.create(), 2020)
    other.name = "Bảng của tỉnh khác"
    other.save()
    html = client_for(focal_point).get(reverse("scoring:criteria-sets")).content.decode()
    assert scoring_world.draft_set.get_absolute_url() in html
    assert scoring_world.criteria_set.get_absolute_url() in html
    assert "Bảng của tỉnh khác" not in html
    assert "dùng chung" in html
    assert "Khối thi đua tham mưu III – 2020" in html


def test_the_list_filters_by_year_with_links_to_the_years_present(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    response = client_for(focal_point).get(reverse("scoring:criteria-sets"), {"year": "2021"})
    html = response.content.decode()
    assert scoring_world.draft_set.get_absolute_url() in html
    assert scoring_world.criteria_set.get_absolute_url() not in html
    assert 'href="?year=2020"' in html
    assert '<span aria-current="page">2021</span>' in html


def test_the_list_offers_creation_only_to_who_may_create(
    scoring_world: ScoringWorld, council_admin: User, secretariat: User, focal_point: User
) -> None:
    new_url = reverse("scoring:criteria-set-new")
    for person, offered in ((council_admin, True), (secretariat, True), (focal_point, False)):
        html = client_for(person).get(reverse("scoring:criteria-sets")).content.decode()
        assert (new_url in html) is offered, person


def test_a_superuser_sees_the_sets_of_every_council(scoring_world: ScoringWorld) -> None:
    other = build_criteria_set(CouncilFactory.create(name="Hội đồng tỉnh khác"), 2020)
    superuser = User.objects.create_superuser(username="root", password="x")
    html = client_for(superuser).get(reverse("scoring:criteria-sets")).content.decode()
    assert other.get_absolute_url() in html
    assert "Hội đồng tỉnh khác" in html


def test_the_list_takes_the_same_queries_for_few_and_many_sets(
    world: World, secretariat: User, django_assert_num_queries
) -> None:
    client = client_for(secretariat)
    url = reverse("scoring:criteria-sets")
    build_criteria_set(world.council, 2020, world.bloc_year)
    client.get(url)
    # session, person, the council chain, councils, years, the secretariat's bloc-years and
    # their councils (who may copy), sets
    with django_assert_num_queries(8):
        client.get(url)
    for year in range(2001, 2021):
        build_criteria_set(world.council, year)
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    assert html.count("/clone/") == 21


# The tree


def test_the_tree_shows_codes_in_tree_order_with_guidance(
    world: World, council_admin: User
) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    criteria_services.criterion_save(
        criteria_set=criteria_set,
        by=None,
        code="I.3",
        title="Tiêu chí thêm sau cùng",
        max_points=D(1),
        guidance="Chấm theo báo cáo quý.",
    )
    html = client_for(council_admin).get(criteria_set.get_absolute_url()).content.decode()
    positions = [html.index(f">{code}</th>") for code in ("I", "I.1", "I.2", "I.3", "II", "II.1")]
    assert positions == sorted(positions)
    assert "<details" in html and "Chấm theo báo cáo quý." in html


def test_the_tree_lists_every_problem_and_marks_the_parent(
    world: World, council_admin: User
) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    criteria_services.criterion_save(
        criteria_set=criteria_set, by=None, code="I.3", title="Thêm", max_points=D(1)
    )
    html = client_for(council_admin).get(criteria_set.get_absolute_url()).content.decode()
    assert 'class="error-summary"' in html
    assert "Điểm tối đa của I là 10 nhưng tổng các tiêu chí con là 11." in html
    assert '11,00 <span aria-hidden="true">✗</span>' in html
    assert '3,00 <span aria-hidden="true">✓</span>' in html  # II = II.1


def test_a_sound_tree_shows_no_problem(scoring_world: ScoringWorld, focal_point: User) -> None:
    html = client_for(focal_point).get(scoring_world.draft_set.get_absolute_url()).content.decode()
    assert "error-summary" not in html
    assert "10,00" in html  # the standard maximum


def test_the_set_page_shows_who_uses_it_when_it_froze_and_its_history(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    html = (
        client_for(focal_point).get(scoring_world.criteria_set.get_absolute_url()).content.decode()
    )
    assert "Đã khóa" in html
    assert scoring_world.bloc_year.get_absolute_url() in html
    assert "Tạo bảng tiêu chí “Bảng tiêu chí 2020”" in html


def test_actions_show_only_to_who_may_use_them(
    scoring_world: ScoringWorld, council_admin: User, secretariat: User, focal_point: User
) -> None:
    w = scoring_world
    draft_add = reverse("scoring:criterion-new", args=[w.draft_set.pk])
    unfreeze = reverse("scoring:criteria-set-unfreeze", args=[w.criteria_set.pk])
    clone = reverse("scoring:criteria-set-clone", args=[w.criteria_set.pk])
    admin = client_for(council_admin)
    draft_html = admin.get(w.draft_set.get_absolute_url()).content.decode()
    assert draft_add in draft_html
    assert reverse("scoring:criteria-set-edit", args=[w.draft_set.pk]) in draft_html
    assert reverse("scoring:criterion-delete", args=[w.draft_set.pk, w.draft_criterion.pk]) in (
        draft_html
    )
    frozen_html = admin.get(w.criteria_set.get_absolute_url()).content.decode()
    assert unfreeze in frozen_html and clone in frozen_html
    assert reverse("scoring:criterion-new", args=[w.criteria_set.pk]) not in frozen_html
    secretariat_html = client_for(secretariat).get(w.criteria_set.get_absolute_url())
    assert clone in secretariat_html.content.decode()
    assert unfreeze not in secretariat_html.content.decode()
    focal_html = client_for(focal_point).get(w.draft_set.get_absolute_url()).content.decode()
    assert draft_add not in focal_html
    assert reverse("scoring:criteria-set-edit", args=[w.draft_set.pk]) not in focal_html
    assert "/delete/" not in focal_html and clone not in focal_html


def _set_with(world: World, count: int) -> CriteriaSet:
    """A set with a section I and ``count - 1`` criteria below it, used by a bloc-year."""
    criteria_set = criteria_services.criteria_set_create(
        council=world.council, year=2023, name=f"Bảng {count}", by=None
    )
    root = Criterion.objects.create(
        criteria_set=criteria_set, code="I", title="Phần I", max_points=D(count - 1)
    )
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            parent=root,
            code=f"I.{n}",
            title=f"Tiêu chí {n}",
            max_points=D(1),
            guidance="Hướng dẫn",
            order=n,
        )
        for n in range(1, count)
    )
    bloc_year = bloc_services.bloc_year_create(
        bloc=BlocFactory.create(council=world.council),
        year=2023,
        members=[UnitFactory.create(council=world.council)],
    )
    ScoringSeason.objects.create(bloc_year=bloc_year, criteria_set=criteria_set)
    return criteria_set


def test_the_set_page_takes_the_same_queries_for_10_and_100_criteria(
    world: World, council_admin: User, django_assert_num_queries
) -> None:
    small = _set_with(world, 10)
    large = _set_with(world, 100)
    client = client_for(council_admin)
    client.get(small.get_absolute_url())  # the session and caches settle
    # session, person, set, council chain (admin rights), criteria, seasons, history
    with django_assert_num_queries(7):
        small_html = client.get(small.get_absolute_url()).content.decode()
    with django_assert_num_queries(7):
        large_html = client.get(large.get_absolute_url()).content.decode()
    assert ">I.9</th>" in small_html and ">I.99</th>" in large_html


# Creating a set


def test_a_council_admin_creates_a_shared_set(world: World, council_admin: User) -> None:
    response = client_for(council_admin).post(
        reverse("scoring:criteria-set-new"),
        {
            "council": world.council.pk,
            "year": "2022",
            "bloc_year": "",
            "name": "Bảng tiêu chí năm 2022",
            "bonus_cap": "2,5",
            "step": "0,5",
        },
    )
    criteria_set = CriteriaSet.objects.get(name="Bảng tiêu chí năm 2022")
    assert response.status_code == 302
    assert response["Location"] == criteria_set.get_absolute_url()
    assert (criteria_set.year, criteria_set.bloc_year, criteria_set.bonus_cap) == (
        2022,
        None,
        D("2.5"),
    )
    assert criteria_set.step == D("0.5")
    assert [entry.action for entry in history(criteria_set)] == ["criteria_set.create"]


def test_a_bloc_year_of_another_year_is_refused_at_the_field(
    world: World, council_admin: User
) -> None:
    response = client_for(council_admin).post(
        reverse("scoring:criteria-set-new"),
        {
            "council": world.council.pk,
            "year": "2022",
            "bloc_year": world.bloc_year.pk,
            "name": "Bảng sai năm",
            "step": "0,25",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html and 'href="#id_bloc_year"' in html
    assert 'id="id_bloc_year-error"' in html
    assert 'value="Bảng sai năm"' in html
    assert not CriteriaSet.objects.filter(name="Bảng sai năm").exists()


def test_a_council_admin_cannot_create_for_another_council(
    world: World, council_admin: User
) -> None:
    other = CouncilFactory.create()
    response = client_for(council_admin).post(
        reverse("scoring:criteria-set-new"),
        {"council": other.pk, "year": "2022", "name": "Bảng lạ", "step": "0,25"},
    )
    assert response.status_code == 200
    assert 'id="id_council-error"' in response.content.decode()
    assert not CriteriaSet.objects.filter(name="Bảng lạ").exists()


def test_a_secretariat_creates_a_set_for_its_own_bloc_year(world: World, secretariat: User) -> None:
    client = client_for(secretariat)
    form_html = client.get(
        reverse("scoring:criteria-set-new"), {"bloc_year": world.bloc_year.pk}
    ).content.decode()
    assert 'name="council"' not in form_html
    assert f'<option value="{world.bloc_year.pk}" selected>' in form_html
    response = client.post(
        reverse("scoring:criteria-set-new"),
        {"bloc_year": world.bloc_year.pk, "name": "Bảng riêng của khối", "step": "0,25"},
    )
    assert response.status_code == 302
    criteria_set = CriteriaSet.objects.get(name="Bảng riêng của khối")
    assert (criteria_set.council, criteria_set.year, criteria_set.bloc_year) == (
        world.council,
        2020,
        world.bloc_year,
    )


def test_a_secretariat_must_choose_its_bloc_year_and_no_other(
    world: World, secretariat: User
) -> None:
    other_year = BlocYear.objects.get(bloc=world.other_bloc, year=2020)
    client = client_for(secretariat)
    for bloc_year in ("", str(other_year.pk)):
        response = client.post(
            reverse("scoring:criteria-set-new"),
            {"bloc_year": bloc_year, "name": "Bảng không được tạo", "step": "0,25"},
        )
        assert response.status_code == 200
        assert 'id="id_bloc_year-error"' in response.content.decode()
    assert not CriteriaSet.objects.filter(name="Bảng không được tạo").exists()


# Editing the settings


def test_editing_the_settings_accepts_comma_decimals_and_records_the_change(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    response = client_for(council_admin).post(
        reverse("scoring:criteria-set-edit", args=[w.draft_set.pk]),
        {"name": "Bảng tiêu chí 2021 (sửa)", "bonus_cap": "3,5", "step": "0,5"},
    )
    assert response.status_code == 302
    w.draft_set.refresh_from_db()
    assert (w.draft_set.name, w.draft_set.bonus_cap, w.draft_set.step) == (
        "Bảng tiêu chí 2021 (sửa)",
        D("3.5"),
        D("0.5"),
    )
    entry = history(w.draft_set)[0]
    assert entry.action == "criteria_set.update"
    assert entry.changes["bonus_cap"] == ["2", "3,5"]


def test_a_wrong_setting_shows_at_its_field_and_keeps_the_name(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    response = client_for(council_admin).post(
        reverse("scoring:criteria-set-edit", args=[w.draft_set.pk]),
        {"name": "Tên mới", "bonus_cap": "", "step": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_step-error"' in html and 'value="Tên mới"' in html
    assert CriteriaSet.objects.get(pk=w.draft_set.pk).name == "Bảng tiêu chí 2021"


def test_editing_is_refused_on_a_frozen_set(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    client = client_for(council_admin)
    assert (
        client.get(reverse("scoring:criteria-set-edit", args=[w.criteria_set.pk])).status_code
        == 403
    )
    assert client.get(reverse("scoring:criterion-new", args=[w.criteria_set.pk])).status_code == 403
    edit = reverse("scoring:criterion-edit", args=[w.criteria_set.pk, w.leaf.pk])
    assert client.post(edit, criterion_post(code="I.1")).status_code == 403
    delete = reverse("scoring:criterion-delete", args=[w.criteria_set.pk, w.leaf.pk])
    assert client.post(delete).status_code == 403
    assert Criterion.objects.get(pk=w.leaf.pk).title == "Hoàn thành kế hoạch công tác"


def test_the_secretariat_edits_its_own_bloc_years_set(world: World, secretariat: User) -> None:
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    response = client_for(secretariat).post(
        reverse("scoring:criterion-new", args=[criteria_set.pk]), criterion_post()
    )
    assert response.status_code == 302
    assert criteria_set.criteria.filter(code="I.3").exists()


# Criteria


def test_adding_a_criterion_puts_it_under_its_parent_and_shows_its_row(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    response = client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]), criterion_post()
    )
    criterion = w.draft_set.criteria.get(code="I.3")
    assert response.status_code == 302
    assert response["Location"] == f"{w.draft_set.get_absolute_url()}#c-{criterion.pk}"
    assert criterion.parent == w.draft_set.criteria.get(code="I")
    assert criterion.max_points == D("2.5")
    assert criterion.order > w.draft_set.criteria.get(code="III.1").order  # blank order: last
    page = client_for(council_admin).get(response["Location"]).content.decode()
    assert f'id="c-{criterion.pk}"' in page


def test_a_missing_parent_shows_at_the_code_and_writes_nothing(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    before = AuditEntry.objects.count()
    response = client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]),
        criterion_post(code="IV.1", title="Tiêu chí lạc"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_code"' in html
    assert '<p class="field-error" id="id_code-error">Chưa có mục cha IV.</p>' in html
    assert "Tiêu chí lạc" in html  # what was typed stays
    assert not w.draft_set.criteria.filter(code="IV.1").exists()
    assert AuditEntry.objects.count() == before


def test_a_duplicate_code_shows_at_the_code(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    response = client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]), criterion_post(code="I.1")
    )
    assert response.status_code == 200
    assert 'id="id_code-error">Mã này đã có trong bảng tiêu chí.' in response.content.decode()
    assert w.draft_set.criteria.filter(code="I.1").count() == 1


def test_per_occurrence_without_points_shows_at_its_field(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    response = client_for(council_admin).post(
        reverse("scoring:criterion-new", args=[w.draft_set.pk]),
        criterion_post(code="II.2", kind="bonus", method="per_occurrence"),
    )
    assert response.status_code == 200
    assert 'id="id_points_per_occurrence-error"' in response.content.decode()
    assert not w.draft_set.criteria.filter(code="II.2").exists()


def test_editing_a_criterion_records_old_and_new(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    url = reverse("scoring:criterion-edit", args=[w.draft_set.pk, w.draft_criterion.pk])
    form_html = client_for(council_admin).get(url).content.decode()
    assert 'type="text" name="max_points" value="6,00" inputmode="decimal"' in form_html
    response = client_for(council_admin).post(
        url, criterion_post(code="I.1", title="Kế hoạch công tác năm", max_points="5,5")
    )
    assert response.status_code == 302
    w.draft_criterion.refresh_from_db()
    assert (w.draft_criterion.title, w.draft_criterion.max_points) == (
        "Kế hoạch công tác năm",
        D("5.5"),
    )
    entry = history(w.draft_set)[0]
    assert entry.action == "criterion.update"
    assert entry.changes["title"] == ["Hoàn thành kế hoạch công tác", "Kế hoạch công tác năm"]


def test_a_criterion_cannot_move_below_itself(world: World, council_admin: User) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    section = criteria_set.criteria.get(code="I")
    response = client_for(council_admin).post(
        reverse("scoring:criterion-edit", args=[criteria_set.pk, section.pk]),
        criterion_post(code="I.1.a", max_points="10"),
    )
    assert response.status_code == 200
    assert 'id="id_code-error"' in response.content.decode()
    section.refresh_from_db()
    assert (section.code, section.parent_id) == ("I", None)


def test_a_criterion_of_another_set_is_not_found(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    url = reverse("scoring:criterion-edit", args=[w.draft_set.pk, w.leaf.pk])
    assert client_for(council_admin).get(url).status_code == 404


def test_deleting_removes_the_criterion_and_its_children(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    section = w.draft_set.criteria.get(code="I")
    response = client_for(council_admin).post(
        reverse("scoring:criterion-delete", args=[w.draft_set.pk, section.pk])
    )
    assert response.status_code == 302
    assert set(w.draft_set.criteria.values_list("code", flat=True)) == {
        "II",
        "II.1",
        "III",
        "III.1",
    }
    assert history(w.draft_set)[0].action == "criterion.delete"


def test_delete_refuses_a_criterion_with_score_lines(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    criteria_services.criteria_set_unfreeze(criteria_set=w.criteria_set, reason="Sửa lỗi", by=None)
    client = client_for(council_admin)
    for code in ("I.1", "I"):  # the leaf itself has lines; the section's children have
        criterion = w.criteria_set.criteria.get(code=code)
        response = client.post(
            reverse("scoring:criterion-delete", args=[w.criteria_set.pk, criterion.pk]),
            follow=True,
        )
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()
        assert "không xóa được" in response.content.decode()
    assert w.criteria_set.criteria.count() == 7


# Cloning


def test_clone_copies_the_tree_and_parents(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    client = client_for(council_admin)
    form_html = client.get(reverse("scoring:criteria-set-clone", args=[w.criteria_set.pk]))
    assert 'value="2021"' in form_html.content.decode()
    response = client.post(
        reverse("scoring:criteria-set-clone", args=[w.criteria_set.pk]),
        {"year": "2022", "bloc_year": "", "name": ""},
    )
    clone = CriteriaSet.objects.get(cloned_from=w.criteria_set)
    assert response.status_code == 302 and response["Location"] == clone.get_absolute_url()
    assert (clone.name, clone.year, clone.frozen_at, clone.bloc_year) == (
        "Bảng tiêu chí 2022",
        2022,
        None,
        None,
    )
    parents = dict(clone.criteria.values_list("code", "parent__code"))
    assert parents == {
        "I": None,
        "I.1": "I",
        "I.2": "I",
        "II": None,
        "II.1": "II",
        "III": None,
        "III.1": "III",
    }
    assert not clone.criteria.exclude(parent=None).exclude(parent__criteria_set=clone).exists()


def test_a_secretariat_clones_only_for_its_bloc_year(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    bloc_year_2021 = bloc_services.bloc_year_create(
        bloc=w.bloc, year=2021, members=[w.head, w.member], head=w.head
    )
    url = reverse("scoring:criteria-set-clone", args=[w.criteria_set.pk])
    client = client_for(secretariat)
    for data in (
        {"year": "2021", "bloc_year": ""},
        {"year": "2021", "bloc_year": str(w.bloc_year.pk)},  # its 2020 bloc-year
        {"year": "2021", "bloc_year": str(w.peer_bloc_year.pk)},  # not its bloc
    ):
        response = client.post(url, {**data, "name": ""})
        assert response.status_code == 200, data
        assert 'id="id_bloc_year-error"' in response.content.decode()
    response = client.post(url, {"year": "2021", "bloc_year": bloc_year_2021.pk, "name": "Riêng"})
    assert response.status_code == 302
    assert CriteriaSet.objects.get(name="Riêng").bloc_year == bloc_year_2021


def test_a_secretariat_of_another_council_may_not_clone(world: World) -> None:
    council = CouncilFactory.create()
    head = UnitFactory.create(council=council)
    bloc_services.bloc_year_create(
        bloc=BlocFactory.create(council=council), year=2020, members=[head], head=head
    )
    person = bloc_services.user_create(username="thuky.khac", password="x", unit=head)
    criteria_set = build_criteria_set(world.council, 2020)
    url = reverse("scoring:criteria-set-clone", args=[criteria_set.pk])
    assert client_for(person).get(url).status_code == 403


# Unfreezing


def test_unfreeze_needs_a_reason_and_writes_an_audit_entry(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    url = reverse("scoring:criteria-set-unfreeze", args=[w.criteria_set.pk])
    client = client_for(council_admin)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert 'id="id_reason-error"' in response.content.decode()
    assert CriteriaSet.objects.get(pk=w.criteria_set.pk).is_frozen
    response = client.post(url, {"reason": "Sửa điểm tối đa của I.2 theo nghị quyết"})
    assert response.status_code == 302
    assert not CriteriaSet.objects.get(pk=w.criteria_set.pk).is_frozen
    entry = history(w.criteria_set)[0]
    assert (entry.action, entry.reason, entry.actor) == (
        "criteria_set.unfreeze",
        "Sửa điểm tối đa của I.2 theo nghị quyết",
        council_admin,
    )


def test_unfreezing_a_set_not_frozen_shows_a_notice(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    url = reverse("scoring:criteria-set-unfreeze", args=[w.draft_set.pk])
    response = client_for(council_admin).get(url)
    assert response.status_code == 200
    assert "Bảng tiêu chí chưa bị khóa" in response.content.decode()
    assert 'name="reason"' not in response.content.decode()
    before = AuditEntry.objects.count()
    assert client_for(council_admin).post(url, {"reason": "x"}).status_code == 302
    assert AuditEntry.objects.count() == before


def test_the_secretariat_of_the_sets_bloc_year_cannot_unfreeze(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    url = reverse("scoring:criteria-set-unfreeze", args=[scoring_world.criteria_set.pk])
    assert client_for(secretariat).post(url, {"reason": "Muốn sửa"}).status_code == 403
    assert CriteriaSet.objects.get(pk=scoring_world.criteria_set.pk).is_frozen
