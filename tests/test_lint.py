"""The code stays lint-clean and formatted (ruff), its layers import downwards only
(import-linter), and no room grows too large to hold in mind, as `make lint` checks
(docs/code-layout.md)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 700
MAX_SCRIPT_LINES = 600
VENDORED_SCRIPTS = {"d3.min.js"}


def test_ruff_check_and_format():
    ruff = shutil.which("ruff")
    assert ruff, "ruff is missing: pip install -e '.[test]'"
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([ruff, *args], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("lint-imports")
    assert tool, "lint-imports is missing: pip install -e '.[test]'"
    # the package of `root`, not an installed copy: import-linter finds it on sys.path
    env = {"PYTHONPATH": str(root), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run([tool, "--no-cache"], cwd=root, capture_output=True, text=True, env=env)


def test_the_layers_import_downwards_only():
    result = _lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, upward",
    [
        ("nkrel/ingest/coverage.py", "from ..pipeline import build_graph"),  # inside a function
        ("nkrel/core/vocabulary.py", "from ..ingest import load"),
        ("nkrel/sparql/query.py", "from ..output import write"),
        ("nkrel/model/build.py", "from ..draft import records"),
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    """The contract bites: a copy of the package with one upward import planted in a
    function body (where a module-level scan would miss it) fails lint-imports."""
    shutil.copytree(REPO / "nkrel", tmp_path / "nkrel", ignore=shutil.ignore_patterns("graph", "corpus", "web"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n\ndef _planted():\n    {upward}\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "0 kept, 1 broken" in result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_no_function_is_longer_than_80_lines():
    long = [f for path in sorted((REPO / "nkrel").rglob("*.py")) for f in _long_functions(path)]
    assert not long, "divide these functions:\n" + "\n".join(long)


def test_no_module_or_script_is_too_large():
    def lines(path: Path) -> int:
        return len(path.read_text(encoding="utf-8").splitlines())

    modules = [p for p in (REPO / "nkrel").rglob("*.py") if lines(p) > MAX_MODULE_LINES]
    scripts = [
        p
        for p in (REPO / "nkrel" / "web").glob("*.js")
        if p.name not in VENDORED_SCRIPTS and lines(p) > MAX_SCRIPT_LINES
    ]
    too_large = [f"{p.relative_to(REPO)}: {lines(p)} lines" for p in sorted(modules + scripts)]
    assert not too_large, f"over {MAX_MODULE_LINES} (Python) or {MAX_SCRIPT_LINES} (JavaScript) lines:\n" + "\n".join(
        too_large
    )
