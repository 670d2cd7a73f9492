"""Run the command line with ``python -m neurograph``."""

import sys

from neurograph.cli import main

sys.exit(main())
