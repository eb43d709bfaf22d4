"""Regenerate this excerpt from a copy of the Metacademy CSVs (not run by the tests).

Usage: python make_excerpt.py METACADEMY_DIR

Keeps the targets below and every concept they need (so each kept concept's own
learning plan lies inside the excerpt), writes ``metacademy.ttl`` in the aipath
ontology and ``learning_plans.csv`` (Metacademy's plans for the kept concepts).
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path

import networkx as nx

TARGETS = [
    "backpropagation",
    "logistic_regression",
    "principal_component_analysis",
    "expectation_maximization",
]


def slug(tag: str) -> str:
    return tag.replace("_", "-")


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(src: Path, out: Path) -> None:
    concepts = {r["tag"]: r for r in csv.DictReader((src / "app_concepts.csv").open())}
    deps = list(csv.DictReader((src / "app_dependencies.csv").open()))
    G = nx.DiGraph((d["prerequisite"], d["concept"]) for d in deps)
    keep = set(TARGETS).union(*(nx.ancestors(G, t) for t in TARGETS))
    lines = [
        "# Excerpt of Metacademy's concept graph (metacademy.org), CC BY-SA 3.0;",
        "# converted to the aipath ontology; see README.md.",
        "@prefix aip: <https://w3id.org/aipath/ontology#> .",
        "@prefix id: <https://w3id.org/aipath/id/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
    ]
    for tag in sorted(keep):
        c = concepts[tag]
        hours = Decimal(c["learn_time_hours"]).quantize(Decimal("0.01"))
        pre = sorted(d["prerequisite"] for d in deps if d["concept"] == tag)
        lines.append(f"id:{slug(tag)} a aip:Skill ;")
        lines.append(f"    skos:prefLabel {lit(c['title'])}@en , {lit(c['title'])}@zh ;")
        if pre:
            lines.append("    aip:requires " + " , ".join(f"id:{slug(p)}" for p in pre) + " ;")
        lines.append(f'    aip:effortHours "{hours}"^^xsd:decimal .')
        lines.append("")
    (out / "metacademy.ttl").write_text("\n".join(lines), encoding="utf-8")
    with (
        (src / "app_learning_plans.csv").open() as f,
        (out / "learning_plans.csv").open("w", newline="") as g,
    ):
        rows = [r for r in csv.DictReader(f) if r["target"] in keep]
        w = csv.DictWriter(g, ["target", "n_concepts", "concepts"], lineterminator="\n")
        w.writeheader()
        for r in sorted(rows, key=lambda r: r["target"]):
            w.writerow({k: r[k] for k in ("target", "n_concepts", "concepts")})


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).parent)
