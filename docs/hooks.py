"""mkdocs hook: the maths of the pages and docstrings become MathML when the site is built.

``pymdownx.arithmatex`` (generic mode) wraps each formula, ``$…$`` or ``$$…$$``, in a
``span`` or ``div`` of class ``arithmatex``; this hook turns the LaTeX inside into MathML with
``latex2mathml``, which browsers draw themselves: no JavaScript, no CDN, nothing fetched.
"""

from __future__ import annotations

import html
import re
from typing import Any

from latex2mathml.converter import convert

FORMULA = re.compile(r'<(span|div) class="arithmatex">\s*\\[(\[](.*?)\\[)\]]\s*</\1>', re.DOTALL)


def to_mathml(match: re.Match[str]) -> str:
    """One arithmatex wrapper as MathML (a block for ``div``, inline for ``span``)."""
    tag, latex = match.group(1), html.unescape(match.group(2))
    return convert(latex.strip(), display="block" if tag == "div" else "inline")


def on_page_content(page_html: str, **kwargs: Any) -> str:
    """Replace every formula of a page (its docstrings included) by its MathML."""
    return FORMULA.sub(to_mathml, page_html)
