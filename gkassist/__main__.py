"""``python -m gkassist``: the same command line as the ``gkassist`` script."""

import sys

from gkassist.cli import main

sys.exit(main())
