"""Escaping user text (names, titles) for Graphviz: HTML-like labels, quoted strings, SVG text.

Every name a diagram shows comes from a file someone shared, so it reaches DOT only through
these functions, and never as a node id ([`Panel`][neurograph.pictures.panel.Panel] numbers the
nodes).
"""

from __future__ import annotations

import html
import re
from typing import Any

import graphviz

__all__ = ["clean_text", "dot_text", "html_text"]

# what neither DOT nor XML can carry: control characters (NUL included), lone surrogates
_UNSAFE = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: Any) -> str:
    """User text (a neuron's name, a title) with each character DOT or SVG cannot hold as ``�``.

    Parameters
    ----------
    text : Any
        Turned into a string first.

    Returns
    -------
    str
        Control characters (NUL, newlines), lone surrogates and U+FFFE/U+FFFF replaced by
        U+FFFD, so that the result encodes as UTF-8 and is valid XML text.

    Examples
    --------
    >>> clean_text("a\\x00b")
    'a\ufffdb'
    """
    return _UNSAFE.sub("\ufffd", str(text))


def html_text(text: Any) -> str:
    """User text escaped for an HTML-like label (``<…>``): cleaned, ``&<>"'`` escaped.

    Backslashes are doubled: dot reads ``\\N``, ``\\G``, … as escapes even in HTML labels.

    Examples
    --------
    >>> html_text("<b>&amp;</b>")
    '&lt;b&gt;&amp;amp;&lt;/b&gt;'
    """
    return html.escape(clean_text(text)).replace("\\", "\\\\")


def dot_text(text: Any, *, tooltip: bool = False) -> str:
    """User text for a quoted DOT string (an ``id``, a ``tooltip``): never HTML-like.

    Cleaned, ``&`` written ``&amp;`` (dot decodes entities in strings), backslashes doubled so
    that ``\\N`` or a trailing ``\\`` stay text (doubled again in a `tooltip`, which dot
    unescapes twice), and marked so that graphviz quotes it even when it reads ``<…>``.

    Examples
    --------
    >>> import graphviz
    >>> graphviz.quoting.quote(dot_text("<x> [URL=<js>] <y>\\\\"))
    '"<x> [URL=<js>] <y>\\\\\\\\"'
    """
    text = clean_text(text).replace("&", "&amp;")
    return graphviz.escape(text.replace("\\", "\\\\") if tooltip else text)
