"""``warta newsroom``: serve the bundled offline newsroom, or export its gold labels."""

from __future__ import annotations

import dataclasses
import time

import click

from warta.commands.options import config_options, open_config


@click.command()
@config_options
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8800,
    show_default=True,
    help="Port of every site (each site has its own address 127.0.0.x); 0: any free port.",
)
@click.option(
    "--scale",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="Serve N copies of the corpus (synthetic variants, for benchmarks).",
)
@click.option(
    "--slow-seconds",
    type=click.FloatRange(0),
    default=3.0,
    show_default=True,
    help="How long the slow page takes to answer.",
)
@click.option(
    "--config-out",
    type=click.Path(dir_okay=False),
    help="Write a warta config that crawls the newsroom to FILE (database: --db, "
    "default data/newsroom.db; watch terms: those of --config if it exists).",
)
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False),
    help="Write docs.jsonl (input of `warta cluster --input`), gold.jsonl (the labels of "
    "every article, with the URLs for --port) and faults.json to DIR, then exit without serving.",
)
def newsroom(config_path, db_path, port, scale, slow_seconds, config_out, export_dir):
    """Serve the offline newsroom: fictional Indonesian outlets on 127.0.0.x with feeds,
    sitemaps, index pages and faults, until Ctrl-C."""
    from newsroom.server import Newsroom, export

    room = Newsroom(port=port, scale=scale, slow_seconds=slow_seconds)
    if export_dir:
        if not port:
            raise click.UsageError("--export needs a fixed --port: the gold URLs contain it")
        written = export(export_dir, room.base_urls, room.corpus)
        click.echo(f"{len(room.corpus.articles)} articles: {', '.join(map(str, written))}")
        return
    with room:
        for site, url in room.base_urls.items():
            click.echo(f"{site:14} {url}/")
        if config_out:
            watch = open_config(config_path, None, required=False).watch
            table = {key: value for key, value in dataclasses.asdict(watch).items()
                     if value is not None}
            room.write_config(
                config_out, db_path or "data/newsroom.db", watch=table if watch.terms else None
            )
            click.echo(f"config: {config_out}")
        click.echo(f"{len(room.corpus.articles)} articles; Ctrl-C to stop.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("stopped.")


COMMANDS = [newsroom]
