"""`python -m search` runs the CLI, for environments without the console script."""

from search.cli import cli

cli()
