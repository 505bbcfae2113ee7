"""`python -m cowrite` runs the `cowrite` command."""

from cowrite.cli.main import main

raise SystemExit(main())
