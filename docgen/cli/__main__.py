"""``python -m docgen.cli``: the `docgen` command, as the console script runs it."""

from docgen.cli.base import main

main()
