"""Build the RDF graph from its sources: the ontology plus YAML folders or RDF files.

``load_graph()`` with no paths gives the bundled graph (``ontology/`` and
``graph/`` of the project). With paths — what ``--data`` passes — it reads those
instead: YAML files or folders written in the format of ``graph/README.md``, and
RDF files (Turtle, N-Triples, JSON-LD, RDF/XML) that use the ontology.

Examples
--------
>>> g = load_graph()
>>> from aipath_graph.namespaces import AIP, ID
>>> (ID["backpropagation"], None, None) in g
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .bundled import (  # noqa: F401 - re-exported for callers of graph.py
    GRAPH_DIR,
    ONTOLOGY_DIR,
    ONTOLOGY_FILE,
    PROJECT_ROOT,
    SHAPES_FILE,
    default_sources,
)
from .compile import compile_records
from .errors import InvalidGraphError
from .load import Location, Problem, load_yaml, source_problem

#: RDF file suffixes and the rdflib parser of each.
RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}
YAML_SUFFIXES = {".yaml", ".yml"}


@dataclass
class BuildResult:
    """A graph with the problems found while building it and node source locations."""

    graph: Graph
    problems: list[Problem] = field(default_factory=list)
    locations: dict[URIRef, Location] = field(default_factory=dict)
    field_locations: dict[tuple[URIRef, URIRef], Location] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)
    #: The named graphs of the dataset: one per source (see :mod:`aipath_graph.dataset`).
    parts: list[tuple[URIRef, Graph]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]


def expand_sources(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Problem]]:
    yaml_files: list[Path] = []
    rdf_files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            children = sorted(p for p in path.iterdir() if p.is_file())
            yaml_files += [p for p in children if p.suffix.lower() in YAML_SUFFIXES]
            rdf_files += [p for p in children if p.suffix.lower() in RDF_FORMATS]
            if not any(p.suffix.lower() in YAML_SUFFIXES | set(RDF_FORMATS) for p in children):
                problems.append(Problem(Location(str(path)), "folder holds no YAML or RDF files"))
        elif problem := source_problem(path):  # missing, a device or FIFO, or too big
            problems.append(Problem(Location(str(path)), problem))
        elif path.suffix.lower() in YAML_SUFFIXES:
            yaml_files.append(path)
        elif path.suffix.lower() in RDF_FORMATS:
            rdf_files.append(path)
        else:
            known = ", ".join(sorted(YAML_SUFFIXES | set(RDF_FORMATS)))
            problems.append(
                Problem(
                    Location(str(path)), f"unknown file type {path.suffix!r}; use one of {known}"
                )
            )
    return yaml_files, rdf_files, problems


def parse_rdf(path: Path, graph: Graph) -> Problem | None:
    """Parse an RDF file into ``graph``; return a problem instead of raising."""
    fmt = RDF_FORMATS[path.suffix.lower()]
    try:
        if fmt in ("trig", "nquads"):  # every graph of a quad file, not only its default one
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(path, format=fmt)
            for ctx in ds.graphs():
                graph += ctx
        else:
            graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        line = getattr(exc, "lines", None) or getattr(exc, "line", None) or 0
        message = " ".join(str(exc).split())[:300] or type(exc).__name__
        return Problem(
            Location(str(path), int(line) if isinstance(line, int) else 0),
            f"cannot parse as {fmt}: {message}",
        )
    return None


def build(paths: Sequence[Path] | None = None, *, rdf: bool = True) -> BuildResult:
    """Read sources into one graph (ontology included); collect problems, never raise on bad data.

    ``rdf=False`` leaves the sources' RDF files out (a store that bulk-loads them itself);
    the YAML keeps the graph names it has among all the sources. The cycle
    collector is paused meanwhile: rdflib's store is millions of small
    containers, and walking them again and again was half the time of a big file.
    """
    from .bulk import paused_gc

    with paused_gc():
        return _build(paths, rdf=rdf)


def _build(paths: Sequence[Path] | None, *, rdf: bool) -> BuildResult:
    sources = list(paths) if paths else default_sources()
    yaml_files, rdf_files, problems = expand_sources(sources)
    loaded = load_yaml(yaml_files, relative_to=Path.cwd())
    compiled = compile_records(loaded.records, loaded.meta)
    from .dataset import ONTOLOGY_GRAPH, SourceNames, split_by_source

    names = SourceNames(sources, bundled=not paths)
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    graph = Graph()
    graph += ontology
    graph += compiled.graph
    parts: list[tuple[URIRef, Graph]] = [(ONTOLOGY_GRAPH, ontology)]
    parts += split_by_source(compiled.graph, compiled.locations, names)
    locations = dict(compiled.locations)
    for path in rdf_files if rdf else []:
        part = Graph()
        problem = parse_rdf(path, part)
        if problem:
            problems.append(problem)
            continue
        for s in part.subjects(unique=True):
            if isinstance(s, URIRef):
                locations.setdefault(s, Location(str(path)))
        parts += names.rdf_parts(path, part)  # before the merge below may grow ``part``
        if len(part) > len(graph):  # copy the smaller graph into the larger one
            whole = Graph()
            whole += part
            whole += graph
            graph = whole
        else:
            graph += part
    bind_prefixes(graph)
    return BuildResult(
        graph,
        [*problems, *loaded.problems, *compiled.problems],
        locations,
        compiled.field_locations,
        sources,
        parts,
    )


def load_graph(paths: Sequence[Path] | None = None) -> Graph:
    """Build the graph and raise :class:`InvalidGraphError` if any source has an error."""
    result = build(paths)
    if result.errors:
        raise InvalidGraphError(result.errors)
    return result.graph


def bind_prefixes(graph: Graph) -> None:
    from rdflib import DCTERMS, OWL, RDFS, SKOS, XSD

    from .namespaces import AIP, ID, SCHEMA

    for prefix, ns in {
        "aip": AIP._NS,
        "id": ID,
        "skos": SKOS,
        "dcterms": DCTERMS,
        "schema": SCHEMA,
        "owl": OWL,
        "rdfs": RDFS,
        "xsd": XSD,
    }.items():
        graph.bind(prefix, ns, override=True, replace=True)
