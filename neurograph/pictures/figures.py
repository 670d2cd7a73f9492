"""matplotlib figures without a display: made on the Agg canvas, written atomically by extension."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as _MatplotlibFigure

from neurograph.io.atomic import write_atomic
from neurograph.pictures.diagram import check_path

__all__ = ["FIGURE_FORMATS", "Figure", "new_figure", "save_figure"]

FIGURE_FORMATS = ("png", "svg", "pdf")


class Figure(_MatplotlibFigure):
    """A matplotlib Figure that shows itself in Jupyter as a PNG, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()


def new_figure(**kwargs: Any) -> Figure:
    """A matplotlib Figure drawn by the Agg backend (no display, no pyplot, no global state).

    Parameters
    ----------
    **kwargs
        Passed to `matplotlib.figure.Figure`, e.g. ``figsize=(8, 4)``.

    Returns
    -------
    matplotlib.figure.Figure
        It shows itself in Jupyter and writes itself with [`save_figure`][].
    """
    figure = Figure(**kwargs)
    FigureCanvasAgg(figure)
    return figure


def save_figure(figure: Figure, path: str | os.PathLike[str], *, dpi: int = 120) -> Path:
    """Write `figure` to `path`, atomically; the format comes from the extension.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    path : str or path-like
        ``.png``, ``.svg`` or ``.pdf``.
    dpi : int
        Resolution of a PNG.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UsageError
        For another extension, or a directory that does not exist.
    """
    target, kind = check_path(path, FIGURE_FORMATS)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text: searchable
        figure.savefig(buffer, format=kind, dpi=dpi, bbox_inches="tight")
    return write_atomic(target, buffer.getvalue())
