"""Optional test dependencies: a missing one skips locally and fails under CI=true."""

from __future__ import annotations

import os
from types import ModuleType

import pytest


def need(module: str) -> ModuleType:
    """Import `module` for a test file: skip if it is missing, except under CI=true (fail).

    Like the `dot` fixture in conftest.py: .ci/run installs the test extras, torch among them.
    """
    if os.environ.get("CI") == "true":
        try:
            return __import__(module, fromlist=["_"])
        except ImportError as err:
            pytest.fail(f"{module} is missing under CI=true; install '.[test]' ({err})")
    return pytest.importorskip(module)
