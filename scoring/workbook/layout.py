"""The layout both the download and the upload agree on: the worksheet's name, the columns of
the table (key, Vietnamese header, width) and the row the download puts the header on, which
columns each layer (``scoring.layers.Layer``) fills, and how an upload's column is named in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from scoring.layers import Layer

SHEET_NAME = gettext_noop("Bảng điểm")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Vietnamese source; written and matched in its translation too
    width: float


COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_noop("Mã"), 10),
    Column("title", gettext_noop("Nội dung tiêu chí"), 60),
    Column("max", gettext_noop("Điểm tối đa"), 12),
    Column("method", gettext_noop("Cách tính"), 36),
    Column("self_value", gettext_noop("Tự chấm (số nhập)"), 14),
    Column("self_target", gettext_noop("Tự chấm (chỉ tiêu)"), 14),
    Column("verified_value", gettext_noop("Thẩm định (số nhập)"), 14),
    Column("verified_target", gettext_noop("Thẩm định (chỉ tiêu)"), 14),
    Column("text", gettext_noop("Lý do / ghi chú"), 44),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
HEADER_ROW = 12  # where the download puts the table; an upload may have it anywhere near the top


def layer_keys(layer: Layer) -> tuple[str, str]:
    """The value and target columns of a layer: the line's fields of the same names."""
    return layer.value_field, layer.target_field


def layer_label(layer: Layer) -> str:
    """What an upload fills, in words."""
    if layer is Layer.SELF:
        return _("cột “Tự chấm” (số nhập, chỉ tiêu) và ghi chú của đơn vị")
    return _("cột “Thẩm định” (số nhập, chỉ tiêu) và lý do thẩm định")
