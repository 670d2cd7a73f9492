"""The learning slowdown of chapter 3, and comparisons of costs, momentum and L2 on a network."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import neurograph as ng
from neurograph.playground.compare import BOOK_STARTS, Comparison, compare


@pytest.fixture(scope="module")
def slowdown() -> Comparison:
    return ng.compare()


def test_the_book_settings_give_four_runs_of_301_values(slowdown: Comparison) -> None:
    labels = [run.label for run in slowdown.runs]
    assert labels == [
        "quadratic, w = 0.6, b = 0.9",
        "quadratic, w = 2, b = 2",
        "cross-entropy, w = 0.6, b = 0.9",
        "cross-entropy, w = 2, b = 2",
    ]
    assert [run.start for run in slowdown.runs] == [*BOOK_STARTS, *BOOK_STARTS]
    for run in slowdown.runs:
        assert len(run.cost) == len(run.output) == 301 and run.accuracy == []
    assert slowdown.runs[1].output[0] == pytest.approx(1 / (1 + np.exp(-4.0)))  # σ(2·1 + 2)
    assert slowdown.runs[0].output[0] == pytest.approx(1 / (1 + np.exp(-1.5)))  # σ(0.6 + 0.9)


def test_the_quadratic_cost_learns_slowly_from_a_saturated_start(slowdown: Comparison) -> None:
    """w = b = 2: after 50 epochs the quadratic neuron's output is > 0.9, cross-entropy's < 0.5."""
    quadratic, cross_entropy = slowdown.runs[1], slowdown.runs[3]
    assert quadratic.output[50] > 0.9 and cross_entropy.output[50] < 0.5
    assert quadratic.output[50] == pytest.approx(0.9759, abs=1e-4)
    assert cross_entropy.output[50] == pytest.approx(0.0985, abs=1e-4)
    assert quadratic.output[300] == pytest.approx(0.2028, abs=1e-4)  # the book's 0.20
    assert slowdown.runs[0].output[300] == pytest.approx(0.0940, abs=1e-4)  # the book's 0.09
    # the first 50 epochs: the quadratic neuron barely moves, the cross-entropy one falls fast
    assert quadratic.output[0] - quadratic.output[50] < 0.01 < cross_entropy.output[0] - 0.8


def test_the_cost_is_each_cost_of_the_output(slowdown: Comparison) -> None:
    for run in slowdown.runs:
        a = np.array(run.output)
        if run.cost_name == "quadratic":
            expected = 0.5 * a**2
        else:
            expected = -np.log(1 - a)
        assert np.allclose(run.cost, expected, rtol=1e-12, atol=0)


def test_cross_entropy_gradient_is_x_times_a_minus_y() -> None:
    """Exercise 3.1.1's ∂C/∂w = x(a − y) and ∂C/∂b = a − y, by central differences."""
    net = ng.layered([1, 1], seed=0)
    fast = net.compile()
    fast.w[2][0, 0], fast.b[2][0] = 2.0, 2.0
    x, y = np.array([[0.7]]), np.array([[0.2]])
    nabla_w, nabla_b = fast.backprop(x, y, "cross-entropy")
    a = 1 / (1 + np.exp(-(2.0 * 0.7 + 2.0)))
    assert nabla_w[2][0, 0] == pytest.approx(0.7 * (a - 0.2), rel=1e-12)
    assert nabla_b[2][0] == pytest.approx(a - 0.2, rel=1e-12)


def test_the_table_shows_the_books_epochs(slowdown: Comparison) -> None:
    lines = slowdown.table().splitlines()
    assert lines[0].split()[2:] == ["0", "50", "100", "150", "200", "300"]
    assert lines[2].startswith("quadratic, w = 0.6, b = 0.9") and "cost" in lines[2]
    row = lines[5].split()  # quadratic, w = b = 2: its outputs
    assert row[0] == "output" and float(row[2]) == pytest.approx(0.9759, abs=1e-4)
    short = compare(epochs=10).table().splitlines()[0].split()[2:]
    assert short == ["0", "2", "4", "6", "8", "10"]


def test_the_figure_overlays_the_runs(slowdown: Comparison, tmp_path: Path) -> None:
    """One axes per quantity, every run on it (one scale), one legend beside the data."""
    fig = slowdown.figure()
    assert [ax.get_ylabel() for ax in fig.axes] == ["cost", "output a of the neuron"]
    for ax, attr in zip(fig.axes, ("cost", "output")):
        assert len(ax.lines) == len(slowdown.runs) == 4
        for line, run in zip(ax.lines, slowdown.runs):
            assert np.array_equal(line.get_ydata(), getattr(run, attr))
            assert line.get_label() == run.label
        assert ax.get_legend() is None
    styles = {(line.get_color(), line.get_linestyle()) for line in fig.axes[0].lines}
    assert len(styles) == 4  # a colour per cost, a line style per start
    assert len(fig.legends) == 1
    fig.canvas.draw()
    legend = fig.legends[0].get_window_extent()
    for ax in fig.axes:
        assert not legend.overlaps(ax.get_window_extent())  # beside the data, never over it
    svg = slowdown.save(tmp_path / "slowdown.svg")
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert slowdown.save(tmp_path / "slowdown.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ng.UsageError, match="unknown extension"):
        slowdown.save(tmp_path / "slowdown.pdf")


def test_momentum_and_l2_compare_on_a_network_from_the_same_start() -> None:
    data = ng.datasets.toy("xor", n=200, seed=0)
    net = ng.layered([2, 4, 2], seed=0)
    before = net.to_dict()
    result = compare(
        ["quadratic"], net=net, data=data, evaluation_data=data, eta=1.0, epochs=5,
        momentum=[0.0, 0.9], lmbda=[0.0, 5.0],
    )  # fmt: skip
    assert [run.variant for run in result.runs] == [
        "quadratic",
        "quadratic, λ = 5",
        "quadratic, μ = 0.9",
        "quadratic, μ = 0.9, λ = 5",
    ]
    assert net.to_dict() == before  # every run trains its own copy
    plain, decayed = result.runs[0], result.runs[1]
    assert plain.output[0] == decayed.output[0] and plain.accuracy[0] == decayed.accuracy[0]
    assert decayed.cost[0] > plain.cost[0]  # the L2 term
    assert plain.output[5] != result.runs[2].output[5]
    assert all(len(run.accuracy) == 6 for run in result.runs)
    fast = net.compile()  # the plain run is fast.sgd itself, with the same seed
    history = fast.sgd(data, 5, 10, 1.0, monitor_training_cost=True, seed=0)
    assert plain.cost[1:] == history.training_cost
    fig = result.figure()
    assert [ax.get_ylabel() for ax in fig.axes] == ["cost", "evaluation accuracy"]
    assert [len(ax.lines) for ax in fig.axes] == [4, 4]
    fig.canvas.draw()
    assert fig.get_size_inches()[0] == 8.0  # not a strip that grows with the runs
    unevaluated = compare(["quadratic"], net=net, data=data, epochs=2, momentum=[0.0, 0.9])
    axes = unevaluated.figure().axes  # a network's first output says little: the cost only
    assert [ax.get_ylabel() for ax in axes] == ["cost"]


def test_bad_settings_say_what_to_do() -> None:
    with pytest.raises(ng.UsageError, match="starts"):
        compare(net=ng.layered([2, 1], seed=0), data=([[0.0, 1.0]], [[1.0]]), starts=[(1, 1)])
    with pytest.raises(ng.UsageError, match="needs training data"):
        compare(net=ng.layered([2, 1], seed=0))
    with pytest.raises(ng.UsageError, match="unknown cost"):
        compare(["cubic"])
    with pytest.raises(ng.UsageError, match="at least one cost"):
        compare([])
