"""Folding and highlighting (common/search.py), without a database."""

from __future__ import annotations

import unicodedata

from common.search import MAX_TERMS, Terms, fold, highlight

# Every Vietnamese vowel with every tone, both cases, and đ: each folds to its bare letter.
VOWELS = {
    "a": "aàảãáạăằẳẵắặâầẩẫấậ",
    "e": "eèẻẽéẹêềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọôồổỗốộơờởỡớợ",
    "u": "uùủũúụưừửữứự",
    "y": "yỳỷỹýỵ",
}


def test_every_vietnamese_letter_folds_to_its_bare_latin_letter() -> None:
    for bare, letters in VOWELS.items():
        for letter in letters:
            assert fold(letter) == bare, letter
            assert fold(letter.upper()) == bare, letter.upper()
    assert fold("đ") == fold("Đ") == "d"


def test_names_fold_without_case_or_marks() -> None:
    assert fold("Sở Y tế") == "so y te"
    assert fold("Đài PT-TH Quảng Nam") == "dai pt-th quang nam"
    assert fold("SỞ LĐ-TB&XH") == "so ld-tb&xh"
    # Decomposed text (marks typed as separate characters) folds the same as composed text.
    assert fold(unicodedata.normalize("NFD", "Sở Giáo dục và Đào tạo")) == "so giao duc va dao tao"


def test_a_query_is_cut_into_folded_words_each_once() -> None:
    terms = Terms.parse("  Sở   Y TẾ  sở ")
    assert terms.words == ("so", "y", "te")
    assert terms.text == "so y te"
    assert not Terms.parse("   ")
    assert len(Terms.parse(" ".join(f"w{n}" for n in range(20))).words) == MAX_TERMS


def test_highlight_marks_the_typed_words_in_the_original_text() -> None:
    assert highlight("Sở Y tế", ["so", "te"]) == [("Sở", True), (" Y ", False), ("tế", True)]
    assert highlight("Đài PT-TH", ["dai", "pt"]) == [
        ("Đài", True),
        (" ", False),
        ("PT", True),
        ("-TH", False),
    ]
    assert highlight("Báo Quảng Nam", ["xyz"]) == [("Báo Quảng Nam", False)]
    # A word found twice is marked twice; overlapping words join.
    assert highlight("an an", ["an"]) == [("an", True), (" ", False), ("an", True)]
    assert highlight("Thanh", ["tha", "han"]) == [("Than", True), ("h", False)]
    assert highlight("", ["a"]) == []
