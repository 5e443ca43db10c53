"""python -m export: the command line is in export/cli.py."""

from export.cli import main

main()
