"""Build hook: ship the bundled graph (``graph/``, ``ontology/``) inside the wheel.

The sources stay at the top of the repository; a wheel or a plain ``pip install .``
copies them to ``aipath_graph/_bundled/`` so the installed package finds them.
Everything else is configured in ``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {"graph": ("*.yaml", "*.md"), "ontology": ("*.ttl",)}


class BuildWithGraph(build_py):
    """``build_py`` that also copies the bundled graph into the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        for folder, patterns in BUNDLED.items():
            target = Path(self.build_lib) / "aipath_graph" / "_bundled" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for source in sorted((ROOT / folder).glob(pattern)):
                    self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildWithGraph})
