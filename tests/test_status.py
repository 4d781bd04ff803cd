"""``warta status``: exit 0 when all is well, 1 with the reason when something needs attention."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from click.testing import CliRunner

import scheduler
from storage.database import open_database
from storage.digests import record_digest
from storage.locks import file_lock
from storage.runs import finish_run, record_error, start_run
from storage.scheduling import finish_job_run, start_job_run
from warta.cli import main
from warta.config import load_config
from warta.status import Thresholds, check_status

CONFIG = """\
database = "{tmp}/warta.db"
[watch]
terms = ["Kemenham"]
[[sources]]
name = "nusa"
feeds = ["http://127.0.0.9:9/nusa.xml"]
[[sources]]
name = "kabar"
feeds = ["http://127.0.0.9:9/kabar.xml"]
[schedule]
misfire_grace_seconds = 600
[[schedule.crawls]]
id = "hourly"
interval_minutes = 60
"""


def crawl(db, new: dict[str, int], outcome: str = "ok") -> int:
    run_id = start_run(db, "warta crawl", list(new), 1)
    finish_run(db, run_id, outcome, {name: {"fetched": 3, "new": n} for name, n in new.items()}, {}, {})
    return run_id


@pytest.fixture
def healthy(tmp_path):
    """A setup where all is well: crawls that found articles in every source, a
    scheduled job whose last run went fine, a crawl running right now."""
    path = tmp_path / "warta.toml"
    path.write_text(CONFIG.format(tmp=tmp_path), encoding="utf-8")
    config = load_config(path)
    jobstore = tmp_path / "warta.scheduler.db"
    db = open_database(config.database)
    for _ in range(3):
        last = crawl(db, {"nusa": 2, "kabar": 1})
    start_run(db, "warta crawl", ["nusa"], os.getpid())  # in progress: this process
    db.close()
    stored = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler)
    stored.start(paused=True)
    stored.shutdown()
    job_run = start_job_run(jobstore, "hourly")
    finish_job_run(jobstore, job_run, "ok", "crawl run", crawl_run_id=last)
    with file_lock(config.database):  # ... holding the database, as a crawl does
        yield config, jobstore


def status(config, *options):
    result = CliRunner().invoke(main, ["status", "--config", config.path, *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_a_healthy_setup_exits_0(healthy):
    config, _ = healthy
    result = status(config)
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("OK")
    assert "hourly" in result.output and "digest" in result.output and "running" in result.output
    report = json.loads(status(config, "--json").output)
    assert report["healthy"] is True and report["problems"] == []
    (job,) = [j for j in report["jobs"] if j["id"] == "hourly"]
    assert job["last_run"]["outcome"] == "ok" and job["counts"]["new"] == 3
    assert job["next_run"] is not None
    assert report["database"]["file_bytes"] > 0
    assert [s["state"] for s in report["sources"]] == ["ok", "ok"]
    newest = report["newest_crawl"]  # shown whoever started it (here no job did)
    assert (newest["outcome"], newest["new"], newest["fetched"]) == ("ok", 3, 6)
    assert f"newest crawl: run {newest['id']} ok, finished " in result.output


def spoil_job(config, jobstore):
    run_id = start_job_run(jobstore, "hourly")
    finish_job_run(jobstore, run_id, "timeout", "ran past its budget of 50 min")


def spoil_source_errors(config, jobstore):
    db = open_database(config.database)
    for i in range(25):
        record_error(db, None, "fetch", "HTTP 503", url=f"http://kabar.test/{i}", source="kabar")
    db.close()


def spoil_source_quiet(config, jobstore):
    db = open_database(config.database)
    for _ in range(5):
        crawl(db, {"nusa": 1, "kabar": 0})
    db.close()


def spoil_source_capped(config, jobstore):
    db = open_database(config.database)
    for left in (40, 25, 12):
        run_id = start_run(db, "warta crawl", ["nusa", "kabar"], 1)
        finish_run(db, run_id, "ok", {"nusa": {"fetched": 3, "new": 3, "skipped_cap": left},
                                      "kabar": {"fetched": 3, "new": 3}}, {}, {})
    db.close()


def spoil_source_unreachable(config, jobstore):
    db = open_database(config.database)
    run_id = start_run(db, "warta crawl", ["nusa", "kabar"], 1)
    record_error(db, run_id, "feed", "TCP connection refused", url="http://kabar.test/rss",
                 source="kabar")
    finish_run(db, run_id, "partial", {"nusa": {"fetched": 3, "new": 1},
                                       "kabar": {"failed": 1}}, {}, {})
    db.close()


def spoil_source_silent_at_the_time_limit(config, jobstore):
    db = open_database(config.database)  # kabar answered nothing before the time limit
    run_id = start_run(db, "warta crawl", ["nusa", "kabar"], 1)
    record_error(db, run_id, "run", "nothing fetched before the time limit (300 s)",
                 source="kabar")
    finish_run(db, run_id, "timeout", {"nusa": {"fetched": 3, "new": 1}, "kabar": {}}, {}, {})
    db.close()


def spoil_source_mostly_refused(config, jobstore):
    db = open_database(config.database)  # a few pages read, most refused (rate-limited)
    run_id = start_run(db, "warta crawl", ["nusa", "kabar"], 1)
    for i in range(12):
        record_error(db, run_id, "fetch", "HTTP 429 (tried 3 times)", url=f"http://kabar.test/{i}",
                     source="kabar")
    finish_run(db, run_id, "partial", {"nusa": {"fetched": 3, "new": 1},
                                       "kabar": {"discovered": 20, "fetched": 8, "new": 8,
                                                 "failed": 12}}, {}, {})
    db.close()


def spoil_source_never_crawled(config, jobstore):
    with open(config.path, "a", encoding="utf-8") as handle:
        handle.write('[[sources]]\nname = "baru"\nfeeds = ["http://127.0.0.9:9/baru.xml"]\n')


def spoil_dead_run(config, jobstore):
    db = open_database(config.database)
    start_run(db, "warta crawl", ["kabar"], 2**22 + 12345)  # a pid no process has
    db.close()


def spoil_reused_pid(config, jobstore):
    db = open_database(config.database)  # a killed crawl's pid, now another live process's
    start_run(db, "warta crawl", ["kabar"], os.getppid())
    db.close()


def spoil_overdue(config, jobstore):
    stored = scheduler.build_scheduler(config, jobstore, scheduler_class=BackgroundScheduler)
    stored.start(paused=True)
    stored.modify_job("digest", next_run_time=datetime.now(UTC) - timedelta(hours=1))
    stored.shutdown()


def spoil_failed_crawl(config, jobstore):
    db = open_database(config.database)
    crawl(db, {"nusa": 0, "kabar": 0}, outcome="failed")
    db.close()


def spoil_undelivered_digest(config, jobstore):
    db = open_database(config.database)
    record_digest(db, date(2025, 11, 19), "md", None, [
        {"channel": "email", "target": "tim@contoh.id", "ok": False, "error": "535 login refused"},
        {"channel": "webhook", "target": "https://hook.contoh.id/", "ok": True, "error": None}])
    db.close()


def spoil_scheduler_gone(config, jobstore):
    start_job_run(jobstore, "hourly")  # left running by a scheduler that no longer holds its lock


def spoil_no_database(config, jobstore):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{config.database}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize(("spoil", "message"), [
    (spoil_job, "job hourly: last run timeout"),
    (spoil_source_errors, "source kabar: errors on 25 addresses in the last 24 h (latest: HTTP 503)"),
    (spoil_source_quiet, "source kabar: no new article in 5 runs"),
    (spoil_source_capped,
     "source nusa: its page cap left URLs for later in each of its last 3 runs (12 in the last)"),
    (spoil_source_unreachable, ("source kabar: nothing of it could be read in its newest crawl "
                               "(run 5): every feed, sitemap or page failed (latest: TCP "
                               "connection refused)")),
    (spoil_source_silent_at_the_time_limit, (
        "source kabar: nothing of it could be read in its newest crawl (run 5): none of its "
        "feeds, sitemaps or index pages answered before the time limit")),
    (spoil_source_mostly_refused, ("source kabar: 12 of the 20 pages its newest crawl (run 5) "
                                   "tried failed (latest: HTTP 429 (tried 3 times))")),
    (spoil_dead_run, "is marked running but its process"),
    (spoil_reused_pid, f"but its process {os.getppid()} no longer holds the database"),
    (spoil_source_never_crawled, "source baru: in none of the recorded crawls"),
    (spoil_overdue, "job digest: was due at"),
    (spoil_no_database, "does not exist: no crawl has run yet"),
    (spoil_failed_crawl, "failed (its errors are in the errors table)"),
    (spoil_scheduler_gone, "but the scheduler is not running"),
    (spoil_undelivered_digest,
     "digest of 2025-11-19: email delivery to tim@contoh.id failed: 535 login refused"),
])
def test_something_that_needs_attention_exits_1_and_says_what(healthy, spoil, message):
    config, jobstore = healthy
    spoil(config, jobstore)
    result = status(config)
    assert result.exit_code == 1
    assert "NEEDS ATTENTION" in result.output and message in result.output
    report = json.loads(status(config, "--json").output)
    assert report["healthy"] is False and any(message in p for p in report["problems"])


def test_the_same_few_addresses_failing_on_every_run_are_no_failing_source(healthy):
    config, _ = healthy
    db = open_database(config.database)
    for _run in range(10):  # three broken links of the site, met by ten crawls of the day
        for i in range(3):
            record_error(db, None, "fetch", "empty body", url=f"http://kabar.test/{i}", source="kabar")
    db.close()
    result = status(config)
    assert "source kabar" not in result.output, result.output
    assert json.loads(status(config, "--json").output)["healthy"] is True


def test_the_thresholds_are_options(healthy):
    config, jobstore = healthy
    spoil_source_errors(config, jobstore)
    spoil_source_quiet(config, jobstore)
    assert status(config).exit_code == 1
    assert status(config, "--max-errors", "25", "--stale-runs", "6").exit_code == 0
    spoil_source_capped(config, jobstore)
    assert status(config, "--max-errors", "25", "--stale-runs", "6").exit_code == 1
    assert status(config, "--max-errors", "25", "--stale-runs", "6",
                  "--capped-runs", "4").exit_code == 0


def test_the_share_of_failed_pages_is_an_option(healthy):
    config, jobstore = healthy
    spoil_source_mostly_refused(config, jobstore)
    assert status(config).exit_code == 1
    assert status(config, "--max-failed-share", "0.6").exit_code == 0


def test_a_source_quiet_while_every_source_is_quiet_is_not_flagged(healthy):
    config, _ = healthy
    db = open_database(config.database)
    for _ in range(6):
        crawl(db, {"nusa": 0, "kabar": 0})
    db.close()
    assert status(config).exit_code == 0


def test_no_successful_crawl_for_too_long_needs_attention(healthy):
    config, jobstore = healthy
    later = datetime.now(UTC) + timedelta(hours=7)
    problems = check_status(config, jobstore, Thresholds(), now=later)["problems"]
    assert any("newest successful crawl" in p and "more than 6 h ago" in p for p in problems)
    assert not any("newest successful crawl" in p
                   for p in check_status(config, jobstore, Thresholds(max_age_hours=8), now=later)["problems"])


def test_a_digest_delivered_after_a_failure_is_no_problem(healthy):
    config, _ = healthy
    spoil_undelivered_digest(config, None)
    db = open_database(config.database)
    record_digest(db, date(2025, 11, 20), "md", None, [
        {"channel": "email", "target": "tim@contoh.id", "ok": True, "error": None}])
    db.close()
    assert status(config).exit_code == 0


@pytest.mark.parametrize("failed", [
    {"channel": "send", "target": "-", "ok": False, "error": "nothing to send to"},
    {"channel": "smtp", "target": "tim@contoh.id", "ok": False, "error": "535 login refused"},
])
def test_a_failure_of_a_channel_no_longer_used_is_history(healthy, failed):
    config, _ = healthy
    db = open_database(config.database)
    record_digest(db, date(2025, 11, 19), "md", "/d/2025-11-19.md", [
        {"channel": "file", "target": "/d/2025-11-19.md", "ok": True, "error": None}, failed])
    assert status(config).exit_code == 1
    record_digest(db, date(2025, 11, 20), "md", "/d/2025-11-20.md", [
        {"channel": "file", "target": "/d/2025-11-20.md", "ok": True, "error": None},
        {"channel": "webhook", "target": "https://hook.contoh.id/", "ok": True, "error": None}])
    assert status(config).exit_code == 0
    record_digest(db, date(2025, 11, 21), "md", "/d/2025-11-21.md", [
        {"channel": "file", "target": "/d/2025-11-21.md", "ok": False, "error": "disk full"}])
    db.close()
    result = status(config)  # writing the file alone keeps the channels of the last send
    assert result.exit_code == 1 and "file delivery to /d/2025-11-21.md failed" in result.output


def test_a_job_running_under_a_live_scheduler_is_no_problem(healthy):
    config, jobstore = healthy
    start_job_run(jobstore, "hourly")
    with file_lock(jobstore):  # what a running scheduler holds
        assert status(config).exit_code == 0


def test_a_quiet_search_source_is_not_stale(healthy):
    """A search feed's finds are counted under the outlets they belong to."""
    config, _ = healthy
    path = Path(config.path)
    path.write_text(path.read_text().replace('name = "kabar"', 'name = "kabar"\nsearch = true'),
                    encoding="utf-8")
    spoil_source_quiet(config, None)
    assert status(config).exit_code == 0


def test_a_failed_crawl_of_a_job_is_reported_once(healthy):
    config, jobstore = healthy
    db = open_database(config.database)
    failed = crawl(db, {"nusa": 0, "kabar": 0}, outcome="failed")
    db.close()
    finish_job_run(jobstore, start_job_run(jobstore, "hourly"), "failed", "crawl run failed",
                   crawl_run_id=failed)
    problems = check_status(config, jobstore, Thresholds())["problems"]
    assert [p for p in problems if "failed" in p] == [
        next(p for p in problems if p.startswith("job hourly: last run failed"))]


def test_a_job_store_that_is_no_database_is_named(healthy, tmp_path):
    config, _ = healthy
    bad = tmp_path / "bad.scheduler.db"
    bad.write_bytes(b"not a database at all" * 100)
    result = status(config, "--jobstore", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: not a SQLite database" in result.output


def test_crawls_that_stop_at_their_time_limit_are_no_problem(tmp_path):
    path = tmp_path / "warta.toml"
    path.write_text(CONFIG.format(tmp=tmp_path), encoding="utf-8")
    config = load_config(path)
    db = open_database(config.database)
    for _ in range(3):
        crawl(db, {"nusa": 2, "kabar": 1}, outcome="timeout")  # `warta crawl --time-limit`
    db.close()
    result = status(config)
    assert "no crawl has finished ok yet" not in result.output, result.output
