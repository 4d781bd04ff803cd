"""One day's digest from start to end: read the day, build, render, write, send, record.

``build_and_deliver`` is what ``warta digest`` and the scheduler's daily job call.
The digest is written (to the file asked for, or to ``digest.out_dir`` when it is
sent) before any sending starts, so a failed delivery never costs the file;
every file write and delivery is recorded in the ``digests`` table.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sqlite_utils import Database

from storage.database import open_database, utc_now
from storage.digests import (
    day_crawls,
    day_stories,
    delivered,
    late_articles,
    latest_day,
    record_digest,
    term_document_counts,
    unclustered_count,
)
from storage.locks import file_lock
from storage.periods import WIB
from warta.config import Config
from warta.digest import deliver
from warta.digest.model import Digest, build_digest
from warta.digest.phrasing import day_title
from warta.digest.render import FORMATS, render, render_markdown, render_text, to_dict
from warta.digest.summary import summarize, text_terms

__all__ = [
    "NOT_SENT", "DigestResult", "build_and_deliver", "digest_day", "digest_file", "latest_day", "load_digest",
]

SEND_LOCK_WAIT = 600.0  # a send waits this long for another send of a digest to finish


@dataclass(frozen=True)
class DigestResult:
    digest: Digest
    format: str
    text: str
    path: str | None  # the file written, None when printed only
    deliveries: tuple[deliver.Delivery, ...]

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.deliveries)


def digest_day(now: datetime | None = None) -> date:
    """The WIB day a digest made at ``now`` (default: now) reports: a morning digest
    (before 12:00 WIB) the day before, which has just ended; a later one the day itself."""
    wib = (now or datetime.now(WIB)).astimezone(WIB)
    return wib.date() - timedelta(days=1) if wib.hour < 12 else wib.date()


def load_digest(db: Database, day: date, official: Collection[str] = ()) -> Digest:
    """Read WIB ``day`` from ``db`` and build its digest; ``official`` names the sources
    (besides those marked in the database) whose articles are press releases."""
    stories = day_stories(db, day, official)
    texts = [a["text"] for s in stories for a in s["articles"] if a["text"]]
    counts, total = term_document_counts(db, set().union(*map(text_terms, texts)))
    return build_digest(day, stories, day_crawls(db, day), unclustered_count(db, day),
                        lambda story_texts: summarize(story_texts, counts, total), utc_now(),
                        late_articles(db, day, official))


def build_and_deliver(
    config: Config,
    day: date | None = None,
    fmt: str | None = None,
    out: str | Path | None = None,
    send: bool = False,
    *,
    resend: bool = False,
    stdout: TextIO | None = None,
    backoff: float = 2.0,
) -> DigestResult:
    """Make the digest of ``day`` (default: :func:`digest_day`) in ``fmt`` (default: the
    config's).

    With ``out`` it is written to that file (``"-"``: standard output); without it, it
    is printed, or written to ``digest.out_dir`` when ``send`` is set. ``send`` delivers
    it by e-mail and/or webhook as configured in ``[digest]``, each retried
    ``digest.retries`` times with exponential ``backoff`` seconds between tries. A
    channel that already delivered this day's digest in this format to the same
    target is not sent to again (its earlier delivery is kept in the result, with 0
    attempts), unless ``resend``: running the command again after a failure retries
    what failed without sending the rest twice.
    """
    fmt = fmt or config.digest.format
    if fmt not in FORMATS:
        raise ValueError(f"unknown digest format {fmt!r}; expected one of {', '.join(FORMATS)}")
    db = open_database(config.database)
    try:
        day = day or digest_day()
        digest = load_digest(db, day, {s.name for s in config.sources if s.official})
        text = render(digest, fmt)
        if out is None and send:
            out = digest_file(config, day, fmt)
        deliveries: list[deliver.Delivery] = []
        path = None if out is None or str(out) == "-" else Path(out)
        if path is None:
            (stdout or sys.stdout).write(text)
        else:
            deliveries.append(deliver.attempt("file", str(path),
                                              lambda: deliver.write_file(path, text),
                                              retries=0, backoff=backoff))
        # two sends of one day's digest at once (a cron line and the scheduler) would
        # both find it undelivered: the check, the sending and the record are one step
        with file_lock(f"{Path(config.database).resolve()}.digest", wait=SEND_LOCK_WAIT) if send else nullcontext():
            if send:
                done = {} if resend else {(d["channel"], d["target"]): d
                                          for d in delivered(db, day, fmt)}
                deliveries += _send(config, digest, fmt, text, backoff, done)
            if path is not None or send:
                record_digest(db, day, fmt, str(path) if path else None,
                              [dataclasses.asdict(d) for d in deliveries])
    finally:
        db.close()
    return DigestResult(digest, fmt, text, str(path) if path else None, tuple(deliveries))


NOT_SENT = "not sent: no [digest.smtp] or [digest.webhook] configured"


def digest_file(config: Config, day: date, fmt: str | None = None) -> Path:
    """Where the digest of ``day`` in ``fmt`` (default: the config's) is kept when it is
    sent, or made by the scheduler: ``digest.out_dir/digest-DAY.FMT``."""
    return Path(config.digest.out_dir) / f"digest-{day.isoformat()}.{fmt or config.digest.format}"


def _send(config: Config, digest: Digest, fmt: str, text: str, backoff: float,
          done: dict[tuple[str, str], dict]) -> list[deliver.Delivery]:
    settings = config.digest
    sent = []  # with no e-mail or webhook configured, the file written is the digest

    def send(channel: str, target: str, action) -> None:
        earlier = done.get((channel, target))
        if earlier is not None:  # delivered by an earlier run: not twice
            sent.append(deliver.Delivery(channel, target, True, 0, None, earlier.get("at", "")))
        else:
            sent.append(deliver.attempt(channel, target, action, retries=settings.retries,
                                        backoff=backoff))

    if settings.smtp is not None:
        smtp = settings.smtp
        subject = (f"Kemenham coverage, {day_title(digest.day)}: "
                   f"{digest.counts.stories} stor{'y' if digest.counts.stories == 1 else 'ies'}")
        plain = text if fmt in ("md", "txt") else render_text(digest)
        message = deliver.compose_email(
            smtp, subject, plain, html=text if fmt == "html" else None,
            attachment=(f"digest-{digest.day}.json", text) if fmt == "json" else None)
        send("smtp", f"{smtp.host}:{smtp.port} to {', '.join(smtp.recipients) or 'nobody'}",
             lambda: deliver.send_email(smtp, message))
    if settings.webhook is not None:
        hook = settings.webhook
        payload = {"text": render_markdown(digest), "digest": to_dict(digest)}
        send("webhook", hook.url, lambda: deliver.post_webhook(hook, payload))
    return sent
