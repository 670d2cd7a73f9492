"""Recorded training: the snapshots, and replaying from any of them bit for bit."""

from __future__ import annotations

import json

import numpy as np
import pytest

import neurograph as ng
from neurograph.fast.snapshots import Snapshot

DATA = ng.datasets.toy("moons", n=103, seed=0)  # 103: the last mini-batch of 10 is short


def same(a: Snapshot, b: Snapshot) -> bool:
    return all(np.array_equal(a.w[k], b.w[k]) and np.array_equal(a.b[k], b.b[k]) for k in a.w)


def record(**options: object) -> tuple[ng.Network, ng.FastNetwork, ng.History]:
    net = ng.layered([2, 5, 2], seed=1)
    fast = net.compile()
    history = fast.sgd(DATA, 4, 10, 0.5, seed=3, record=True, **options)  # type: ignore[arg-type]
    return net, fast, history


def test_one_snapshot_per_epoch_from_before_training_to_the_trained_parameters() -> None:
    net, fast, history = record()
    snaps = history.snapshots
    assert [(s.epoch, s.step, s.batch) for s in snaps] == [(k, 11 * k, 0) for k in range(5)]
    start = net.compile()
    assert np.array_equal(snaps[0].w[2], start.w[2]) and np.array_equal(snaps[0].b[3], start.b[3])
    assert np.array_equal(snaps[-1].w[2], fast.w[2]) and np.array_equal(snaps[-1].b[3], fast.b[3])
    assert not np.array_equal(snaps[1].w[2], snaps[0].w[2])
    assert snaps[0].w[2] is not fast.w[2] and snaps[0].velocity is None
    assert {s.eta for s in snaps} == {0.5}
    assert json.loads(json.dumps(snaps[2].rng_state)) == snaps[2].rng_state
    assert history.to_dict().keys() >= {"training_cost", "eta"}
    assert "snapshots" not in history.to_dict()


def test_without_record_there_are_no_snapshots() -> None:
    fast = ng.layered([2, 3, 2], seed=0).compile()
    assert fast.sgd(DATA, 2, 10, 0.5, seed=0).snapshots == []


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"momentum": 0.6, "lmbda": 0.5},
        {"record_every": 4},  # mid-epoch snapshots, and the epoch's ends that fall on a 4th step
        {"record_every": 7, "momentum": 0.9, "cost": "cross-entropy"},
    ],
)
def test_replaying_from_each_snapshot_reproduces_the_next_and_the_end_bit_for_bit(
    options: dict[str, object],
) -> None:
    net, fast, history = record(**options)
    snaps = history.snapshots
    assert snaps[-1].step == 44 and same(snaps[-1], snaps[-1])
    every = int(options.get("record_every", 0) or 0)  # type: ignore[call-overload]
    if every:
        assert [s.step for s in snaps] == [*range(0, 44, every), 44]
        assert any(s.batch for s in snaps)
    train = {k: v for k, v in options.items() if k != "record_every"}
    for here, there in zip(snaps, snaps[1:]):
        fresh = net.compile()  # the untrained parameters: resume must replace them
        epochs = there.epoch - here.epoch + (1 if there.batch else 0)
        again = fresh.sgd(DATA, epochs, 10, 0.5, resume=here, record_every=1, **train)  # type: ignore[arg-type]
        match = next(s for s in again.snapshots if s.step == there.step)
        assert same(match, there), (here.step, there.step)
    fresh = net.compile()
    fresh.sgd(DATA, 4 - snaps[1].epoch, 10, 0.5, resume=snaps[1], **train)  # type: ignore[arg-type]
    assert all(np.array_equal(fresh.w[k], fast.w[k]) for k in fast.w)
    assert all(np.array_equal(fresh.b[k], fast.b[k]) for k in fast.b)


def test_a_snapshot_loads_into_a_network_of_the_same_shapes_only() -> None:
    _, fast, history = record()
    other = ng.layered([2, 5, 2], seed=9).compile()
    history.snapshots[-1].load(other)
    assert np.array_equal(other.w[2], fast.w[2])
    with pytest.raises(ng.ShapeError, match="shapes"):
        history.snapshots[-1].load(ng.layered([2, 4, 2], seed=0).compile())


def test_record_every_must_be_a_positive_whole_number() -> None:
    fast = ng.layered([2, 3, 2], seed=0).compile()
    with pytest.raises(ng.UsageError, match="record_every"):
        fast.sgd(DATA, 1, 10, 0.5, record_every=0)


@pytest.mark.parametrize("options", [{}, {"momentum": 0.7, "lmbda": 0.3}])
def test_history_state_continues_a_run_bit_for_bit(options: dict[str, object]) -> None:
    """2 epochs, then 2 more from ``history.state``, equal 4 epochs in one run."""
    net = ng.layered([2, 5, 2], seed=1)
    whole, half = net.compile(), net.compile()
    full = whole.sgd(DATA, 4, 10, 0.5, seed=3, **options)  # type: ignore[arg-type]
    first = half.sgd(DATA, 2, 10, 0.5, seed=3, **options)  # type: ignore[arg-type]
    assert first.state is not None and (first.state.epoch, first.state.step) == (2, 22)
    fresh = net.compile()  # the untrained parameters: the state replaces them
    rest = fresh.sgd(DATA, 2, 10, 0.5, resume=first.state, **options)  # type: ignore[arg-type]
    assert rest.state is not None and (rest.state.epoch, rest.state.step) == (4, 44)
    assert all(np.array_equal(fresh.w[k], whole.w[k]) for k in whole.w)
    assert all(np.array_equal(fresh.b[k], whole.b[k]) for k in whole.b)
    assert full.state is not None and same(rest.state, full.state)
    assert "state" not in full.to_dict()


def test_one_source_for_each_part_of_the_state() -> None:
    """A state and an argument that would say the same thing twice: a clear error, no run."""
    fast = ng.layered([2, 5, 2], seed=1).compile()
    state = fast.sgd(DATA, 1, 10, 0.5, seed=3, momentum=0.5).state
    before = fast.w[2].copy()
    with pytest.raises(ng.UsageError, match="give resume or seed, not both"):
        fast.sgd(DATA, 1, 10, 0.5, resume=state, seed=3, momentum=0.5)
    with pytest.raises(ng.UsageError, match=r"taken at eta=0.5, not 0.25; pass eta=0.5"):
        fast.sgd(DATA, 1, 10, 0.25, resume=state, momentum=0.5)
    with pytest.raises(ng.UsageError, match="momentum velocities; pass the run's momentum"):
        fast.sgd(DATA, 1, 10, 0.5, resume=state)
    with pytest.raises(ng.UsageError, match="resume must be a training state .* got dict"):
        fast.sgd(DATA, 1, 10, 0.5, resume={"epoch": 1})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="velocity"):  # the second way to continue is gone
        fast.sgd(DATA, 1, 10, 0.5, velocity=np.zeros(27))  # type: ignore[call-arg]
    assert np.array_equal(fast.w[2], before)
