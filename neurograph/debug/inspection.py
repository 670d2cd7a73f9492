"""What the debugger shows: its position, a neuron's values, watches, and pictures for Jupyter."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.graph.neurons import Input, Neuron
from neurograph.graph.outputs import display_name

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["SHOW", "Where", "neuron_report", "picture_bundle", "watch_line"]

#: What a diagram shows after an event of each phase (``None``: at the start).
SHOW: dict[str | None, str] = {
    None: "weights",
    "forward": "activations",
    "cost": "activations",
    "backward": "deltas",
    "update": "weights",
}


@dataclass(frozen=True)
class Where:
    """The debugger's position.

    Attributes
    ----------
    position, total : int
        Events applied so far, and in all.
    phase : str or None
        The current event's phase (None at the start).
    neuron : str or None
        The current event's neuron (None at the start and for the cost event).
    layer : int or None
        That neuron's layer ``l`` as the book numbers it (the inputs are layer 1).
    next : str or None
        What the next step does, e.g. ``"backward L2.3"`` (None at the end).
    """

    position: int
    total: int
    phase: str | None
    neuron: str | None
    layer: int | None
    next: str | None

    @property
    def title(self) -> str:
        """The position and the current event, e.g. ``[9/16] backward L2.3 (layer 2)``."""
        if self.phase is None:
            return f"[{self.position}/{self.total}] at the start"
        title = f"[{self.position}/{self.total}] {self.phase}"
        title += "" if self.neuron is None else f" {self.neuron}"
        return title + ("" if self.layer is None else f" (layer {self.layer})")

    def __str__(self) -> str:
        return self.title + ("; finished" if self.next is None else f"; next: {self.next}")


def _fmt(value: Any) -> str:
    """A value, or ``—`` for one not computed yet."""
    return "—" if value is None else f"{float(value) + 0.0:.4g}"


def watch_line(neuron: Neuron) -> str:
    """One line with a neuron's current ``z, a, δ, ∂C/∂b`` (``—`` where not computed yet).

    Examples
    --------
    >>> from neurograph import SigmoidNeuron
    >>> n = SigmoidNeuron(name="h"); n.z, n.a = 0.0, 0.5
    >>> watch_line(n)
    '  watch h: z = 0, a = 0.5, δ = —, ∂C/∂b = —'
    """
    if isinstance(neuron, Input):
        return f"  watch {neuron.name}: a = {_fmt(neuron.a)} (input)"
    values = f"z = {_fmt(neuron.z)}, a = {_fmt(neuron.a)}, δ = {_fmt(neuron.delta)}"
    return f"  watch {neuron.name}: {values}, ∂C/∂b = {_fmt(neuron.bias_grad)}"


def neuron_report(net: Network, neuron: Neuron, layer: int | None, limit: int = 5) -> str:
    """A neuron's kind, wiring and current values, then its incoming edges (the debugger's
    ``print NAME``).

    Parameters
    ----------
    net : Network
    neuron : Neuron
    layer : int or None
        Its layer ``l`` (the inputs are layer 1).
    limit : int
        With a larger fan-in, only the `limit` largest messages ``|w·a|`` are listed (the
        largest ``|w|`` before the forward pass reaches the neuron), then ``… N more``.

    Returns
    -------
    str
    """
    fan_out = net.graph.out_degree(neuron)
    head = f"{display_name(neuron)}: {type(neuron).__name__}, layer {layer}, "
    if isinstance(neuron, Input):
        return head + f"feeds {fan_out}; a = {_fmt(neuron.a)}"
    preds = net.graph.pred[neuron]
    sources = list(preds)
    head += f"{len(sources)} inputs, feeds {fan_out}"
    values = (
        f"  b = {_fmt(neuron.bias)}   z = {_fmt(neuron.z)}   a = {_fmt(neuron.a)}   "
        f"δ = {_fmt(neuron.delta)}   ∂C/∂b = {_fmt(neuron.bias_grad)}"
    )
    lines = [head, values]
    w = np.array([preds[k]["weight"] for k in sources], dtype=float)
    have_a = all(k.a is not None for k in sources)
    a = np.array([k.a if have_a else np.nan for k in sources], dtype=float)
    size = np.abs(w * a) if have_a else np.abs(w)
    order = np.argsort(-size, kind="stable")[:limit] if len(sources) > limit else range(len(w))
    if len(sources) > limit:
        by = "|w·a|" if have_a else "|w|"
        lines.append(f"  incoming edges, the {limit} largest {by} first:")
    elif sources:
        lines.append("  incoming edges:")
    for i in order:
        k = sources[int(i)]
        text = f"    {k.name} -> {neuron.name}: w = {_fmt(w[i])}"
        if have_a:
            text += f", a = {_fmt(a[i])}, w·a = {_fmt(w[i] * a[i])}"
        text += f", ∂C/∂w = {_fmt(preds[k].get('grad'))}"
        lines.append(text)
    if len(sources) > limit:
        rest = (
            ""
            if not have_a
            else f" (their w·a sum to {_fmt(np.sum(w * a) - np.sum(w[order] * a[order]))})"
        )
        lines.append(f"    … {len(sources) - limit} more{rest}")
    return "\n".join(lines)


def picture_bundle(
    net: Network,
    event: Any,
    text: str,
    include: Any = None,
    exclude: Any = None,
    debugger: Any = None,
) -> dict[str, Any]:
    """A Jupyter MIME bundle: the diagram (SVG) with `text` under it, and plain text.

    The diagram comes from ``debugger.draw()``, or from [`neurograph.draw`][] with the
    event's neuron highlighted; when it cannot be drawn (no Graphviz) only the text is shown.
    """
    svg = ""
    try:
        if debugger is not None:
            graph = debugger.draw()
        else:
            from neurograph.pictures.diagram import draw

            show = SHOW[getattr(event, "phase", None)]
            graph = draw(net, show=show, highlight=getattr(event, "neuron", None), partial=True)
        svg = graph._repr_image_svg_xml()
    except Exception:  # a picture that cannot be drawn falls back to the text alone
        svg = ""
    bundle = {
        "text/plain": text,
        "text/html": f"<div>{svg}<pre>{html.escape(text)}</pre></div>",
    }
    return {
        kind: value
        for kind, value in bundle.items()
        if (include is None or kind in include) and (exclude is None or kind not in exclude)
    }
