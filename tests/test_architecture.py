"""The house's architecture: what the graph engine loads, and no import cycle inside a part."""

from __future__ import annotations

import ast
import subprocess
import sys
import types
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "neurograph"
PARTS = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def type_imports(path: Path) -> set[str]:
    """The neurograph modules that `path` imports under TYPE_CHECKING (for type hints only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in (c for stmt in node.body for c in ast.walk(stmt)):
                if isinstance(child, ast.ImportFrom) and child.module:
                    found.add(child.module)
    return {name for name in found if name.startswith("neurograph")}


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
    """Network.compile reaches the fast engine; the drawing parts load from the face."""
    import neurograph as ng

    net = ng.layered([2, 2, 1], seed=0)
    assert isinstance(net.compile(), ng.FastNetwork)
    assert callable(ng.draw) and ng.render.__module__ == "neurograph.pictures.diagram"


def test_no_registry_of_callables_is_left() -> None:
    """Lower parts reach upper ones only by imports that `lint-imports` sees: no slots."""
    assert not (PACKAGE / "graph" / "hooks.py").exists()
    for path in PACKAGE.rglob("*.py"):
        assert not any(name.endswith(".hooks") for name in runtime_imports(path)), path


def test_the_upper_arrows_are_written_in_the_contracts() -> None:
    """Every import that points up the layers is one `.importlinter` lists, with its reason."""
    contracts = (PACKAGE.parent / ".importlinter").read_text(encoding="utf-8")
    layers = contracts.split("layers =")[1].split("ignore_imports =")[0].strip().splitlines()
    rank = {part.strip(): i for i, line in enumerate(layers) for part in line.split("|")}
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    up = set()
    for source, path in modules.items():
        part = ".".join(source.split(".")[:2])
        for target in (runtime_imports(path) | type_imports(path)) & set(modules):
            other = ".".join(target.split(".")[:2])
            if part in rank and other in rank and rank[other] < rank[part]:
                up.add(f"{source} -> {target}")
    assert up == {
        "neurograph.graph.network -> neurograph.fast.network",
        "neurograph.fast.history -> neurograph.pictures.curves",
        "neurograph.fast.history -> neurograph.player.training",
        "neurograph.debug.debugger -> neurograph.player.recording",
    }
    assert all(arrow in contracts for arrow in up)


def test_networks_and_events_register_with_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside IPython, importing neurograph teaches the shell's formatter to draw them."""
    import neurograph as ng
    from neurograph.debug import notebook

    registered: dict[type, object] = {}
    formatter = types.SimpleNamespace(for_type=registered.__setitem__)
    shell = types.SimpleNamespace(
        display_formatter=types.SimpleNamespace(mimebundle_formatter=formatter)
    )
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert notebook.register() is False and registered == {}  # outside IPython: nothing
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    assert notebook.register() is True
    assert registered == {
        ng.Network: notebook.network_bundle,
        ng.ForwardEvent: notebook.event_bundle,
        ng.CostEvent: notebook.event_bundle,
        ng.BackwardEvent: notebook.event_bundle,
        ng.UpdateEvent: notebook.event_bundle,
    }
    net = ng.layered([2, 1], seed=0)
    event = next(ng.passes.forward_events(net, [1.0, 0.5]))
    shown = registered[ng.ForwardEvent](event)  # type: ignore[operator]
    assert "z[L2.1]" in shown["text/plain"] and "<pre>" in shown["text/html"]


def test_no_module_writes_another_objects_private_attributes() -> None:
    """``obj._x = ...`` only on ``self`` (or ``cls``): others go through a method."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            else:
                continue
            for part in (sub for target in targets for sub in ast.walk(target)):
                if not isinstance(part, ast.Attribute) or not part.attr.startswith("_"):
                    continue
                owner = part.value
                mine = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
                if not mine and not part.attr.startswith("__"):
                    found.add((str(path.relative_to(PACKAGE)), ast.unparse(part)))
    assert found == set()


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
