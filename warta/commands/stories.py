"""Story clustering commands: ``cluster`` (batch, merge, split), ``explain``, ``evaluate``."""

from __future__ import annotations

import contextlib
import json
import time

import click
from click.core import ParameterSource

from pipelines.clustering.batch import (
    BadLine,
    check_id,
    json_line,
    numbered_lines,
    output_record,
    run_batch,
)
from pipelines.clustering.metrics import disagreements
from pipelines.clustering.metrics import evaluate as evaluate_scores
from pipelines.clustering.params import ClusterParams
from storage.periods import to_wib
from warta.commands.options import COUNT, config_options, lock_hint, open_config, require_database

__all__ = ["COMMANDS"]

PROGRESS_SECONDS = 5.0  # between progress lines of a long clustering run
BAD_LINES_SHOWN = 20  # problems of an input file printed one by one


@contextlib.contextmanager
def _stored(config_path: str, db_path: str | None, *, lock_wait: float | None = None):
    """The configured database, which must exist (corrections need stored stories); a
    storage error inside the block becomes a clean CLI error. With ``lock_wait`` the
    block holds the crawl lock (waiting up to that many seconds): a correction and a
    crawl never change stories at once, so their new story ids cannot collide."""
    from storage.database import StorageError, open_database
    from storage.locks import LockHeld, file_lock

    config = open_config(config_path, db_path, required=False)
    require_database(config)
    with contextlib.ExitStack() as stack:
        if lock_wait is not None:
            try:
                stack.enter_context(file_lock(config.database, wait=lock_wait))
            except LockHeld as exc:
                click.echo(f"Error: stories are corrected between crawls: {exc} "
                           f"{lock_hint(lock_wait)}", err=True)
                raise SystemExit(exc.exit_code) from None
            except StorageError as exc:
                raise click.ClickException(str(exc)) from None
        try:
            db = open_database(config.database)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from exc
        try:
            yield db, config
        except StorageError as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            db.close()


def _article_id(db, reference: str, config) -> int:
    """The article an id or URL names; a URL as a reader would paste it (a configured
    alias host, tracking parameters, a trailing slash) is read as a crawl stores it."""
    from crawler.configured import SourceMap
    from crawler.urls import canonical_url, slash_twin
    from storage.articles import find_article
    from storage.clusters import find_article_id
    from storage.database import StorageError

    try:
        return find_article_id(db, reference)
    except StorageError:
        if not reference.startswith(("http://", "https://")):
            raise
        try:
            url = canonical_url(reference, SourceMap(config.sources).hosts)
        except ValueError:
            raise StorageError(f"no article {reference!r} (not a valid URL)") from None
        found = find_article(db, [url, slash_twin(url)])
        if found is None:
            raise
        return found


def wait_option(command):
    return click.option(
        "--wait", type=click.FloatRange(0), default=0.0, show_default=True, metavar="SECONDS",
        help="How long to wait for a running crawl to finish (corrections wait for crawls).",
    )(command)


def _open_input(path: str):
    """A JSON Lines file for reading as bytes (see ``numbered_lines``), or a clean CLI
    error."""
    try:
        return open(path, "rb")
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from exc


def _progress():
    """A ``run_batch`` progress callback: a line on stderr every ``PROGRESS_SECONDS``."""
    every, started = PROGRESS_SECONDS, time.monotonic()
    last = started

    def report(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= every:
            last = now
            rate = done / max(now - started, 1e-9)
            click.echo(f"warta: {done:,} articles clustered ({rate:,.0f}/s)", err=True)

    return report


def _report_bad_lines(path: str, problems) -> None:
    """Each problem, up to ``BAD_LINES_SHOWN`` (a file that is no JSON Lines at all would
    print one for every line), then how many more."""
    for problem in problems[:BAD_LINES_SHOWN]:
        click.echo(f"warta: {path}: {problem}", err=True)
    if len(problems) > BAD_LINES_SHOWN:
        click.echo(f"warta: {path}: {len(problems) - BAD_LINES_SHOWN:,} more lines with problems "
                   "not shown", err=True)


@click.group(invoke_without_command=True)
@click.option("--input", "input_path", type=click.Path(dir_okay=False),
              help="JSON Lines of articles: id, title, text, published (ISO-8601 or null), source.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True),
              default="-", show_default=True,
              help="Where to write one line per article: id, cluster, duplicate_of.")
@config_options
@click.pass_context
def cluster(ctx, input_path, output_path, config_path, db_path):
    """Group articles into stories and find copies.

    With --input, cluster a JSON Lines file with the algorithm a crawl uses, in file
    order, and write each article's cluster and the earliest copy it duplicates.
    Malformed lines are reported with their line numbers and skipped. The
    subcommands `merge` and `split` correct the stories stored in the database.
    """
    if ctx.invoked_subcommand is not None:
        if input_path is not None:
            raise click.UsageError(f"--input is not used by `cluster {ctx.invoked_subcommand}`")
        return
    if input_path is None:
        raise click.UsageError("give --input FILE, or a subcommand (merge, split)")
    open_config(config_path, db_path, required=False)
    try:  # opened first: an unwritable --output fails before the work, not after it
        out = click.open_file(output_path, "w", encoding="utf-8", atomic=output_path != "-")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output_path}: {exc.strerror}") from exc
    with out, _open_input(input_path) as source:
        results, problems = run_batch(source, progress=_progress())
        _report_bad_lines(input_path, problems)
        for record, decision in results:
            out.write(json.dumps(output_record(record, decision), ensure_ascii=False) + "\n")
    _report_late(results)
    stories = len({decision.cluster_id for _, decision in results})
    copies = sum(1 for _, decision in results if decision.duplicate_of is not None)
    skipped = sum(p.skipped for p in problems)
    click.echo(f"warta: {_counted(len(results), 'article')}, "
               f"{_counted(stories, 'story', 'stories')}, {_counted(copies, 'copy', 'copies')}, "
               f"{_counted(skipped, 'bad line')}", err=True)
    if skipped and not results:
        raise click.ClickException(f"no article could be read from {input_path}")


def _counted(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _report_late(results: list) -> None:
    late = sum(1 for _, decision in results if decision.late)
    if late:
        click.echo(f"warta: {ClusterParams().late_note(late)}; sort the input by publication "
                   "time", err=True)


def _with_group_options(ctx: click.Context, config_path: str,
                        db_path: str | None) -> tuple[str, str | None]:
    """--config and --db of a `cluster` subcommand, taken from the group when given
    there (`warta cluster --db x.db merge 1 2`) and not after the subcommand."""
    group = ctx.parent
    if ctx.get_parameter_source("config_path") is ParameterSource.DEFAULT:
        config_path = group.params["config_path"]
    return config_path, db_path if db_path is not None else group.params["db_path"]


@cluster.command()
@click.argument("keep", type=COUNT)
@click.argument("drop", type=COUNT)
@click.option("--note", help="Why the stories are one (kept with the correction).")
@wait_option
@config_options
@click.pass_context
def merge(ctx, keep, drop, note, wait, config_path, db_path):
    """Merge story DROP into story KEEP; later runs keep them together."""
    from storage.clusters import live_cluster, merge_clusters

    with _stored(*_with_group_options(ctx, config_path, db_path), lock_wait=wait) as (db, _):
        names = [f"story {n}" + (f" (merged into story {live_cluster(db, n)} before)"
                                 if live_cluster(db, n) != n else "") for n in (drop, keep)]
        kept = merge_clusters(db, keep, drop, note)
    click.echo(f"{names[0]} merged into {names[1]}: story {kept} holds both")


@cluster.command()
@click.argument("article")
@click.option("--note", help="Why the article is another story (kept with the correction).")
@wait_option
@config_options
@click.pass_context
def split(ctx, article, note, wait, config_path, db_path):
    """Move ARTICLE (an id or URL), with its copies, out of its story into a story of
    its own; later runs never merge the two again."""
    from storage.clusters import split_article

    with _stored(*_with_group_options(ctx, config_path, db_path), lock_wait=wait) as (db, config):
        new = split_article(db, _article_id(db, article, config), note)
    click.echo(f"article {article} is now story {new}")


@click.command()
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@config_options
def explain(article, as_json, config_path, db_path):
    """Show which story ARTICLE (an id or URL) is in and why: its score, the copy it
    duplicates, and its nearest fellow members with the terms and names they share."""
    from storage.clusters import explain_article

    with _stored(config_path, db_path) as (db, config):
        report = explain_article(db, _article_id(db, article, config))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        return
    click.echo(f"article {report['id']} [{report['source']}] {report['title']}")
    if "note" in report:
        click.echo(f"  {report['note']}")
        return
    story = report.get("story") or {}
    click.echo(f"story {report['cluster']}: {story.get('headline')!s}")
    count = story.get("article_count") or 0
    click.echo(f"  {count} article{'s' * (count != 1)} from {', '.join(story.get('outlets', []))};"
               f" first report {story.get('first_source')} at {to_wib(story.get('first_seen'))} WIB")
    if report["duplicate_of"]:
        click.echo(f"copy of article {report['duplicate_of']} "
                   f"(estimated shingle Jaccard {report['similarity']})")
    score = report["cluster_score"]
    if score is not None:
        click.echo(f"joined with score {score:.3f}")
    elif report["founded"]:
        click.echo(f"founded story {report['founded'][0]}, since merged into this one")
    elif not report["duplicate_of"]:  # a copy that came first founded it, then met its original
        click.echo("founded the story")
    for override in report["overrides"]:
        click.echo(f"  correction: {override['kind']} {override['cluster_a']} / "
                   f"{override['cluster_b']} at {to_wib(override['created_at'])} WIB")
    for member in report["nearest"]:
        names = ", ".join(term for term, _ in member["names"]) or "-"
        terms = ", ".join(term for term, _ in member["terms"]) or "-"
        click.echo(f"  {member['score']:.3f}  article {member['id']} [{member['source']}] "
                   f"{member['title']}\n         names: {names}\n         terms: {terms}")


def _gold(path: str) -> tuple[dict, dict, dict]:
    """The gold labels of ``path``: event, original copy and relevance by id; bad lines
    are reported and skipped."""
    events, copies, relevant = {}, {}, {}
    lines_of: dict[str, int] = {}
    problems = []
    with _open_input(path) as lines:
        for number, line in numbered_lines(lines, problems):
            try:
                key, event, original, is_relevant = _gold_record(line)
            except (TypeError, ValueError) as exc:
                problems.append(BadLine(number, str(exc)))
                continue
            if key in lines_of:
                problems.append(BadLine(number, f"id {key!r} already given on line {lines_of[key]}"))
                continue
            lines_of[key] = number
            events[key], copies[key], relevant[key] = event, original, is_relevant
    _report_bad_lines(path, problems)
    return events, copies, relevant


def _gold_record(line: str) -> tuple[str, str, str | None, bool]:
    record = json_line(line)
    if not isinstance(record, dict) or "id" not in record or "event" not in record:
        raise TypeError("expected an object with id and event")
    original = record.get("wire_of", record.get("duplicate_of"))
    is_relevant = record.get("relevant", True)
    if not isinstance(is_relevant, bool):
        raise TypeError("'relevant' must be true or false")
    return (check_id(record["id"], "id"), check_id(record["event"], "event"),
            None if original is None else check_id(original, "wire_of"), is_relevant)


@click.command()
@click.option("--input", "input_path", required=True, type=click.Path(dir_okay=False),
              help="JSON Lines of articles, as for `warta cluster --input`.")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False),
              help="JSON Lines: id, event (the true story), optionally wire_of and relevant.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", is_flag=True,
              help="Also list the gold events split over several stories and the stories "
                   "holding several events, with their article ids.")
@config_options
def evaluate(input_path, gold_path, as_json, errors, config_path, db_path):
    """Cluster --input and score the stories against --gold: B-cubed and pairwise
    precision, recall and F1, cluster counts, near-duplicate pairs found vs expected.
    Articles the gold or the input marks as not relevant are left out."""
    open_config(config_path, db_path, required=False)
    events, gold_copies, relevant = _gold(gold_path)

    def wanted(record: dict) -> bool:
        key = str(record["id"])
        return record.get("relevant", True) is not False and relevant.get(key, True) is not False

    with _open_input(input_path) as source:
        results, problems = run_batch(source, keep=wanted, progress=_progress())
    _report_bad_lines(input_path, problems)
    _report_late(results)
    clusters = {str(r["id"]): d.cluster_id for r, d in results}
    copies = {str(r["id"]): None if d.duplicate_of is None else str(d.duplicate_of)
              for r, d in results}
    if not clusters:
        raise click.ClickException(f"nothing to score: {input_path} has no relevant article")
    if not any(key in events for key in clusters):
        raise click.ClickException(f"no article of {input_path} has a label in {gold_path} "
                                   "(are the ids the same in both?)")
    report = evaluate_scores(clusters, copies, events, gold_copies)
    report["unlabelled"] = sum(1 for key in clusters if key not in events)
    report["missing"] = sum(1 for key in events if key not in clusters and relevant[key])
    if report["missing"]:
        click.echo(f"warning: {report['missing']} relevant articles of {gold_path} are not in "
                   f"{input_path}; the scores cover only the {report['articles']} in both",
                   err=True)
    if errors:
        report.update(disagreements(clusters, events))
    if as_json:
        click.echo(json.dumps(report, indent=1))
        return
    click.echo(f"articles scored: {report['articles']} ({report['unlabelled']} without gold label)")
    click.echo(f"stories: {report['clusters']['predicted']} predicted, "
               f"{report['clusters']['gold']} in gold")
    for name in ("bcubed", "pairwise"):
        s = report[name]
        click.echo(f"{name:9s} precision {s['precision']:.4f}  recall {s['recall']:.4f}  "
                   f"F1 {s['f1']:.4f}")
    d = report["near_duplicates"]
    click.echo(f"near-duplicate pairs: {d['pairs_found']} found, {d['pairs_expected']} expected, "
               f"{d['pairs_correct']} correct (precision {d['precision']:.4f}, recall "
               f"{d['recall']:.4f}, F1 {d['f1']:.4f})")
    if errors:
        _print_disagreements(report)


def _print_disagreements(report: dict) -> None:
    for kind, label, parts, prefix, title in (
            ("split", "event", "stories", "story ", "gold events split over several stories"),
            ("merged", "story", "events", "event ", "stories holding several gold events")):
        click.echo(f"{title}: {len(report[kind])}")
        for entry in report[kind]:
            click.echo(f"  {label} {entry[label]}: " + " | ".join(
                f"{prefix}{part} [{', '.join(ids)}]" for part, ids in entry[parts].items()))


COMMANDS = [cluster, explain, evaluate]
