"""The house's architecture: what the graph engine loads, and no import cycle inside a part."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "neurograph"
PARTS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> set[str]:
    """Every neurograph module that `path` imports when it runs (under TYPE_CHECKING: not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("neurograph")}


@pytest.mark.parametrize("part", PARTS)
def test_no_cycle_inside_a_part(part: str) -> None:
    """Within one part, modules import each other one way (type hints aside)."""
    modules = {module_name(p): p for p in (PACKAGE / part).rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        graph.add_edges_from((name, dep) for dep in runtime_imports(path) if dep in modules)
    graph.remove_edges_from([(m, m) for m in modules])
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import cycles in neurograph.{part}: {cycles}"


def test_relative_imports_are_not_used() -> None:
    """Absolute imports only, so that every arrow is visible in the source as it is checked."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
        assert relative == [], f"{path.relative_to(PACKAGE)}: relative imports at {relative}"


@pytest.mark.parametrize("package", ["neurograph.graph", "neurograph.fast", "neurograph"])
def test_the_engines_load_no_drawing_progress_bar_or_cli(package: str) -> None:
    """Importing an engine (or the face) loads neither graphviz, tqdm, matplotlib nor the CLI."""
    heavy = ["graphviz", "tqdm", "matplotlib", "neurograph.cli", "neurograph.commands"]
    code = f"import sys, {package}; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_face_provides_compile_and_pictures() -> None:
    """Network.compile and the Jupyter pictures come from the parts above the graph engine."""
    import neurograph as ng

    net = ng.layered([2, 2, 1], seed=0)
    assert isinstance(net.compile(), ng.FastNetwork)
    assert callable(ng.draw) and ng.render.__module__ == "neurograph.pictures.diagram"


def test_dir_lists_the_public_api_only() -> None:
    """``dir(ng)`` (tab completion, help) shows the API, not the names that build the face."""
    import neurograph as ng

    assert dir(ng) == sorted(ng.__all__)
    for helper in ("Any", "TYPE_CHECKING", "annotations", "importlib", "hooks"):
        assert helper not in dir(ng)
    import inspect

    for name in ng.__all__:  # each public name loads, as what it names, the lazy ones too
        if name in {"to_torch", "torch_loss", "torch_l2", "from_torch"}:
            continue  # the torch extra
        value = getattr(ng, name)
        assert inspect.ismodule(value) == (name in {"datasets", "passes"}), name
        assert name == "__version__" or inspect.ismodule(value) or value.__name__ == name
