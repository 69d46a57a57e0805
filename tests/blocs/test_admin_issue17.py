"""Issue 17, what an outside tester found the admin still let through or said badly: members
removed in the middle of scoring, accounts deleted, the person page's hash and free dates, a
search that cared about marks, award codes in a filter, an English "Axes" and Django's awkward
Vietnamese. Run on SQLite and PostgreSQL (the search folds in SQL)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from awards.models import Proposal
from blocs import services
from blocs.models import BlocYear, Membership, User
from common.admin_search import FoldedSearchMixin
from tests.conftest import AwardsWorld, World, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(world: World) -> User:
    return User.objects.create_superuser(
        username="sieuquantri", password="x", full_name="Siêu quản trị"
    )


def _vi(client: Client, url: str, data: dict[str, str] | None = None) -> str:
    with translation.override("vi"):
        response = client.get(url, data or {})
    assert response.status_code == 200, url
    return response.content.decode()


def _text(html: str) -> str:
    """The page's words, tags dropped and spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# 1. A bloc-year's members


def _inline_post(year: BlocYear, membership: Membership, **extra: str) -> dict[str, str]:
    return {
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-bloc_year": str(year.pk),
        "memberships-0-unit": str(membership.unit_id),
        **extra,
    }


@pytest.mark.parametrize("state", [BlocYear.State.UNDERWAY, BlocYear.State.SCORING])
def test_a_year_past_setup_keeps_its_members_in_the_admin(
    world: World, council_admin: User, state: str
) -> None:
    year = world.bloc_year
    BlocYear.objects.filter(pk=year.pk).update(state=state)
    member = year.memberships.get(unit=world.member)
    client = client_for(council_admin)
    url = reverse("admin:blocs_blocyear_change", args=[year.pk])
    html = _vi(client, url)
    for field in ("DELETE", "role", "unit", "women_share"):
        assert f'name="memberships-0-{field}"' not in html
    assert 'name="memberships-__prefix__-unit"' not in html  # no "add another"
    assert "thành viên không sửa ở đây" in _text(html)  # and says where they change
    # A forged deletion and a forged role are ignored: the rows stay as they were.
    data = _inline_post(
        year, member, **{"memberships-0-DELETE": "on", "memberships-0-role": "head"}
    )
    assert client.post(url, data).status_code == 302  # saved: nothing of the members changed
    assert Membership.objects.filter(pk=member.pk, role=Membership.Role.MEMBER).exists()
    assert year.memberships.count() == 3
    # The members' own admin page: no delete, no save, and no year past setup to add to.
    delete = reverse("admin:blocs_membership_delete", args=[member.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = _vi(client, reverse("admin:blocs_membership_change", args=[member.pk]))
    assert 'name="_save"' not in change
    added = client.post(
        reverse("admin:blocs_membership_add"),
        {"bloc_year": str(year.pk), "unit": str(world.outsider_unit.pk), "role": "member"},
    )
    assert added.status_code == 200
    assert "bloc_year" in added.context["adminform"].form.errors
    assert not Membership.objects.filter(unit=world.outsider_unit, bloc_year=year).exists()


def test_a_year_being_set_up_changes_its_members_but_not_the_womens_share(
    world: World, council_admin: User
) -> None:
    year = world.bloc_year
    assert year.state == BlocYear.State.SETUP
    member = year.memberships.get(unit=world.member)
    Membership.objects.filter(pk=member.pk).update(women_share=Decimal("50"))
    client = client_for(council_admin)
    url = reverse("admin:blocs_blocyear_change", args=[year.pk])
    html = _vi(client, url)
    assert 'name="memberships-0-role"' in html and 'name="memberships-0-DELETE"' in html
    assert "women_share" not in re.findall(r'name="memberships-\d-(\w+)"', html)
    assert "50,00" in html and "50.00" not in html  # shown, in the Vietnamese way
    assert "thành viên không sửa ở đây" not in _text(html)
    # A forged share is ignored; the rest of the form saves.
    form = client.get(url).context["adminform"].form
    post: dict[str, object] = {
        name: value for name, value in form.initial.items() if value not in (None, [])
    }
    rows = list(year.memberships.order_by("unit__name"))
    post.update(
        {
            "memberships-TOTAL_FORMS": str(len(rows)),
            "memberships-INITIAL_FORMS": str(len(rows)),
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    for index, row in enumerate(rows):
        post[f"memberships-{index}-id"] = str(row.pk)
        post[f"memberships-{index}-bloc_year"] = str(year.pk)
        post[f"memberships-{index}-unit"] = str(row.unit_id)
        post[f"memberships-{index}-role"] = row.role
        post[f"memberships-{index}-women_share"] = "99"
    response = client.post(url, post)
    assert response.status_code == 302, _text(response.content.decode())[:2000]
    member.refresh_from_db()
    assert member.women_share == Decimal("50.00")
    assert not Membership.objects.filter(bloc_year=year, women_share=Decimal("99")).exists()


# 2. No account is deleted in the admin


@pytest.mark.parametrize("who", ["council_admin", "superuser"])
def test_nobody_deletes_an_account_in_the_admin(
    world: World, council_admin: User, superuser: User, focal_point: User, who: str
) -> None:
    client = client_for(council_admin if who == "council_admin" else superuser)
    delete = reverse("admin:blocs_user_delete", args=[focal_point.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:blocs_user_changelist")
    with translation.override("vi"):
        page = client.get(changelist)
    actions = [name for name, _label in page.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert "Xóa các người dùng đã chọn" not in page.content.decode()
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [focal_point.pk], "post": ""}
    )
    assert User.objects.filter(pk=focal_point.pk).exists()
    change = _vi(client, reverse("admin:blocs_user_change", args=[focal_point.pk]))
    assert reverse("admin:blocs_user_delete", args=[focal_point.pk]) not in change


# 3. The person's page


def test_the_person_page_shows_no_hash_and_no_free_dates(
    world: World, council_admin: User, focal_point: User
) -> None:
    User.objects.filter(pk=focal_point.pk).update(last_login=timezone.now())
    client = client_for(council_admin)
    url = reverse("admin:blocs_user_change", args=[focal_point.pk])
    html = _vi(client, url)
    text = _text(html)
    for name in ("last_login", "date_joined"):
        assert not re.search(rf'name="{name}(_\d)?"', html), name
    assert "Lần cuối đăng nhập" in text and "Ngày tham gia" in text  # shown, read-only
    assert "Siêu quản trị" in text and "Trạng thái superuser" not in text
    assert "Thư điện tử" in text and "Địa chỉ email" not in text
    assert focal_point.password.split("$")[2] not in html  # the salt
    for detail in ("pbkdf2", "thuật toán", "salt", "băm:", "hash:"):
        assert detail not in html.lower(), detail
    assert "Đã đặt mật khẩu." in text
    person_page = reverse("blocs:person", args=[world.council.code, focal_point.pk])
    assert f'href="{person_page}"' in html
    # Someone invited who has not set a password yet.
    invited = services.user_create(username="moimoi", password=None, unit=world.member)
    text = _text(_vi(client, reverse("admin:blocs_user_change", args=[invited.pk])))
    assert "Chưa đặt mật khẩu." in text and "Đã đặt mật khẩu." not in text


# 4. Search ignores case and marks, on both databases


def _found(client: Client, name: str, query: str) -> int:
    with translation.override("vi"):
        response = client.get(reverse(f"admin:{name}_changelist"), {"q": query})
    assert response.status_code == 200
    return int(response.context["cl"].result_count)


def test_the_admins_search_ignores_case_and_vietnamese_marks(
    awards_world: AwardsWorld, superuser: User
) -> None:
    w = awards_world
    for index, name in enumerate(["Nguyễn Văn An", "Nguyễn Thị Bình", "NGUYỄN Hữu Cường"]):
        services.user_create(username=f"nv{index}", password="x", unit=w.member, full_name=name)
    client = client_for(superuser)
    # "Sở Y tế" is one unit of the world's council.
    assert _found(client, "blocs_unit", "Sở Y tế") == 1
    assert _found(client, "blocs_unit", "so y te") == 1
    assert _found(client, "blocs_unit", "SO Y TE") == 1
    assert _found(client, "blocs_user", "Nguyễn") == 3
    assert _found(client, "blocs_user", "nguyen") == 3
    # Words may be anywhere in the fields searched ("báo" in the unit, not in the award).
    assert _found(client, "awards_proposal", "Báo Quảng Nam") == 1
    assert _found(client, "awards_proposal", "bao quang nam") == 1
    assert _found(client, "awards_proposal", "bao co thi dua uy ban") == 1
    assert _found(client, "awards_proposal", "bao chinh phu") == 0
    # The pickers search the same way.
    with translation.override("vi"):
        found = client.get(
            reverse("admin:autocomplete"),
            {
                "term": "so y",
                "app_label": "blocs",
                "model_name": "membership",
                "field_name": "unit",
            },
        ).json()
    assert [item["text"] for item in found["results"]] == ["Sở Y tế"]
    # django-axes' tables too, an IP address among their fields.
    assert _found(client, "axes_accessattempt", "127.0") == 0


def test_every_admin_with_a_search_box_folds_marks() -> None:
    searched = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields
    ]
    assert {"blocs.Unit", "blocs.User", "awards.Proposal", "axes.AccessAttempt"} <= set(searched)
    assert "auth.Group" in searched
    plain = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields and not isinstance(model_admin, FoldedSearchMixin)
    ]
    assert plain == []


# 5. The award filter lists names


def test_the_proposals_award_filter_lists_award_names(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    client = client_for(council_admin)
    html = _vi(client, reverse("admin:awards_proposal_changelist"))
    text = _text(html)
    assert "Theo hình thức khen thưởng" in text
    assert "Cờ thi đua của Chính phủ" in text and "Cờ thi đua của Ủy ban nhân dân tỉnh" in text
    assert "GOV_FLAG" not in text and "PROV_FLAG" not in text
    assert "?award=GOV_FLAG" in html
    with translation.override("vi"):
        page = client.get(reverse("admin:awards_proposal_changelist"), {"award": "GOV_FLAG"})
    listed = list(page.context["cl"].result_list)
    assert [proposal.unit for proposal in listed] == [awards_world.head]
    assert Proposal.objects.count() == 2
    ballots = _text(_vi(client, reverse("admin:awards_ballotresult_changelist")))
    assert "Cờ thi đua của Chính phủ" in ballots and "GOV_FLAG" not in ballots


# 6. django-axes in Vietnamese


def test_the_lockout_tables_have_a_vietnamese_name(world: World, superuser: User) -> None:
    client = client_for(superuser)
    index = _text(_vi(client, reverse("admin:index")))
    assert "Đăng nhập sai và khóa tạm thời" in index
    assert "Axes" not in index and "AXES" not in index
    section = _text(_vi(client, reverse("admin:app_list", args=["axes"])))
    assert "Đăng nhập sai và khóa tạm thời" in section and "Axes" not in section
    with translation.override("vi"):
        names = [
            str(model._meta.verbose_name_plural)
            for model in apps.get_app_config("axes").get_models()
        ]
    assert set(names) == {
        "hạn của lượt đăng nhập",
        "lần đăng nhập sai",
        "lượt đăng nhập",
        "nhật ký đăng nhập",
    }


# 7. Django's wording


def test_djangos_action_bar_and_filter_headings_read_as_vietnamese(
    world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    text = _text(_vi(client, reverse("admin:blocs_user_changelist")))
    assert "Đã chọn 0 trên" in text and not re.search(r"\d+ của \d+", text)
    assert "Theo đang hoạt động" in text
    assert "Bởi " not in text and "Đi đến" not in text
    assert "Thêm người dùng" in text and "Thêm vào" not in text  # Django's "Add …"
    with translation.override("vi"):
        assert gettext("0 of %(cnt)s selected") % {"cnt": 4} == "Đã chọn 0 trên 4"
        assert gettext(" By %(filter_title)s ") == " Theo %(filter_title)s "
        script = client.get(reverse("admin:jsi18n")).content.decode()
    # The catalogue is JSON, non-ASCII letters escaped.
    assert json.dumps("Đã chọn %(sel)s trên %(cnt)s")[1:-1] in script
