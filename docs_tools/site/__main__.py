"""``python -m docs_tools.site build|serve``: see ``docs_tools.site.build``."""

import sys

from docs_tools.site.build import main

sys.exit(main())
