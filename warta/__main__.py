"""``python -m warta``: the ``warta`` command line."""

from warta.cli import main

main(prog_name="warta")
