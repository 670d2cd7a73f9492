"""The lab in a notebook: an anywidget whose front end is the lab's own JavaScript, both ways.

With the optional extra ``notebook`` (``pip install 'neurograph[notebook]'``, which brings
`anywidget`), a `Lab` shown in Jupyter, JupyterLab, VS Code or Colab is a widget: its front
end is ``static/widget.js`` linked with the lab's modules (the same code as the page, see
[`esm`][]), and ``lab.net`` stays the truth. The widget reports each edit as operations
(``{"op": "set_weight", …}``) that [`neurograph.live.edits.apply_edits`][] checks and applies to
the very network in the kernel; a refused edit comes back with the API's message, and the
widget returns to the kernel's state. Changes made in Python reach the widget with
``lab.refresh()``, and ``fast.sgd(..., callback=lab.show_epochs(fast))`` streams a training
run's epochs into its curves and maps. Next to the widget the display carries the lab as a
self-contained page (``text/html``), which a notebook exported without a kernel shows.
Without the extra, a lab shows as that page with a line on how to get the widget.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import re
from collections.abc import Callable
from typing import Any

from neurograph.errors import NeurographError
from neurograph.live.edits import apply_edits
from neurograph.live.page import MODULES, _static, linked, viz_source

__all__ = ["INSTALL", "css", "display", "esm", "has_widget", "refresh", "show_epochs"]

#: What a learner without the extra reads under the page.
INSTALL = (
    "This is the lab as a page: edits stay in the page. For the live widget, which edits "
    "lab.net in the kernel, install the notebook extra: pip install 'neurograph[notebook]'"
)
_RULE = re.compile(r"^([^{}@/][^{}]*)\{", re.MULTILINE)


def has_widget() -> bool:
    """Whether `anywidget` (the extra ``notebook``) is installed."""
    return importlib.util.find_spec("anywidget") is not None


def esm() -> str:
    """The widget's front end: Graphviz and the lab's modules with ``widget.js``, one ES module.

    The vendored Graphviz build defines its global ``Viz`` (it sees no module loader, which
    a notebook page may have); the lab's modules are linked as the page links them, without
    the page's start (``main.js``), and ``widget.js`` is the module's default export.
    """
    viz = "(function (exports, module, define) {\n" + viz_source() + "\n}).call(globalThis);\n"
    modules = tuple(m for m in MODULES if m != "main") + ("widget",)
    return viz + linked(modules) + "export default { render: _widget.render };\n"


def css() -> str:
    """The page's CSS scoped to the widget (``.ng-widget``): it must not restyle the notebook."""

    def scope(match: re.Match[str]) -> str:
        selectors = [s.strip() for s in match.group(1).split(",")]
        scoped = [".ng-widget" if s == "body" else f".ng-widget {s}" for s in selectors]
        return ", ".join(scoped) + " {"

    return _RULE.sub(scope, _static("lab.css"))


def _frame(lab: Any, note: str = "") -> str:
    """The lab's page in a sandboxed frame, with an optional note under it."""
    under = f'<p style="color: #777777">{html.escape(note)}</p>' if note else ""
    return str(lab._repr_html_()) + under


@functools.cache
def _widget_class() -> Any:
    """The widget's class, made at first use (anywidget is an optional extra)."""
    import anywidget
    import traitlets

    class LabWidget(anywidget.AnyWidget):  # type: ignore[misc]
        """The lab as a notebook widget; ``state`` is what its front end starts from."""

        _esm = esm()
        _css = css()
        state = traitlets.Dict().tag(sync=True)

    return LabWidget


def widget_of(lab: Any) -> Any:
    """The lab's widget, made at first use (one per lab, shown in as many cells as wanted)."""
    made = lab.view
    if made is None:
        made = _widget_class()(state=lab.state())
        made.on_msg(lambda w, content, buffers: _receive(lab, content))
        lab.view = made
    return made


def _receive(lab: Any, content: Any) -> None:
    """Apply the edits a widget sent; a refused edit sends the kernel's state and the message."""
    if not isinstance(content, dict) or content.get("type") != "edits":
        return
    made = widget_of(lab)
    try:
        apply_edits(lab, content.get("ops"))
    except NeurographError as err:
        made.send(
            {"type": "state", "state": lab.state(), "message": f"{type(err).__name__}: {err}"}
        )
        return
    made.state = lab.state()


def _bundle(lab: Any) -> dict[str, Any]:
    made = widget_of(lab)
    data, _ = made._repr_mimebundle_()
    return {**data, "text/html": _frame(lab)}


def display(lab: Any) -> None:
    """Show `lab` in a notebook: the widget and the page beside it, or the page and a note."""
    from IPython.display import display as show

    if not has_widget():
        show({"text/html": _frame(lab, INSTALL), "text/plain": repr(lab)}, raw=True)
        return
    lab.display_handle = show(_bundle(lab), raw=True, display_id=True)


def refresh(lab: Any) -> None:
    """Redraw the lab's widget from ``lab.net`` and the lab's settings (after Python changes).

    Where the lab is shown, its output is replaced (the page a saved notebook keeps, too);
    every other view of the widget loads the new state in place.
    """
    made = lab.view
    if made is None:
        return
    made.state = lab.state()
    shown = lab.display_handle
    if shown is not None:
        shown.update(_bundle(lab), raw=True)
    else:
        made.send({"type": "state", "state": made.state, "message": ""})


def show_epochs(lab: Any, fast: Any) -> Callable[[int, Any], None]:
    """A ``callback`` for ``fast.sgd`` that shows each epoch of `fast` in the lab's widget.

    After each epoch the fast network's weights and biases go into ``lab.net`` (as
    ``net.load_parameters(fast)``) and the widget draws them, adding a point to its curves.
    """

    def callback(epoch: int, history: Any) -> None:
        lab.net.load_parameters(fast)
        made = lab.view
        if made is not None:
            made.state = lab.state()
            made.send({"type": "epoch", "model": made.state["model"], "epoch": epoch + 1})

    return callback
