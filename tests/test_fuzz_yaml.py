"""Property: any YAML at all gives a clear error or a valid graph, never a traceback."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aipath_graph.graph import build
from aipath_graph.load import Problem
from aipath_graph.schema import KINDS
from aipath_graph.validate import validate_build

FIELD_NAMES = [*sorted({f for k in KINDS.values() for f in k.fields}), "id", "reason", "zh", "en"]
SLUGS = ["calculus", "git", "beginner", "x", "ai-engineer", "Bad Slug", ""]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 500),
    st.floats(allow_nan=True),
    st.sampled_from(SLUGS),
    st.text(max_size=12),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES + SLUGS), st.text(max_size=8), st.integers(0, 9))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)
documents = st.dictionaries(
    st.one_of(st.sampled_from([*KINDS, "meta"]), st.text(max_size=6)),
    st.one_of(values, st.dictionaries(st.sampled_from(SLUGS), values, max_size=3)),
    max_size=4,
)


def _check(tmp_path, text: str) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(text, encoding="utf-8")
    result = build([path])
    report = validate_build(result, shacl=False)
    for problem in report.problems:
        assert isinstance(problem, Problem)
        line = str(problem)
        assert "\n" not in line and "Traceback" not in line
        assert line.startswith(str(path)) or line.startswith("random.yaml") or "random.yaml" in line


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents)
def test_random_structures_never_crash(tmp_path, doc):
    _check(tmp_path, yaml.safe_dump(doc, allow_unicode=True))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.sampled_from(list("skils:\n -{}[],'\"&*!|>#%@`?ab1é微")), max_size=80))
def test_random_text_never_crashes(tmp_path, text):
    _check(tmp_path, text)
