"""Eco-map (생태도) and genogram (가계도) layouts: pure functions from plain data to shapes.

The SVG is drawn by templates (templates/diagrams/*.svg) from these shapes, so text is escaped by
Django and no JavaScript or CDN library is involved. Written here rather than taken from a library:
the maintained Python SVG libraries draw shapes but none lays out a genogram or an eco-map, and the
layout rules (generations, the four rings of DOMAIN.md §4) are the part that is Hamkke's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# --- Eco-map ---------------------------------------------------------------------------------

RINGS = ("inner", "outer", "informal", "formal")  # DOMAIN.md §4: the person's own first, formal last
RING_RADIUS = {"inner": 105, "outer": 180, "informal": 255, "formal": 330}
ECOMAP_SIZE = 760
CENTRE = ECOMAP_SIZE / 2
NODE_RADIUS = 34
LABEL_CHARS = 5  # per line; two lines inside a node

STRONG, ORDINARY, WEAK, STRESSFUL = "strong", "ordinary", "weak", "stressful"


@dataclass(frozen=True)
class Tie:
    """One thing around the person: on which ring, how the line is drawn, whether help flows."""

    ring: str
    label: str
    tie: str = ORDINARY  # strong / ordinary / weak / stressful
    in_use: bool = True  # 쓰고 있는 (solid) or 쓸 수 있는 (dashed)
    help_flows: bool = False  # an arrow towards the person: help actually delivered
    detail: str = ""


@dataclass
class PlacedTie:
    tie: Tie
    x: float
    y: float
    x1: float  # line start, on the centre circle
    y1: float
    x2: float  # line end, on the node circle
    y2: float
    short: str  # first line of the label inside the node
    short2: str = ""  # second line
    path: str = ""  # the zigzag of a stressful tie


@dataclass
class EcoMap:
    centre_label: str
    ties: list[PlacedTie] = field(default_factory=list)
    rings: list[tuple[str, float]] = field(default_factory=list)
    size: int = ECOMAP_SIZE
    centre: float = CENTRE


def _two_lines(text: str, limit: int = LABEL_CHARS) -> tuple[str, str]:
    """The label in two short lines for inside a node (the whole label is the node's tooltip)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, ""
    first, rest = text[:limit], text[limit:].strip()
    return first, rest if len(rest) <= limit else rest[: limit - 1] + "…"


def _zigzag(x1: float, y1: float, x2: float, y2: float, teeth: int = 8, amplitude: float = 5) -> str:
    """An SVG path along the line with teeth: the usual mark of a stressful relationship."""
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1
    nx, ny = -dy / length, dx / length
    points = [f"M {x1:.1f} {y1:.1f}"]
    for i in range(1, teeth * 2):
        t = i / (teeth * 2)
        side = amplitude if i % 2 else -amplitude
        points.append(f"L {x1 + dx * t + nx * side:.1f} {y1 + dy * t + ny * side:.1f}")
    points.append(f"L {x2:.1f} {y2:.1f}")
    return " ".join(points)


def ecomap_layout(centre_label: str, ties: list[Tie], centre_radius: float = 42) -> EcoMap:
    """Place each tie on its ring, spread evenly (rings offset so lines do not stack)."""
    result = EcoMap(centre_label=centre_label, rings=[(ring, RING_RADIUS[ring]) for ring in RINGS])
    for index, ring in enumerate(RINGS):
        on_ring = [t for t in ties if t.ring == ring]
        for n, tie in enumerate(on_ring):
            angle = -math.pi / 2 + (2 * math.pi * n / len(on_ring)) + index * 0.35
            radius = RING_RADIUS[ring]
            x, y = CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)
            cos, sin = math.cos(angle), math.sin(angle)
            placed = PlacedTie(
                tie=tie,
                x=x,
                y=y,
                x1=CENTRE + centre_radius * cos,
                y1=CENTRE + centre_radius * sin,
                x2=x - NODE_RADIUS * cos,
                y2=y - NODE_RADIUS * sin,
                short=_two_lines(tie.label)[0],
                short2=_two_lines(tie.label)[1],
            )
            if tie.tie == STRESSFUL:
                placed.path = _zigzag(placed.x1, placed.y1, placed.x2, placed.y2)
            result.ties.append(placed)
    return result


# --- Genogram --------------------------------------------------------------------------------

GENERATION = {"parent": -1, "head": 0, "spouse": 0, "sibling": 0, "relative": 0, "other": 0, "child": 1}
GENERATION_DEFAULT = 0
GRANDCHILD_GENERATION = 2
SYMBOL = 44
COLUMN = 120
ROW = 130
MARGIN = 40


@dataclass(frozen=True)
class Member:
    key: str
    label: str  # name or "성명 미상"
    relation: str  # Person.Relation value (relation to the head of household)
    sex: str = ""  # "M", "F" or "" (unknown)
    age: int | None = None
    is_index: bool = False  # the person the case is about (double outline)
    deceased: bool = False
    lives_together: bool = True


@dataclass
class PlacedMember:
    member: Member
    x: float  # centre
    y: float
    generation: int


@dataclass
class Genogram:
    members: list[PlacedMember]
    lines: list[tuple[float, float, float, float]]
    width: float
    height: float
    household_box: tuple[float, float, float, float] | None  # x, y, w, h around those living together
    symbol: int = SYMBOL


def _generation(relation: str) -> int:
    if relation == "grandchild":
        return GRANDCHILD_GENERATION
    return GENERATION.get(relation, GENERATION_DEFAULT)


def _row_order(member: Member) -> tuple[int, str]:
    """Left to right in a row: siblings, the head, the spouse, then relatives and others."""
    order = {"sibling": 0, "parent": 1, "head": 1, "child": 1, "grandchild": 1, "spouse": 2, "relative": 3, "other": 4}
    return order.get(member.relation, 5), member.key


def genogram_layout(members: list[Member]) -> Genogram:
    """Rows by generation (parents above the head, children below), lines the usual way:
    a couple joined at the bottom of their symbols, children hanging from the couple's line."""
    if not members:
        return Genogram(members=[], lines=[], width=2 * MARGIN, height=2 * MARGIN, household_box=None)
    by_generation: dict[int, list[Member]] = {}
    for member in members:
        by_generation.setdefault(_generation(member.relation), []).append(member)
    top = min(by_generation)
    widest = max(len(row) for row in by_generation.values())
    width = 2 * MARGIN + widest * COLUMN
    placed: list[PlacedMember] = []
    for generation in sorted(by_generation):
        row = sorted(by_generation[generation], key=_row_order)
        start = (width - len(row) * COLUMN) / 2 + COLUMN / 2
        y = MARGIN + SYMBOL / 2 + (generation - top) * ROW
        placed += [PlacedMember(m, start + i * COLUMN, y, generation) for i, m in enumerate(row)]
    lines: list[tuple[float, float, float, float]] = []
    half = SYMBOL / 2

    def couple_anchor(generation: int, relations: tuple[str, ...]) -> tuple[float, float] | None:
        """Where children hang from: the middle of the couple's line, or the single parent's symbol."""
        couple = [p for p in placed if p.generation == generation and p.member.relation in relations]
        if not couple:
            return None
        xs = [p.x for p in couple]
        bottom = couple[0].y + half
        if len(couple) > 1:
            # the couple's line runs between the symbols and the names written under them
            lines.append((min(xs), bottom + 8, max(xs), bottom + 8))
            for p in couple:
                lines.append((p.x, bottom, p.x, bottom + 8))
            return (min(xs) + max(xs)) / 2, bottom + 8
        return xs[0], bottom

    def hang(anchor: tuple[float, float] | None, children: list[PlacedMember]) -> None:
        if anchor is None or not children:
            return
        ax, ay = anchor
        bar = children[0].y - half - 22
        lines.append((ax, ay, ax, bar))
        xs = [c.x for c in children] + [ax]
        lines.append((min(xs), bar, max(xs), bar))
        for child in children:
            lines.append((child.x, bar, child.x, child.y - half))

    of = {p.member.relation: p for p in placed}
    hang(
        couple_anchor(-1, ("parent",)),
        [p for p in placed if p.member.relation in ("head", "sibling")],
    )
    hang(
        couple_anchor(0, ("head", "spouse")) if "spouse" in of or "head" in of else None,
        [p for p in placed if p.member.relation == "child"],
    )
    # Which child is a grandchild's parent is not recorded: they hang from the first child.
    first_child = next((p for p in placed if p.member.relation == "child"), None)
    hang(
        (first_child.x, first_child.y + half) if first_child else None,
        [p for p in placed if p.member.relation == "grandchild"],
    )
    together = [p for p in placed if p.member.lives_together]
    box = None
    if together:
        x0 = min(p.x for p in together) - half - 16
        y0 = min(p.y for p in together) - half - 14
        x1 = max(p.x for p in together) + half + 16
        y1 = max(p.y for p in together) + half + 40
        box = (x0, y0, x1 - x0, y1 - y0)
    height = MARGIN * 2 + (max(by_generation) - top) * ROW + SYMBOL + 30
    return Genogram(members=placed, lines=lines, width=width, height=height, household_box=box)
