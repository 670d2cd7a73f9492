"""The documentation builds as a static site, API reference included (mkdocs --strict)."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds the docs site

ROOT = Path(__file__).resolve().parent.parent


# what must not reach a reader: a Sphinx role, LaTeX left as text, a formula typed as code
ROLE = re.compile(r":(class|meth|func|mod|attr|math|data|exc|obj|ref):`?")
LATEX = re.compile(
    r"\\(frac|sigma|cdot|partial|sum|sqrt|nabla|delta|eta|lambda|odot|ln)\b|\\\||\\[(\[]"
)
CODE_FORMULA = re.compile(r"<code>[^<]*(\^\{|_\{)[^<]*</code>")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once with ``mkdocs build --strict``."""
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "not included in the" not in result.stderr, result.stderr
    return folder


def reader_text(page: Path) -> str:
    """A page as a reader sees it: no code blocks, no MathML, no scripts."""
    text = page.read_text(encoding="utf-8")
    for block in (r"<pre.*?</pre>", r"<math.*?</math>", r"<script.*?</script>"):
        text = re.sub(block, "", text, flags=re.S)
    return text


def test_no_raw_role_or_latex_is_left(site: Path) -> None:
    """Cross-references are links, formulas are MathML, on every page and in every docstring."""
    found = []
    for page in sorted(site.rglob("*.html")):
        if page.parent.name == "search":
            continue
        text = reader_text(page)
        for pattern in (ROLE, LATEX, CODE_FORMULA):
            found += [
                f"{page.relative_to(site)}: {html.unescape(text[m.start() - 40 : m.end() + 30])!r}"
                for m in pattern.finditer(text)
            ]
    assert not found, "\n".join(found[:20])
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert api.count("<math") > 10 and "<math" in (site / "backprop" / "index.html").read_text()
    # a cross-reference is a link: Network.compile names FastNetwork with an anchor
    assert re.search(r'<a[^>]+href="#neurograph.FastNetwork"[^>]*><code>FastNetwork</code>', api)
    # a Returns table gives the type in its type column and the words in the description
    add = api[api.index('id="neurograph.Network.add"') :]
    returns = add[add.index("Returns:") : add.index("Raises:")]
    kind, words = re.findall(r"<td>(.*?)</td>", returns, flags=re.S)[:2]
    assert "SoftmaxLayer" in kind and "now named" not in kind and "now named" in words


def test_site_builds(site: Path) -> None:
    """Every page is in the nav, every link resolves, and the docstrings render."""
    tmp_path = site
    api = (tmp_path / "api" / "index.html").read_text(encoding="utf-8")
    assert "A neural network as a DAG of neuron objects" in api
    assert "Train <code>fast</code> by mini-batch stochastic gradient descent" in api
    assert "The graph engine (<code>neurograph.graph</code>)" in api
    assert (tmp_path / "architecture" / "index.html").exists()
    assert (tmp_path / "exercises" / "1.3-binary-output-layer" / "index.html").exists()


def test_exercise_pages_name_and_link_the_solutions_they_correct(site: Path) -> None:
    pages = sorted((site / "exercises").glob("*/index.html"))
    assert len(pages) == 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Somnath Sikdar, <em>Neural Networks and Deep Learning: Exercises</em>" in text
        assert 'href="../../#reference-solutions"' in text, page
        assert re.search(r'href="http://neuralnetworksanddeeplearning.com/chap[123].html"', text)
        assert re.search(r"§[123](\.\d)* &quot;|§[123](\.\d)* \"", text), page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="reference-solutions"' in index and "10 February 2020" in index
