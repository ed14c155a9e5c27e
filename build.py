"""Build the site: `python build.py --help`."""

from nashra.cli import main

if __name__ == "__main__":  # worker processes import this module; only the parent may run the build
    raise SystemExit(main())
