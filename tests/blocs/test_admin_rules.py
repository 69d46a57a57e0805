"""The admin may not bypass the rules: workflow fields are read-only in every admin form, what
the admin changes is audited, the workflow's tables have (read-only) pages, names sort in the
Vietnamese alphabet and Django's own strings are Vietnamese."""

from __future__ import annotations

import ast
import gettext
from decimal import Decimal
from pathlib import Path
from typing import Any

import axes
import django
import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from blocs import services
from blocs.models import AuditEntry, BlocYear, User
from common.collation import vietnamese_sort_key
from reports.models import Document
from scoring.models import (
    Complaint,
    Publication,
    RankingRules,
    RankingSnapshot,
    ScoreLine,
    ScoreSheet,
)
from scoring.services import ranking as ranking_services
from tests.conftest import AwardsWorld, World, client_for
from tests.factories import UnitFactory
from tests.reports.worlds import draft, issued_quickly
from tests.test_locale import _po_entries

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"blocs", "scoring", "awards", "reports", "notifications"}
# Fields the workflow owns, wherever a model has them: states, scores, totals, snapshot data,
# issued files and the numbers given at issue.
WORKFLOW_FIELDS = {
    "state",
    "status",
    "version",
    "self_value",
    "self_target",
    "self_points",
    "verified_value",
    "verified_target",
    "verified_points",
    "verified_reason",
    "council_adjustment",
    "council_reason",
    "not_applicable",
    "not_applicable_reason",
    "verified_total",
    "verified_missing",
    "points",
    "total",
    "rank",
    "band",
    "votes_for",
    "council_votes_for",
    "data",
    "inputs_hash",
    "frozen_at",
    "submitted_at",
    "verified_at",
    "issued_at",
    "issued_by",
    "number",
    "docx",
    "pdf",
    "answer",
    "provisional_at",
    "final_at",
    "complaint_deadline",
}
# Models whose every field is the workflow's (rows only services write).
WHOLLY_WORKFLOW = {"scoresheet", "scoreline", "rankingsnapshot", "publication", "complaint"}


@pytest.fixture
def superuser(world: World) -> User:
    return User.objects.create_superuser(
        username="sieuquantri", password="x", full_name="Siêu quản trị"
    )


def _request(user: User) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _editable(model_admin: Any, request: Any, obj: Any) -> set[str]:
    """The fields an admin form of ``model_admin`` would let this person change."""
    if obj is None and not model_admin.has_add_permission(request):
        return set()
    if obj is not None and not model_admin.has_change_permission(request, obj):
        return set()
    form = model_admin.get_form(request, obj, change=obj is not None)
    readonly = set(model_admin.get_readonly_fields(request, obj))
    return set(form.base_fields) - readonly


def _inline_editable(inline: Any, request: Any, obj: Any) -> set[str]:
    if not (inline.has_change_permission(request, obj) or inline.has_add_permission(request, obj)):
        return set()
    form = inline.get_formset(request, obj).form
    return set(form.base_fields) - set(inline.get_readonly_fields(request, obj)) - {"DELETE"}


def test_every_workflow_field_is_read_only_in_every_admin_form(
    awards_world: AwardsWorld, superuser: User, council_admin: User
) -> None:
    w = awards_world
    issued = issued_quickly(w.provisional_year, Document.Kind.REPORT)
    # The rows the workflow writes are all there to be looked at.
    workflow_tables: list[type[models.Model]] = [
        BlocYear,
        ScoreSheet,
        ScoreLine,
        RankingSnapshot,
        Publication,
        Complaint,
    ]
    for table in workflow_tables:
        assert table._default_manager.exists(), table
    checked = 0
    for person in (superuser, council_admin):
        request = _request(person)
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in PROJECT_APPS:
                continue
            names = {field.name for field in model._meta.get_fields()}
            protected = names & WORKFLOW_FIELDS
            if model._meta.model_name in WHOLLY_WORKFLOW:
                protected = names
            rows: list[models.Model | None] = [None, model._default_manager.first()]
            if model is Document:
                rows.append(issued)
            for obj in rows:
                editable = _editable(model_admin, request, obj)
                if model is Document and obj is issued:
                    assert editable == set(), "an issued document is read-only"
                assert not (editable & protected), (model, obj, editable & protected)
                if obj is None:
                    continue
                for inline in model_admin.get_inline_instances(request, obj):
                    inline_names = {field.name for field in inline.model._meta.get_fields()}
                    inline_editable = _inline_editable(inline, request, obj)
                    assert not (inline_editable & inline_names & WORKFLOW_FIELDS), inline
                checked += 1
    assert checked > 50


def test_a_verified_score_and_a_bloc_years_state_cannot_be_changed_in_the_admin(
    awards_world: AwardsWorld, superuser: User
) -> None:
    w = awards_world
    line = ScoreLine.objects.filter(sheet__bloc_year=w.provisional_year).first()
    assert line is not None and line.verified_points is not None
    client = client_for(superuser)
    url = reverse("admin:scoring_scoreline_change", args=[line.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(url, {"verified_value": "2", "council_adjustment": "-2"})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.council_adjustment is None or line.council_adjustment != Decimal("-2")

    year = w.bloc_year
    html = client.get(reverse("admin:blocs_blocyear_change", args=[year.pk])).content.decode()
    assert 'name="state"' not in html
    # A forged state in the post is ignored: the field is not in the form.
    data = {
        "bloc": str(year.bloc_id),
        "year": str(year.year),
        "state": BlocYear.State.DECIDED,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    client.post(reverse("admin:blocs_blocyear_change", args=[year.pk]), data)
    year.refresh_from_db()
    assert year.state != BlocYear.State.DECIDED


def test_a_year_under_way_is_not_deleted_and_finalized_members_stay(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    client = client_for(council_admin)
    scoring_year = w.bloc_year  # scoring is open
    delete = reverse("admin:blocs_blocyear_delete", args=[scoring_year.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert BlocYear.objects.filter(pk=scoring_year.pk).exists()
    finalized = w.provisional_year
    page = client.get(reverse("admin:blocs_blocyear_change", args=[finalized.pk])).content.decode()
    assert 'name="memberships-0-role"' not in page
    membership = finalized.memberships.first()
    assert membership is not None
    url = reverse("admin:blocs_membership_delete", args=[membership.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403


def test_an_admin_change_writes_an_audit_entry(world: World, council_admin: User) -> None:
    unit = world.member
    client = client_for(council_admin)
    url = reverse("admin:blocs_unit_change", args=[unit.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "council": str(unit.council_id),
            "short_name": "Báo QN",
            "former_names-TOTAL_FORMS": "0",
            "former_names-INITIAL_FORMS": "0",
            "successor_links-TOTAL_FORMS": "0",
            "successor_links-INITIAL_FORMS": "0",
        }
    )
    data.pop("id", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(context=f"admin:blocs.unit:{unit.pk}", action="admin.change")
    assert entry.actor == council_admin
    assert entry.changes["short_name"][1] == "Báo QN"
    assert "Báo Quảng Nam" in entry.summary
    # The admin sees it in the audit trail, though it belongs to no bloc-year.
    trail = client.get(reverse("admin:blocs_auditentry_changelist")).content.decode()
    assert entry.summary in trail


def test_a_membership_change_in_the_bloc_year_is_audited_with_the_year(
    world: World, council_admin: User
) -> None:
    membership = world.bloc_year.memberships.get(unit=world.member)
    client = client_for(council_admin)
    url = reverse("admin:blocs_membership_delete", args=[membership.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action="admin.delete")
    assert entry.bloc_year == world.bloc_year
    assert entry.context == f"admin:blocs.membership:{membership.pk}"


NEW_PAGES = ["rankingrules", "rankingsnapshot", "publication", "complaint"]


@pytest.mark.parametrize("name", NEW_PAGES)
def test_the_new_admin_pages_open_for_a_superuser_and_a_council_admin(
    name: str, awards_world: AwardsWorld, superuser: User, council_admin: User
) -> None:
    w = awards_world
    ranking_services.ranking_rules_save(
        reason="Điều chỉnh khi đang chấm điểm",
        tie_breaks=[],
        bands=[{"name": "Xuất sắc", "min_total_percent": "90", "floor_percent": "0"}],
        by=None,
        bloc_year=w.bloc_year,
    )
    model: type[models.Model] = {
        "rankingrules": RankingRules,
        "rankingsnapshot": RankingSnapshot,
        "publication": Publication,
        "complaint": Complaint,
    }[name]
    obj = model._default_manager.first()
    assert obj is not None
    for person in (superuser, council_admin):
        client = client_for(person)
        changelist = client.get(reverse(f"admin:scoring_{name}_changelist"))
        assert changelist.status_code == 200
        assert changelist.context["cl"].result_count >= 1
        change = client.get(reverse(f"admin:scoring_{name}_change", args=[obj.pk]))
        assert change.status_code == 200
        html = change.content.decode()
        if name == "rankingrules":
            assert 'name="bands"' in html and 'name="_save"' in html
        else:
            assert 'name="_save"' not in html  # read-only
            add = client.get(reverse(f"admin:scoring_{name}_add"))
            assert add.status_code == 403


def test_ranking_rules_are_saved_through_their_service(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    rules = ranking_services.ranking_rules_save(
        reason="Điều chỉnh khi đang chấm điểm",
        tie_breaks=[],
        bands=[{"name": "Xuất sắc", "min_total_percent": "90", "floor_percent": "0"}],
        by=None,
        bloc_year=w.bloc_year,
    )
    client = client_for(council_admin)
    url = reverse("admin:scoring_rankingrules_change", args=[rules.pk])
    bad = client.post(
        url,
        {
            "tie_breaks": "[]",
            "bands": '[{"name": "A", "min_total_percent": "50", "floor_percent": "0"},'
            ' {"name": "B", "min_total_percent": "80", "floor_percent": "0"}]',
        },
    )
    assert bad.status_code == 200
    assert "Các mức xếp loại phải xếp từ cao xuống thấp." in bad.content.decode()
    # The year is being scored: the admin, too, must give the change's reason.
    assert "ghi lý do thay đổi quy tắc xếp hạng" in bad.content.decode()
    good = client.post(
        url,
        {
            "tie_breaks": "[]",
            "bands": '[{"name": "Tốt", "min_total_percent": "80", "floor_percent": "0"}]',
            "explanation_required": "on",
            "reason": "Hội nghị khối thống nhất",
        },
    )
    assert good.status_code == 302, good.content.decode()[:3000]
    rules.refresh_from_db()
    assert rules.bands[0]["name"] == "Tốt" and rules.explanation_required
    assert AuditEntry.objects.filter(action="ranking.rules", bloc_year=w.bloc_year).exists()
    # A finalized year's rules are read-only.
    finalized = ranking_services.ranking_rules_save(
        reason="Điều chỉnh khi đang chấm điểm",
        tie_breaks=[],
        bands=[{"name": "Xuất sắc", "min_total_percent": "90", "floor_percent": "0"}],
        by=None,
        council=w.council,
    )
    RankingRules.objects.filter(pk=finalized.pk).update(council=None, bloc_year=w.provisional_year)
    page = client.get(reverse("admin:scoring_rankingrules_change", args=[finalized.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


NAMES = ["Yên Bái", "Đà Nẵng", "Dầu Tiếng", "Cần Thơ", "Điện Biên", "An Giang", "Dương Minh"]
EXPECTED = ["An Giang", "Cần Thơ", "Dầu Tiếng", "Dương Minh", "Đà Nẵng", "Điện Biên", "Yên Bái"]


def test_names_sort_in_vietnamese_order_in_the_admin(world: World, superuser: User) -> None:
    council = world.council
    for name in NAMES:
        UnitFactory.create(council=council, name=f"Sở {name}")
        services.user_create(
            username=f"u{vietnamese_sort_key(name)[0][0]}-{len(name)}",
            password="x",
            unit=world.member,
            full_name=name,
        )
    client = client_for(superuser)
    units = client.get(reverse("admin:blocs_unit_changelist"), {"q": "Sở", "all": ""})
    listed = [unit.name for unit in units.context["cl"].result_list]
    ours = [name.removeprefix("Sở ") for name in listed if name.removeprefix("Sở ") in NAMES]
    assert ours == EXPECTED
    people = client.get(reverse("admin:blocs_user_changelist"))
    names = [person.full_name for person in people.context["cl"].result_list]
    assert [name for name in names if name in NAMES] == EXPECTED
    # Sorting by the name column, descending, is the Vietnamese order reversed.
    column = list(people.context["cl"].list_display).index("person_name")
    people = client.get(reverse("admin:blocs_user_changelist"), {"o": f"-{column}"})
    names = [person.full_name for person in people.context["cl"].result_list]
    assert [name for name in names if name in NAMES] == EXPECTED[::-1]
    # So do the people offered as the year's secretaries.
    year_page = client.get(reverse("admin:blocs_blocyear_change", args=[world.bloc_year.pk]))
    offered = year_page.context["adminform"].form.fields["secretaries"].queryset
    assert [person.full_name for person in offered if person.full_name in NAMES] == EXPECTED
    # The tables of the index follow the alphabet too.
    index = client.get(reverse("admin:index"))
    for app in index.context["app_list"]:
        titles = [str(model["name"]) for model in app["models"]]
        assert titles == sorted(titles, key=vietnamese_sort_key), app["name"]


def test_the_extra_secretaries_offered_are_active_focal_points_only(
    world: World, superuser: User, leader: User, council_admin: User, focal_point: User
) -> None:
    """Issue 20.16: leaders and council admins have rights of their own; the picker (a search,
    in the Vietnamese order of the server) and the form offer focal points only."""
    client = client_for(superuser)
    page = client.get(reverse("admin:blocs_blocyear_change", args=[world.bloc_year.pk]))
    offered = set(page.context["adminform"].form.fields["secretaries"].queryset)
    assert focal_point in offered and not {leader, council_admin} & offered
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "",
            "app_label": "blocs",
            "model_name": "blocyear",
            "field_name": "secretaries",
        },
    ).json()
    ids = {int(item["id"]) for item in found["results"]}
    assert focal_point.pk in ids and not {leader.pk, council_admin.pk} & ids


def test_a_years_bloc_and_year_are_fixed_once_it_is_under_way(
    world: World, superuser: User
) -> None:
    client = client_for(superuser)
    url = reverse("admin:blocs_blocyear_change", args=[world.bloc_year.pk])
    form = client.get(url).context["adminform"].form
    assert "year" in form.fields  # still being set up: editable
    BlocYear.objects.filter(pk=world.bloc_year.pk).update(state=BlocYear.State.SCORING)
    readonly = client.get(url).context["adminform"].readonly_fields
    assert {"bloc", "year"} <= set(readonly)


def test_djangos_admin_strings_are_vietnamese(world: World, superuser: User) -> None:
    draft(world.bloc_year, Document.Kind.REPORT)
    client = client_for(superuser)
    with translation.override("vi"):
        changelist = client.get(reverse("admin:blocs_unit_changelist")).content.decode()
        assert "Hiện số lượng" in changelist and "Show counts" not in changelist
        refused = client.post(reverse("admin:blocs_council_add"), {"name": ""})
        html = refused.content.decode()
        assert "Vui lòng sửa các lỗi dưới đây." in html
        assert "Please correct the error" not in html
        person = client.get(reverse("admin:blocs_user_change", args=[superuser.pk]))
        html = person.content.decode()
        assert "Đặt lại mật khẩu" in html and "Reset password" not in html
        documents = client.get(reverse("admin:reports_document_changelist")).content.decode()
        assert "Số, ký hiệu" in documents and "Number line" not in documents


DJANGO = Path(django.__file__).resolve().parent
CATALOGUES = [
    ("django", DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po"),
    ("djangojs", DJANGO / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"),
    ("django", DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po"),
    # django-axes has no Vietnamese catalogue; its German one lists its strings.
    ("django", Path(axes.__file__).resolve().parent / "locale/de/LC_MESSAGES/django.po"),
]
# Strings that read the same in Vietnamese.
SAME_IN_VIETNAMESE = {"%(class_name)s %(instance)s", "HTTP Accept"}


def _literal(text: str) -> str:
    return str(ast.literal_eval(f'"{text}"'))


@pytest.mark.parametrize(("domain", "path"), CATALOGUES, ids=["admin", "admin-js", "auth", "axes"])
def test_every_string_of_djangos_admin_has_a_vietnamese_translation(
    domain: str, path: Path
) -> None:
    if domain == "django":
        catalogue: Any = trans_real.translation("vi")
    else:
        catalogue = trans_real.DjangoTranslation(
            "vi", domain="djangojs", localedirs=[str(DJANGO / "contrib/admin/locale")]
        )
    untranslated = []
    for entry in _po_entries(path):
        msgid = _literal(entry["msgid"])
        if "msgctxt" in entry:
            msgid = f"{_literal(entry['msgctxt'])}\x04{msgid}"
        if "msgid_plural" in entry:
            translated = catalogue.ngettext(msgid, _literal(entry["msgid_plural"]), 1)
        else:
            translated = catalogue.gettext(msgid)
        if translated == msgid and msgid not in SAME_IN_VIETNAMESE:
            untranslated.append(msgid)
    assert untranslated == [], "add these to locale/django_vi/vi/LC_MESSAGES"


def test_the_compiled_catalogue_of_djangos_strings_is_up_to_date() -> None:
    folder = Path(__file__).resolve().parents[2] / "locale" / "django_vi" / "vi" / "LC_MESSAGES"
    for domain in ("django", "djangojs"):
        with (folder / f"{domain}.mo").open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for entry in _po_entries(folder / f"{domain}.po"):
            msgid = _literal(entry["msgid"])
            if "msgctxt" in entry:
                msgid = f"{_literal(entry['msgctxt'])}\x04{msgid}"
            expected = _literal(entry["msgstr"].split("\x00")[0])
            if "msgid_plural" in entry:
                assert compiled.ngettext(msgid, _literal(entry["msgid_plural"]), 1) == expected
            else:
                assert compiled.gettext(msgid) == expected, msgid


def test_a_password_set_in_the_admin_is_audited_without_the_password(
    world: World, council_admin: User
) -> None:
    person = services.user_create(username="moi", password="x", unit=world.member)
    client = client_for(council_admin)
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    new = "Mat-khau-moi-2026!"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="admin.password")
    assert entry.context == f"admin:blocs.user:{person.pk}" and entry.actor == council_admin
    assert new not in str(entry.changes) and new not in entry.summary
