"""The bundled graph as a curriculum: faithful to the article, sane plans, real resources.

The article's own text comes from ``tests/data/seed-phrases.txt`` (an excerpt of the
seed article, MIT licence; see the header of that file).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from aipath_graph.ids import node_id
from aipath_graph.namespaces import AIP, ID

from .conftest import DATA

#: One Chinese character, or Chinese (full-width) punctuation and quotes.
CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”《》]"
HALF_WIDTH_BETWEEN_CJK = re.compile(rf"(?<={CJK})[,;:](?={CJK})")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="module")
def article() -> str:
    lines = (DATA / "seed-phrases.txt").read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line and not line.startswith("#"))


def _plan(invoke, *args: str) -> dict:
    result = invoke("plan", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _planned(invoke, *args: str) -> set[str]:
    return {s["id"] for s in _plan(invoke, *args)["steps"]}


def _curated(g) -> set[URIRef]:
    return {s for s in g.subjects(AIP.curated, None) if bool(g.value(s, AIP.curated).toPython())}


# ---------------------------------------------------------------- faithful to the article


def _curated_article_items(g, article: str) -> list[tuple[str, str]]:
    blob = _norm(article)
    return [
        (node_id(str(s)), str(label))
        for s in _curated(g)
        for label in g.objects(s, SKOS.prefLabel)
        if isinstance(label, Literal) and label.language == "zh" and _norm(label) in blob
    ]


def test_no_article_item_is_flagged_curated(bundled, article):
    """`curated` means "not from the article": a node labelled with the article's words is not."""
    assert _curated_article_items(bundled, article) == []


def test_the_check_above_catches_an_article_item(bundled, article):
    # flag the article's own 云平台部署 curated, as the graph once did: the check must see it
    g = Graph()
    for triple in bundled:
        g.add(triple)
    g.set((ID["cloud-deployment"], AIP.curated, Literal(True)))
    assert _curated_article_items(g, article) == [("cloud-deployment", "云平台部署")]


def test_every_node_not_named_in_the_article_is_flagged_curated(bundled, article):
    """And the other way round: a label the article does not have is the editors' own."""
    blob = _norm(article)
    curated = _curated(bundled)
    unflagged = [
        (node_id(str(s)), str(label))
        for s, label in bundled.subject_objects(SKOS.prefLabel)
        if isinstance(label, Literal) and label.language == "zh" and s not in curated
        if _norm(label) not in blob
    ]
    assert unflagged == []


def test_curated_skills_sit_under_the_curated_parent_and_in_no_stage(bundled, prereq_graph):
    parent = URIRef("https://w3id.org/aipath/id/llm-app-engineering")
    parts = set(bundled.subjects(SKOS.broader, parent))
    assert {node_id(str(p)) for p in parts} >= {
        "llm-fundamentals",
        "embeddings-vector-search",
        "rag",
        "agents-tool-use",
        "llm-evaluation",
        "inference-serving",
        "gpu-fundamentals",
        "llmops",
        "llm-safety",
    }
    curated = _curated(bundled)
    assert parts | {parent} <= curated
    covered = set(bundled.objects(None, AIP.covers))
    assert not covered & curated, "a stage's covers stay the article's"


def test_every_curated_node_says_so_in_a_note(bundled):
    skills_and_tools = set(bundled.subjects(RDF.type, AIP.Skill)) | set(
        bundled.subjects(RDF.type, AIP.Tool)
    )
    silent = [
        node_id(str(s))
        for s in _curated(bundled) & skills_and_tools
        if bundled.value(s, SKOS.note) is None
    ]
    assert silent == []


# ---------------------------------------------------------------- resources


def test_every_skill_and_tool_is_taught_by_a_resource(bundled):
    taught = set(bundled.objects(None, AIP.teaches))
    learnable = set(bundled.subjects(RDF.type, AIP.Skill)) | set(
        bundled.subjects(RDF.type, AIP.Tool)
    )
    assert learnable, "the bundled graph has skills and tools"
    untaught = sorted(node_id(str(n)) for n in learnable - taught)
    assert untaught == []


def test_resources_name_their_authors_or_publisher(bundled):
    from aipath_graph.namespaces import SCHEMA

    anonymous = [
        node_id(str(r))
        for r in bundled.subjects(RDF.type, AIP.Resource)
        if bundled.value(r, SCHEMA.author) is None
        and bundled.value(r, SCHEMA.publisher) is None
        and "repo" not in str(bundled.value(r, AIP.resourceType))
    ]
    assert anonymous == []


# ---------------------------------------------------------------- Chinese


def _half_width_slips(text: str, article: str) -> list[str]:
    """Half-width , ; : between Chinese characters, unless the article itself writes them there.

    >>> _half_width_slips("模型,数据", "")
    ['模型,数据']
    >>> _half_width_slips("构建AI系统,优化性能", "构建AI系统,优化性能,确保生产可用性")
    []
    """
    slips = []
    for m in HALF_WIDTH_BETWEEN_CJK.finditer(text):
        window = text[max(0, m.start() - 4) : m.end() + 4]
        if window not in article:
            slips.append(window)
    return slips


def test_curated_chinese_uses_full_width_punctuation(bundled, article):
    slips = [
        (node_id(str(s)), slip)
        for s, _, o in bundled
        if isinstance(o, Literal) and o.language == "zh"
        for slip in _half_width_slips(str(o), article)
    ]
    assert slips == []


def test_no_alt_label_names_two_nodes(bundled):
    owners: dict[str, set[str]] = defaultdict(set)
    for s, o in bundled.subject_objects(SKOS.altLabel):
        owners[str(o).casefold()].add(node_id(str(s)))
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize(
    "name,slug",
    [
        ("深度学习", "dl-fundamentals"),
        ("机器学习", "ml-fundamentals"),
        ("Python", "python-basics"),
        ("大模型", "llm-fundamentals"),
        ("LLM", "llm-fundamentals"),
        ("RAG", "rag"),
        ("提示词", "prompt-engineering"),
        ("向量数据库", "embeddings-vector-search"),
        ("智能体", "agents-tool-use"),
        ("Agent", "agents-tool-use"),
        ("微调", "fine-tuning"),
        ("MLOps", "mlops"),
    ],
)
def test_everyday_names_are_alt_labels_of_the_skill(bundled, name, slug):
    node = URIRef(f"https://w3id.org/aipath/id/{slug}")
    assert name.casefold() in {str(o).casefold() for o in bundled.objects(node, SKOS.altLabel)}


# ---------------------------------------------------------------- plans a mentor would give


def test_ai_engineer_plan_from_scratch_is_2026(invoke):
    planned = _planned(invoke, "--to", "AI工程师")
    assert {
        "prompt-engineering",
        "llm-fundamentals",
        "rag",
        "llm-evaluation",
        "embeddings-vector-search",
    } <= planned
    assert not {"alignment", "reinforcement-learning"} & planned


def test_ai_engineer_learns_prompting_before_any_alignment(invoke, prereq_graph):
    import networkx as nx

    # ethics needs evaluation (fairness metrics), not RLHF
    assert "alignment" not in nx.ancestors(prereq_graph, "ai-ethics")
    assert "reinforcement-learning" not in nx.ancestors(prereq_graph, "ai-ethics")


@pytest.mark.parametrize("target", ["simple-regression", "regularization"])
def test_ridge_regression_needs_no_neural_networks(invoke, target):
    planned = _planned(invoke, "--to", target)
    assert not {"neural-network-architectures", "backpropagation"} & planned


def test_few_shot_prompting_needs_no_generative_image_models(invoke):
    planned = _planned(invoke, "--to", "in-context-learning")
    assert "transformer-architecture" in planned
    assert not {"generative-models", "advanced-dl-architectures"} & planned


def test_ml_pipeline_project_takes_kubeflow_or_airflow(invoke):
    record = _plan(invoke, "--to", "automated-ml-pipeline")
    planned = {s["id"] for s in record["steps"]}
    assert len({"kubeflow", "airflow"} & planned) == 1
    assert "pipeline-orchestrator" in {c["group"] for c in record["choices"]}


def test_backpropagation_follows_supervised_learning(prereq_graph):
    import networkx as nx

    assert "supervised-learning" in nx.ancestors(prereq_graph, "backpropagation")
    # a GPU cluster is not a prerequisite of the distributed training it serves
    assert "distributed-training" not in nx.ancestors(prereq_graph, "gpu-cluster")
