"""``python -m planner.cli``: the same as the `vagtplan` console script."""

import sys

from planner.cli.main import main

sys.exit(main())
