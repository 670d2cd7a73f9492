"""Shared fixtures: a small network, a random generator, the `dot` binary and a browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

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


@pytest.fixture(scope="session")
def dot() -> str:
    """The path of Graphviz's `dot`; a missing `dot` skips, except under CI=true where it fails."""
    path = shutil.which("dot")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz's dot is missing under CI=true; .ci/run installs it")
        pytest.skip("Graphviz's dot is not installed (apt-get install -y graphviz)")
    return path


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Debian Chromium through selenium, downloading nothing (no selenium-manager).

    It logs the console (``goog:loggingPrefs``) for the tests to check. A missing browser
    skips, except under CI=true where it fails (``.ci/run`` installs ``chromium`` and
    ``chromium-driver``).
    """
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser tests need {missing} under CI=true; .ci/run installs them")
        pytest.skip(f"no browser for the page tests: {missing} missing")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
