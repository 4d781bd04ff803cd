"""The ``warta`` command line: one click group, one module per concern under warta/commands."""

import click

from warta import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
def main() -> None:
    """warta watches Indonesian news for coverage of the Ministry of Human Rights,
    strips boilerplate, groups reports of one event into stories and keeps them in SQLite."""
