"""Escaping user text (names, titles) for Graphviz: HTML-like labels, quoted strings, SVG text.

Every name a diagram shows comes from a file someone shared, so it reaches DOT only through
these functions, and never as a node id ([`Panel`][neurograph.pictures.panel.Panel] numbers the
nodes). Any network that loads can be drawn: dot refuses a label or a quoted string longer than
16,384 bytes, so a long name is shortened with "…" where it is drawn ([`shown_name`][]), in
an SVG id ([`text_id`][], which stays unique) and in a tooltip; the players' inspector keeps
the full text.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

import graphviz

__all__ = ["MAX_NAME", "clean_text", "dot_text", "html_text", "shorten", "shown_name", "text_id"]

#: The most characters of a name (or a name with its label) a picture draws.
MAX_NAME = 40
#: The most characters of any other text in a label (a title, a caption), and of a tooltip:
#: escaped (``&`` is five bytes, a backslash two or four), it stays within dot's 16,384.
MAX_TEXT = 1000
#: The most characters of a name in an SVG id.
MAX_ID = 200

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


def shorten(text: Any, limit: int = MAX_TEXT) -> str:
    """`text` as a string of at most `limit` characters: its start, "…" and its end.

    Examples
    --------
    >>> shorten("abcdefghij", 6)
    'abc…ij'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    tail = max(limit // 3, 1)
    return f"{text[: limit - tail - 1]}…{text[-tail:]}"


def shown_name(name: Any) -> str:
    """A neuron's name (or name and label) as a picture draws it: at most [`MAX_NAME`][]
    characters; the players find a neuron by this text.

    Examples
    --------
    >>> len(shown_name("x" * 20_000))
    40
    """
    return shorten(name, MAX_NAME)


def text_id(name: Any) -> str:
    """A name as it goes into an SVG id: itself, or when longer than [`MAX_ID`][] its start,
    "…" and a hash of the whole, so that two long names keep two ids.

    Examples
    --------
    >>> text_id("L2.1")
    'L2.1'
    >>> len(text_id("x" * 20_000)), text_id("x" * 20_000) != text_id("x" * 20_001)
    (200, True)
    """
    text = str(name)
    if len(text) <= MAX_ID:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{text[: MAX_ID - 13]}…{digest}"


def html_text(text: Any) -> str:
    """User text escaped for an HTML-like label (``<…>``): cleaned, ``&<>"'`` escaped.

    Backslashes are doubled: dot reads ``\\N``, ``\\G``, … as escapes even in HTML labels.
    Text longer than ``MAX_TEXT`` characters is shortened with "…" ([`shorten`][]).

    Examples
    --------
    >>> html_text("<b>&amp;</b>")
    '&lt;b&gt;&amp;amp;&lt;/b&gt;'
    """
    return html.escape(clean_text(shorten(text))).replace("\\", "\\\\")


def dot_text(text: Any, *, tooltip: bool = False) -> str:
    """User text for a quoted DOT string (an ``id``, a ``tooltip``): never HTML-like.

    Cleaned, ``&`` written ``&amp;`` (dot decodes entities in strings), backslashes doubled so
    that ``\\N`` or a trailing ``\\`` stay text (doubled again in a `tooltip`, which dot
    unescapes twice), and marked so that graphviz quotes it even when it reads ``<…>``. Text
    longer than ``MAX_TEXT`` characters is shortened with "…" ([`shorten`][]).

    Examples
    --------
    >>> import graphviz
    >>> graphviz.quoting.quote(dot_text("<x> [URL=<js>] <y>\\\\"))
    '"<x> [URL=<js>] <y>\\\\\\\\"'
    """
    text = clean_text(shorten(text)).replace("&", "&amp;")
    return graphviz.escape(text.replace("\\", "\\\\") if tooltip else text)
