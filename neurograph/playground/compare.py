r"""The learning slowdown, and any comparison of costs, momentum or L2 between training runs.

Nielsen, ch. 3, "Introducing the cross-entropy cost function": one sigmoid neuron learns to
turn the input ``x = 1`` into ``y = 0`` with ``η = 0.15``. With the quadratic cost its
gradients carry the factor $\sigma'(z)$ (``∂C/∂w = (a − y)σ'(z)x``), so a neuron that
starts badly wrong and saturated (``w = b = 2``, ``a ≈ 0.98``) learns slowly at first; with
the cross-entropy cost ``∂C/∂w = x(a − y)``, and it learns fastest when it is most wrong.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.errors import UsageError
from neurograph.graph.builders import layered
from neurograph.graph.costs import COSTS, get_cost
from neurograph.graph.network import Network
from neurograph.io.atomic import write_atomic

__all__ = ["BOOK_STARTS", "TABLE_EPOCHS", "Comparison", "Run", "check_figure_path", "compare"]

BOOK_STARTS = ((0.6, 0.9), (2.0, 2.0))  # (w, b): the book's two starting points
TABLE_EPOCHS = (0, 50, 100, 150, 200, 300)
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
LINE_STYLES = ("-", "--", ":", "-.")


@dataclass
class Run:
    """One setting's training run, measured before training and after every epoch.

    Attributes
    ----------
    cost_name : str
        The cost trained with, e.g. ``"cross-entropy"``.
    start : (float, float) or None
        The one neuron's starting ``(w, b)``; None for a network's own parameters.
    momentum, lmbda : float
        The momentum coefficient μ and the L2 strength λ.
    cost : list of float
        The training cost (with the L2 term), index 0 before training, ``k`` after epoch
        ``k``.
    output : list of float
        The first output neuron's activation on the first training example, per epoch.
    accuracy : list of float
        The evaluation accuracy per epoch (index 0 before training); empty without
        evaluation data.
    """

    cost_name: str
    start: tuple[float, float] | None
    momentum: float
    lmbda: float
    cost: list[float] = field(default_factory=list)
    output: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)

    @property
    def variant(self) -> str:
        """The setting without its starting point: the cost, μ and λ when they are not 0."""
        parts = [self.cost_name]
        parts += [f"μ = {self.momentum:g}"] if self.momentum else []
        parts += [f"λ = {self.lmbda:g}"] if self.lmbda else []
        return ", ".join(parts)

    @property
    def label(self) -> str:
        """The whole setting, e.g. ``"quadratic, w = 2, b = 2"``."""
        if self.start is None:
            return self.variant
        return f"{self.variant}, w = {self.start[0]:g}, b = {self.start[1]:g}"


@dataclass
class Comparison:
    """What [`compare`][] measured: one [`Run`][] per setting.

    Attributes
    ----------
    runs : list of Run
    eta : float
    epochs : int
    """

    runs: list[Run]
    eta: float
    epochs: int

    def table(self, epochs: Sequence[int] | None = None) -> str:
        """The cost and the output (and accuracy, if measured) of each run at some epochs.

        Parameters
        ----------
        epochs : sequence of int, optional
            Epochs to show (those past the last one are left out); 0 is before training.
            Default: 0, 50, 100, 150, 200 and 300 for a run of 300 epochs or more, else six
            epochs evenly spread from 0 to the last.

        Returns
        -------
        str
            A plain-text table, one line per run and quantity.
        """
        if epochs is None:
            spread = np.linspace(0, self.epochs, 6).round().astype(int).tolist()
            epochs = TABLE_EPOCHS if self.epochs >= 300 else sorted(set(spread))
        shown = [k for k in epochs if 0 <= k <= self.epochs]
        width = max(len(run.label) for run in self.runs)
        head = f"{'setting':<{width}}  {'epoch':<8}" + "".join(f"{k:>9}" for k in shown)
        lines = [head, "-" * len(head)]
        for run in self.runs:
            rows = [("cost", run.cost), ("output", run.output), ("accuracy", run.accuracy)]
            for i, (name, values) in enumerate(row for row in rows if row[1]):
                label = run.label if i == 0 else ""
                numbers = "".join(f"{values[k]:>9.4f}" for k in shown)
                lines.append(f"{label:<{width}}  {name:<8}{numbers}")
        return "\n".join(lines)

    def figure(self, title: str | None = None) -> Any:
        """Every run on one axes per quantity: the cost, then the accuracy (or the output).

        Parameters
        ----------
        title : str, optional

        Returns
        -------
        matplotlib.figure.Figure
            Drawn with the Agg backend. The runs overlap on shared scales, a colour per cost
            (or variant) and a line style per starting point, with one legend beside the axes.
            The second axes is the evaluation accuracy when every run measured it, else the
            one neuron's output ``a`` (the book's learning slowdown); a network's runs without
            evaluation data have the cost only: the first output on the first example says
            little about a network of many outputs.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        quantities = [("cost", "cost")]
        if all(run.accuracy for run in self.runs):
            quantities.append(("accuracy", "evaluation accuracy"))
        elif all(run.start is not None for run in self.runs):
            quantities.append(("output", "output a of the neuron"))
        fig = Figure(figsize=(8.0, 0.6 + 2.8 * len(quantities)), layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(len(quantities), 1, sharex=True, squeeze=False)[:, 0]
        variants = list(dict.fromkeys(run.variant for run in self.runs))
        starts = list(dict.fromkeys(run.start for run in self.runs))
        for run in self.runs:
            colour = COLOURS[variants.index(run.variant) % len(COLOURS)]
            style = LINE_STYLES[starts.index(run.start) % len(LINE_STYLES)]
            for ax, (attr, _) in zip(axes, quantities):
                ax.plot(getattr(run, attr), color=colour, linestyle=style, label=run.label)
        for ax, (_, name) in zip(axes, quantities):
            ax.set_ylabel(name)
            ax.grid(alpha=0.3)
        axes[-1].set_xlabel("epoch")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside right upper", fontsize=8, title="runs")
        fig.suptitle(title or f"η = {self.eta:g}, {self.epochs} epochs")
        return fig

    def save(self, path: str | os.PathLike[str], title: str | None = None) -> Path:
        """Write [`figure`][] to a ``.png`` or ``.svg`` file (atomically).

        Raises
        ------
        UsageError
            For another extension or a folder that does not exist.
        """
        path, kind = check_figure_path(path)
        buffer = io.BytesIO()
        self.figure(title).savefig(buffer, format=kind, dpi=120)
        return write_atomic(path, buffer.getvalue())


#: What the curves of a comparison may be written as.
CURVE_FORMATS = ("png", "svg")


def check_figure_path(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """Check where a figure goes before any training: ``.png`` or ``.svg``, in a folder that exists.

    Returns
    -------
    path : pathlib.Path
    format : {"png", "svg"}

    Raises
    ------
    UsageError
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in CURVE_FORMATS:
        msg = f"cannot write {str(path)!r}: unknown extension {path.suffix!r}; expected .png"
        raise UsageError(msg + " or .svg")
    if not path.parent.is_dir():
        msg = f"cannot write {str(path)!r}: the directory {str(path.parent)!r} does not exist"
        raise UsageError(msg)
    return path, kind


def compare(
    costs: Sequence[Any] = ("quadratic", "cross-entropy"),
    *,
    net: Network | None = None,
    data: tuple[Any, Any] | None = None,
    evaluation_data: tuple[Any, Any] | None = None,
    starts: Sequence[tuple[float, float]] | None = None,
    eta: float = 0.15,
    epochs: int = 300,
    mini_batch_size: int | None = None,
    momentum: float | Sequence[float] = 0.0,
    lmbda: float | Sequence[float] = 0.0,
    seed: int = 0,
) -> Comparison:
    """Train one run per setting and measure its cost and output after every epoch.

    Without `net`, the book's learning slowdown: one sigmoid neuron, ``x = 1 → y = 0``,
    from each of `starts` (default the book's ``w = 0.6, b = 0.9`` and ``w = 2, b = 2``).
    With `net`, every run starts from its parameters and shuffles with the same `seed`, so
    the settings differ only in what is compared.

    Parameters
    ----------
    costs : sequence of Cost or str
        The costs compared, e.g. ``("quadratic", "cross-entropy")``.
    net : Network, optional
        The network to train (not changed: each run trains its own compiled copy).
    data : (X, y), optional
        The training data; required with `net`. Default ``([[1.0]], [[0.0]])``.
    evaluation_data : (X, y), optional
        Measured for each run's accuracy per epoch.
    starts : sequence of (w, b), optional
        Starting points of the one neuron (only without `net`).
    eta : float
    epochs : int
    mini_batch_size : int, optional
        Default 1 for the one neuron, 10 for a network.
    momentum, lmbda : float or sequence of float
        One value, or several to compare (every combination is run).
    seed : int
        The shuffles' seed, the same for every run.

    Returns
    -------
    Comparison

    Raises
    ------
    UsageError
        For `starts` with a network, a network without data, or an unknown cost.

    Examples
    --------
    >>> import neurograph as ng
    >>> result = ng.compare(epochs=50)
    >>> [round(run.output[50], 2) for run in result.runs]
    [0.39, 0.98, 0.08, 0.1]
    """
    costs = [get_cost(c) for c in costs]
    if not costs:
        msg = "compare: give at least one cost, e.g. costs=('quadratic', 'cross-entropy')"
        raise UsageError(msg)
    if net is None:
        net = layered([1, 1], seed=seed)
        data = data if data is not None else (np.array([[1.0]]), np.array([[0.0]]))
        chosen: list[tuple[float, float] | None] = list(starts or BOOK_STARTS)
    elif starts is not None:
        msg = (
            "compare: starts=(w, b) set the one neuron's parameters; a network starts from its own"
        )
        raise UsageError(msg)
    else:
        chosen = [None]
    if data is None:
        msg = "compare: a network needs training data, data=(X, y)"
        raise UsageError(msg)
    m = mini_batch_size or (1 if chosen != [None] else 10)
    mus, lmbdas = np.atleast_1d(momentum).tolist(), np.atleast_1d(lmbda).tolist()
    runs = []
    for cost, mu, lm, start in itertools.product(costs, mus, lmbdas, chosen):
        name = next((k for k, kind in COSTS.items() if type(cost) is kind), cost.name)
        run = Run(name, start, float(mu), float(lm))
        _train(run, net, data, evaluation_data, cost, eta, epochs, m, seed)
        runs.append(run)
    return Comparison(runs, float(eta), int(epochs))


def _train(
    run: Run,
    net: Network,
    data: tuple[Any, Any],
    evaluation_data: tuple[Any, Any] | None,
    cost: Any,
    eta: float,
    epochs: int,
    m: int,
    seed: int,
) -> None:
    """Train a compiled copy of `net` for `run`, appending its measurements after each epoch."""
    fast = net.compile()
    if run.start is not None:  # the one neuron: w[2] is 1×1, b[2] has one entry
        fast.w[2][0, 0], fast.b[2][0] = run.start
    first = np.asarray(data[0], dtype=float)[:1]

    def measure(*_: Any) -> None:
        run.output.append(float(fast.feedforward(first)[0, 0]))
        if evaluation_data is not None:
            run.accuracy.append(fast.accuracy(evaluation_data))

    run.cost.append(fast.total_cost(data, cost, run.lmbda))
    measure()
    history = fast.sgd(
        data,
        epochs,
        m,
        eta,
        lmbda=run.lmbda,
        cost=cost,
        momentum=run.momentum,
        monitor_training_cost=True,
        seed=seed,
        callback=measure,
    )
    run.cost += history.training_cost
