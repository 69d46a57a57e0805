"""What the search finds, and in which order: diacritics and case, đ, former names, numbers,
the Vietnamese alphabet; the page's states. On SQLite and on PostgreSQL (docs/search.md)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from blocs.models import User
from common.search import fold
from portal import search as portal_search
from portal.search import BLOCS, DOCUMENTS, PEOPLE, UNITS, Hit, Results
from tests.conftest import client_for
from tests.search.conftest import HOA_BINH_UNITS, SearchWorld

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def titles(results: Results, kind: str) -> list[str]:
    group = next(group for group in results.groups if group.kind == kind)
    return [text(hit.title) for hit in group.hits]


def text(parts: list[tuple[str, bool]]) -> str:
    return "".join(part for part, _marked in parts)


def meta(found: Hit) -> list[str]:
    return [text(parts) for parts in found.meta]


def hit(results: Results, kind: str, title: str) -> Hit:
    group = next(group for group in results.groups if group.kind == kind)
    return next(hit for hit in group.hits if text(hit.title) == title)


def test_units_are_found_whatever_the_marks_and_the_case(search_world: SearchWorld) -> None:
    for query in ("so y te", "SO Y TE", "Sở Y tế", "sở y tế", "so y  te", "y te so"):
        assert titles(portal_search.search(ANONYMOUS, query), UNITS) == [
            "Sở Y tế",
            "Sở Y tế tỉnh Hòa Bình",
        ], query


def test_the_letter_d_finds_đ_and_the_short_name_counts(search_world: SearchWorld) -> None:
    results = portal_search.search(ANONYMOUS, "dai pt")
    assert titles(results, UNITS) == [
        "Đài Phát thanh - Truyền hình Quảng Nam",  # by its short name, Đài PT-TH Quảng Nam
    ]
    radio = hit(results, UNITS, "Đài Phát thanh - Truyền hình Quảng Nam")
    assert radio.url == reverse("unit", args=[search_world.radio.pk])
    assert meta(radio)[0] == "Đài PT-TH Quảng Nam"
    assert radio.meta[0][:2] == [("Đài", True), (" ", False)]
    # Typed with its mark, the capital Đ finds the same units as d.
    assert titles(portal_search.search(ANONYMOUS, "ĐÀI PHÁT"), UNITS) == titles(
        portal_search.search(ANONYMOUS, "dai phat"), UNITS
    )
    # And a unit's code.
    assert titles(portal_search.search(ANONYMOUS, "dptth"), UNITS) == [
        "Đài Phát thanh - Truyền hình Quảng Nam"
    ]


def test_a_unit_is_found_by_a_name_it_carried_before(search_world: SearchWorld) -> None:
    results = portal_search.search(ANONYMOUS, "van hoa thong tin")
    assert titles(results, UNITS) == ["Sở Văn hóa, Thể thao và Du lịch"]
    found = hit(results, UNITS, "Sở Văn hóa, Thể thao và Du lịch")
    assert found.note_label == "Tên trước đây:"
    assert text(found.note) == "Sở Văn hóa - Thông tin"
    assert ("Thông", True) in found.note
    # Found by today's name, the unit does not show the old one.
    today = hit(
        portal_search.search(ANONYMOUS, "the thao du lich"), UNITS, found_name := text(found.title)
    )
    assert found_name == "Sở Văn hóa, Thể thao và Du lịch" and today.note == []
    # An earlier short name counts too.
    assert titles(portal_search.search(ANONYMOUS, "vh-tt"), UNITS) == [
        "Sở Văn hóa, Thể thao và Du lịch"
    ]


def test_units_come_in_the_vietnamese_alphabet(search_world: SearchWorld) -> None:
    """Dân before Đài (d before đ), Ban before Bảo, Ủy last: neither the code-point order
    (Đài after Sở) nor the folded one (Đài before Dân)."""
    found = titles(portal_search.search(ANONYMOUS, "tinh hoa binh"), UNITS)
    assert found == HOA_BINH_UNITS
    assert found != sorted(HOA_BINH_UNITS)
    assert found != sorted(HOA_BINH_UNITS, key=fold)


def test_blocs_are_found_by_name_or_code(search_world: SearchWorld) -> None:
    results = portal_search.search(ANONYMOUS, "khoi thi dua tham muu")
    assert titles(results, BLOCS) == ["Khối thi đua tham mưu I", "Khối thi đua tham mưu III"]
    bloc = hit(results, BLOCS, "Khối thi đua tham mưu III")
    assert bloc.url == reverse("blocs:bloc", args=[search_world.bloc.pk])
    assert meta(bloc) == ["Khối thi đua", "Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam"]
    assert titles(portal_search.search(ANONYMOUS, "tm3"), BLOCS) == ["Khối thi đua tham mưu III"]
    assert titles(portal_search.search(ANONYMOUS, "cum hoa binh"), BLOCS) == [
        "Cụm thi đua số 1 tỉnh Hòa Bình"
    ]


def test_documents_are_found_by_number_kind_subject_or_bloc(
    search_world: SearchWorld, council_admin: User
) -> None:
    w = search_world
    assert w.report.number is not None
    number = f"{w.report.number:02d}/BC-{w.report.issuer_code}"
    # Each year's series starts again at 01: the reports on 2019 and on 2020 share the number.
    assert w.unpublished_report.number == w.report.number
    found = hit_group(council_admin, number, DOCUMENTS)
    assert [h.url for h in found] == [
        w.unpublished_report.get_absolute_url(),
        w.report.get_absolute_url(),
    ]
    assert found[1].note_label == "Số:" and text(found[1].note) == number
    # The number without its marks or leading zero, in lower case, and the year of its subject.
    folded = f"{w.report.number}/bc-{fold(w.report.issuer_code)} 2019"
    assert [h.url for h in hit_group(council_admin, folded, DOCUMENTS)] == [
        w.report.get_absolute_url()
    ]
    # By the kind's name and the year in its subject: the report of 2019 only.
    assert [h.url for h in hit_group(council_admin, "bao cao tong ket 2019", DOCUMENTS)] == [
        w.report.get_absolute_url()
    ]
    # By the bloc's name: newest year first, then the kinds in their order; a draft says so.
    found = hit_group(council_admin, "tham muu iii", DOCUMENTS)
    assert [h.url for h in found] == [
        w.unpublished_report.get_absolute_url(),
        w.report.get_absolute_url(),
        w.minutes.get_absolute_url(),
        w.submission.get_absolute_url(),
    ]
    assert [h.badge for h in found] == [None, None, None, ("draft", "Dự thảo")]
    assert found[3].note == []  # a draft has no number yet


def hit_group(user: User | AnonymousUser, query: str, kind: str) -> list[Hit]:
    results = portal_search.search(user, query)
    return next(group.hits for group in results.groups if group.kind == kind)


def test_people_are_found_by_name_login_or_email(
    search_world: SearchWorld, council_admin: User, secretariat: User
) -> None:
    secretariat.full_name = "Lê Thị Thu"
    secretariat.email = "thu@syt.example"
    secretariat.save()
    for query in ("le thi thu", "LÊ THỊ", "thuky", "thu@syt"):
        found = hit_group(council_admin, query, PEOPLE)
        assert [text(h.title) for h in found] == ["Lê Thị Thu"], query
    person = hit_group(council_admin, "thuky", PEOPLE)[0]
    assert meta(person) == ["thuky", "Cán bộ đầu mối đơn vị", "thu@syt.example", "Sở Y tế"]
    assert person.meta[0] == [("thuky", True)]
    # The person's page in the Django admin; without access to the admin, no link.
    assert council_admin.is_staff
    assert person.url == reverse("admin:blocs_user_change", args=[secretariat.pk])
    council_admin.is_staff = False
    assert hit_group(council_admin, "thuky", PEOPLE)[0].url is None


def test_a_locked_account_says_so(search_world: SearchWorld, council_admin: User) -> None:
    User.objects.filter(username="quantri").update(full_name="Trần Thị Thu Hà")
    locked = User.objects.create(
        username="cu", full_name="Trần Văn Cũ", unit=search_world.member, is_active=False
    )
    found = hit_group(council_admin, "tran", PEOPLE)
    assert [text(h.title) for h in found] == ["Trần Thị Thu Hà", "Trần Văn Cũ"]
    assert found[1].badge == ("rejected", "Tài khoản đã khóa") and locked.pk


def test_each_kind_shows_a_few_rows_and_counts_them_all(
    search_world: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(portal_search, "FIRST", 2)
    results = portal_search.search(ANONYMOUS, "hoa binh")
    units = results.groups[0]
    assert units.kind == UNITS and units.total == 6
    assert [text(h.title) for h in units.hits] == HOA_BINH_UNITS[:2]
    assert units.more_url == reverse("search") + "?q=hoa+binh&kind=units"
    assert results.total == 7  # and the Hòa Bình cluster
    # Asked for alone, the kind shows them all (up to ALL).
    alone = portal_search.search(ANONYMOUS, "hoa binh", only=UNITS)
    assert [text(h.title) for h in alone.groups[0].hits] == HOA_BINH_UNITS
    assert alone.groups[0].more_url is None
    assert [group.kind for group in alone.shown] == [UNITS]


def test_an_empty_query_searches_nothing(
    search_world: SearchWorld, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        results = portal_search.search(ANONYMOUS, "   ")
    assert results.total == 0 and not results.terms


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's own behaviour")
def test_sqlite_finds_exact_words_only(search_world: SearchWorld) -> None:
    assert titles(portal_search.search(ANONYMOUS, "so y tee"), UNITS) == []


@pytest.mark.postgres
def test_postgresql_finds_a_query_typed_with_a_slip(search_world: SearchWorld) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity is PostgreSQL's")
    results = portal_search.search(ANONYMOUS, "so y tee")
    units = results.groups[0]
    assert [text(h.title) for h in units.hits] == ["Sở Y tế", "Sở Y tế tỉnh Hòa Bình"]
    assert units.near
    # When something matches exactly, look-alikes are left out.
    exact = portal_search.search(ANONYMOUS, "so y te").groups[0]
    assert not exact.near and exact.total == 2
    assert "Sở Tư pháp" not in [text(h.title) for h in exact.hits]


# ---------------------------------------------------------------------------- the page


def test_the_page_answers_everyone_with_what_they_may_search(
    search_world: SearchWorld, personas: dict[str, User | None]
) -> None:
    expected = {
        "anonymous": [UNITS, BLOCS],
        "council_admin": [UNITS, BLOCS, DOCUMENTS, PEOPLE],
        "secretariat": [UNITS, BLOCS, DOCUMENTS],
        "focal_point": [UNITS, BLOCS, DOCUMENTS],
        "outsider": [UNITS, BLOCS, DOCUMENTS],
        "leader": [UNITS, BLOCS, DOCUMENTS],
    }
    for persona, user in personas.items():
        response = client_for(user).get(reverse("search"), {"q": "so y te"})
        assert response.status_code == 200
        results = response.context["results"]
        assert [group.kind for group in results.groups] == expected[persona], persona
        assert titles(results, UNITS) == ["Sở Y tế", "Sở Y tế tỉnh Hòa Bình"], persona


def test_the_page_shows_groups_with_counts_and_marks(search_world: SearchWorld) -> None:
    response = client_for(None).get(reverse("search"), {"q": "dai pt"})
    html = response.content.decode()
    assert "Tìm thấy 1 kết quả cho “dai pt”." in html
    assert '<a href="#ket-qua-units">Đơn vị <span class="search-count">1</span></a>' in html
    # Found by its short name (Đài PT-TH): "pt" is not in the full name, "Đài" is.
    assert "<mark>Đài</mark> Phát thanh - Truyền hình Quảng Nam</a>" in html
    assert f'href="{reverse("unit", args=[search_world.radio.pk])}"' in html


def test_the_page_says_when_nothing_is_found_and_keeps_the_query(
    search_world: SearchWorld,
) -> None:
    response = client_for(None).get(reverse("search"), {"q": "<b>xyz</b>"})
    html = response.content.decode()
    assert "Không tìm thấy gì khớp với “&lt;b&gt;xyz&lt;/b&gt;”." in html
    assert 'value="&lt;b&gt;xyz&lt;/b&gt;"' in html
    assert "<b>xyz" not in html


def test_the_page_without_a_query_explains_what_to_type(
    search_world: SearchWorld, django_assert_num_queries: object
) -> None:
    client = client_for(None)
    with django_assert_num_queries(0):  # type: ignore[operator]
        response = client.get(reverse("search"))
    html = response.content.decode()
    assert "Gõ vài chữ của tên đơn vị, tên khối hoặc số văn bản rồi bấm Tìm." in html
    assert (
        "Tìm trong: đơn vị (tên hiện nay, tên cũ, tên viết tắt, mã); khối, cụm thi đua (tên, mã)."
        in html
    )
    assert "văn bản" not in html.split("Tìm trong:")[1].split(".")[0]


def test_a_query_too_long_is_refused_at_the_box_and_kept(search_world: SearchWorld) -> None:
    typed = "sở y tế " * 20
    response = client_for(None).get(reverse("search"), {"q": typed})
    form = response.context["form"]
    assert "q" in form.errors
    assert response.context["results"].total == 0
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_q-error"' in html
    assert f'value="{typed.strip()}"' in html or f'value="{typed}"' in html


def test_an_unknown_kind_is_ignored(search_world: SearchWorld) -> None:
    response = client_for(None).get(reverse("search"), {"q": "so y te", "kind": "people"})
    results = response.context["results"]
    assert results.only == "" and [g.kind for g in results.shown] == [UNITS]


def test_the_header_has_a_search_box_on_every_page_but_the_search(
    search_world: SearchWorld,
) -> None:
    home = client_for(None).get(reverse("blocs:home")).content.decode()
    assert '<form class="header-search" role="search" method="get" action="/search/">' in home
    assert (
        '<label for="header-search-q" class="visually-hidden">Tìm đơn vị, khối thi đua</label>'
        in home
    )
    page = client_for(None).get(reverse("search"), {"q": "y te"}).content.decode()
    assert "header-search" not in page
    assert page.count('role="search"') == 1
