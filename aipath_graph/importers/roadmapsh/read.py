"""Read a roadmap.sh roadmap — a JSON file or a roadmap folder — into a :class:`Roadmap`.

A roadmap folder is ``NAME/NAME.json`` with a ``content/`` folder beside it (the
layout of roadmap.sh's repository); a JSON file given alone also picks up a
``content/`` folder next to it. Files may start with a UTF-8 byte-order mark.

Examples
--------
>>> from pathlib import Path
>>> rm = read_roadmap(Path("tests/data/roadmapsh/mini-roadmap"))
>>> rm.name, rm.format, len(rm.content) > 0
('mini-roadmap', 'flow', True)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ...errors import DataError
from .mockup import controls, read_mockup
from .model import Arrow, Box, Roadmap

_NUMBERED = re.compile(r"^\d+-")


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _size(node: dict[str, Any], label: str) -> tuple[float, float]:
    """A node's width and height: as saved, else from its style, else guessed from its text."""
    style = _dict(node.get("style"))
    w = _num(node.get("width")) or _num(style.get("width"))
    h = _num(node.get("height")) or _num(style.get("height"))
    return w or 9.0 * len(label) + 30.0, h or (36.0 if node.get("type") == "label" else 49.0)


def _pick_json(folder: Path) -> Path:
    own = folder / f"{folder.name}.json"
    if own.is_file():
        return own
    found = sorted(p for p in folder.glob("*.json") if not p.name.endswith("mapping.json"))
    if len(found) == 1:
        return found[0]
    what = "no roadmap JSON" if not found else f"{len(found)} JSON files"
    raise DataError(f"{folder}: {what} in the folder; give the roadmap file ({folder.name}.json)")


def read_roadmap(path: Path) -> Roadmap:
    """Read a roadmap file or folder; raise :class:`DataError` (one line) when it is not one."""
    folder = path if path.is_dir() else path.parent
    file = _pick_json(path) if path.is_dir() else path
    try:
        doc = json.loads(file.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise DataError(f"{file}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{file}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{file}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno})"
        ) from None
    name = path.name if path.is_dir() else file.stem
    content_dir = folder / "content"
    if isinstance(doc, dict) and isinstance(doc.get("nodes"), list):
        rm = _read_flow(doc, name, file)
        if content_dir.is_dir():
            rm.content = _flow_content(content_dir, rm.boxes)
        return rm
    if isinstance(doc, dict) and controls(doc) is not None:
        boxes, skipped = read_mockup(doc)
        rm = Roadmap(name, file, "mockup", {b.id: b for b in boxes}, [])
        for kind in skipped:
            rm.drop("layout", kind)
        if content_dir.is_dir():
            rm.content = _mockup_content(content_dir, rm.boxes)
        return rm
    raise DataError(
        f"{file}: not a roadmap.sh roadmap (no 'nodes' list, no 'mockup' controls); "
        "give the roadmap's NAME.json or its folder"
    )


def _read_flow(doc: dict[str, Any], name: str, file: Path) -> Roadmap:
    rm = Roadmap(name, file, "flow", {}, [])
    for node in doc["nodes"]:
        if not isinstance(node, dict) or not node.get("id"):
            rm.drop("no-id", str(node)[:40])
            continue
        data = _dict(node.get("data"))
        label = " ".join(str(data.get("label") or "").split())
        pos = _dict(node.get("position"))
        w, h = _size(node, label)
        box = Box(
            str(node["id"]),
            str(node.get("type") or ""),
            label,
            _num(pos.get("x")) or 0.0,
            _num(pos.get("y")) or 0.0,
            w,
            h,
            href=str(data.get("href") or ""),
            badge=str(data.get("badge") or ""),
        )
        rm.boxes[box.id] = box
    edges = doc.get("edges")
    for edge in edges if isinstance(edges, list) else []:
        if not isinstance(edge, dict):
            continue
        s, t = str(edge.get("source")), str(edge.get("target"))
        if s not in rm.boxes or t not in rm.boxes:
            rm.drop("dangling", f"{s} -> {t}")
            continue
        style, data = _dict(edge.get("style")), _dict(edge.get("data"))
        dash = str(style.get("strokeDasharray") or "0").strip()
        rm.arrows.append(Arrow(s, t, dash not in ("0", "") or data.get("edgeStyle") == "dashed"))
    return rm


def _flow_content(folder: Path, boxes: dict[str, Box]) -> dict[str, Path]:
    """``content/<slug>@<id>.md`` files by the id of their box."""
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*@*.md")):
        node_id = path.stem.rsplit("@", 1)[1]
        if node_id in boxes:
            found[node_id] = path
    return found


def _mockup_content(folder: Path, boxes: dict[str, Box]) -> dict[str, Path]:
    """Older content: ``content/NNN-topic/index.md`` and ``…/NNN-sub.md``, by control name."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.md")):
        parts = [_NUMBERED.sub("", p) for p in path.relative_to(folder).with_suffix("").parts]
        if parts and parts[-1] == "index":
            parts = parts[:-1]
        key = ":".join(parts).lower()
        if key in boxes:
            found[key] = path
    return found
