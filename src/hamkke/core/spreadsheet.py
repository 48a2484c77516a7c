"""The one guard against spreadsheet formulas in exported text (CSV/formula injection), and its inverse.

A cell whose text starts with one of FORMULA_STARTS would be run by a spreadsheet (an agency or a
description typed as ``=HYPERLINK(...)``). Exports write such text with a leading apostrophe (the
spreadsheet's own "this is text" mark); imports read a value written that way back without it.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    """The inverse of ``escape_formula`` for a value read back from an exported file."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text
