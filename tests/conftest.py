"""Shared fixtures: a small network, a random generator, and the `dot` binary."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from hypothesis import settings

import neurograph as ng

# Under CI the property tests draw the same examples every run, so a submission's result does
# not depend on luck; locally each run explores new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded random generator."""
    return np.random.default_rng(0)


@pytest.fixture
def tiny_net() -> ng.Network:
    """A layered [2, 3, 1] sigmoid network with fixed random parameters."""
    return ng.layered([2, 3, 1], seed=0)


@pytest.fixture
def dot() -> str:
    """The path of Graphviz's `dot`; a missing `dot` skips, except under CI=true where it fails."""
    path = shutil.which("dot")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz's dot is missing under CI=true; .ci/run installs it")
        pytest.skip("Graphviz's dot is not installed (apt-get install -y graphviz)")
    return path
