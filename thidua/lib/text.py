"""Free text typed by people: one policy for control characters.

A person never types a C0 control character other than tab and line breaks, but one pasted
from another program can carry one (a vertical tab from Word, an ESC from a terminal). NUL is
refused by PostgreSQL, and the others make an XLSX or DOCX file invalid, so a text that holds
one is refused where it is typed, with a message at the field (``check_text``), and writers of
files drop any that a text stored before this policy may hold (``printable``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 controls and DEL, except tab, line feed and carriage return.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def control_message() -> str:
    return _(
        "Ô này có ký tự điều khiển không nhìn thấy (thường do dán từ chương trình khác); "
        "hãy gõ lại nội dung."
    )


def check_text(text: str) -> None:
    """A validator for any free-text field: ``ValidationError`` when ``text`` holds a control
    character other than tab and line breaks."""
    if has_control_characters(text):
        raise ValidationError(control_message(), code="control_character")


def printable(text: str) -> str:
    """``text`` without the control characters no file format may carry."""
    return CONTROL.sub("", text)
