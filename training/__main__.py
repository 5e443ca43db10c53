"""python -m training: the command line is in training/cli.py."""

from training.cli import main

main()
