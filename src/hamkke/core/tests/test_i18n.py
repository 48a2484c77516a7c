"""The English catalogue (locale/en): complete, not fuzzy, and compiled (the .mo matches the .po).

Source strings are Korean; English is a translation. polib is not a dependency, so the .po is
parsed minimally here (msgctxt, msgid, msgid_plural, msgstr[n], flags; obsolete #~ entries skipped).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from hamkke.cases.stages import Stage

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(token: str) -> str:
    """A PO string literal ("...") to its text."""
    token = token.strip()
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), token[1:-1])


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which string continuation lines extend
    pending_flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank or obsolete
            target = None
            continue
        if line.startswith("#,"):
            pending_flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None and current is not None, f"{path}:{number}: stray string"
            name, index = target
            text = _unquote(line)
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, getattr(current, name) + text)
            continue
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            current = Entry(line=number, flags=pending_flags)
            pending_flags = set()
            entries.append(current)
        assert current is not None, f"{path}:{number}: {keyword} before msgid"
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest))
            target = (keyword, 0)
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: unexpected {keyword!r}")
    return entries


def messages() -> list[Entry]:
    """Every real entry (the header, msgid "", is left out)."""
    return [e for e in parse_po(PO) if e.msgid]


def test_catalogue_exists_and_is_compiled():
    assert PO.is_file(), f"{PO} is missing: run makemessages -l en from src/hamkke"
    assert MO.is_file(), f"{MO} is missing: run compilemessages (the .mo is committed)"
    assert len(messages()) > 100


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = messages()
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    empty = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert not fuzzy, f"fuzzy entries in {PO.name}: {fuzzy}"
    assert not empty, f"untranslated entries in {PO.name}: {empty}"
    header = next(e for e in parse_po(PO) if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: en" in header.msgstr[0]


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")


def test_placeholders_are_kept():
    for e in messages():
        for text in e.msgstr.values():
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(e.msgid)), e.msgid


def _translated(e: Entry, n: int | None = None) -> str:
    if n is None:
        if e.msgctxt is None:
            return translation.gettext(e.msgid)
        return translation.pgettext(e.msgctxt, e.msgid)
    if e.msgctxt is None:
        return translation.ngettext(e.msgid, e.msgid_plural, n)
    return translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)


def test_the_compiled_catalogue_matches_the_po():
    """A stale .mo (the .po edited, compilemessages not run) makes some message fall back to Korean."""
    stale = []
    with translation.override("en"):  # English plural forms: [0] for 1, [1] otherwise
        for e in messages():
            if e.msgid_plural is None:
                pairs = [(e.msgstr[0], _translated(e))]
            else:
                pairs = [(e.msgstr.get(0), _translated(e, 1)), (e.msgstr.get(1), _translated(e, 2))]
            stale += [(e.msgid, expected, got) for expected, got in pairs if got != expected]
    assert not stale, f"{MO.name} is out of date with {PO.name}; run compilemessages: {stale[:5]}"


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("사례 목록", "Cases"),
        ("사례", "Case"),
        ("사례관리 담당자", "Case manager"),
        ("주관 기관", "Lead agency"),
        ("참여 기관", "Participating agency"),
        ("정보제공 동의", "Information-sharing consent"),
        ("접속기록", "Access log"),
    ],
)
def test_known_strings_in_english(korean, english):
    with translation.override("en"):
        assert translation.gettext(korean) == english
    with translation.override("ko"):
        assert translation.gettext(korean) == korean


def test_stage_labels_follow_the_language():
    with translation.override("en"):
        assert str(Stage.IDENTIFICATION.label) == "Identification (outreach)"
        assert str(Stage.CLOSED.label) == "Closed"
        assert dict(Stage.choices)[Stage.REFUSED] == "Refused (keep visiting)"
    with translation.override("ko"):
        assert str(Stage.IDENTIFICATION.label) == "발굴"


def test_the_minimal_po_parser(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "%(n)s건"\nmsgstr "%(n)s "\n"items"\n\n'
        'msgctxt "달"\nmsgid "5"\nmsgstr "May"\n\n'
        'msgid "한 개"\nmsgid_plural "여러 개"\nmsgstr[0] "one \\"x\\""\nmsgstr[1] ""\n\n'
        '#~ msgid "옛"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, fuzzy, context, plural = parse_po(po)
    assert header.msgid == "" and header.msgstr[0] == "Language: en\n"
    assert fuzzy.flags == {"fuzzy", "python-format"} and fuzzy.msgstr[0] == "%(n)s items"
    assert (context.msgctxt, context.msgid, context.msgstr[0], context.flags) == ("달", "5", "May", set())
    assert plural.msgid_plural == "여러 개" and plural.msgstr == {0: 'one "x"', 1: ""}
