"""The appendix of scores (Phụ lục, A4 landscape): criteria in rows and units in columns, read
from the latest ranking snapshot, then total, rank and band; the columns share the width of the
landscape text so that the table fills it.
"""

from __future__ import annotations

from reports.builders.blocks import vn
from reports.builders.data import YearData
from reports.builders.letterhead import document_header, signer
from reports.content import Column, Content, Paragraph, Table
from reports.models import Document


def build_score_table(document: Document, data: YearData) -> Content:
    """Phụ lục (A4 ngang): tiêu chí theo dòng, đơn vị theo cột, rồi tổng điểm, hạng, xếp loại."""
    content = document_header(document, "PHỤ LỤC")
    content.landscape = True
    snapshot = data.snapshot
    if snapshot is None:
        content.blocks.append(Paragraph("Kết quả chấm điểm chưa được chốt.", italic=True))
        return content
    rows_data = snapshot.rows
    units = [(str(row["unit_id"]), row["name"]) for row in rows_data]
    # The table fills the landscape text width (297 − 2 × 20 mm): the units share what the
    # code, maximum and a title of at least 45 mm leave, up to 25 mm each; the title gets the
    # rest. (Dense tables print in a smaller size, see ``render.DENSE_COLUMNS``.)
    text_width, fixed = 297 - 40, 12 + 16
    width = min(25.0, (text_width - fixed - 45) / max(1, len(units)))
    columns = (
        Column("Mã", 12),
        Column("Tiêu chí", round(text_width - fixed - width * len(units), 1)),
        Column("Tối đa", 16, "right"),
        *(Column(name, width, "right") for _id, name in units),
    )
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    points = snapshot.data.get("points", {})
    for criterion in snapshot.data.get("criteria", []):
        if not criterion.get("leaf"):
            bold.add(len(rows))
            rows.append(
                (criterion["code"], criterion["title"], vn(criterion["max"]), *("" for _ in units))
            )
            continue
        rows.append(
            (
                criterion["code"],
                criterion["title"],
                vn(criterion["max"]),
                *(
                    vn(points.get(unit_id, {}).get(str(criterion["id"])))
                    for unit_id, _name in units
                ),
            )
        )
    for label, key in (("Tổng điểm", "total"), ("Xếp hạng", "rank"), ("Xếp loại", "band")):
        bold.add(len(rows))
        values = [
            vn(row[key]) if key == "total" else (str(row[key]) if row[key] else "–")
            for row in rows_data
        ]
        rows.append(("", label, "", *values))
    content.blocks.append(
        Table(
            columns=columns,
            rows=tuple(rows),
            bold_rows=frozenset(bold),
            caption=(
                f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {data.year} – "
                f"{data.bloc_name.upper()}"
            ),
        )
    )
    content.signatures = [signer(document, f"TM. {data.bloc_name.upper()}", "TRƯỞNG KHỐI")]
    return content
