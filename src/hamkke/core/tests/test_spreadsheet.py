"""The formula guard of every export and its inverse on import."""

import pytest

from hamkke.core.spreadsheet import escape_formula, unescape_formula


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_text_is_escaped_and_read_back(text):
    assert escape_formula(text) == "'" + text
    assert unescape_formula(escape_formula(text)) == text


@pytest.mark.parametrize("value", ["홍길동", "'quoted", "", 5, None])
def test_other_values_pass_unchanged(value):
    assert escape_formula(value) == value
    if isinstance(value, str):
        assert unescape_formula(value) == value
