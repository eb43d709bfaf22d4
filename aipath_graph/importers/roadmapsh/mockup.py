"""The older roadmap.sh format (until 2023): a Balsamiq-style "mockup" of controls.

Each learnable box is a ``__group__`` control whose ``properties.controlName`` is
``NNN-topic`` for a topic and ``NNN-topic:sub[:subsub]`` for its parts; the number
is the author's order among siblings; the group's ``Label`` children hold the text.
Arrows are free lines with no endpoints bound to boxes, so the order comes from the
numbers. Notes (a ``TextArea`` group) and ``ext_link:…`` buttons are layout.

Examples
--------
>>> doc = {"mockup": {"controls": {"control": [
...     {"typeID": "__group__", "x": "10", "y": "20", "w": "200", "h": "43",
...      "properties": {"controlName": "101-basics"},
...      "children": {"controls": {"control": [
...          {"typeID": "Canvas"}, {"typeID": "Label", "properties": {"text": "Basics"}}]}}},
...     {"typeID": "__group__", "x": "300", "y": "20", "w": "200", "h": "42",
...      "properties": {"controlName": "100-basics:syntax"},
...      "children": {"controls": {"control": [
...          {"typeID": "Canvas"}, {"typeID": "Label", "properties": {"text": "Syntax"}}]}}}]}}}
>>> boxes, skipped = read_mockup(doc)
>>> [(b.id, b.type, b.label, b.parent, b.rank) for b in boxes]
[('basics', 'topic', 'Basics', '', 101), ('basics:syntax', 'subtopic', 'Syntax', 'basics', 100)]
"""

from __future__ import annotations

import re
from typing import Any

from .model import Box

_NAME = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*(?::[a-z0-9][a-z0-9-]*)*)$", re.IGNORECASE)


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _children(control: dict[str, Any]) -> list[dict[str, Any]]:
    kids = ((control.get("children") or {}).get("controls") or {}).get("control") or []
    return [k for k in kids if isinstance(k, dict)]


def controls(doc: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The top-level controls of a mockup document, or None when it is not one."""
    mockup = doc.get("mockup")
    if not isinstance(mockup, dict):
        return None
    found = (mockup.get("controls") or {}).get("control")
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else None


def read_mockup(doc: dict[str, Any]) -> tuple[list[Box], list[str]]:
    """The learnable boxes of a mockup, and the type names of the controls skipped."""
    boxes: list[Box] = []
    skipped: list[str] = []
    for c in controls(doc) or []:
        name = str((c.get("properties") or {}).get("controlName") or "")
        match = _NAME.match(name)
        kids = _children(c)
        if c.get("typeID") != "__group__" or not match or not kids:
            skipped.append(str(c.get("typeID") or "control"))
            continue
        if kids[0].get("typeID") != "Canvas":  # a note: TextArea with text inside
            skipped.append("note")
            continue
        text = " ".join(
            str((k.get("properties") or {}).get("text") or "")
            for k in kids
            if k.get("typeID") == "Label"
        )
        key = match.group(2).lower()
        parent = key.rsplit(":", 1)[0] if ":" in key else ""
        w = _num(c.get("w"), _num(c.get("measuredW"), 200))
        h = _num(c.get("h"), _num(c.get("measuredH"), 43))
        boxes.append(
            Box(
                key,
                "subtopic" if parent else "topic",
                " ".join(text.split()),
                _num(c.get("x")),
                _num(c.get("y")),
                w,
                h,
                parent=parent,
                rank=int(match.group(1)),
            )
        )
    return boxes, skipped
