"""``warta digest``: the day's stories for media monitors, printed, written or sent."""

from __future__ import annotations

from datetime import date

import click

from storage.database import StorageError, open_database
from storage.periods import check_day
from warta.commands.options import config_options, open_config, require_database
from warta.digest.daily import NOT_SENT, build_and_deliver, latest_day
from warta.digest.render import FORMATS

__all__ = ["COMMANDS"]


def _day(value: str | None, database: str) -> date | None:
    if value is None:
        return None
    if value == "latest":
        db = open_database(database)
        try:
            latest = latest_day(db)
        finally:
            db.close()
        if latest is None:
            raise click.ClickException(f"{database} holds no story and no crawl yet: "
                                       "no day to report (run `warta crawl` first)")
        return latest
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD or 'latest', got {value!r}",
                                 param_hint="--date") from None
    try:
        return check_day(day, "")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from None


@click.command()
@config_options
@click.option("--date", "day", metavar="YYYY-MM-DD",
              help="The WIB day to report (default: before 12:00 WIB the day before, later "
                   "today; 'latest': the newest day with stories in the database).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="md for chat tools, html for e-mail, json for other programs, txt for "
                   "plain text. Default: digest.format in the config (md if unset).")
@click.option("--out", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write the digest to FILE ('-': standard output). With --send and no "
                   "--out it goes to digest.out_dir.")
@click.option("--send", is_flag=True,
              help="Deliver it by e-mail and/or webhook as configured in [digest] (with "
                   "neither, it is written to digest.out_dir alone); a channel that already "
                   "delivered this day's digest is not sent to again.")
@click.option("--resend", is_flag=True,
              help="With --send, deliver to every channel, even those that already did.")
def digest(config_path, db_path, day, fmt, out, send, resend):
    """One entry per story active on a WIB day, ranked by how many outlets carried it:
    headline, summary, first report, every outlet with its link, new or continuing,
    press-release pickup, and the sources whose crawls failed that day.

    A failed delivery is retried, recorded in the database, and the digest file is
    still written; the command then exits non-zero."""
    config = open_config(config_path, db_path, required=False)
    require_database(config)
    if resend and not send:
        raise click.UsageError("--resend goes with --send")
    try:
        result = build_and_deliver(config, _day(day, config.database), fmt, out, send,
                                   resend=resend)
    except StorageError as exc:
        raise click.ClickException(str(exc)) from exc
    for delivery in result.deliveries:
        if delivery.ok and not delivery.attempts:
            click.echo(f"{delivery.channel}: already delivered at {delivery.at} "
                       f"({delivery.target}); --resend sends it again", err=True)
        elif delivery.ok:
            click.echo(f"{delivery.channel}: done ({delivery.target})", err=True)
        else:
            click.echo(f"{delivery.channel}: FAILED after {delivery.attempts} attempt(s) "
                       f"({delivery.target}): {delivery.error}", err=True)
    if send and not config.digest.sends:
        click.echo(NOT_SENT, err=True)
    if not result.ok:
        raise SystemExit(1)


COMMANDS = [digest]
