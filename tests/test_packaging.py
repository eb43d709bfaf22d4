"""A wheel carries everything the package reads: the bundled graph, queries, assets."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("aipath_graph-*.whl")
    return path


def test_the_wheel_holds_the_bundled_graph_and_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in sorted((ROOT / "graph").glob("*.yaml")):
        assert f"aipath_graph/_bundled/graph/{source.name}" in names
    for source in ("aipath.ttl", "shapes.ttl"):
        assert f"aipath_graph/_bundled/ontology/{source}" in names
    for query in sorted((ROOT / "aipath_graph" / "sparql" / "queries").glob("*.rq")):
        assert f"aipath_graph/sparql/queries/{query.name}" in names
    assert "aipath_graph/context.jsonld" in names
    assert "aipath_graph/server/web/index.html" in names
    assert "aipath_graph/render/assets/vendor/vis-network.min.js" in names
    assert "aipath_graph/py.typed" in names


def test_the_installed_package_plans_from_its_own_copy(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "AIPATH_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import aipath_graph.bundled as b, aipath_graph.cli as c; print(b.GRAPH_DIR); c.main()",
            "plan",
            "--to",
            "微调技术",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    first, *rest = out.stdout.splitlines()
    assert first == str(site / "aipath_graph" / "_bundled" / "graph")
    assert rest[0].startswith("order,id,label") and any(",fine-tuning," in r for r in rest)
