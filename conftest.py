"""Collection rules for the doctests in the package: the bridge's need the torch extra."""

from __future__ import annotations

import importlib.util
import os

# Without torch the bridge cannot be imported, so its doctests skip locally; under CI=true the
# test extras include torch, and a missing one fails the run (as tests/optional.py does).
collect_ignore_glob = []
if importlib.util.find_spec("torch") is None and os.environ.get("CI") != "true":
    collect_ignore_glob.append("neurograph/bridge/*.py")
