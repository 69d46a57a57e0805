"""Where the lines of a printed document break, decided once for the DOCX and the PDF.

Vietnamese writes a word as syllables separated by spaces ("thương binh", "xã hội"), so a
line may break at any space as far as the browser or Word knows, and a header printed as
"SỞ LAO ĐỘNG - THƯƠNG / BINH VÀ XÃ HỘI" splits the word "thương binh". The header, the subject
line and the signature blocks are short, centred and set in capitals: ``balanced_lines``
breaks them here, between words, into the fewest lines that fit, as equal in length as
possible, and both renderings print exactly those lines (``<br>`` in the HTML, a line break
in the DOCX).

Widths come from Liberation Serif, which has the metrics of Times New Roman (the font the DOCX
names and the font the PDF embeds). Pillow, a dependency of WeasyPrint, reads the font files;
without them (a machine without fonts-liberation2) an average glyph width is used instead.
"""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path
from typing import Any

from common.text import printable

POINT_MM = 25.4 / 72
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),  # Debian's fonts-liberation2
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-serif"),  # Fedora
)
FONT_FILES = {
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}
# Without the font files: the average advance of capitals in Times New Roman bold, an upper
# bound for lower case, so that a line judged to fit does fit.
FALLBACK_EM = 0.7
MAX_LINES = 4
MAX_WORDS = 40

# Pairs of syllables that make one word in the names of agencies, titles and subjects; a line
# never breaks between them. Everything else may break, at a price (``_penalty``).
COMPOUNDS = """
    lao động; thương binh; xã hội; giáo dục; đào tạo; văn hóa; thể thao; du lịch; y tế;
    nội vụ; tư pháp; tài chính; kế hoạch; đầu tư; công thương; xây dựng; giao thông; vận tải;
    nông nghiệp; phát triển; nông thôn; tài nguyên; môi trường; khoa học; công nghệ;
    thông tin; truyền thông; ngoại vụ; dân tộc; tôn giáo; thanh tra; văn phòng; ủy ban;
    nhân dân; hội đồng; phát thanh; truyền hình; thi đua; khen thưởng; trưởng khối; khối phó;
    giám đốc; phó giám đốc; chủ tịch; tổng biên tập; chánh văn phòng; trưởng ban; tham mưu;
    quản lý; kinh tế; công nghiệp; công an; quân sự; chỉ huy; biên phòng; tổng kết;
    công tác; phương hướng; nhiệm vụ; giao ước; bình xét; suy tôn; đề nghị; chấm điểm;
    xếp hạng; kết quả; tổng hợp; thành phố; thành viên; đơn vị; chủ trì; thư ký; phụ lục;
    trung tâm; liên đoàn; hội nghị; quyết định; chính phủ; thủ tướng; bằng khen;
    quảng nam; đà nẵng; hà nội; hồ chí minh; thừa thiên huế; đồng ý; xếp loại; tiêu chí;
    tối đa; hình thức; nội dung; tỷ lệ; hợp lệ; phong trào; phát động; thực hiện; đánh giá;
    hoàn thành; xuất sắc; tiên tiến; tập thể; cá nhân; chỉ tiêu; cam kết
"""
_NO_BREAK = frozenset(
    (first, second)
    for compound in COMPOUNDS.split(";")
    for words in [compound.split()]
    for first, second in itertools.pairwise(words)
)
# A line may well begin with these (a conjunction, a preposition, the name of an agency after
# a title: "GIÁM ĐỐC / SỞ Y TẾ").
_STARTS = frozenset(
    {"và", "của", "về", "thuộc", "tại", "ngày", "cho", "với", "trong"}
    | {"sở", "ban", "đài", "báo", "khối", "ubnd"}
)
# Breaks at a phrase boundary cost nothing; breaks elsewhere this much (in millimetres of
# imbalance); breaks inside a word so much that they happen only when nothing else fits.
_ANYWHERE = 12.0
_INSIDE_A_WORD = 1000.0


@functools.cache
def _font(size: float, bold: bool, italic: bool) -> Any:
    from PIL import ImageFont

    name = FONT_FILES[(bold, italic)]
    for folder in FONT_DIRS:
        if (folder / name).exists():
            # Measured at 10× the size: Pillow rounds the size to whole points.
            return ImageFont.truetype(str(folder / name), round(size * 10))
    return None


def width_mm(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The width of ``text`` on one line, in millimetres, at ``size`` points (without the
    control characters the writers leave out: common.text)."""
    text = printable(text)
    font = _font(size, bold, italic)
    if font is None:
        return len(text) * size * FALLBACK_EM * POINT_MM
    return float(font.getlength(text)) / 10 * POINT_MM


def _penalty(before: str, after: str) -> float:
    """The price of a line break between the words ``before`` and ``after``."""
    first, second = before.casefold(), after.casefold()
    if after == "-" or after in {",", ";", ":", "."}:
        return _INSIDE_A_WORD  # a line never begins with a dash or a punctuation mark
    if (first.strip(",;:."), second.strip(",;:.")) in _NO_BREAK:
        return _INSIDE_A_WORD
    if before == "-" or before[-1] in ",;:.)" or second in _STARTS:
        return 0.0
    return _ANYWHERE


def balanced_lines(
    text: str,
    available_mm: float,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    max_lines: int = MAX_LINES,
) -> list[str]:
    """``text`` broken into the fewest lines no wider than ``available_mm``, between words,
    the lines as equal as possible; the text as it is (one line, or its own line breaks) when
    it fits or when no break makes it fit (the renderer then wraps it)."""
    if "\n" in text:
        return [
            line
            for part in text.split("\n")
            for line in balanced_lines(
                part, available_mm, size, bold=bold, italic=italic, max_lines=max_lines
            )
        ]
    words = text.split()
    if not words or width_mm(text, size, bold=bold, italic=italic) <= available_mm:
        return [text]  # as it is, with its runs of spaces ("ngày      tháng      năm")
    if len(words) > MAX_WORDS:
        return [text]

    @functools.cache
    def line_width(start: int, end: int) -> float:
        return width_mm(" ".join(words[start:end]), size, bold=bold, italic=italic)

    gaps = range(1, len(words))
    fallback: tuple[int, ...] | None = None  # the fewest lines, but a word split
    for count in range(2, min(max_lines, len(words)) + 1):
        best: tuple[float, tuple[int, ...]] | None = None
        for breaks in itertools.combinations(gaps, count - 1):
            bounds = (0, *breaks, len(words))
            widths = [line_width(a, b) for a, b in itertools.pairwise(bounds)]
            if max(widths) > available_mm:
                continue
            cost = max(widths) - min(widths)
            cost += sum(_penalty(words[gap - 1], words[gap]) for gap in breaks)
            if best is None or cost < best[0]:
                best = (cost, breaks)
        if best is not None and best[0] < _INSIDE_A_WORD:
            return _lines(words, best[1])
        if best is not None and fallback is None:
            fallback = best[1]
    return _lines(words, fallback) if fallback is not None else [text]


def _lines(words: list[str], breaks: tuple[int, ...]) -> list[str]:
    bounds = (0, *breaks, len(words))
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]


# A token with a hyphen or a slash inside ("245/QĐ-UBND", "LĐ-TB&XH", "01/BC-SYT"): the
# browser and Word may break a line after its hyphen or slash, which splits it.
JOINED = re.compile(r"\S*\w[-/]\S*\w\S*")


def joined_tokens(text: str) -> list[str]:
    return JOINED.findall(text)
