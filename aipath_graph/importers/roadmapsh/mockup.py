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
_SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _children(control: dict[str, Any]) -> list[dict[str, Any]]:
    kids = _d(_d(control.get("children")).get("controls")).get("control")
    return [k for k in kids if isinstance(k, dict)] if isinstance(kids, list) else []


def controls(doc: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The top-level controls of a mockup document, or None when it is not one."""
    mockup = doc.get("mockup")
    if not isinstance(mockup, dict):
        return None
    found = _d(mockup.get("controls")).get("control")
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else None


def _texts(kids: list[dict[str, Any]]) -> list[str]:
    found = (str(_d(k.get("properties")).get("text") or "") for k in kids)
    return [
        " ".join(t.split()) for k, t in zip(kids, found, strict=True) if k.get("typeID") == "Label"
    ]


def _rect(c: dict[str, Any], default_w: float = 200, default_h: float = 43) -> tuple[float, ...]:
    w = _num(c.get("w"), _num(c.get("measuredW"), default_w))
    h = _num(c.get("h"), _num(c.get("measuredH"), default_h))
    return _num(c.get("x")), _num(c.get("y")), w, h


def read_mockup(doc: dict[str, Any]) -> tuple[list[Box], list[str]]:
    """The learnable boxes of a mockup, and the type names of the controls skipped.

    Two generations exist: numbered groups (``NNN-topic:sub``), and, in some
    roadmaps of early 2024, topics as a title ``Label`` on a ``TextArea`` box with
    checklist items as groups named by slug (beside a ``check:…`` box) and links as
    ``ext_link:HOST/PATH`` groups (title, then kind).
    """
    boxes: list[Box] = []
    skipped: list[str] = []
    top = controls(doc) or []
    for c in top:
        name = str(_d(c.get("properties")).get("controlName") or "")
        match = _NAME.match(name)
        kids = _children(c)
        texts = _texts(kids)
        if c.get("typeID") != "__group__" or not kids:
            continue
        if match and kids[0].get("typeID") == "Canvas":
            key = match.group(2).lower()
            parent = key.rsplit(":", 1)[0] if ":" in key else ""
            x, y, w, h = _rect(c)
            kind = "subtopic" if parent else "topic"
            label = " ".join(texts)
            boxes.append(Box(key, kind, label, x, y, w, h, parent=parent, rank=int(match.group(1))))
        elif name.startswith("ext_link:") and texts and not name[9:].startswith("roadmap.sh"):
            x, y, w, h = _rect(c, 400, 49)
            badge = texts[-1] if len(texts) > 1 else ""
            label = texts[0]
            href = "https://" + name[len("ext_link:") :]
            boxes.append(Box(name, "resourceButton", label, x, y, w, h, href=href, badge=badge))
        elif _SLUG.match(name) and texts:
            x, y, w, h = _rect(c, 300, 28)
            boxes.append(Box(name, "todo", " ".join(texts), x, y, w, h))
        else:
            skipped.append("note" if match else (name.split(":", 1)[0] or "group"))
    if not any(b.type == "topic" for b in boxes):
        boxes += _titled_boxes(top)
    skipped += [str(c.get("typeID") or "control") for c in top if c.get("typeID") != "__group__"]
    return boxes, skipped


def _titled_boxes(top: list[dict[str, Any]]) -> list[Box]:
    """Topics drawn as a ``TextArea`` box with a ``Label`` title on it (early 2024)."""
    areas = [c for c in top if c.get("typeID") == "TextArea"]
    found = []
    for c in top:
        text = " ".join(str(_d(c.get("properties")).get("text") or "").split())
        if c.get("typeID") != "Label" or len(text) < 2:
            continue
        lx, ly, lw, lh = _rect(c, 100, 36)
        for a in areas:
            x, y, w, h = _rect(a, 200, 140)
            if x <= lx + lw / 2 <= x + w and y <= ly + lh / 2 <= y + h:
                found.append(Box(f"box-{a.get('ID')}", "topic", text, x, y, w, h))
                break
    return found
