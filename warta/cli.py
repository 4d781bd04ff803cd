"""The ``warta`` command line: one click group; each module of warta.commands
contributes the commands listed in its ``COMMANDS``."""

import importlib
import pkgutil
import sqlite3

import click

import warta.commands
from storage.database import describe_error
from warta import __version__


class _Commands(click.Group):
    """The group; a SQLite error no command expected (a database damaged in a part only
    some query reaches) ends the command with a message, not a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError as exc:
            raise click.ClickException(describe_error(None, exc, "cannot use the database")) from exc


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="warta")
def main() -> None:
    """warta watches Indonesian news for coverage of the Ministry of Human Rights,
    strips boilerplate, groups reports of one event into stories and keeps them in SQLite.

    Every command takes --config FILE (default ./warta.toml) and --db FILE."""


for _module in sorted(pkgutil.iter_modules(warta.commands.__path__), key=lambda m: m.name):
    for _command in getattr(importlib.import_module(f"warta.commands.{_module.name}"), "COMMANDS", ()):
        main.add_command(_command)
