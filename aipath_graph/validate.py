"""Check a graph: its YAML, its references, its prerequisite DAG and its SHACL shapes.

Every problem is one line, ``FILE:LINE: error: message``, pointing at the YAML
(or at the RDF file a node came from). The checks, in order:

1. YAML syntax, duplicate keys, unknown kinds and fields, value shapes;
2. duplicate ids and unknown references, with "did you mean";
3. prerequisite cycles (``aip:requires``, parts, OR groups), printing the cycle;
4. the SHACL shapes of ``ontology/shapes.ttl`` (pySHACL): labels in both
   languages, positive effort, typed requirements, stages with months and goal …;
5. warnings: two nodes sharing a label (names a user types would be ambiguous).

Examples
--------
>>> report = validate_paths()
>>> report.ok, report.errors
(True, [])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from rdflib import RDF, SH, SKOS, Graph, Literal, URIRef

from .graph import SHAPES_FILE, BuildResult, build
from .load import Location, Problem
from .project import node_id, prerequisite_graph


@dataclass
class Report:
    """The outcome of validation."""

    problems: list[Problem] = field(default_factory=list)
    triples: int = 0

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity warning."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors


def _where(result: BuildResult, node: object, pred: object = None) -> Location:
    if isinstance(node, URIRef):
        if isinstance(pred, URIRef) and (node, pred) in result.field_locations:
            return result.field_locations[(node, pred)]
        if node in result.locations:
            return result.locations[node]
    src = result.sources[0] if result.sources else Path("<graph>")
    return Location(str(src))


def check_cycles(result: BuildResult) -> list[Problem]:
    """One problem per strongly connected set of prerequisites, naming a cycle in it."""
    G = prerequisite_graph(result.graph, check=False)
    problems = []
    for component in nx.strongly_connected_components(G):
        if len(component) == 1:
            (n,) = component
            if not G.has_edge(n, n):
                continue
        sub = G.subgraph(component)
        cycle = [u for u, _ in nx.find_cycle(sub)]
        start = min(range(len(cycle)), key=lambda i: cycle[i])
        cycle = cycle[start:] + cycle[:start]
        loop = " -> ".join([*cycle, cycle[0]])
        first = URIRef(G.nodes[cycle[0]]["iri"])
        problems.append(Problem(_where(result, first), f"prerequisite cycle: {loop}"))
    return problems


def check_shacl(result: BuildResult, shapes: Path = SHAPES_FILE) -> list[Problem]:
    """Run pySHACL with the project's shapes and map each result to a source line."""
    import pyshacl

    shapes_graph = Graph().parse(shapes, format="turtle")
    _conforms, report, _text = pyshacl.validate(
        result.graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    problems = []
    for res in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        message = report.value(res, SH.resultMessage)
        value = report.value(res, SH.value)
        severity = report.value(res, SH.resultSeverity)
        text = str(message) if message is not None else "does not conform to its shape"
        if value is not None and not isinstance(value, Literal):
            text += f" (got {node_id(value)})" if isinstance(value, URIRef) else ""
        elif value is not None:
            text += f" (got {str(value)!r})"
        label = node_id(focus) if isinstance(focus, URIRef) else str(focus)
        problems.append(
            Problem(
                _where(result, focus, path),
                f"{label}: {text}",
                "warning" if severity in (SH.Warning, SH.Info) else "error",
            )
        )
    return sorted(set(problems))


def check_labels(result: BuildResult) -> list[Problem]:
    """Warn when two nodes share a preferred label in one language."""
    from .resolve import normalize

    seen: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for s, o in result.graph.subject_objects(SKOS.prefLabel):
        if isinstance(s, URIRef) and isinstance(o, Literal) and s in result.locations:
            seen[(o.language or "", normalize(str(o)))].add(s)
    problems = []
    for (lang, label), nodes in sorted(seen.items()):
        if len(nodes) > 1:
            ids = sorted(node_id(n) for n in nodes)
            problems.append(
                Problem(
                    _where(result, sorted(nodes)[0]),
                    f"label {label!r}@{lang} is shared by {', '.join(ids)}; "
                    "the name will be ambiguous",
                    "warning",
                )
            )
    return problems


def validate_build(result: BuildResult, *, shacl: bool = True) -> Report:
    """Validate an already built graph (see :func:`validate_paths`)."""
    problems = list(result.problems)
    problems += check_cycles(result)
    if shacl and not any(p.severity == "error" for p in problems):
        problems += check_shacl(result)
    problems += check_labels(result)
    return Report(problems, len(result.graph))


def validate_paths(paths: Sequence[Path] | None = None, *, shacl: bool = True) -> Report:
    """Build the graph from ``paths`` (default: the bundled graph) and validate it.

    SHACL runs only when the sources themselves read cleanly: shape errors on a
    graph with broken references would only repeat them.
    """
    return validate_build(build(paths), shacl=shacl)
