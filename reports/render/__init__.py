"""The three renderings of a ``Content``: HTML (preview and PDF source), PDF, DOCX.

Layout follows Nghị định 30/2020/NĐ-CP: A4, margins top/bottom 20 mm, left 30 mm, right 15 mm
(landscape annexes 20 mm all round), Times New Roman 14 pt (Liberation Serif on the server has
the same metrics), justified body, a two-column header table with set widths so that
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" never wraps, page numbers from page 2, top centre.

The line breaks of the header, the subject and the signatures, and the lengths of the rules
under the issuer, the motto and the subject, are decided here once (``layout``) and printed
the same by the HTML and the DOCX; a token such as "245/QĐ-UBND" is never split at its hyphen
or slash when it fits its line (``reports/typesetting.py``).

The package is split by rendering; the names the rest of the project uses are re-exported here
(``from reports.render import render_docx``):

- ``geometry``: the page, ``layout`` (what both renderings print the same), ``column_widths``;
- ``html``: ``render_html`` (the page the PDF engine reads), ``render_fragment`` (the preview);
- ``pdf``: ``render_pdf``, ``lay_out_pdf``;
- ``docx_elements``: runs, paragraphs, borders and rules of a DOCX;
- ``docx_document``: ``render_docx``.
"""

from __future__ import annotations

from reports.render.docx_document import render_docx
from reports.render.geometry import FONT, Layout, column_widths, layout, text_width_of
from reports.render.html import html_context, render_fragment, render_html
from reports.render.pdf import lay_out_pdf, render_pdf

__all__ = [
    "FONT",
    "Layout",
    "column_widths",
    "html_context",
    "lay_out_pdf",
    "layout",
    "render_docx",
    "render_fragment",
    "render_html",
    "render_pdf",
    "text_width_of",
]
