"""The Graphviz graph every diagram is drawn on, and the one way `dot` is run: with a time limit."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import graphviz

from neurograph.errors import NeurographError
from neurograph.pictures.escape import text_id
from neurograph.pictures.style import FONT

if TYPE_CHECKING:
    from neurograph.graph.neurons import Neuron

__all__ = ["DOT_TIMEOUT", "INSTALL_HINT", "MAX_DPI", "Diagram", "edge_id", "new_graph", "pipe"]

DOT_TIMEOUT = 60  # seconds any one run of `dot` may take
MAX_DPI = 1200
INSTALL_HINT = (
    "Graphviz's `dot` program is not installed; install it with `apt-get install -y graphviz` "
    "(or write a .dot file, which needs no Graphviz)"
)


class Diagram(graphviz.Digraph):
    """A `graphviz.Digraph` shown in Jupyter as SVG, or as its DOT source without `dot`."""

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        try:  # through pipe: the time limit on dot holds in Jupyter too
            return {"image/svg+xml": pipe(self, "svg").decode("utf-8")}
        except NeurographError as err:  # no dot (the install hint), or dot failed
            return {"text/plain": f"{err}\n\n{self.source}"}


def new_graph() -> Diagram:
    """An empty diagram with the house style: left to right, one rank per level."""
    graph = Diagram(
        graph_attr={
            "rankdir": "LR",
            "newrank": "true",
            "ranksep": "0.9",
            "nodesep": "0.22",
            "pad": "0.25",
            "bgcolor": "white",
            "fontname": FONT,
        },
        node_attr={"fontname": FONT, "fixedsize": "true", "penwidth": "1.2"},
        edge_attr={"fontname": FONT, "arrowhead": "vee"},
    )
    return graph


def pipe(graph: graphviz.Digraph | graphviz.Graph, fmt_: str) -> bytes:
    """Run ``dot`` on a graph and return the output, with one-line errors and a time limit.

    Raises
    ------
    NeurographError
        When `dot` is missing, fails, or runs longer than [`DOT_TIMEOUT`][] seconds.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise NeurographError(INSTALL_HINT)
    try:
        done = subprocess.run(
            [exe, f"-T{fmt_}"],
            input=graph.source.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        msg = f"Graphviz's dot took more than {DOT_TIMEOUT} s to render {fmt_.upper()}; stopped"
        raise NeurographError(msg) from err
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace").strip()
        first = stderr.splitlines()[0] if stderr else f"exit status {done.returncode}"
        msg = f"Graphviz's dot failed to render {fmt_.upper()}: {first}"
        raise NeurographError(msg)
    return _crisp(done.stdout) if fmt_ == "svg" else done.stdout


# Fills without a stroke (a picture's pixels, a map's cells) drawn on whole screen pixels: a
# browser's antialiasing would otherwise let the background through between two rows, as
# thin stripes across a picture scaled to fit its page.
_CRISP = b'<style>polygon[stroke="transparent"] { shape-rendering: crispEdges; }</style>'


def _crisp(svg: bytes) -> bytes:
    """The SVG with [`_CRISP`][] as the first child of its ``<svg>`` element."""
    start = svg.find(b"<svg")
    end = svg.find(b">", start) + 1
    return svg[:end] + b"\n" + _CRISP + svg[end:] if start >= 0 and end > 0 else svg


def edge_id(source: Neuron, target: Neuron) -> str:
    """The SVG id of the edge `source` → `target` in a diagram: ``"L1.1->L2.3"``.

    Written escaped into the DOT source (``dot`` unescapes it), so the page reads it back as is.
    A name longer than 200 characters is written as [`text_id`][neurograph.pictures.escape.text_id]
    gives it (shortened, with a hash: dot refuses strings over 16,384 bytes).
    """
    return f"{text_id(source.name)}->{text_id(target.name)}"
