"""A roadmap.sh roadmap as boxes on a canvas, whatever file format it came in.

Both formats roadmap.sh has used — the flow diagram (``nodes``/``edges``, since
2024) and the older "mockup" (``mockup.controls.control``) — are read into a
:class:`Roadmap`: boxes with a type, a label and a rectangle, and the arrows drawn
between them. Everything after reading works on this model only.

Examples
--------
>>> a = Box("a", "topic", "A", 0.0, 0.0, 100.0, 50.0)
>>> b = Box("b", "subtopic", "B", 0, 56, 100, 50)
>>> a.gap(b), a.bottom, b.cy
(6.0, 50.0, 81.0)
>>> Box("s", "section", "", -10, -10, 200, 200).contains(a)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

#: Box types that carry learnable content.
CONTENT = frozenset({"topic", "subtopic", "todo"})
#: Line nodes: dotted or solid strokes that draw the main path.
LINES = frozenset({"vertical", "horizontal"})
#: Box types an arrow may pass through on its way from one topic to the next.
PASS_THROUGH = frozenset({"paragraph", "label", "title", "vertical", "horizontal"})


@dataclass(frozen=True)
class Box:
    """One node of the roadmap: its type, label and rectangle (y grows downwards)."""

    id: str
    type: str
    label: str
    x: float
    y: float
    w: float
    h: float
    href: str = ""
    badge: str = ""
    #: mockup only: the id of the box this one is a part of, and the author's order.
    parent: str = ""
    rank: int = 0

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def contains(self, other: Box, margin: float = 4.0) -> bool:
        """Whether ``other``'s centre lies inside this box (grown by ``margin``)."""
        return (
            self.x - margin <= other.cx <= self.right + margin
            and self.y - margin <= other.cy <= self.bottom + margin
        )

    def touches(self, px: float, py: float, tol: float) -> bool:
        """Whether the point lies inside this box grown by ``tol``."""
        return self.x - tol <= px <= self.right + tol and self.y - tol <= py <= self.bottom + tol

    def gap(self, other: Box) -> float:
        """The shortest distance between the two rectangles (0 when they overlap)."""
        dx = max(other.x - self.right, self.x - other.right, 0.0)
        dy = max(other.y - self.bottom, self.y - other.bottom, 0.0)
        return math.hypot(dx, dy)

    def x_overlap(self, other: Box) -> float:
        """How far the two rectangles overlap horizontally (negative: the gap)."""
        return min(self.right, other.right) - max(self.x, other.x)


@dataclass(frozen=True)
class Arrow:
    """An edge drawn from one box to another."""

    source: str
    target: str
    dashed: bool = False


@dataclass
class Roadmap:
    """A roadmap read from a file: its boxes, arrows and content files."""

    name: str
    path: Path
    format: str
    boxes: dict[str, Box]
    arrows: list[Arrow]
    #: box id → its ``content/*.md`` file.
    content: dict[str, Path] = field(default_factory=dict)
    #: things read but not usable, by kind (e.g. arrows to a missing box).
    dropped: dict[str, list[str]] = field(default_factory=dict)

    def of_type(self, *types: str) -> list[Box]:
        """The boxes of these types, top to bottom, then left to right."""
        return sorted(
            (b for b in self.boxes.values() if b.type in types), key=lambda b: (b.y, b.x, b.id)
        )

    def drop(self, kind: str, example: str) -> None:
        self.dropped.setdefault(kind, []).append(example)
