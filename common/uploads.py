"""Checks for files people upload (evidence, decision PDFs, lists of accounts): what a file
*is*, not its name.

A file is accepted for its first bytes (``%PDF-``, the PNG and JPEG signatures, the zip of an
``.xlsx``; a CSV is text: no NUL byte, UTF-8 or the Vietnamese Windows code page); the name
and the type the browser claims are never trusted. An ``.xlsx`` is only known to be a zip here:
its reader opens it with ``common.workbooks.open_workbook``.

A file that starts like a PDF or an image but carries HTML or script markup near its start (a
*polyglot*, which an old or misconfigured browser could run as a page) is refused too. Files
are then served with their checked type, ``X-Content-Type-Options: nosniff`` and
``Content-Security-Policy: sandbox`` (docs/security.md). Workbooks and CSV files are read and
never stored nor served, so the polyglot check (meant for what a browser opens) does not apply
to them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from common.exporters import XLSX

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"
SIGNATURES = {
    b"%PDF-": PDF,
    b"\x89PNG\r\n\x1a\n": PNG,
    b"\xff\xd8\xff": JPEG,
    b"PK\x03\x04": XLSX,  # a zip; the workbook reader decides whether it is a workbook
}
# The kinds a browser may be shown: checked for markup (polyglots).
SERVED = frozenset({PDF, PNG, JPEG})
# Text a CSV may hold besides printable characters: tab, line breaks.
_TEXT_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# How much of the start of a file is searched for markup. Browsers that sniff look at the first
# 512 bytes; twice that costs nothing and no real PDF or image has a tag there.
HEAD_BYTES = 1024
# An HTML element a browser would act on (any tag name a page can use to run or load
# something), an event handler attribute, or a javascript: address. PDF's own "<<" and hex
# strings ("<4F6E65>") are neither.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|\?xml-stylesheet"
    rb"|(?:html|head|body|script|iframe|frame|frameset|svg|math|object|embed|applet|meta|style"
    rb"|link|base|img|image|a|form|input|button|textarea|select|video|audio|source|track"
    rb"|details|marquee|template|portal|noscript|xml|x)(?=[\s>/]))"
    rb"|\bon[a-z]{3,}\s*=|javascript\s*:|vbscript\s*:",
    re.IGNORECASE,
)


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None."""
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def is_text(head: bytes) -> bool:
    """Whether the start of a file reads as text: UTF-8 (a character cut at the end of the
    head allowed) or the Vietnamese Windows code page, with no control character but tab and
    line breaks."""
    if not head or _TEXT_CONTROLS.search(head):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            head.decode("cp1258")
        except UnicodeDecodeError:
            return False
    return True


def has_markup(head: bytes) -> bool:
    """Whether the start of a file carries HTML, SVG or a script (a polyglot)."""
    return _MARKUP.search(head[:HEAD_BYTES]) is not None


def read_head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def check_upload(
    upload: UploadedFile, *, allowed: Collection[str], max_bytes: int, field: str = "file"
) -> str:
    """The file's checked content type; ``ValidationError`` naming ``field`` otherwise."""
    if not upload.size:
        raise ValidationError({field: _("Tệp rỗng.")})
    if upload.size > max_bytes:
        raise ValidationError(
            {field: _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}}
        )
    head = read_head(upload)
    content_type = sniff(head)
    if content_type is None and CSV in allowed and is_text(head):
        content_type = CSV
    if content_type is None or content_type not in allowed:
        raise ValidationError({field: _("Chỉ nhận tệp %(types)s.") % {"types": _names(allowed)}})
    if content_type in SERVED and has_markup(head):
        raise ValidationError(
            {
                field: _(
                    "Tệp có nội dung trang web hoặc mã lệnh lẫn bên trong nên không được nhận; "
                    "hãy lưu lại thành tệp %(type)s thông thường rồi tải lên."
                )
                % {"type": _name(content_type)}
            }
        )
    # From here on the upload carries the type found in its bytes, never the one the browser
    # claimed: a store that keeps a type with each file (S3's Content-Type) keeps this one.
    upload.content_type = content_type
    return content_type


def _names(allowed: Collection[str]) -> str:
    """The accepted kinds in a fixed order, the last joined by "or": "PDF, PNG hoặc JPG"."""
    names = [_name(kind) for kind in (PDF, PNG, JPEG, XLSX, CSV) if kind in allowed]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s hoặc %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _name(content_type: str) -> str:
    return {PDF: "PDF", PNG: "PNG", JPEG: "JPG", XLSX: "Excel (.xlsx)", CSV: "CSV"}.get(
        content_type, content_type
    )
