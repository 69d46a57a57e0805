"""Who decides each award, and what follows from it: the authority of every seeded award in every
period, the decision's issuer read from its number, a decision refused for an award another
authority decides (service and page), the submission's wording (decide or forward) and the
report's section IV."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.authority import authority_from_number, report_proposal, submission_request
from awards.models import Authority, AwardGrant, AwardType, Decision, Proposal
from awards.services import decisions as services
from blocs.models import AuditEntry, BlocYear, User
from reports import builders
from reports.models import Document
from reports.render import render_docx
from tests.awards.test_catalogue import award_type_post
from tests.conftest import AwardsWorld, World, client_for
from tests.reports.reading import docx_rows, docx_text
from tests.reports.worlds import DocumentsYear, documents_year, draft

pytestmark = pytest.mark.django_db

LAW_2003 = "Luật Thi đua, Khen thưởng 2003"
LAW_2022 = "Luật Thi đua, khen thưởng 2022"

# rule set → award → (authority, the article its basis cites)
SEEDED = {
    "LUAT-2003": {
        "GOV_FLAG": (Authority.PRIME_MINISTER, f"{LAW_2003}, Điều 78"),
        "PROV_FLAG": (Authority.PROVINCIAL_CHAIRMAN, f"{LAW_2003}, Điều 80"),
        "PROV_CERT": (Authority.PROVINCIAL_CHAIRMAN, f"{LAW_2003}, Điều 80"),
        "EXCELLENT_COLLECTIVE": (Authority.PROVINCIAL_CHAIRMAN, f"{LAW_2003}, Điều 80"),
        "ADVANCED_COLLECTIVE": (Authority.AGENCY_HEAD, f"{LAW_2003}, Điều 81 khoản 1"),
    },
    **{
        code: {
            "GOV_FLAG": (Authority.PRIME_MINISTER, f"{LAW_2022}, Điều 78"),
            "PROV_FLAG": (Authority.PROVINCIAL_CHAIRMAN, f"{LAW_2022}, Điều 79"),
            "PROV_CERT": (Authority.PROVINCIAL_CHAIRMAN, f"{LAW_2022}, Điều 79"),
            "EXCELLENT_COLLECTIVE": (Authority.PROVINCIAL_CHAIRMAN, f"{LAW_2022}, Điều 79"),
            "ADVANCED_COLLECTIVE": (Authority.AGENCY_HEAD, f"{LAW_2022}, Điều 80 khoản 1"),
        }
        for code in ("LUAT-2022-ND98", "LUAT-2022-ND152")
    },
}


def prime_ministers(world: AwardsWorld, number: str = "1045/QĐ-TTg") -> Decision:
    return Decision.objects.create(
        council=world.council,
        number=number,
        date=datetime.date(2020, 6, 1),
        authority=Authority.PRIME_MINISTER,
    )


def approve(*proposals: Proposal) -> None:
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=Proposal.Status.APPROVED
    )
    for proposal in proposals:
        proposal.refresh_from_db()
        BlocYear.objects.filter(pk=proposal.bloc_year_id).update(state=BlocYear.State.PROPOSED)


# The catalogue: seeded per period, shown and edited by council admins


@pytest.mark.parametrize(
    ("rule_set", "code"),
    [(rule_set, code) for rule_set, awards in SEEDED.items() for code in awards],
)
def test_every_seeded_award_says_who_decides_it_under_the_law_of_its_period(
    rule_set: str, code: str
) -> None:
    award = AwardType.objects.get(rule_set__code=rule_set, code=code)
    authority, article = SEEDED[rule_set][code]
    assert award.authority == authority
    assert award.authority_basis.startswith(article)


def test_no_award_type_is_left_without_an_authority() -> None:
    assert AwardType.objects.count() == 15
    assert set(AwardType.objects.values_list("authority", flat=True)) <= set(Authority.values)


def test_the_rule_set_page_shows_who_decides_each_award_and_the_article(
    world: World, focal_point: User
) -> None:
    rule_set = AwardType.objects.get(rule_set__code="LUAT-2022-ND98", code="GOV_FLAG").rule_set
    html = client_for(focal_point).get(reverse("awards:rule-set", args=[rule_set.pk])).content
    page = html.decode()
    assert "Thủ tướng Chính phủ" in page and f"{LAW_2022}, Điều 78" in page
    assert "Chủ tịch Ủy ban nhân dân tỉnh" in page and f"{LAW_2022}, Điều 79" in page
    assert "Thủ trưởng cơ quan, đơn vị" in page and f"{LAW_2022}, Điều 80 khoản 1" in page


def test_a_council_admin_changes_who_decides_an_award_and_the_change_is_audited(
    world: World, council_admin: User
) -> None:
    award = AwardType.objects.get(rule_set__code="LUAT-2003", code="EXCELLENT_COLLECTIVE")
    page = client_for(council_admin).get(reverse("awards:award-type", args=[award.pk]))
    assert 'name="authority"' in page.content.decode()
    response = client_for(council_admin).post(
        reverse("awards:award-type", args=[award.pk]),
        award_type_post(
            award, authority=Authority.AGENCY_HEAD, authority_basis="Quy chế của tỉnh, Điều 9"
        ),
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.authority, award.authority_basis) == (
        Authority.AGENCY_HEAD,
        "Quy chế của tỉnh, Điều 9",
    )
    entry = AuditEntry.objects.get(action="award_type.update")
    assert entry.changes["authority"] == [Authority.PROVINCIAL_CHAIRMAN, Authority.AGENCY_HEAD]


def test_an_unknown_authority_is_refused_at_its_field(world: World, council_admin: User) -> None:
    award = AwardType.objects.get(rule_set__code="LUAT-2003", code="GOV_FLAG")
    response = client_for(council_admin).post(
        reverse("awards:award-type", args=[award.pk]),
        award_type_post(award, authority="bloc"),
    )
    assert response.status_code == 200
    assert 'id="id_authority-error"' in response.content.decode()
    award.refresh_from_db()
    assert award.authority == Authority.PRIME_MINISTER


def test_the_admin_lists_and_filters_award_types_by_who_decides_them(
    world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    html = client.get(
        reverse("admin:awards_awardtype_changelist"), {"authority": Authority.PRIME_MINISTER}
    ).content.decode()
    assert "Cờ thi đua của Chính phủ" in html
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" not in html
    award = AwardType.objects.get(rule_set__code="LUAT-2003", code="GOV_FLAG")
    html = client.get(reverse("admin:awards_awardtype_change", args=[award.pk])).content.decode()
    assert 'name="authority"' in html and 'name="authority_basis"' in html


# A decision's issuer


@pytest.mark.parametrize(
    ("number", "authority"),
    [
        ("1045/QĐ-TTg", Authority.PRIME_MINISTER),
        ("1045/qđ-ttg", Authority.PRIME_MINISTER),
        ("245/QĐ-UBND", Authority.PROVINCIAL_CHAIRMAN),
        ("45/2021/QĐ-UBND", Authority.PROVINCIAL_CHAIRMAN),
        ("1234/QĐ-CT", Authority.PROVINCIAL_CHAIRMAN),
        ("12/QĐ-CTN", Authority.PRESIDENT),
        ("7/QĐ-SYT", None),
        ("7/QĐ-HĐTĐKT", None),
    ],
)
def test_the_symbol_of_a_decisions_number_names_its_issuer(
    number: str, authority: Authority | None
) -> None:
    assert authority_from_number(number) == authority


def test_a_decision_is_recorded_with_the_authority_its_number_names(world: World) -> None:
    decision = services.decision_record(
        council=world.council,
        number="1045/QD-TTg",
        date=datetime.date(2021, 6, 28),
        signer_title="KT. Thủ tướng Chính phủ, Phó Thủ tướng",
        signer_name="",
        upload=None,
        by=None,
    )
    assert (decision.number, decision.authority) == ("1045/QĐ-TTg", Authority.PRIME_MINISTER)
    entry = AuditEntry.objects.get(action="decision.record")
    assert entry.changes["authority"] == [None, Authority.PRIME_MINISTER]


def test_a_chosen_authority_the_number_contradicts_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            council=world.council,
            number="1045/QĐ-TTg",
            date=datetime.date(2021, 6, 28),
            signer_title="",
            signer_name="",
            upload=None,
            by=None,
            authority=Authority.PROVINCIAL_CHAIRMAN,
        )
    message = refused.value.message_dict["authority"][0]
    assert "QĐ-TTg" in message and "Thủ tướng Chính phủ" in message
    assert not Decision.objects.exists()


def test_a_symbol_that_names_nobody_needs_the_authority_chosen(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            council=world.council,
            number="15/QĐ-SYT",
            date=datetime.date(2021, 1, 5),
            signer_title="",
            signer_name="",
            upload=None,
            by=None,
        )
    assert "chọn cấp quyết định" in refused.value.message_dict["authority"][0]
    decision = services.decision_record(
        council=world.council,
        number="15/QĐ-SYT",
        date=datetime.date(2021, 1, 5),
        signer_title="Giám đốc Sở Y tế",
        signer_name="",
        upload=None,
        by=None,
        authority=Authority.AGENCY_HEAD,
    )
    assert decision.authority == Authority.AGENCY_HEAD


def test_the_decision_form_offers_the_authority_and_says_a_contradiction_at_the_field(
    world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    post = {
        "council": world.council.pk,
        "number": "1045/QĐ-TTg",
        "date": "28/06/2021",
        "authority": Authority.PROVINCIAL_CHAIRMAN,
    }
    response = client.post(reverse("awards:decisions"), post)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_authority-error"' in html and '<a href="#id_authority">' in html
    assert not Decision.objects.exists()
    response = client.post(reverse("awards:decisions"), {**post, "authority": ""})
    decision = Decision.objects.get()
    assert response["Location"] == reverse("awards:decision", args=[decision.pk])
    assert decision.authority == Authority.PRIME_MINISTER
    page = client.get(reverse("awards:decisions")).content.decode()
    assert "Thủ tướng Chính phủ" in page


# A decision grants only the awards of its authority


def test_a_provincial_decision_cannot_grant_the_government_flag(
    awards_world: AwardsWorld,
) -> None:
    w = awards_world
    approve(w.submitted_proposal)
    with pytest.raises(ValidationError) as refused:
        services.decision_attach(
            decision=w.decision,
            proposals=[w.submitted_proposal],
            votes={w.submitted_proposal.pk: (15, 15)},
            by=None,
        )
    message = refused.value.message_dict[f"proposal_{w.submitted_proposal.pk}"][0]
    assert "“Cờ thi đua của Chính phủ” do Thủ tướng Chính phủ quyết định tặng" in message
    assert "123/QĐ-UBND là của Chủ tịch Ủy ban nhân dân tỉnh" in message
    assert "Sở Y tế" in message
    w.submitted_proposal.refresh_from_db()
    assert w.submitted_proposal.decision_id is None
    assert not AwardGrant.objects.exists()


def test_a_prime_ministers_decision_cannot_grant_the_provincial_flag(
    awards_world: AwardsWorld,
) -> None:
    w = awards_world
    approve(w.draft_proposal)
    pm = prime_ministers(w)
    with pytest.raises(ValidationError) as refused:
        services.decision_attach(
            decision=pm,
            proposals=[w.draft_proposal],
            votes={w.draft_proposal.pk: (15, 15)},
            by=None,
        )
    message = refused.value.message_dict[f"proposal_{w.draft_proposal.pk}"][0]
    assert "“Cờ thi đua của Ủy ban nhân dân tỉnh” do Chủ tịch Ủy ban nhân dân tỉnh" in message
    assert "1045/QĐ-TTg là của Thủ tướng Chính phủ" in message
    assert not AwardGrant.objects.exists()


def test_one_proposal_of_the_wrong_authority_refuses_the_whole_attachment(
    awards_world: AwardsWorld,
) -> None:
    w = awards_world
    approve(w.submitted_proposal, w.draft_proposal)
    with pytest.raises(ValidationError) as refused:
        services.decision_attach(
            decision=w.decision,
            proposals=[w.draft_proposal, w.submitted_proposal],
            votes={w.draft_proposal.pk: (15, 15), w.submitted_proposal.pk: (15, 15)},
            by=None,
        )
    assert set(refused.value.message_dict) == {f"proposal_{w.submitted_proposal.pk}"}
    assert not AwardGrant.objects.exists()
    assert not Proposal.objects.filter(decision__isnull=False).exists()


def test_the_decision_page_marks_and_refuses_an_award_of_another_authority(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    gov = w.submitted_proposal
    approve(gov)
    client = client_for(council_admin)
    url = reverse("awards:decision", args=[w.decision.pk])
    page = client.get(url).content.decode()
    assert "Chủ tịch Ủy ban nhân dân tỉnh" in page
    assert "do Thủ tướng Chính phủ quyết định, không thuộc quyết định này" in page
    response = client.post(
        url, {f"proposal_{gov.pk}": "on", f"total_{gov.pk}": "15", f"votes_{gov.pk}": "13"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'id="id_proposal_{gov.pk}-error"' in html
    assert "“Cờ thi đua của Chính phủ” do Thủ tướng Chính phủ quyết định tặng" in html
    assert not AwardGrant.objects.exists()
    pm = prime_ministers(w)
    page = client.get(reverse("awards:decision", args=[pm.pk])).content.decode()
    assert "không thuộc quyết định này" not in page
    response = client.post(
        reverse("awards:decision", args=[pm.pk]),
        {f"proposal_{gov.pk}": "on", f"total_{gov.pk}": "15", f"votes_{gov.pk}": "13"},
    )
    assert response.status_code == 302
    assert AwardGrant.objects.get().decision == pm


# The documents: the submission asks to decide or to forward; the report proposes


def test_the_wording_follows_the_authority() -> None:
    assert submission_request(Authority.PROVINCIAL_CHAIRMAN) == "xem xét, quyết định tặng"
    assert submission_request(Authority.PRIME_MINISTER) == (
        "xem xét, trình Thủ tướng Chính phủ tặng"
    )
    assert submission_request(Authority.AGENCY_HEAD) is None
    assert report_proposal(Authority.PRIME_MINISTER, "UBND tỉnh", "Cờ thi đua của Chính phủ") == (
        "Đề nghị UBND tỉnh trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ"
    )


@pytest.fixture
def year(world: World, secretariat: User) -> DocumentsYear:
    return documents_year(world, by=secretariat)


def docx_of(document: Document) -> bytes:
    return render_docx(builders.build(document))


def flat(docx: bytes) -> str:
    return " ".join(docx_text(docx).split())


def test_the_submission_asks_to_decide_the_provincial_flag_and_to_forward_the_governments(
    year: DocumentsYear,
) -> None:
    docx = docx_of(draft(year.year, Document.Kind.SUBMISSION))
    text = flat(docx)
    chairman = "Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam"
    assert (
        f"1. Đề nghị {chairman} xem xét, trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính "
        "phủ cho 01 tập thể:"
    ) in text
    assert (
        f"2. Đề nghị {chairman} xem xét, quyết định tặng Cờ thi đua của Ủy ban nhân dân tỉnh "
        "cho 01 tập thể:"
    ) in text
    assert "xem xét, khen thưởng" not in text
    assert f"Kính trình {chairman} xem xét, quyết định và trình Thủ tướng Chính phủ" in text
    # Each group its own table, the Government's flag first.
    rows = docx_rows(docx)
    assert rows.index(("1", "Sở Y tế", "Cờ thi đua của Chính phủ", "1", "11,50")) < rows.index(
        ("1", "Báo Quảng Nam", "Cờ thi đua của Ủy ban nhân dân tỉnh", "2", "9,70")
    )


def test_a_submission_of_provincial_awards_only_asks_the_chairman_to_decide(
    year: DocumentsYear,
) -> None:
    year.gov_flag.delete()
    text = flat(docx_of(draft(year.year, Document.Kind.SUBMISSION)))
    assert (
        "Đề nghị Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam xem xét, quyết định tặng Cờ thi đua của "
        "Ủy ban nhân dân tỉnh cho 01 tập thể:"
    ) in text
    assert "1. Đề nghị" not in text and "Thủ tướng" not in text
    assert text.count("xem xét, quyết định./.") == 1


def test_an_award_a_units_head_gives_is_not_asked_of_the_chairman(year: DocumentsYear) -> None:
    Proposal.objects.create(
        bloc_year=year.year,
        unit=year.deputy,
        award_type=year.awards["ADVANCED_COLLECTIVE"],
        rank=3,
    )
    docx = docx_of(draft(year.year, Document.Kind.SUBMISSION))
    assert (
        "Tập thể lao động tiên tiến của Sở Giáo dục và Đào tạo do thủ trưởng cơ quan, đơn vị "
        "quyết định tặng theo thẩm quyền, không đề nghị tại Tờ trình này."
    ) in flat(docx)
    assert not any("Tập thể lao động tiên tiến" in row for row in docx_rows(docx))


def test_the_letter_follows_the_catalogue_not_the_award_names(year: DocumentsYear) -> None:
    """Who decides is data: a province whose rules send its flag to the Prime Minister gets a
    letter forwarding it."""
    AwardType.objects.filter(pk=year.awards["PROV_FLAG"].pk).update(
        authority=Authority.PRIME_MINISTER
    )
    text = flat(docx_of(draft(year.year, Document.Kind.SUBMISSION)))
    assert (
        "xem xét, trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ, Cờ thi đua của Ủy ban "
        "nhân dân tỉnh cho 02 tập thể:"
    ) in text
    assert "quyết định tặng" not in text


def test_the_report_proposes_each_award_to_whom_it_goes(year: DocumentsYear) -> None:
    rows = docx_rows(docx_of(draft(year.year, Document.Kind.REPORT)))
    assert (
        "1",
        "Sở Y tế",
        "Đề nghị UBND tỉnh trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ",
        "3/3",
    ) in rows
    assert (
        "2",
        "Báo Quảng Nam",
        "Đề nghị UBND tỉnh tặng Cờ thi đua của Ủy ban nhân dân tỉnh",
        "2/3",
    ) in rows


def test_the_report_cites_no_decision_taken_after_its_date(year: DocumentsYear) -> None:
    decision = Decision.objects.create(
        council=year.council, number="58/QĐ-UBND", date=datetime.date(2020, 3, 10)
    )
    Proposal.objects.filter(pk=year.prov_flag.pk).update(
        status=Proposal.Status.APPROVED, decision=decision
    )
    report = draft(year.year, Document.Kind.REPORT)
    assert report.date == datetime.date(2020, 1, 15)  # the conference
    assert "58/QĐ-UBND" not in flat(docx_of(report))
    Document.objects.filter(pk=report.pk).update(date=datetime.date(2020, 4, 1))
    report.refresh_from_db()
    assert "(đã có Quyết định số 58/QĐ-UBND ngày 10/03/2020)" in flat(docx_of(report))
