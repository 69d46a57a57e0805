"""The Django admin of scoring: scoped to the admin's councils, frozen criteria read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import AuditEntry, User
from scoring.models import CriteriaSet, Criterion
from tests.conftest import ScoringWorld, World, build_criteria_set, client_for
from tests.factories import CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_admin(world: World) -> User:
    """A council admin of another province."""
    return bloc_services.user_create(
        username="quantri.khac",
        password="x",
        unit=UnitFactory.create(council=CouncilFactory.create()),
        role=User.Role.COUNCIL_ADMIN,
    )


def test_a_council_admin_of_another_council_does_not_see_the_set(
    scoring_world: ScoringWorld, council_admin: User, foreign_admin: User
) -> None:
    w = scoring_world
    changelist = reverse("admin:scoring_criteriaset_changelist")
    assert "Bảng tiêu chí 2021" in client_for(council_admin).get(changelist).content.decode()
    client = client_for(foreign_admin)
    assert "Bảng tiêu chí 2021" not in client.get(changelist).content.decode()
    change = reverse("admin:scoring_criteriaset_change", args=[w.draft_set.pk])
    assert client.get(change).status_code == 302  # "does not exist" → back to the admin index
    for name in ("criterion", "scoresheet", "scoreline", "explanationrequest", "evidence"):
        response = client.get(reverse(f"admin:scoring_{name}_changelist"))
        assert response.context["cl"].result_count == 0, name
        assert response.context["cl"].full_result_count == 0, name


def test_choices_in_the_admin_are_those_of_the_admins_councils(
    scoring_world: ScoringWorld, foreign_admin: User
) -> None:
    html = client_for(foreign_admin).get(reverse("admin:scoring_criterion_add")).content.decode()
    assert "Bảng tiêu chí 2021" not in html


def test_the_set_opens_with_its_criteria_inline(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    html = (
        client_for(council_admin)
        .get(reverse("admin:scoring_criteriaset_change", args=[w.draft_set.pk]))
        .content.decode()
    )
    assert 'name="criteria-0-code"' in html
    assert "Hoàn thành kế hoạch công tác" in html


def test_criteria_of_a_frozen_set_are_read_only(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    client = client_for(council_admin)
    set_page = client.get(reverse("admin:scoring_criteriaset_change", args=[w.criteria_set.pk]))
    assert set_page.status_code == 200
    assert 'name="criteria-0-code"' not in set_page.content.decode()
    assert 'name="_save"' not in set_page.content.decode()
    criterion_url = reverse("admin:scoring_criterion_change", args=[w.leaf.pk])
    page = client.get(criterion_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(criterion_url, {"code": "I.9", "title": "Sửa lén"}).status_code == 403
    delete_url = reverse("admin:scoring_criterion_delete", args=[w.leaf.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Criterion.objects.get(pk=w.leaf.pk).code == "I.1"


def test_a_criterion_cannot_be_added_to_a_frozen_set_in_the_admin(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    response = client_for(council_admin).post(
        reverse("admin:scoring_criterion_add"),
        {
            "criteria_set": w.criteria_set.pk,
            "code": "I.3",
            "title": "Thêm lén",
            "max_points": "1",
            "kind": "standard",
            "method": "direct",
            "scored_by": "unit",
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert "Bảng tiêu chí đã khóa" in response.content.decode()
    assert not w.criteria_set.criteria.filter(code="I.3").exists()


def test_a_criterion_added_in_the_admin_gets_the_parent_its_code_names(
    world: World, council_admin: User
) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    response = client_for(council_admin).post(
        reverse("admin:scoring_criterion_add"),
        {
            "criteria_set": criteria_set.pk,
            "code": "I.3",
            "title": "Thêm trong trang quản trị",
            "max_points": "1",
            "kind": "standard",
            "method": "direct",
            "scored_by": "unit",
            "order": "0",
        },
    )
    assert response.status_code == 302
    criterion = criteria_set.criteria.get(code="I.3")
    assert criterion.parent == criteria_set.criteria.get(code="I")
    entry = AuditEntry.objects.filter(context=f"criteria-set:{criteria_set.pk}").first()
    assert entry is not None and entry.action == "criteria_set.admin_edit"


def test_the_sheet_opens_with_its_lines_read_only(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    html = (
        client_for(council_admin)
        .get(reverse("admin:scoring_scoresheet_change", args=[w.submitted_sheet.pk]))
        .content.decode()
    )
    assert "I.1. Hoàn thành kế hoạch công tác" in html
    assert 'name="lines-0-self_points"' not in html


def test_the_audit_trail_is_read_only_and_scoped(
    scoring_world: ScoringWorld, council_admin: User, foreign_admin: User
) -> None:
    entry = AuditEntry.objects.exclude(bloc_year=None).first()
    assert entry is not None
    admin = client_for(council_admin)
    html = admin.get(reverse("admin:blocs_auditentry_changelist")).content.decode()
    assert entry.summary in html
    assert admin.get(reverse("admin:blocs_auditentry_add")).status_code == 403
    change = reverse("admin:blocs_auditentry_change", args=[entry.pk])
    page = admin.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin.post(change, {"summary": "Sửa lịch sử"}).status_code == 403
    delete = reverse("admin:blocs_auditentry_delete", args=[entry.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, summary=entry.summary).exists()
    foreign = client_for(foreign_admin).get(reverse("admin:blocs_auditentry_changelist"))
    assert entry.summary not in foreign.content.decode()


def test_every_scoring_changelist_searches(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    client = client_for(council_admin)
    for name in (
        "criteriaset",
        "criterion",
        "scoringseason",
        "scoresheet",
        "scoreline",
        "explanationrequest",
        "evidence",
        "peerassessment",
    ):
        url = reverse(f"admin:scoring_{name}_changelist")
        assert client.get(url, {"q": "Sở"}).status_code == 200, name
    assert CriteriaSet.objects.exists()


def test_editing_codes_inline_moves_criteria_under_their_new_parents(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    w = scoring_world
    criteria = list(w.draft_set.criteria.order_by("order", "pk"))
    data = {
        "council": str(w.council.pk),
        "year": "2021",
        "bloc_year": "",
        "name": w.draft_set.name,
        "bonus_cap": "2",
        "step": "0.25",
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}-"
        data.update(
            {
                f"{prefix}id": str(criterion.pk),
                f"{prefix}criteria_set": str(w.draft_set.pk),
                f"{prefix}code": "I.3" if criterion.code == "II.1" else criterion.code,
                f"{prefix}title": criterion.title,
                f"{prefix}max_points": str(criterion.max_points),
                f"{prefix}kind": criterion.kind,
                f"{prefix}method": criterion.method,
                f"{prefix}points_per_occurrence": str(criterion.points_per_occurrence or ""),
                f"{prefix}floor_percent": "",
                f"{prefix}scored_by": criterion.scored_by,
                f"{prefix}order": str(criterion.order),
            }
        )
    response = client_for(council_admin).post(
        reverse("admin:scoring_criteriaset_change", args=[w.draft_set.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    moved = w.draft_set.criteria.get(code="I.3")
    assert moved.parent == w.draft_set.criteria.get(code="I")
