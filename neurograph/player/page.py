"""Write a player page: the template, the CSS, the scripts and the data, inlined in one file.

The page's parts are package data (``static/``): ``page.html`` (the layout every player shares:
title, controls, position slider, status region, the view, the inspector), ``player.css``,
``player.js`` (the controls, the keyboard and the inspector, for any kind of recording), and
per kind of recording its view's markup and script (``pass.html``, ``pass.js``: one pass;
``training.html``, ``training.js``: a training run, snapshot by snapshot).
The data goes in as one JSON document escaped for its ``<script>`` element; a
Content-Security-Policy lets the page run its own script (by hash) and load nothing at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neurograph.graph.network import Network

__all__ = ["csp", "fill", "page_html", "projector_neurons", "script_json"]

#: A level of at most this many neurons is drawn whole on a player's diagram ...
WHOLE_LEVEL = 6
#: ... a larger one as its first and last neurons and "… N more", so many in all.
ELIDED_LEVEL = 5

_STATIC = files("neurograph.player") / "static"
_MARK = re.compile(r"\{\{(\w+)\}\}")


def _static(name: str) -> str:
    return (_STATIC / name).read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``.

    Examples
    --------
    >>> script_json({"name": "</script>"})
    '{"name": "\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csp(*scripts: str, wasm: bool = False) -> str:
    """A page's Content-Security-Policy: nothing from outside, only its own `scripts` by hash.

    With `wasm`, ``'wasm-unsafe-eval'`` lets WebAssembly run (the lab's Graphviz). There is
    never ``'self'``, which on a ``file://`` page would reach the files beside it.

    Examples
    --------
    >>> csp("let a = 1;")  # doctest: +ELLIPSIS
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-...'"
    """
    hashes = [hashlib.sha256(s.encode("utf-8")).digest() for s in scripts]
    sources = [f"'sha256-{base64.b64encode(h).decode('ascii')}'" for h in hashes]
    sources += ["'wasm-unsafe-eval'"] if wasm else []
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src {' '.join(sources)}"


def fill(template: str, parts: dict[str, str]) -> str:
    """The `template` with each ``{{name}}`` replaced by ``parts[name]`` (in one pass, so that
    a part's own text is never read as a mark).

    Examples
    --------
    >>> fill("<h1>{{title}}</h1>", {"title": "{{x}}"})
    '<h1>{{x}}</h1>'
    """
    return _MARK.sub(lambda m: parts[m.group(1)], template)


def projector_neurons(net: Network) -> int:
    """The most neurons per level a player's diagram draws, so that it reads on a projector.

    At 1280×720 a presented diagram must show every neuron's name at least 12 px high,
    without scrolling: a column of at most 6 neurons does; [784, 30, 10] shows 5 of its 30.

    Examples
    --------
    >>> import neurograph as ng
    >>> projector_neurons(ng.layered([2, 6, 2])), projector_neurons(ng.layered([784, 30, 10]))
    (6, 5)
    """
    tallest = max((len(level) for level in net.plan().levels()), default=0)
    return WHOLE_LEVEL if tallest <= WHOLE_LEVEL else ELIDED_LEVEL


def page_html(kind: str, data: dict[str, Any], body: str) -> str:
    """A whole player page, self-contained.

    Parameters
    ----------
    kind : str
        The kind of recording: the view is ``static/{kind}.html`` (around `body`), and the
        page runs ``player.js``, then ``static/{kind}.js``, which registers the view's script.
    data : dict
        JSON-ready; ``data["title"]`` (and ``data["subtitle"]``, optional) head the page.
    body : str
        Trusted markup for the view (the diagram's SVG, drawn by Graphviz).

    Returns
    -------
    str
        The HTML document.
    """
    script = _static("player.js") + "\n" + _static(f"{kind}.js")
    parts = {
        "csp": csp(script),
        "title": html.escape(str(data["title"])),
        "subtitle": html.escape(str(data.get("subtitle", ""))),
        "css": _static("player.css"),
        "data": script_json(data),
        "view": fill(_static(f"{kind}.html"), {"body": body}),
        "script": script,
    }
    return fill(_static("page.html"), parts)
