"""Build the site: `python build.py --help`."""

from nashra.cli import main

raise SystemExit(main())
