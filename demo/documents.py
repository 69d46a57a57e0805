"""Demo documents: the papers of the conference of 02/03/2021 that closed 2020 for Khối thi đua
tham mưu III, issued as that conference left them — the minutes, the report, its annex of
scores, the covenant of 2021 signed there, and the submission a few days later — so that the
public reads the report of 2020.

The narrative parts follow the source article (Báo Quảng Nam, 2 March 2021); the times, the
secretary and the covenant's targets are invented, like every figure of the demo. Everything
goes through the app's services, in the order people do it; a document already issued is left
as it is, so loading twice changes nothing. The bloc issues every paper in its own series
("01/BB-KTĐ" …), signed by the head of its head unit (docs/documents.md, "Who issues").
"""

from __future__ import annotations

import datetime

from django.db import transaction

from blocs.models import BlocYear, User
from reports import services
from reports.models import Document

YEAR = 2020
SUBMISSION_DATE = datetime.date(2021, 3, 5)  # the submission follows the conference

NARRATIVE: dict[str, dict[str, str]] = {
    Document.Kind.MINUTES: {
        "time": "14 giờ 00",
        "secretary": "Bà Võ Thị Lan, chuyên viên Văn phòng Sở Y tế",
        "secretary_name": "Võ Thị Lan",
        "conclusions": "\n".join(
            [
                "Hội nghị thống nhất kết quả chấm điểm, xếp hạng thi đua năm 2020 của 07 đơn vị "
                "thành viên.",
                "Hội nghị thống nhất đề nghị tặng Cờ thi đua của Chính phủ cho Sở Lao động - "
                "Thương binh và Xã hội; tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho Đài Phát "
                "thanh - Truyền hình Quảng Nam và Sở Thông tin và Truyền thông; tặng Bằng khen "
                "của Chủ tịch Ủy ban nhân dân tỉnh cho Sở Y tế và Sở Giáo dục và Đào tạo.",
                "Giao Sở Y tế, Trưởng khối năm 2020, hoàn chỉnh hồ sơ đề nghị khen thưởng gửi "
                "Sở Nội vụ (Ban Thi đua - Khen thưởng) theo quy định.",
            ]
        ),
        "end_time": "17 giờ 00",
    },
    Document.Kind.REPORT: {
        "assessment": "\n".join(
            [
                "Năm 2020, các đơn vị trong Khối thực hiện tốt công tác tham mưu, nghiên cứu cơ "
                "chế, chính sách trên địa bàn tỉnh và công tác chỉ đạo, điều hành thực hiện "
                "chức năng, nhiệm vụ được giao; chú trọng xây dựng, củng cố, nâng cao năng lực "
                "quản lý nhà nước, công tác thanh tra, kiểm tra, cải cách hành chính, thực hành "
                "tiết kiệm, chống tham ô, lãng phí.",
                "Các đơn vị tích cực thi đua phát triển kinh tế - xã hội, bảo đảm quốc phòng - "
                "an ninh; ứng dụng công nghệ thông tin trong chỉ đạo, điều hành; phối hợp thực "
                "hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới; tham gia tích cực "
                "các hoạt động đền ơn đáp nghĩa và an sinh xã hội.",
                "Các đơn vị hoàn thành tốt nhiệm vụ quốc phòng, quân sự, tự vệ; tất cả đơn vị "
                "trong Khối được công nhận đạt tiêu chuẩn “An toàn về an ninh trật tự”.",
            ]
        ),
        "direction": "\n".join(
            [
                "Phát động phong trào thi đua lập thành tích chào mừng các ngày lễ lớn của đất "
                "nước, của tỉnh trong năm 2021, gắn với thực hiện nhiệm vụ chính trị của từng "
                "đơn vị.",
                "Tiếp tục đổi mới nội dung, hình thức thi đua; bình xét, đề nghị khen thưởng "
                "bảo đảm chính xác, công khai, công bằng, kịp thời.",
            ]
        ),
    },
    Document.Kind.COVENANT: {
        "targets": "\n".join(
            [
                "1. Hoàn thành 100% nhiệm vụ, chỉ tiêu Ủy ban nhân dân tỉnh giao năm 2021.",
                "2. 100% cán bộ, công chức, viên chức hoàn thành nhiệm vụ; không có cán bộ bị "
                "kỷ luật từ hình thức khiển trách trở lên.",
                "3. Gửi báo cáo thi đua, khen thưởng đúng hạn; tham gia đầy đủ các hoạt động "
                "chung của Khối.",
                "4. Đơn vị đạt tiêu chuẩn “An toàn về an ninh trật tự”.",
            ]
        )
    },
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _issue(
    bloc_year: BlocYear,
    kind: str,
    by: User | None,
    *,
    values: dict[str, object] | None = None,
) -> Document:
    """The year's document of ``kind``, written and issued (left alone once issued)."""
    document = services.document_create(bloc_year=bloc_year, kind=kind, by=by)
    if document.state == Document.State.ISSUED:
        return document
    document = services.document_update(
        document=document,
        values=values or {},
        narrative=NARRATIVE.get(kind, {}),
        version=document.version,
        by=by,
    )
    return services.document_issue(document=document, by=by)


@transaction.atomic
def load_documents() -> None:
    year = BlocYear.objects.select_related("bloc__council").get(
        bloc__council__code="QNA", bloc__code="TM3", year=YEAR
    )
    following = BlocYear.objects.select_related("bloc__council").get(bloc=year.bloc, year=YEAR + 1)
    secretary = _user("daumoi.syt")  # Sở Y tế, head of 2020: its secretariat
    _issue(year, Document.Kind.MINUTES, secretary)  # 01/BB-KTĐ
    _issue(year, Document.Kind.REPORT, secretary)  # 02/BC-KTĐ
    _issue(year, Document.Kind.SCORE_TABLE, secretary)  # annexed to the report
    # The covenant of 2021, signed at the conference; prepared by 2021's head, Sở LĐ-TB&XH.
    _issue(following, Document.Kind.COVENANT, _user("thuky"))  # 03/GƯ-KTĐ
    _issue(
        year, Document.Kind.SUBMISSION, secretary, values={"date": SUBMISSION_DATE}
    )  # 04/TTr-KTĐ
