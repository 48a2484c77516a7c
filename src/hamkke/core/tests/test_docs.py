"""The notes the code cites live in the repository (docs/), and every cited section exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
CITATION = re.compile(r"DOMAIN(?:\.md)? §(\d+)")


def _sections(doc: Path) -> set[str]:
    return set(re.findall(r"^## (\d+)\.", doc.read_text(encoding="utf-8"), re.M))


def test_every_domain_section_the_code_cites_exists_in_docs():
    sections = _sections(ROOT / "docs" / "DOMAIN.md")
    cited = {}
    for path in [*(ROOT / "src").rglob("*.py"), ROOT / "README.md"]:
        for number in CITATION.findall(path.read_text(encoding="utf-8")):
            cited.setdefault(number, path.name)
    assert cited, "no citation found: the pattern is wrong"
    assert {n: f for n, f in cited.items() if n not in sections} == {}


def test_architecture_notes_are_in_the_repository():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for heading in ("## Layers", "## Tenancy", "## Time"):
        assert heading in text
