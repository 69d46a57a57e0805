"""Who decides an award, read from a decision's number, and how documents word a proposal for it.

The bloc never decides an award: it proposes, and the province either decides (the chairman of
the provincial people's committee) or forwards (to the Prime Minister, or through him to the
President). Each award type of a rule set carries its ``authority`` as data (docs/awards.md, "Who
decides each award"); everything here follows from it.

The wording is the documents' own: documents are written in Vietnamese whatever language the
reader chose (the law requires it), so it is not passed through translation.
"""

from __future__ import annotations

import re

from awards.models import Authority

# The symbol after "QĐ-" names the issuer: …/QĐ-TTg the Prime Minister, …/QĐ-CTN the President,
# …/QĐ-UBND the provincial people's committee (its chairman signs award decisions; a few
# provinces number them …/QĐ-CT). Any other symbol (…/QĐ-SYT, …/QĐ-HĐTĐKT) says nothing sure.
SYMBOLS: dict[str, Authority] = {
    "TTG": Authority.PRIME_MINISTER,
    "CTN": Authority.PRESIDENT,
    "UBND": Authority.PROVINCIAL_CHAIRMAN,
    "CT": Authority.PROVINCIAL_CHAIRMAN,
    "CTUBND": Authority.PROVINCIAL_CHAIRMAN,
}
SYMBOL_PATTERN = re.compile(r"/QĐ-([^/\s]+)$", re.IGNORECASE)

# What the bloc asks the provincial chairman for, per authority (the submission letter): decide
# what he decides, forward what others decide. Awards their own heads give (Tập thể lao động
# tiên tiến) are not asked of him at all.
SUBMISSION_REQUESTS: dict[str, str] = {
    Authority.PROVINCIAL_CHAIRMAN: "xem xét, quyết định tặng",
    Authority.PRIME_MINISTER: "xem xét, trình Thủ tướng Chính phủ tặng",
    Authority.PRESIDENT: "xem xét, trình Thủ tướng Chính phủ để trình Chủ tịch nước tặng",
}

# Whom each proposal goes to, as the conference report says it ("{committee}": "UBND tỉnh").
REPORT_PROPOSALS: dict[str, str] = {
    Authority.PROVINCIAL_CHAIRMAN: "Đề nghị {committee} tặng",
    Authority.PRIME_MINISTER: "Đề nghị {committee} trình Thủ tướng Chính phủ tặng",
    Authority.PRESIDENT: (
        "Đề nghị {committee} trình Thủ tướng Chính phủ để trình Chủ tịch nước tặng"
    ),
    Authority.AGENCY_HEAD: "Đề nghị thủ trưởng cơ quan, đơn vị tặng",
}


def symbol_of(number: str) -> str:
    """``"QĐ-TTg"`` of ``"1045/QĐ-TTg"``; blank when the number has no "/QĐ-" symbol."""
    match = SYMBOL_PATTERN.search(number.strip())
    return f"QĐ-{match.group(1)}" if match else ""


def authority_from_number(number: str) -> Authority | None:
    """The authority a decision's number names by its symbol; None when the symbol is not one
    of the known issuers."""
    match = SYMBOL_PATTERN.search(number.strip())
    if match is None:
        return None
    return SYMBOLS.get(match.group(1).upper())


def authority_label(authority: str) -> str:
    """The authority's name in the reader's language: "Thủ tướng Chính phủ"."""
    return str(Authority(authority).label)


def submission_request(authority: str) -> str | None:
    """What the submission asks the provincial chairman to do for an award of ``authority``;
    None for awards he is not asked for (a unit's head gives them)."""
    return SUBMISSION_REQUESTS.get(authority)


def report_proposal(authority: str, committee: str, award_name: str) -> str:
    """The report's line for a proposal: "Đề nghị UBND tỉnh trình Thủ tướng Chính phủ tặng
    Cờ thi đua của Chính phủ"."""
    return f"{REPORT_PROPOSALS[authority].format(committee=committee)} {award_name}"
