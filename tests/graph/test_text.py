"""Lists cut short say how many there are: reprs, titles and errors."""

from __future__ import annotations

import numpy as np
import pytest

import neurograph as ng
from neurograph.graph.text import shortlist


def test_shortlist_keeps_short_lists_and_counts_long_ones() -> None:
    assert shortlist(["a", "b"]) == "['a', 'b']"
    assert shortlist(range(9), quote=False) == "[0, 1, 2, 3, 4, 5, 6, … 8] (9 in all)"
    assert shortlist(range(8), quote=False) == "[0, 1, 2, 3, 4, 5, 6, 7]"


def test_the_mnist_network_says_it_has_784_inputs() -> None:
    text = repr(ng.layered([784, 30, 10], seed=0))
    assert "inputs=['L1.1', 'L1.2'" in text and "… 'L1.784'] (784 in all)" in text
    assert "outputs=['L3.1'" in text and "… 'L3.10'] (10 in all)" in text


def test_the_limit_title_describes_a_long_input() -> None:
    net = ng.layered([784, 3, 2], seed=0)
    x = ng.datasets.load_mnist()[2][0][0]
    title = ng.draw_limit(net, x, cs=(1, 10)).source
    nonzero = int(np.count_nonzero(x))
    assert f"for x of 784 values ({nonzero} nonzero, between 0 and 1)" in title
    assert "x = (0, 0, 0" not in title


def test_errors_say_how_many() -> None:
    with pytest.raises(
        ng.ShapeError, match=r"got 12: \['L2.1', 'L2.2', 'L2.3', … 'L2.12'\] \(12 in all\)"
    ):
        ng.binary_output_layer(ng.layered([3, 12], seed=0))
