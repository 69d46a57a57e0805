"""The layer of a score sheet (scoring/layers.py): the enum knows its columns, so code asks it
instead of branching on "self" or "verified"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from scoring.layers import Layer
from scoring.models import Criterion, ScoreLine
from scoring.services import sheets as sheet_services
from scoring.services.sheets import saving
from scoring.workbook.layout import COLUMN_BY_KEY, layer_keys

D = Decimal


def test_the_stored_strings_stay_the_same() -> None:
    assert [layer.value for layer in Layer] == ["self", "verified"]
    assert Layer("self") is Layer.SELF and Layer("verified") is Layer.VERIFIED
    assert Layer.SELF == "self" and f"{Layer.VERIFIED}" == "verified"
    assert Layer.SELF.audit_action == "line.self"
    # The names the grid's template tags and the tests import.
    assert (sheet_services.SELF, sheet_services.VERIFIED) == (Layer.SELF, Layer.VERIFIED)


def test_each_layer_names_its_label_in_both_languages() -> None:
    with translation.override("vi"):
        assert [str(layer.label) for layer in Layer] == ["Tự chấm", "Thẩm định"]
    with translation.override("en"):
        assert [str(layer.label) for layer in Layer] == ["Self-assessment", "Verified"]


@pytest.mark.parametrize("layer", list(Layer))
def test_every_field_a_layer_names_is_a_field_of_the_line(layer: Layer) -> None:
    names = {field.name for field in ScoreLine._meta.get_fields()}
    assert {layer.value_field, layer.target_field, layer.points_field, layer.text_field} <= names
    assert hasattr(ScoreLine, layer.counted_points)


def test_the_two_layers_share_no_column_but_the_workbook_names_them_alike() -> None:
    own, verified = (set(layer.fields) | {layer.points_field} for layer in Layer)
    assert own.isdisjoint(verified)
    assert Layer.SELF.fields == ("self_value", "self_target", "note")
    assert Layer.VERIFIED.fields == ("verified_value", "verified_target", "verified_reason")
    for layer in Layer:
        assert all(key in COLUMN_BY_KEY for key in layer_keys(layer))
    assert (Layer.SELF.text_key, Layer.VERIFIED.text_key) == ("note", "reason")


def line() -> ScoreLine:
    return ScoreLine(
        criterion=Criterion(scored_by=Criterion.ScoredBy.UNIT),
        self_value=D(8),
        self_target=D(10),
        self_points=D(8),
        note="Theo báo cáo quý IV",
        verified_value=D(7),
        verified_target=D(10),
        verified_points=D(7),
        verified_reason="Thiếu biên bản",
        council_adjustment=D("-1.5"),
    )


def test_a_layer_reads_its_own_column_of_a_line() -> None:
    scored = line()
    assert Layer.SELF.entry_of(scored) == (D(8), D(10), "Theo báo cáo quý IV")
    assert Layer.VERIFIED.entry_of(scored) == (D(7), D(10), "Thiếu biên bản")
    assert Layer.VERIFIED.value_of(scored) == D(7)
    assert Layer.SELF.text_of(scored) == "Theo báo cáo quý IV"


def test_the_verified_total_counts_the_councils_adjustment() -> None:
    scored = line()
    assert Layer.SELF.points_of(scored) == D(8)
    assert Layer.VERIFIED.points_of(scored) == D("5.5")  # 7 − 1,5
    assert Layer.SELF.only_unit_lines and not Layer.VERIFIED.only_unit_lines


def test_the_self_total_borrows_the_final_points_of_lines_the_bloc_scores() -> None:
    from scoring.selectors import line_scores

    by_bloc = line()
    by_bloc.criterion.scored_by = Criterion.ScoredBy.BLOC
    by_bloc.criterion.kind = Criterion.Kind.STANDARD
    by_bloc.criterion.max_points = D(10)
    [own] = line_scores([by_bloc], Layer.SELF)
    [verified] = line_scores([by_bloc], Layer.VERIFIED)
    assert (own.points, own.optional) == (D("5.5"), True)
    assert (verified.points, verified.optional) == (D("5.5"), False)


def test_saving_a_layer_writes_only_its_own_columns() -> None:
    assert saving._layer_fields(Layer.SELF, {"value", "note"}) == [
        "note",
        "self_points",
        "self_value",
    ]
    assert saving._layer_fields(Layer.VERIFIED, {"target", "reason"}) == [
        "verified_points",
        "verified_reason",
        "verified_target",
    ]
    scored = line()
    saving._apply(scored, Layer.VERIFIED, sheet_services.LineEntry(D(9), None, " Đủ "))
    assert (scored.verified_value, scored.verified_target, scored.verified_reason) == (
        D(9),
        None,
        "Đủ",
    )
    assert (scored.self_value, scored.note) == (D(8), "Theo báo cáo quý IV")
