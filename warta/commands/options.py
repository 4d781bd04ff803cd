"""Options every warta command accepts, and loading the configuration they name."""

from __future__ import annotations

from pathlib import Path

import click

from warta.config import DEFAULT_CONFIG_NAME, Config, ConfigError, load_config

__all__ = [
    "COUNT", "DEMO_DATABASE", "LOG_LEVELS", "config_options", "lock_hint", "open_config",
    "open_existing_database", "require_database",
]

DEMO_DATABASE = Path("data/demo/warta.db")  # where `warta demo` crawls to, its config beside
DEMO_CONFIG = DEMO_DATABASE.parent / "warta-demo.toml"


def config_options(command):
    """Add ``--config FILE`` and ``--db FILE`` to a command."""
    command = click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="SQLite database file; overrides `database` in the config.",
    )(command)
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        default=DEFAULT_CONFIG_NAME,
        show_default=True,
        help="TOML configuration file.",
    )(command)


def open_config(config_path: str, db_path: str | None, required: bool = True) -> Config:
    """Load and validate the config, turning a bad one into a clean CLI error.

    With ``required=False`` a missing *default* config gives the built-in defaults, for
    commands (extract, cluster, evaluate) that work without sources or watch terms.
    """
    if not required and config_path == DEFAULT_CONFIG_NAME and not Path(config_path).exists():
        return Config().with_database(db_path)
    try:
        return load_config(config_path).with_database(db_path)
    except ConfigError as exc:
        hint = _demo_hint() if config_path == DEFAULT_CONFIG_NAME else ""
        raise click.ClickException(f"invalid configuration: {exc}{hint}") from exc


def _demo_hint() -> str:
    """Where the demo's config is, when `warta demo` has run here and no config was given."""
    if not DEMO_CONFIG.exists() or Path(DEFAULT_CONFIG_NAME).exists():
        return ""
    return f"; the demo's is {DEMO_CONFIG}: add --config {DEMO_CONFIG}"


# A whole number SQLite can hold: ids, counts and limits given on the command line.
COUNT = click.IntRange(1, 2**63 - 1)
LOG_LEVELS = click.Choice(["debug", "info", "warning", "error"], case_sensitive=False)


def open_existing_database(config: Config):
    """The database the config names, for commands that read it; a missing or
    unusable file is a clean CLI error."""
    from storage.database import StorageError, open_database

    require_database(config)
    try:
        return open_database(config.database)
    except StorageError as exc:
        raise click.ClickException(str(exc)) from exc


def require_database(config: Config) -> None:
    """A clean CLI error when the database the config names does not exist."""
    if not Path(config.database).exists():
        raise click.ClickException(
            f"no database at {config.database} (run `warta crawl` first, or pass --db FILE)"
            + (_demo_hint() if config.database == Config().database else "")
        )


def lock_hint(wait: float) -> str:
    """What to do when a running crawl held the lock for all of ``wait`` seconds."""
    if wait:
        return f"(waited {wait:g} s; try again when it ends, or pass a longer --wait)"
    return "(try again when it ends, or pass --wait SECONDS)"
