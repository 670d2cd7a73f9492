"""Children that a test interrupts with SIGINT, whatever the suite's own SIGINT disposition.

A suite started in the background (``pytest &`` in a script) runs with SIGINT ignored, and
children inherit that: Python then installs no KeyboardInterrupt handler, so a test's SIGINT
would be lost. Pass ``preexec_fn=default_sigint`` to `subprocess.Popen`: the child resets
SIGINT to its default before it starts, as a command typed at a terminal has it.
"""

from __future__ import annotations

import signal


def default_sigint() -> None:
    """Reset SIGINT to its default action (run in the child, before exec)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
