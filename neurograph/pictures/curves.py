"""Learning curves: a training run's accuracy and cost, on the training and evaluation data."""

from __future__ import annotations

import os
from typing import Any

from neurograph.errors import UsageError
from neurograph.pictures.figures import Figure, new_figure, save_figure

__all__ = ["plot_history", "settings_text"]

_SETTINGS = (("sizes", "sizes"), ("eta", "η"), ("lmbda", "λ"), ("cost", "cost"))


def settings_text(settings: dict[str, Any]) -> str:
    """The settings of a run in one line, e.g. ``sizes [784, 30, 10], η 0.5, λ 5, …``.

    Examples
    --------
    >>> settings_text({"sizes": [784, 30, 10], "eta": 0.5, "lmbda": 5.0,
    ...                "cost": "CrossEntropyCost", "mini_batch_size": 10})
    'sizes [784, 30, 10], η 0.5, λ 5, cost CrossEntropyCost, mini-batch 10'
    """
    parts = []
    for key, name in _SETTINGS:
        if key in settings:
            value = settings[key]
            parts.append(f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}")
    if "mini_batch_size" in settings:
        parts.append(f"mini-batch {settings['mini_batch_size']}")
    return ", ".join(parts)


def plot_history(
    history: Any, path: str | os.PathLike[str] | None = None, *, title: str | None = None
) -> Figure:
    """Plot a run's accuracy and cost per epoch, training and evaluation data side by side.

    Parameters
    ----------
    history : History
        From [`FastNetwork.sgd`][]; the quantities it monitored are drawn (chapter 3's
        overfitting picture needs the training and the evaluation curves).
    path : str or path-like, optional
        Also write the figure there (``.png``, ``.svg`` or ``.pdf``).
    title : str, optional
        Default: the run's settings (sizes, η, λ, cost, mini-batch size).

    Returns
    -------
    matplotlib.figure.Figure
        Two panels: accuracy (%) and cost against the epoch.

    Raises
    ------
    UsageError
        If nothing was monitored.

    Examples
    --------
    >>> from neurograph import History
    >>> h = History(evaluation_accuracy=[0.9, 0.93], training_accuracy=[0.92, 0.97],
    ...             evaluation_cost=[0.4, 0.3], training_cost=[0.3, 0.1], seconds=[1.0, 1.0])
    >>> figure = plot_history(h)
    >>> [ax.get_ylabel() for ax in figure.axes]
    ['accuracy (%)', 'cost']
    """
    curves = {
        "accuracy (%)": [
            ("training data", [100 * a for a in history.training_accuracy]),
            ("evaluation data", [100 * a for a in history.evaluation_accuracy]),
        ],
        "cost": [
            ("training data", list(history.training_cost)),
            ("evaluation data", list(history.evaluation_cost)),
        ],
    }
    if not any(values for panel in curves.values() for _, values in panel):
        msg = (
            "nothing to plot: train with monitor_evaluation_accuracy=True (and the other "
            "monitor_… options) to record the curves"
        )
        raise UsageError(msg)
    figure = new_figure(figsize=(10, 4), layout="constrained")
    for ax, (ylabel, panel) in zip(figure.subplots(1, 2), curves.items()):
        for (label, values), style in zip(panel, ("-o", "-s")):
            if values:
                epochs = range(1, len(values) + 1)  # completed epochs, as `train` prints them
                ax.plot(epochs, values, style, label=label, markersize=3)
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        if ax.lines:
            ax.legend()
    settings = getattr(history, "settings", {}) or {}
    figure.suptitle(title if title is not None else settings_text(settings) or "training")
    if path is not None:
        save_figure(figure, path)
    return figure
