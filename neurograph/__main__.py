"""Run the command line with ``python -m neurograph``."""

import sys

from .cli import main

sys.exit(main())
