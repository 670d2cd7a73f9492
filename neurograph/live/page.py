"""Write the lab's page: the template, the CSS, the ES modules linked into one script, Graphviz.

The lab's JavaScript is a handful of small ES modules in ``static/`` (the engine, the checks of
a model file, the event texts, the layout, the digit canvas, the lab's UI and the page's
start). A page written to a file can load no other file, so [`linked`][] joins them into one
script: each module becomes a function returning its exports, and each ``import {…} from
"./x.js"`` (or ``import * as x from "./x.js"``) takes them from the module before it. The
same modules serve the notebook widget.
"""

from __future__ import annotations

import html
import re
from importlib.resources import files
from typing import Any

from neurograph.player.page import csp, fill, script_json

__all__ = ["MODULES", "lab_html", "linked", "viz_source"]

_HERE = files("neurograph.live")
_IMPORT = re.compile(r'^import \{([^}]*)\} from "\./(\w+)\.js";$', re.MULTILINE)
_IMPORT_ALL = re.compile(r'^import \* as (\w+) from "\./(\w+)\.js";$', re.MULTILINE)
_EXPORT = re.compile(r"^export (?:async )?(?:function|class|const|let) (\w+)", re.MULTILINE)

#: The lab's modules, each after the modules it imports.
MODULES = (
    "engine", "model", "text", "layout", "digit", "colours", "markup", "state", "structure",
    "training", "plane", "lab", "main",
)  # fmt: skip


def _static(name: str) -> str:
    return (_HERE / "static" / name).read_text(encoding="utf-8")


def viz_source() -> str:
    """The vendored ``@viz-js/viz`` standalone build (defines the global ``Viz``)."""
    return (_HERE / "vendor" / "viz-global.js").read_text(encoding="utf-8")


def linked(modules: tuple[str, ...] = MODULES) -> str:
    """The ES modules `modules` of ``static/`` joined into one script, in that order.

    Parameters
    ----------
    modules : tuple of str
        Module names (``"engine"`` is ``static/engine.js``), each after those it imports.

    Returns
    -------
    str

    Examples
    --------
    >>> "const { sigmoid" in linked(("engine",))
    False
    >>> "const _text = (() => {" in linked(("engine", "model", "text"))
    True
    """
    parts = []
    for name in modules:
        source = _static(f"{name}.js")
        exported = _EXPORT.findall(source)
        body = _IMPORT.sub(lambda m: f"const {{{m.group(1)}}} = _{m.group(2)};", source)
        body = _IMPORT_ALL.sub(lambda m: f"const {m.group(1)} = _{m.group(2)};", body)
        body = re.sub(r"^export ", "", body, flags=re.MULTILINE)
        parts.append(
            f"const _{name} = (() => {{\n{body}\nreturn {{ {', '.join(exported)} }};\n}})();"
        )
    return "\n".join(parts) + "\n"


def lab_html(state: dict[str, Any], title: str, subtitle: str) -> str:
    """The whole lab page, self-contained.

    Parameters
    ----------
    state : dict
        JSON-ready: the model document, the data and the settings (see ``Lab.state``).
    title, subtitle : str
        Head the page (escaped).

    Returns
    -------
    str
    """
    script, viz = linked(), viz_source()
    parts = {
        "csp": csp(viz, script, wasm=True),  # Graphviz runs as WebAssembly
        "title": html.escape(title),
        "subtitle": html.escape(subtitle),
        "css": _static("lab.css"),
        "data": script_json(state),
        "viz": viz,
        "script": script,
    }
    return fill(_static("lab.html"), parts)
