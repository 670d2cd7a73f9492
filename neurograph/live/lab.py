"""`ng.lab`: a network, its data and the training settings, ready to be written as the lab page."""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from neurograph.errors import FormatError, UsageError
from neurograph.graph.costs import COSTS, Cost, get_cost
from neurograph.graph.network import Network
from neurograph.graph.neurons import (
    Perceptron,
    ReLUNeuron,
    SigmoidNeuron,
    SoftmaxLayer,
    TanhNeuron,
)
from neurograph.graph.outputs import class_indices
from neurograph.graph.passes import input_vector, target_vector
from neurograph.graph.spec import kinds_in
from neurograph.graph.types import is_real, is_whole
from neurograph.io.atomic import write_atomic
from neurograph.io.files import FORMAT_VERSION, check_document
from neurograph.live import widget
from neurograph.live.page import lab_html

__all__ = ["LAB_KINDS", "MAX_DATA_NUMBERS", "Lab", "check_fits", "lab"]

#: The kinds of neuron the page's engine computes (engine.js has a twin of each).
LAB_KINDS = (SigmoidNeuron, Perceptron, TanhNeuron, ReLUNeuron, SoftmaxLayer)
#: The most numbers of data a page embeds (points × inputs), which keeps it under 3 MB.
MAX_DATA_NUMBERS = 100_000


class Lab:
    """A network with its data and settings, shown as the lab: a live page to edit and train it.

    Made by [`lab`][]; ``save_html`` writes the page; in Jupyter it shows as the notebook
    widget (with the extra ``notebook``, see `neurograph.live.widget`), else as the page.

    Attributes
    ----------
    net : Network
        The network the page starts from (the page works on its own copy).
    X : ndarray, shape (n, n_inputs)
    y : ndarray of int, shape (n,)
        The data points and their class labels.
    x : ndarray, shape (n_inputs,)
    target : int or ndarray
        The input and the label (or desired output) the page starts at.
    cost : Cost
    eta, lmbda : float
    mini_batch_size, seed : int
    view : anywidget.AnyWidget or None
        The notebook widget that shows it (made when it is first shown; see
        `neurograph.live.widget`).
    display_handle : IPython.display.DisplayHandle or None
        Where it was last shown, so that ``refresh`` replaces that output.
    """

    def __init__(
        self,
        net: Network,
        X: np.ndarray,
        y: np.ndarray,
        x: np.ndarray,
        target: int | np.ndarray,
        cost: Cost,
        settings: dict[str, Any],
    ) -> None:
        self.net, self.X, self.y, self.x, self.target, self.cost = net, X, y, x, target, cost
        self.eta = float(settings["eta"])
        self.lmbda = float(settings["lmbda"])
        self.mini_batch_size = int(settings["mini_batch_size"])
        self.seed = int(settings["seed"])
        self.view: Any = None
        self.display_handle: Any = None
        self.title = str(settings["title"])

    def __repr__(self) -> str:
        return (
            f"<Lab of {len(self.net.neurons)} neurons, {len(self.X)} points, {self.cost.name}, "
            f"η = {self.eta:g}>"
        )

    def state(self) -> dict[str, Any]:
        """What the page starts from, JSON-ready: the model document ``ng.save`` writes, the
        data, the input and target, and the settings."""
        doc = {"format": "neurograph", "version": FORMAT_VERSION, **self.net.to_dict()}
        try:
            check_document(doc)
        except FormatError as err:
            msg = f"the lab cannot hold this network: {err}"
            raise UsageError(msg) from err
        short = {c.name: key for key, c in COSTS.items()}
        target = self.target if isinstance(self.target, int) else self.target.tolist()
        return {
            "model": doc,
            "data": {"X": self.X.tolist(), "y": self.y.tolist()},
            "x": self.x.tolist(),
            "y": target,
            "cost": short[self.cost.name],
            "eta": self.eta,
            "lmbda": self.lmbda,
            "batch": self.mini_batch_size,
            "seed": self.seed,
        }

    def html(self) -> str:
        """The lab as one self-contained HTML document (see [`save_html`][])."""
        n = len(self.net.neurons)
        subtitle = (
            f"{n} neurons, {len(self.X)} points, {self.cost.name}, η = {self.eta:g}, "
            f"λ = {self.lmbda:g}, mini-batch {self.mini_batch_size}, seed {self.seed}"
        )
        return lab_html(self.state(), self.title, subtitle)

    def save_html(self, path: str | os.PathLike[str]) -> Path:
        """Write the lab: one HTML file that needs no other file, host or Python.

        Parameters
        ----------
        path : str or path-like

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> import neurograph as ng, tempfile, pathlib
        >>> X, y = ng.datasets.toy("xor", n=40, seed=0)
        >>> lab = ng.lab(ng.layered([2, 3, 2], seed=0), data=(X, y))
        >>> page = lab.save_html(pathlib.Path(tempfile.mkdtemp()) / "lab.html")
        >>> page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        True
        """
        return write_atomic(Path(path), self.html())

    def remade(self, net: Network, **changes: Any) -> Lab:
        """A lab of `net` with this lab's settings and `changes` (``ng.lab``'s keywords), checked
        as ``ng.lab`` checks them; the notebook widget's edits pass through it."""
        settings: dict[str, Any] = {"data": (self.X, self.y), "x": self.x, "y": self.target}
        settings |= {"cost": self.cost, "eta": self.eta, "lmbda": self.lmbda}
        settings |= {"mini_batch_size": self.mini_batch_size, "seed": self.seed}
        return lab(net, **(settings | {"title": self.title} | changes))

    def _ipython_display_(self) -> None:
        """In Jupyter: the live widget (with the extra ``notebook``), else the page and a note."""
        widget.display(self)

    def refresh(self) -> None:
        """Redraw the notebook widget after changes made in Python (`neurograph.live.widget`)."""
        widget.refresh(self)

    def show_epochs(self, fast: Any) -> Callable[[int, Any], None]:
        """A ``callback`` for ``fast.sgd`` that streams each epoch of `fast` into the widget."""
        return widget.show_epochs(self, fast)

    def _repr_html_(self) -> str:
        """In Jupyter: the lab in its own frame (the notebook widget is a separate part)."""
        page = html.escape(self.html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" title="neurograph lab" '
            'sandbox="allow-scripts allow-downloads" '
            'style="width: 100%; height: 900px; border: 1px solid #ddd"></iframe>'
        )


def lab(
    net: Network,
    data: tuple[Any, Any] | None = None,
    x: Any = None,
    y: Any = None,
    cost: Cost | str | None = None,
    eta: float = 1.0,
    *,
    lmbda: float = 0.0,
    mini_batch_size: int = 10,
    seed: int = 0,
    title: str = "The lab",
) -> Lab:
    """A lab of `net`: a live page to edit the network, step through its passes and train it.

    Parameters
    ----------
    net : Network
        Its neurons are sigmoid, perceptron, tanh, ReLU or softmax units.
    data : (X, y), optional
        Points ``X`` of shape ``(n, n_inputs)`` and their class labels ``y`` (0 or 1 for a
        single output); the page trains on them, and the learner may add more.
    x : array_like, shape (n_inputs,), optional
        The input the page starts at; default the first point, or zeros.
    y : int, str or array_like, optional
        The label (a class number or a class name of ``net.labels``) or the desired output;
        default the first point's label, or 0.
    cost : Cost, Cost class or str, optional
        Default ``net.meta["cost"]``, else the quadratic cost.
    eta : float
        The learning rate η.
    lmbda : float
        The L2 strength λ (divided by the number of points, as in the book).
    mini_batch_size, seed : int
        For training in the page: the mini-batch size and the seed of its shuffles.
    title : str

    Returns
    -------
    Lab

    Raises
    ------
    UsageError
        For a neuron kind or a cost the page cannot compute, bad settings, or too much data
        to embed.
    ShapeError
        For data, an input or a target that does not fit the network.

    Examples
    --------
    >>> import neurograph as ng
    >>> X, y = ng.datasets.toy("xor", n=40, seed=0)
    >>> ng.lab(ng.layered([2, 3, 2], seed=0), data=(X, y), cost="cross-entropy")
    <Lab of 5 neurons, 40 points, CrossEntropyCost, η = 1>
    """
    unknown = sorted(cls.kind for cls in kinds_in(net) if cls not in LAB_KINDS)
    if unknown:
        known = ", ".join(cls.kind for cls in LAB_KINDS)
        msg = f"the lab computes the kinds {known}; this network has {unknown}"
        raise UsageError(msg)
    chosen = get_cost(cost if cost is not None else net.meta.get("cost", "quadratic"))
    if chosen.name not in {c.name for c in COSTS.values()}:
        msg = f"the lab computes the costs {', '.join(COSTS)}; got {chosen!r}"
        raise UsageError(msg)
    plan = net.plan()
    n_out = len(net.outputs)
    X, labels = _points(data, len(net.inputs), n_out)
    if x is None:
        x = X[0] if len(X) else np.zeros(len(net.inputs))
    start = input_vector(plan, x)
    target = _target(net, y if y is not None else (int(labels[0]) if len(labels) else 0), chosen)
    _check_settings(eta, lmbda, mini_batch_size, seed)
    target_vector(plan, target, chosen)  # the page's target passes the Python checks too
    settings = {"eta": eta, "lmbda": lmbda, "mini_batch_size": mini_batch_size, "seed": seed}
    return Lab(net, X, labels, start, target, chosen, {**settings, "title": title})


def _check_settings(eta: Any, lmbda: Any, mini_batch_size: Any, seed: Any) -> None:
    """η > 0 and λ ≥ 0 finite numbers; a mini-batch size ≥ 1 and a seed ≥ 0 whole numbers."""
    if not is_real(eta) or eta <= 0:
        msg = f"eta must be a finite number > 0, got {eta!r}"
        raise UsageError(msg)
    if not is_real(lmbda) or lmbda < 0:
        msg = f"lmbda must be a finite number >= 0, got {lmbda!r}"
        raise UsageError(msg)
    for name, value, low in (("mini_batch_size", mini_batch_size, 1), ("seed", seed, 0)):
        if not is_whole(value, low):
            msg = f"{name} must be a whole number >= {low}, got {value!r}"
            raise UsageError(msg)


def check_fits(shape: tuple[int, ...], given: str, fix: str) -> None:
    """Refuse points of `shape` ``(n, n_inputs)`` that a page cannot embed (``MAX_DATA_NUMBERS``).

    Parameters
    ----------
    shape : tuple of int
    given : str
        What holds them, for the message (``"data"``, ``"--data xor"``).
    fix : str
        How to pass fewer, with ``{most}`` for the most points that fit.

    Raises
    ------
    UsageError
    """
    n, n_in = shape
    if n * n_in > MAX_DATA_NUMBERS:
        most = MAX_DATA_NUMBERS // n_in
        msg = (
            f"{given}: {n:,} points of {n_in} numbers are too many for a page "
            f"(at most {MAX_DATA_NUMBERS:,} numbers); {fix.format(most=most)}"
        )
        raise UsageError(msg)


def _points(data: tuple[Any, Any] | None, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """The data as float points and class labels, checked against the network."""
    if data is None:
        return np.zeros((0, n_in)), np.zeros(0, dtype=np.int64)
    X = np.asarray(data[0], dtype=float)
    if X.ndim != 2 or X.shape[1] != n_in or not np.all(np.isfinite(X)):
        msg = f"data: expected X of shape (n, {n_in}) with finite numbers, got shape {X.shape}"
        raise UsageError(msg)
    check_fits(X.shape, "data", "pass fewer, e.g. (X[:{most}], y[:{most}])")
    y = np.asarray(data[1])
    if y.ndim != 1 or len(y) != len(X):
        msg = f"data: expected {len(X)} class labels y of shape ({len(X)},), got shape {y.shape}"
        raise UsageError(msg)
    return X, class_indices(y, max(n_out, 2))


def _target(net: Network, y: Any, cost: Cost) -> int | np.ndarray:
    """The page's target: a class number (a class name of ``net.labels`` too) or a vector."""
    if isinstance(y, str) and net.labels is not None and y in net.labels:
        return net.labels.index(y)
    if isinstance(y, (int, np.integer)) and not isinstance(y, bool):
        return int(class_indices(int(y), max(len(net.outputs), 2)))
    return target_vector(net.plan(), y, cost)
