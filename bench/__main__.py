"""python -m bench: the command line is in bench/cli.py."""

from bench.cli import main

main()
