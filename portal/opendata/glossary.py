"""The columns of open data explained in Vietnamese: the header of the CSV for Excel (Việt Nam),
the meaning (translated on the open-data page), and an example, keyed by the stable English
column name. The English names, types and descriptions stay in ``datasets``; this module only
speaks to people."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.opendata.datasets import BOOLEAN, DATE, DECIMAL, INTEGER, STRING, Column, Dataset


@dataclass(frozen=True)
class Gloss:
    header: str  # the column's header in the CSV for Excel (Việt Nam), always Vietnamese
    meaning: str | Promise
    example: str


TYPE_LABELS: dict[str, str | Promise] = {
    INTEGER: _("số nguyên"),
    DECIMAL: _("số thập phân (2 chữ số sau dấu phẩy)"),
    STRING: _("văn bản"),
    DATE: _("ngày"),
    BOOLEAN: _("có/không"),
}

G = Gloss
GLOSSARY: dict[str, Gloss] = {
    "council_code": G("Mã hội đồng", _("Mã của hội đồng thi đua, khen thưởng"), "QNA"),
    "year": G("Năm", _("Năm thi đua (với khen thưởng: năm được khen)"), "2020"),
    "bloc_id": G("Số hiệu khối", _("Số hiệu cố định của khối, dùng trong địa chỉ trang"), "1"),
    "bloc_code": G("Mã khối", _("Mã của khối trong hội đồng"), "TM3"),
    "bloc_name": G("Tên khối", _("Tên khối thi đua"), "Khối thi đua tham mưu III"),
    "bloc_kind": G("Loại", _("bloc: khối thi đua; cluster: cụm thi đua"), "bloc"),
    "state": G(
        "Trạng thái",
        _("Bước của năm thi đua (mã tiếng Anh); trống khi khối chưa mở năm này"),
        "published",
    ),
    "cycle_step": G("Bước", _("Thứ tự của bước trong 8 bước (1 chuẩn bị … 8 có quyết định)"), "6"),
    "results_public": G("Đã công bố kết quả", _("Kết quả xếp hạng đã công bố chính thức"), "có"),
    "member_count": G("Số thành viên", _("Số đơn vị thành viên trong năm"), "9"),
    "head_unit_id": G("Số hiệu đơn vị trưởng khối", _("Số hiệu của đơn vị trưởng khối"), "5"),
    "head_unit_code": G("Mã đơn vị trưởng khối", _("Mã của đơn vị trưởng khối"), "SYT"),
    "head_unit_name": G("Tên đơn vị trưởng khối", _("Tên đơn vị trưởng khối năm đó"), "Sở Y tế"),
    "deputy_unit_id": G("Số hiệu đơn vị khối phó", _("Số hiệu của đơn vị khối phó"), "7"),
    "deputy_unit_code": G("Mã đơn vị khối phó", _("Mã của đơn vị khối phó"), "STP"),
    "deputy_unit_name": G("Tên đơn vị khối phó", _("Tên đơn vị khối phó năm đó"), "Sở Tư pháp"),
    "unit_id": G("Số hiệu đơn vị", _("Số hiệu cố định của đơn vị, dùng trong địa chỉ trang"), "5"),
    "unit_code": G("Mã đơn vị", _("Mã của đơn vị trong hội đồng"), "SYT"),
    "unit_name": G("Tên đơn vị", _("Tên đơn vị có hiệu lực ngày 31 tháng 12 năm đó"), "Sở Y tế"),
    "role": G("Vai trò", _("head: trưởng khối; deputy: khối phó; member: thành viên"), "member"),
    "rank": G("Hạng", _("Thứ hạng trong khối; trống khi chưa đủ điểm hoặc chưa công bố"), "1"),
    "rank_shared": G("Đồng hạng", _("Có đơn vị khác cùng hạng sau mọi tiêu chí phụ"), "không"),
    "units_ranked": G("Số đơn vị xếp hạng", _("Số đơn vị trong bảng xếp hạng năm đó"), "9"),
    "total": G(
        "Tổng điểm", _("Tổng điểm: điểm chuẩn + điểm thưởng (đã giới hạn) − điểm trừ"), "97,65"
    ),
    "standard_points": G("Điểm chuẩn", _("Điểm các tiêu chí chuẩn"), "92,50"),
    "bonus_points": G("Điểm thưởng", _("Điểm thưởng được tính (sau giới hạn)"), "5,15"),
    "penalty_points": G("Điểm trừ", _("Điểm bị trừ"), "0,00"),
    "self_total": G("Tổng điểm tự chấm", _("Tổng điểm đơn vị tự chấm"), "98,00"),
    "band": G("Xếp loại", _("Xếp loại của đơn vị"), "Xuất sắc"),
    "tie_break": G(
        "Phân định khi bằng điểm",
        _("Tiêu chí đã phân định đơn vị với đơn vị bằng tổng điểm; trống khi không cần"),
        "xếp trên Sở TT-TT do điểm Mục I cao hơn",
    ),
    "award_code": G("Mã hình thức khen thưởng", _("Mã của hình thức khen thưởng"), "PROV_CERT"),
    "award_name": G(
        "Hình thức khen thưởng",
        _("Tên hình thức khen thưởng"),
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
    ),
    "decision_number": G("Số quyết định", _("Số của quyết định khen thưởng"), "245/QĐ-UBND"),
    "decision_date": G("Ngày quyết định", _("Ngày ký quyết định khen thưởng"), "2021-03-01"),
    "decision_text": G(
        "Quyết định (hồ sơ giấy)",
        _("Quyết định ghi theo hồ sơ giấy của những năm trước khi dùng ứng dụng"),
        "QĐ 112/QĐ-UBND ngày 20/02/2019",
    ),
    "inherited": G(
        "Kế thừa",
        _("Năm hoặc khen thưởng của đơn vị cũ đã sáp nhập, đổi tên thành đơn vị này"),
        "không",
    ),
}


def header(column: Column) -> str:
    return GLOSSARY[column.name].header


def headers(dataset: Dataset) -> list[str]:
    """The Vietnamese headers of the CSV for Excel (Việt Nam), in the dataset's order."""
    return [header(column) for column in dataset.columns]


@dataclass(frozen=True)
class DocumentedColumn:
    name: str
    header: str
    meaning: str | Promise
    type: str | Promise
    example: str


@dataclass(frozen=True)
class DocumentedDataset:
    name: str
    title: str | Promise
    where: str | Promise  # which page links its files
    url: str | Promise  # the pattern, with <định dạng> for the format
    columns: list[DocumentedColumn]


_TITLES: dict[str, tuple[str | Promise, str | Promise, str | Promise]] = {
    "council_blocs": (
        _("Các khối của hội đồng trong một năm"),
        _("trang hội đồng, trang chủ"),
        _("/open-data/councils/<mã hội đồng>/<năm>/blocs.<định dạng>"),
    ),
    "bloc_members": (
        _("Thành viên và vai trò của khối qua các năm (hoặc một năm)"),
        _("trang khối, trang năm thi đua của khối"),
        _("/open-data/blocs/<số hiệu khối>/members.<định dạng>"),
    ),
    "bloc_year_ranking": (
        _("Kết quả xếp hạng của khối trong một năm đã công bố"),
        _("trang năm thi đua của khối, trang xếp hạng"),
        _("/open-data/blocs/<số hiệu khối>/<năm>/ranking.<định dạng>"),
    ),
    "bloc_year_awards": (
        _("Khen thưởng đã có quyết định của khối trong một năm"),
        _("trang năm thi đua của khối"),
        _("/open-data/blocs/<số hiệu khối>/<năm>/awards.<định dạng>"),
    ),
    "unit_results": (
        _("Kết quả thi đua các năm của một đơn vị"),
        _("trang đơn vị"),
        _("/open-data/units/<số hiệu đơn vị>/results.<định dạng>"),
    ),
    "unit_awards": (
        _("Khen thưởng đã nhận của một đơn vị"),
        _("trang đơn vị"),
        _("/open-data/units/<số hiệu đơn vị>/awards.<định dạng>"),
    ),
}


def documented(datasets: tuple[Dataset, ...]) -> list[DocumentedDataset]:
    """Every dataset with each column explained, as the open-data page lists them."""
    result = []
    for dataset in datasets:
        title, where, url = _TITLES[dataset.name]
        columns = [
            DocumentedColumn(
                name=column.name,
                header=GLOSSARY[column.name].header,
                meaning=GLOSSARY[column.name].meaning,
                type=TYPE_LABELS[column.type],
                example=GLOSSARY[column.name].example,
            )
            for column in dataset.columns
        ]
        result.append(DocumentedDataset(dataset.name, title, where, url, columns))
    return result
