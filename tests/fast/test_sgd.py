"""The SGD loop: the book's semantics, options, monitoring, stopping rules and divergence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import neurograph as ng
from neurograph.fast.history import DivergenceError, History
from neurograph.fast.schedules import HalveOnPlateau
from neurograph.fast.sgd import sgd


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    """200 points of the plane, labelled by which coordinate is larger."""
    rng = np.random.default_rng(0)
    X = rng.random((200, 2))
    return X, (X[:, 0] > X[:, 1]).astype(np.int64)


def test_learns_and_monitors(data: Any) -> None:
    """All four monitored lists fill up, one entry per epoch, with seconds and eta."""
    fast = ng.layered([2, 4, 2], seed=0).compile()
    history = fast.sgd(
        data, 5, 10, 3.0, cost="cross-entropy", evaluation_data=data, seed=0,
        monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
        monitor_training_cost=True, monitor_training_accuracy=True,
    )  # fmt: skip
    ec, ea, tc, ta = history
    assert len(ec) == len(ea) == len(tc) == len(ta) == len(history.seconds) == 5
    assert history.epochs == 5 and history.eta == [3.0] * 5 and history.stopped == ""
    assert ea[-1] > 0.9 and ec[-1] < ec[0] and ea == ta and ec == tc
    assert history.to_dict()["evaluation_accuracy"] == ea


def test_same_seed_same_result(data: Any) -> None:
    """Shuffles come from the seed only; the data is never changed (read-only is fine)."""
    X, y = data
    X.flags.writeable = False
    runs = []
    for seed in (1, 1, 2):
        fast = ng.layered([2, 3, 2], seed=0).compile()
        fast.sgd((X, y), 2, 7, 1.0, seed=seed)
        runs.append(fast.w[2].copy())
    assert np.array_equal(runs[0], runs[1]) and not np.array_equal(runs[0], runs[2])


def test_weight_decay_is_exact() -> None:
    """Zero inputs give zero gradients for w^2: L2 alone scales it by (1 - ηλ/n) per step."""
    fast = ng.layered([3, 2, 2], seed=0).compile()
    w2 = fast.w[2].copy()
    X, y = np.zeros((8, 3)), np.zeros(8, dtype=np.int64)
    fast.sgd((X, y), 1, 4, 0.5, lmbda=2.0, seed=0)  # two steps, n = 8
    np.testing.assert_allclose(fast.w[2], w2 * (1 - 0.5 * 2.0 / 8) ** 2, rtol=1e-15)


def test_momentum(data: Any) -> None:
    """v ← μv − η∇C, w ← w + v, checked for two full-batch steps; μ = 0 is plain SGD."""
    X, y = data
    start = ng.layered([2, 3, 2], seed=0)
    fast = start.compile()
    fast.sgd((X, y), 2, 200, 1.0, momentum=0.5, seed=0)  # one mini-batch per epoch
    ref = start.compile()
    velocity: dict[str, dict[int, np.ndarray]] = {"w": {}, "b": {}}
    for _ in range(2):
        nabla_w, nabla_b = ref.backprop(X, y)
        for params, nabla, v in ((ref.w, nabla_w, velocity["w"]), (ref.b, nabla_b, velocity["b"])):
            for layer in params:
                v[layer] = 0.5 * v.get(layer, 0.0) - 1.0 * nabla[layer]
                params[layer] += v[layer]
    for layer in ref.w:
        np.testing.assert_allclose(fast.w[layer], ref.w[layer], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(fast.b[layer], ref.b[layer], rtol=1e-10, atol=1e-14)
    plain, zero = start.compile(), start.compile()
    plain.sgd((X, y), 2, 20, 1.0, seed=0)
    zero.sgd((X, y), 2, 20, 1.0, seed=0, momentum=0.0)
    assert np.array_equal(plain.w[2], zero.w[2])


def test_early_stopping(data: Any) -> None:
    """With η = 0 nothing improves: stop after `patience` epochs past the first."""
    fast = ng.layered([2, 3, 2], seed=0).compile()
    history = fast.sgd(data, 20, 10, 0.0, evaluation_data=data, early_stopping=2, seed=0)
    assert history.epochs == 3 and history.stopped == "early stopping"


def test_eta_schedule(data: Any) -> None:
    """A schedule sets each epoch's η and can stop training."""
    fast = ng.layered([2, 3, 2], seed=0).compile()

    def halve_then_stop(epoch: int, eta: float, history: History) -> float | None:
        return None if epoch == 2 else eta / 2

    history = fast.sgd(
        data, 10, 10, 1.0, evaluation_data=data, eta_schedule=halve_then_stop, seed=0
    )
    assert history.eta == [1.0, 0.5, 0.25] and history.stopped == "eta schedule"


def test_halve_on_plateau() -> None:
    """The book's schedule: halve after `patience` epochs without improvement, then stop."""
    schedule = HalveOnPlateau(patience=2, min_fraction=1 / 4)
    history = History(evaluation_accuracy=[0.5])
    eta: float | None = 1.0
    etas = []
    for epoch in range(1, 12):
        history.evaluation_accuracy.append(0.5)
        eta = schedule(epoch, eta, history)  # type: ignore[arg-type]
        if eta is None:
            break
        etas.append(eta)
    assert etas == [1.0, 0.5, 0.5] and epoch == 4  # 1 -> 0.5 at epoch 2; 0.25 stops at 4


def test_callback_and_progress(data: Any) -> None:
    """The callback runs after each epoch and can stop; progress reaches n."""
    fast = ng.layered([2, 3, 2], seed=0).compile()
    seen: list[int] = []
    done: list[int] = []

    def callback(epoch: int, history: History) -> bool:
        seen.append(epoch)
        return epoch == 1

    history = fast.sgd(
        data, 5, 1, 0.1, callback=callback, progress=lambda k, n: done.append(k), seed=0
    )
    assert seen == [0, 1] and history.stopped == "callback"
    assert done[:100] == list(range(2, 201, 2)) and len(done) == 200  # every 2 of 200 batches


def test_divergence_restores_parameters(data: Any) -> None:
    """NaN or inf stops training with a clear message; the last good parameters stay."""
    X, y = data
    fast = ng.layered([2, 8, 2], seed=0).compile()
    history = fast.sgd((X, y), 1, 10, 0.1, cost="cross-entropy", seed=0)
    good = [w.copy() for w in fast.w.values()]
    with pytest.raises(DivergenceError, match="diverged in epoch 1: a weight or bias reached"):
        fast.sgd((X * 1000, y), 3, 10, 1e6, cost="cross-entropy", evaluation_data=(X * 1000, y),
                 monitor_evaluation_cost=True)  # fmt: skip
    assert all(np.array_equal(a, b) for a, b in zip(good, fast.w.values()))
    assert history.epochs == 1
    fast.w[2][0, 0] = np.inf
    with pytest.raises(ng.NeurographError, match="NaN or inf"):
        fast.sgd((X, y), 1, 10, 0.1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"mini_batch_size": 0}, ng.UsageError, "mini_batch_size"),
        ({"mini_batch_size": 201}, ng.UsageError, "from 1 to the 200"),
        ({"eta": -1.0}, ng.UsageError, "eta"),
        ({"momentum": 1.0}, ng.UsageError, "momentum"),
        ({"epochs": -1}, ng.UsageError, "epochs"),
        ({"early_stopping": 3}, ng.UsageError, "evaluation_data"),
        ({"training_data": (np.zeros((0, 2)), np.zeros(0, np.int64))}, ng.ShapeError, "empty"),
        ({"training_data": (np.zeros((3, 2)), np.array([0, 1, 2]))}, ng.ShapeError, "label 2"),
        ({"cost": "hinge"}, ng.UsageError, "unknown cost"),
    ],
)
def test_bad_options(data: Any, kwargs: dict[str, Any], error: type, match: str) -> None:
    """Each bad option is a NeurographError naming what is wrong; nothing trains."""
    fast = ng.layered([2, 3, 2], seed=0).compile()
    w = fast.w[2].copy()
    args = {"training_data": data, "epochs": 1, "mini_batch_size": 10, "eta": 1.0, **kwargs}
    with pytest.raises(error, match=match):
        sgd(fast, **args)
    assert np.array_equal(w, fast.w[2])


def test_general_kernel_trains(data: Any) -> None:
    """A DAG with a skip connection trains through the general kernel too."""
    net = ng.layered([2, 4, 2], seed=0)
    net.connect("L1.1", "L3.2", 0.0)
    fast = net.compile()
    assert not fast.layered
    history = fast.sgd(
        data, 10, 10, 3.0, evaluation_data=data, monitor_evaluation_accuracy=True, seed=0
    )
    assert history.evaluation_accuracy[-1] > 0.9


def test_history_plot_shows_training_and_evaluation(data: Any, tmp_path: Any) -> None:
    """chapter 3's overfitting picture: both data sets, accuracy and cost, titled by settings."""
    fast = ng.layered([2, 4, 2], seed=0).compile()
    train, test = (data[0][:150], data[1][:150]), (data[0][150:], data[1][150:])
    history = fast.sgd(
        train, 4, 10, 0.5, lmbda=0.1, cost="cross-entropy", evaluation_data=test, seed=0,
        monitor_evaluation_cost=True, monitor_evaluation_accuracy=True,
        monitor_training_cost=True, monitor_training_accuracy=True,
    )  # fmt: skip
    figure = history.plot(str(tmp_path / "curves.svg"))
    accuracy, cost = figure.axes
    lines = {line.get_label(): list(line.get_ydata()) for line in accuracy.lines}
    assert lines == {
        "training data": [100 * a for a in history.training_accuracy],
        "evaluation data": [100 * a for a in history.evaluation_accuracy],
    }
    assert [list(line.get_ydata()) for line in cost.lines] == [
        history.training_cost,
        history.evaluation_cost,
    ]
    assert (accuracy.get_xlabel(), accuracy.get_ylabel(), cost.get_ylabel()) == (
        "epoch", "accuracy (%)", "cost",
    )  # fmt: skip
    title = figure.get_suptitle()
    assert title == "sizes [2, 4, 2], η 0.5, λ 0.1, cost CrossEntropyCost, mini-batch 10"
    assert "mini-batch 10" in (tmp_path / "curves.svg").read_text()
    with pytest.raises(ng.UsageError, match="nothing to plot"):
        History().plot()
