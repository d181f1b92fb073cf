"""`python -m skillkit`."""

import sys

from skillkit.cli import main

sys.exit(main())
