"""The ``warta`` command line: one click group; each module of warta.commands
contributes the commands listed in its ``COMMANDS``, imported when one of them runs
(a command that reads the database need not load Scrapy and the clusterer)."""

import importlib
import sqlite3

import click

from storage.database import describe_error
from warta import __version__

# Each command's module in warta.commands.
COMMAND_MODULES = {
    "backup": "operations",
    "boilerplate": "text",
    "cluster": "stories",
    "clusters": "store",
    "crawl": "crawl",
    "demo": "crawl",
    "digest": "digest",
    "evaluate": "stories",
    "explain": "stories",
    "extract": "text",
    "maintain": "operations",
    "newsroom": "newsroom",
    "schedule": "operations",
    "search": "store",
    "show": "store",
    "stats": "store",
    "status": "operations",
}


class _Commands(click.Group):
    """The group; a SQLite error no command expected (a database damaged in a part only
    some query reaches) ends the command with a message, not a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(name)
        if module is None:
            return None
        commands = importlib.import_module(f"warta.commands.{module}").COMMANDS
        return next(command for command in commands if command.name == name)

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
