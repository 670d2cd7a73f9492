"""The 2-D toy data sets: shapes, types, balance, determinism, noise and the errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurograph as ng
from neurograph.datasets import TOY_NAMES, toy


@pytest.mark.parametrize("name", TOY_NAMES)
@pytest.mark.parametrize("n", [1, 7, 200])
def test_every_toy_set_has_n_points_of_two_coordinates_and_balanced_labels(
    name: str, n: int
) -> None:
    X, y = toy(name, n=n, seed=3)
    assert X.shape == (n, 2) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=2)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert np.all(np.abs(X) < 3.0)


@pytest.mark.parametrize("name", ["spiral", "gaussians"])
def test_spiral_and_gaussians_take_more_classes(name: str) -> None:
    X, y = toy(name, n=301, classes=4, seed=0)
    assert np.bincount(y).tolist() == [76, 75, 75, 75]
    assert X.shape == (301, 2)


@pytest.mark.parametrize("name", TOY_NAMES)
def test_a_seed_gives_the_same_data_and_another_seed_other_data(name: str) -> None:
    X1, y1 = toy(name, n=50, seed=5)
    X2, y2 = toy(name, n=50, seed=5)
    X3, _ = toy(name, n=50, seed=6)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    same = toy(name, n=50, seed=np.random.default_rng(5))
    assert np.array_equal(same[0], X1)


def test_without_noise_the_shapes_are_exact() -> None:
    """Circles lie on radius 0.5 and 1; xor's class is the sign of x1·x2; blobs sit on centres."""
    X, y = toy("circles", n=100, noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(radius[y == 0], 0.5) and np.allclose(radius[y == 1], 1.0)
    X, y = toy("xor", n=100, noise=0.0)
    assert np.array_equal((X[:, 0] * X[:, 1] < 0).astype(np.int64), y)
    X, y = toy("gaussians", n=40, classes=4, noise=0.0)
    assert len(np.unique(X.round(12), axis=0)) == 4
    X, y = toy("moons", n=100, noise=0.0)
    upper = X[y == 0] + [0.5, 0.25]
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0) and np.all(upper[:, 1] >= -1e-12)


def test_noise_spreads_the_points() -> None:
    for noise in (0.05, 0.2):
        X, y = toy("circles", n=2000, noise=noise, seed=1)
        inner = X[y == 0]  # its distance to the circle is about the noise, per coordinate
        spread = np.sqrt(np.mean((np.hypot(inner[:, 0], inner[:, 1]) - 0.5) ** 2))
        assert 0.7 * noise < spread < 1.3 * noise


def test_bad_arguments_name_what_is_wrong() -> None:
    with pytest.raises(ng.UsageError, match="unknown toy data set 'swirl'.*'xor'"):
        toy("swirl")
    with pytest.raises(ng.UsageError, match="n must be"):
        toy("xor", n=0)
    with pytest.raises(ng.UsageError, match="has 2 classes, got classes=3"):
        toy("moons", classes=3)
    with pytest.raises(ng.UsageError, match="classes must be"):
        toy("spiral", classes=1)
    with pytest.raises(ng.UsageError, match="noise must be"):
        toy("xor", noise=-1.0)
    assert isinstance(ng.UsageError("x"), ValueError)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(TOY_NAMES),
    n=st.integers(1, 400),
    classes=st.integers(2, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_size_and_seed_gives_balanced_reproducible_data(
    name: str, n: int, classes: int, seed: int
) -> None:
    k = classes if name in ("spiral", "gaussians") else 2
    X, y = toy(name, n=n, classes=k, seed=seed)
    counts = np.bincount(y, minlength=k)
    assert len(counts) == k and counts.max() - counts.min() <= 1 and counts.sum() == n
    assert np.array_equal(toy(name, n=n, classes=k, seed=seed)[0], X)
